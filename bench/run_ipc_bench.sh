#!/usr/bin/env bash
# Command round-trip latency of the engine service, through the real client library (ipc::Client) to a
# real `lightbox-engine serve` over ipc://, idle and while a scan keeps every core busy, beside a bare
# cppzmq DEALER/ROUTER ping-pong with the same frame sizes; plus the progress events a subscriber gets
# while the scan runs. Once with the engine's default scan priority (workers at nice +10), once with
# `serve --nice 0`. Targets: client library under 2x the bare round trip (median, idle); p99 under the
# scan under 1 ms. The program is bench/ipc_latency.cpp (target lightbox-bench-ipc).
#
# Usage:  bash bench/run_ipc_bench.sh [ENGINE [ITERATIONS]]
#   ENGINE       a built lightbox-engine to measure (default: $LIGHTBOX_ENGINE, else build/bin/lightbox-engine,
#                built with the default preset together with the plugins)
#   ITERATIONS   measured round trips per table row (default: $IPC_BENCH_ITERATIONS, else 20000)
# Environment:
#   LIGHTBOX_ENGINE=...      as ENGINE
#   IPC_BENCH_ITERATIONS=N   as ITERATIONS
#   IPC_BENCH_PHOTOS=DIR     scan this folder (e.g. /tmp/benchcorpus/jpg from ../shared/bench/make_corpus.sh)
#                            instead of the JPEGs the bench makes (24 of 2400x1600, from the sample writer)
#   IPC_BENCH_SCAN_REPEAT=N  each StartScan lists the folder N times (default 4), so a scan lasts a while;
#                            a scan that ends during the measurement is restarted
#   IPC_BENCH_JOBS=N         serve --jobs (default: the engine's, all cores)
#   IPC_BENCH_ARGS="..."     more options for lightbox-bench-ipc (--warmup, --block, --paced, --nices, --samples,
#                            --photo-size, --keep; see --help)
#   JOBS=$(nproc)            build parallelism
# The bench binary is always (re)built from the default preset (ninja does nothing when it is up to date).
# Output: the table, CPU use, ratios and one "met"/"NOT met" line per target on stdout; progress on stderr.
# Exit 0 whether the targets are met or not; 1 when something failed to run (130: interrupted). About 50 s
# with the defaults on 2 cores; bench/README.md explains the rows and has the figures.
set -euo pipefail
export LC_ALL=C

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JOBS=${JOBS:-$(nproc)}
ENGINE=${1:-${LIGHTBOX_ENGINE:-}}
ITERATIONS=${2:-${IPC_BENCH_ITERATIONS:-20000}}

log() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

targets=(lightbox-bench-ipc)
[ -n "$ENGINE" ] || targets+=(lightbox-engine plugins)
log "building ${targets[*]} (default preset)"
(cd "$REPO" && cmake --preset default >/dev/null &&
  cmake --build --preset default --parallel "$JOBS" --target "${targets[@]}" >/dev/null) || die "the build failed"
BENCH=$REPO/build/bin/lightbox-bench-ipc
ENGINE=${ENGINE:-$REPO/build/bin/lightbox-engine}
[ -x "$ENGINE" ] || die "no engine at $ENGINE"

args=(--engine "$ENGINE" --iterations "$ITERATIONS")
[ -n "${IPC_BENCH_PHOTOS:-}" ] && args+=(--photos "$IPC_BENCH_PHOTOS")
[ -n "${IPC_BENCH_SCAN_REPEAT:-}" ] && args+=(--scan-repeat "$IPC_BENCH_SCAN_REPEAT")
[ -n "${IPC_BENCH_JOBS:-}" ] && args+=(--jobs "$IPC_BENCH_JOBS")
if [ -n "${IPC_BENCH_ARGS:-}" ]; then
  read -ra extra <<<"$IPC_BENCH_ARGS"
  args+=("${extra[@]}")
fi
exec "$BENCH" "${args[@]}"
