#!/usr/bin/env bash
# UI responsiveness of the desktop app with 100 000 photos in the catalog (issue 5): time from start to
# the first screen of thumbnails, and the longest UI-thread stall while the grid scrolls end to end
# page by page, then the time of each timeline jump (one per year) to a full screen of thumbnails
# (lightbox --bench-ui: a 2 ms timer measures the event loop's gaps). Runs under Xvfb.
# Usage: bash bench/run_ui_bench.sh [BUILD_DIR] [PHOTOS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-shell}
photos=${2:-100000}
work=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
"$build/bin/lightbox-bench-ui-catalog" "$work" "$photos"
display=:$((150 + $$ % 50))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp & xvfb=$!
sleep 1
export DISPLAY=$display HOME=$work XDG_RUNTIME_DIR=$work XDG_CACHE_HOME=$work/cache XDG_DATA_HOME=$work/data NO_AT_BRIDGE=1
export LIGHTBOX_ENGINE_EXE="$PWD/$build/bin/lightbox-engine"
# The engine first (the figure is about the shell opening a library, not about the engine loading plugins).
"$LIGHTBOX_ENGINE_EXE" serve --runtime-dir "$work/rt" --catalog "$work/library.lbx" > "$work/engine.out" &
engine=$!
for _ in $(seq 100); do grep -q '^events' "$work/engine.out" 2>/dev/null && break; sleep 0.1; done
LIGHTBOX_SHELL_STATUS_LOG="$work/status.log" timeout 300 "$build/bin/lightbox" --runtime-dir "$work/rt" --bench-ui "$work/figures.txt" || true
kill "$engine" 2>/dev/null || true
grep -v "^grid:" "$work/status.log" | head -20 || true
cat "$work/figures.txt"
awk '/^first_screen_ms/ {v=$2; printf "first screen of thumbnails: %.0f ms (target < 1000 ms): %s\n", v, (v >= 0 && v < 1000) ? "MET" : "NOT MET"}
     /^max_event_loop_gap_ms/ {v=$2; printf "longest UI-thread stall while scrolling and jumping: %.1f ms (target < 50 ms): %s\n", v, v < 50 ? "MET" : "NOT MET"}
     /^timeline_jumps_timed_out/ {t=$2}
     /^median_timeline_jump_ms/ {printf "median timeline jump: %.0f ms\n", $2}
     /^max_timeline_jump_ms/ {v=$2; printf "slowest timeline jump to a full screen of thumbnails: %.0f ms (target < 200 ms, %d jumps timed out): %s\n", v, t, (v >= 0 && v < 200 && t == 0) ? "MET" : "NOT MET"}' "$work/figures.txt"
