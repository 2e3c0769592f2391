#!/usr/bin/env bash
# Sharded runs against one run on the same cores (issue 16): N `lightbox-engine run --shard I/N` processes
# at once, each with JOBS/N workers, against one `run --jobs JOBS`, over the same JPEGs of the benchmark
# corpus (../shared/bench/make_corpus.sh), full pipeline with the analysis off, JSON lines out. Target:
# the shards' total throughput within 10 % of the one run (ratio >= 0.90). Also checks that the shards'
# outputs together hold every file once. Rounds interleave the contenders; per contender the fastest counts.
#
# Usage:  bash bench/run_shard_bench.sh
# Environment: CORPUS=/tmp/benchcorpus, BENCH_N=200 (when the corpus has to be made), JOBS=$(nproc),
#              SHARDS=$JOBS, ROUNDS=3, LIGHTBOX_ENGINE (a built engine; unset: build the default preset)
set -euo pipefail
export LC_ALL=C

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=${CORPUS:-/tmp/benchcorpus}
BENCH_N=${BENCH_N:-200}
JOBS=${JOBS:-$(nproc)}
SHARDS=${SHARDS:-$JOBS}
ROUNDS=${ROUNDS:-3}
log() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }
[ $((JOBS % SHARDS)) = 0 ] || die "JOBS ($JOBS) must be a multiple of SHARDS ($SHARDS)"

if [ -n "${LIGHTBOX_ENGINE:-}" ]; then
  ENGINE=$LIGHTBOX_ENGINE
else
  log "building the default preset"
  (cd "$REPO" && cmake --preset default >/dev/null && cmake --build --preset default --parallel "$JOBS" --target lightbox-engine plugins >/dev/null)
  ENGINE=$REPO/build/bin/lightbox-engine
fi
if [ ! -f "$CORPUS/MANIFEST.md5" ]; then
  log "making the corpus in $CORPUS (N=$BENCH_N)"
  CORPUS=$CORPUS JOBS=$JOBS bash "$REPO/../shared/bench/make_corpus.sh" "$BENCH_N" >&2
fi
PHOTOS=$CORPUS/jpg
COUNT=$(find "$PHOTOS" -name '*.jpg' | wc -l)
[ "$COUNT" -gt 0 ] || die "no JPEG in $PHOTOS"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lightbox-shard-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cat "$PHOTOS"/*.jpg >/dev/null  # every contender reads from the page cache

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }            # awk, not bc: Debian's minimal systems have no bc
less() { awk "BEGIN { exit !($1 < $2) }"; }
best_one=""; best_shards=""
for round in $(seq 1 "$ROUNDS"); do
  rm -rf "$WORK/thumbs"
  start=$(now)
  "$ENGINE" run --no-progress --analysis off --jobs "$JOBS" --json --thumbs "$WORK/thumbs" "$PHOTOS" > "$WORK/one.jsonl"
  one=$(calc "$(now) - $start")
  rm -rf "$WORK/thumbs"
  start=$(now)
  pids=()
  for i in $(seq 0 $((SHARDS - 1))); do
    "$ENGINE" run --no-progress --analysis off --jobs $((JOBS / SHARDS)) --json --thumbs "$WORK/thumbs" \
      --shard "$i/$SHARDS" "$PHOTOS" > "$WORK/shard-$i.jsonl" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  shards=$(calc "$(now) - $start")
  log "round $round: one run $one s, $SHARDS shards $shards s"
  if [ -z "$best_one" ] || less "$one" "$best_one"; then best_one=$one; fi
  if [ -z "$best_shards" ] || less "$shards" "$best_shards"; then best_shards=$shards; fi
done
lines_one=$(wc -l < "$WORK/one.jsonl")
lines_shards=$(cat "$WORK"/shard-*.jsonl | wc -l)
# Each record's own path: the top-level "path" key (thumbnail entries inside have paths too).
distinct=$(cat "$WORK"/shard-*.jsonl | python3 -c 'import json,sys; print(len({json.loads(l)["path"] for l in sys.stdin}))')
ratio=$(awk "BEGIN { printf \"%.3f\", $best_one / $best_shards }")
printf '| contender | photos | best of %d (s) | photos/s |\n|---|---|---|---|\n' "$ROUNDS"
printf '| one run, --jobs %d | %d | %.2f | %.1f |\n' "$JOBS" "$lines_one" "$best_one" "$(calc "$lines_one / $best_one")"
printf '| %d shards at once, --jobs %d each | %d | %.2f | %.1f |\n' "$SHARDS" $((JOBS / SHARDS)) "$lines_shards" "$best_shards" \
  "$(calc "$lines_shards / $best_shards")"
echo "shards' outputs: $lines_shards lines, $distinct distinct paths (one run: $lines_one)"
[ "$lines_shards" = "$lines_one" ] && [ "$distinct" = "$lines_one" ] || die "the shards' outputs are not the whole set once"
verdict="NOT met"
less "$ratio" 0.90 || verdict=met
echo "shards / one run throughput: $ratio (target >= 0.90: $verdict)"
