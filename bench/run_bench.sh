#!/usr/bin/env bash
# Throughput of lightbox-engine against the usual tools, measured in one run on the same files with the
# same parallelism: photos per second for
#   lightbox run --only decode,thumbnail --sizes 256   vs  vipsthumbnail -s 256     (target >= 1.8x)
#   lightbox run (default config: all stages)          vs  vipsthumbnail -s 256     (target >= 1.0x)
#   lightbox run --catalog NEW --sizes 256 (phase 1, as the service scans) vs vipsthumbnail -s 256 (>= 1.5x)
#   (analysis off in all of these: bench/run_analysis_bench.sh measures the analysis phase)
#   both again with --isolation none (stages on threads) beside the default --isolation process: what the
#   supervised worker processes cost (target: process >= 0.95x none, i.e. at most 5 %)
#   lightbox run --only metadata                       vs  exiftool -j              (target >= 25x)
# plus the HEIC and PNG subsets (lightbox full pipeline beside vipsthumbnail -s 256).
#
# Usage:  bash bench/run_bench.sh
# Environment:
#   BENCH_N=200          JPEGs in the corpus when it has to be made (../shared/bench/make_corpus.sh)
#   CORPUS=/tmp/benchcorpus  the corpus folder; made only when $CORPUS/MANIFEST.md5 is missing
#   JOBS=$(nproc)        lightbox --jobs, and the number of parallel vipsthumbnail/exiftool processes
#   LIGHTBOX_ENGINE=...  a built lightbox-engine to measure; unset: configure and build the default preset
#   BENCH_REPEAT=1       rounds (each runs every contender once, interleaved); per contender the fastest counts
#   VIPS_CONCURRENCY=1   threads per vipsthumbnail process (JOBS processes x 1 thread = JOBS cores)
# Output: a table on stdout (wall and CPU seconds) and one "met"/"NOT met" line per target, judged on
# wall-clock photos per second; the ratio per CPU-second is printed beside it, as it varies less on a
# busy machine. Exit code 0 whether targets are met or not; 1 when a tool fails or lightbox reports failed
# files.
set -euo pipefail
export LC_ALL=C

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_N=${BENCH_N:-200}
CORPUS=${CORPUS:-/tmp/benchcorpus}
JOBS=${JOBS:-$(nproc)}
BENCH_REPEAT=${BENCH_REPEAT:-1}
export VIPS_CONCURRENCY=${VIPS_CONCURRENCY:-1}

log() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

# ------------------------------------------------------------------------------------------ tools
missing=()
command -v vipsthumbnail >/dev/null || missing+=(libvips-tools)
command -v exiftool >/dev/null || missing+=(libimage-exiftool-perl)
command -v heif-enc >/dev/null || missing+=(libheif-examples)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# ------------------------------------------------------------------------------------------ engine
if [ -n "${LIGHTBOX_ENGINE:-}" ]; then
  ENGINE=$LIGHTBOX_ENGINE
else
  log "building the default preset"
  (cd "$REPO" && cmake --preset default >/dev/null && cmake --build --preset default --parallel "$JOBS" >/dev/null)
  ENGINE=$REPO/build/bin/lightbox-engine
fi
[ -x "$ENGINE" ] || die "no engine at $ENGINE"

# ------------------------------------------------------------------------------------------ corpus
if [ ! -f "$CORPUS/MANIFEST.md5" ]; then
  log "making the corpus in $CORPUS (N=$BENCH_N, a few minutes)"
  CORPUS=$CORPUS JOBS=$JOBS bash "$REPO/../shared/bench/make_corpus.sh" "$BENCH_N" >&2
fi
JPEGS=("$CORPUS"/jpg/*.jpg)
HEICS=("$CORPUS"/heic/*.heic)
PNGS=("$CORPUS"/png/*.png)
[ -f "${JPEGS[0]}" ] || die "no JPEG in $CORPUS/jpg"
[ -f "${HEICS[0]}" ] || die "no HEIC in $CORPUS/heic"
[ -f "${PNGS[0]}" ] || die "no PNG in $CORPUS/png"
[ "${#JPEGS[@]}" = "$BENCH_N" ] || log "note: $CORPUS holds ${#JPEGS[@]} JPEGs, not BENCH_N=$BENCH_N (delete it to remake)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lightbox-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Warm the page cache, so every contender reads from memory.
cat "${JPEGS[@]}" "${HEICS[@]}" "${PNGS[@]}" >/dev/null

# ------------------------------------------------------------------------------------------ timing
# Every run records its wall time (`$EPOCHREALTIME`), its CPU time and a check of what it produced under
# a key. Rounds interleave all contenders, so that each samples the same moments of a busy machine; per
# key the fastest round counts (BENCH_REPEAT rounds).
declare -A WALL CPU CHECK FAILED
FAILED_RUNS=0

# CPU seconds (user + system) of all finished child processes of this shell so far, from the builtin
# `times`, which must run in this shell (a subshell's counters start at zero): sets CPU_NOW.
cpu_now() {
  times >"$WORK/times"
  CPU_NOW=$(sed -n 2p "$WORK/times" | awk '{ t = 0; for (i = 1; i <= 2; i++) {
    split($i, p, "m"); sub("s", "", p[2]); t += p[1] * 60 + p[2] } printf "%.3f", t }')
}
diff_of() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
per_process() { echo $(( ($1 + JOBS - 1) / JOBS )); }  # files per process: JOBS processes in all

T0="" C0="" T1="" C1=""
# `sync` first, outside the clock: the contender before wrote (and deleted) a thousand thumbnails or a
# catalog, and the kernel's writeback of them ran into the next run (a metadata-only run right after
# phase 1: 79-87 ms without, 67-68 ms with, 60-64 ms alone).
start_clock() { sync; cpu_now; C0=$CPU_NOW; T0=$EPOCHREALTIME; }
# Right after the contender ends, before anything looks at its output: reading its summary or counting
# its files (forks of grep, sed, cat: several ms) is not the contender's time. A 60 ms run measured them.
end_clock() { T1=$EPOCHREALTIME; cpu_now; C1=$CPU_NOW; }
# $1 key, $2 1 when the run did its job, $3 what it produced (for the table)
stop_clock() {
  local wall cpu
  wall=$(diff_of "$T0" "$T1")
  cpu=$(diff_of "$C0" "$C1")
  CHECK[$1]=$3
  if [ "$2" != 1 ]; then
    FAILED[$1]=1
    FAILED_RUNS=$((FAILED_RUNS + 1))
  fi
  if [ -z "${WALL[$1]:-}" ] || awk -v a="$wall" -v b="${WALL[$1]}" 'BEGIN { exit !(a < b) }'; then
    WALL[$1]=$wall
    CPU[$1]=$cpu
  fi
}

# $1 key, $2 --only value ("" for the default config), $3 extra options, rest: files
run_lightbox() {
  local key=$1 only=$2 extra=$3 thumbs rc=0 summary ok failed good=1 extra_args=()
  shift 3
  thumbs=$(mktemp -d "$WORK/thumbs.XXXXXX")
  local args=(run --jobs "$JOBS" --thumbs "$thumbs" --no-progress)
  [ -n "$only" ] && args+=("--only=$only")  # '=': a list option would swallow the paths after it
  [ -n "$extra" ] && read -ra extra_args <<<"$extra" && args+=("${extra_args[@]}")
  start_clock
  "$ENGINE" "${args[@]}" -- "$@" >/dev/null 2>"$WORK/lightbox.err" || rc=$?
  end_clock
  summary=$(grep -E '^[0-9]+ files: ' "$WORK/lightbox.err" | tail -n 1 || true)
  ok=$(sed -n 's/^[0-9]* files: \([0-9]*\) ok.*/\1/p' <<<"$summary")
  failed=$(sed -n 's/^[0-9]* files: [0-9]* ok, \([0-9]*\) failed.*/\1/p' <<<"$summary")
  if [ "$rc" != 0 ] || [ "${ok:-0}" != "$#" ]; then
    good=0
    log "lightbox-engine ${args[*]} exited with $rc: $summary"
    grep -v '^[0-9]* files: ' "$WORK/lightbox.err" | head -n 5 >&2 || true
  fi
  stop_clock "$key" "$good" "${ok:-?} ok, ${failed:-?} failed"
  rm -rf "$thumbs"
}

# $1 key, rest: files
run_vipsthumbnail() {
  local key=$1 out rc=0 n good=1
  shift
  out=$(mktemp -d "$WORK/vips.XXXXXX")
  start_clock
  printf '%s\n' "$@" | xargs -d '\n' -P "$JOBS" -n "$(per_process $#)" vipsthumbnail -s 256 -o "$out/%s.jpg" || rc=$?
  end_clock
  n=$(find "$out" -type f | wc -l)
  if [ "$rc" != 0 ] || [ "$n" != "$#" ]; then
    good=0
    log "vipsthumbnail exited with $rc and wrote $n of $# thumbnails"
  fi
  stop_clock "$key" "$good" "$n written"
  rm -rf "$out"
}

# $1 key, rest: files
run_exiftool() {
  local key=$1 rc=0 n good=1
  shift
  rm -f "$WORK"/exiftool.*.json
  start_clock
  # One output file per process, so that parallel writers never interleave.
  # shellcheck disable=SC2016  # $@, $0 and $$ are for the inner sh
  printf '%s\n' "$@" | xargs -d '\n' -P "$JOBS" -n "$(per_process $#)" \
    sh -c 'exec exiftool -j "$@" >"$0/exiftool.$$.json"' "$WORK" || rc=$?
  end_clock
  n=$(cat "$WORK"/exiftool.*.json | grep -c '"SourceFile"' || true)
  if [ "$rc" != 0 ] || [ "$n" != "$#" ]; then
    good=0
    log "exiftool exited with $rc and described $n of $# files"
  fi
  stop_clock "$key" "$good" "$n described"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
nJ=${#JPEGS[@]}
nH=${#HEICS[@]}
nP=${#PNGS[@]}
log "engine $ENGINE, $nJ JPEG, $nH HEIC, $nP PNG, JOBS=$JOBS, BENCH_REPEAT=$BENCH_REPEAT"

# Each compared pair runs in one order in odd rounds and in the other in even ones: a run right after a
# heavy one is slower on a VM (a metadata-only run after phase 1: 30-50 % here), and with a fixed order
# always the same contender paid for it. With BENCH_REPEAT >= 2 each gets its best position.
pair() {  # $1: the round; $2, $3: the two commands, as strings (eval'd here)
  if (( $1 % 2 )); then eval "$2"; eval "$3"; else eval "$3"; eval "$2"; fi
}
for ((round = 1; round <= BENCH_REPEAT; round++)); do
  log "round $round of $BENCH_REPEAT"
  pair "$round" 'run_lightbox lb_thumbs "decode,thumbnail" "--sizes=256" "${JPEGS[@]}"' 'run_vipsthumbnail vips "${JPEGS[@]}"'
  run_lightbox lb_thumbs_none "decode,thumbnail" "--sizes=256 --isolation=none" "${JPEGS[@]}"
  run_lightbox lb_full "" "--analysis=off" "${JPEGS[@]}"
  run_lightbox lb_full_none "" "--analysis=off --isolation=none" "${JPEGS[@]}"
  # Phase 1 as the service scans when analysis follows: a new catalog (content hash, rows, metadata, rule
  # tags) and the grid's thumbnails (the analysis phase makes the 1024 previews).
  run_lightbox lb_phase1 "" "--analysis=off --sizes=256 --catalog=$WORK/phase1-$round.lbx" "${JPEGS[@]}"
  pair "$round" 'run_lightbox lb_meta "metadata" "" "${JPEGS[@]}"' 'run_exiftool exiftool "${JPEGS[@]}"'
  pair "$round" 'run_lightbox lb_heic "" "--analysis=off" "${HEICS[@]}"' 'run_vipsthumbnail vips_heic "${HEICS[@]}"'
  pair "$round" 'run_lightbox lb_png "" "--analysis=off" "${PNGS[@]}"' 'run_vipsthumbnail vips_png "${PNGS[@]}"'
done

# ------------------------------------------------------------------------------------------ report
declare -A RATE CPU_RATE
ROWS=()
# $1 key, $2 label, $3 file count
row() {
  if [ -n "${FAILED[$1]:-}" ]; then
    ROWS+=("$(printf '%-46s %6d %9s %9s %10s   %s' "$2" "$3" "-" "-" "FAILED" "${CHECK[$1]}")")
    return
  fi
  RATE[$1]=$(awk -v n="$3" -v s="${WALL[$1]}" 'BEGIN { printf "%.2f", (s > 0 ? n / s : 0) }')
  # shellcheck disable=SC2034  # read through a nameref in ratio()
  CPU_RATE[$1]=$(awk -v n="$3" -v s="${CPU[$1]}" 'BEGIN { printf "%.2f", (s > 0 ? n / s : 0) }')
  ROWS+=("$(printf '%-46s %6d %9.2f %9.2f %10.2f   %s' "$2" "$3" "${WALL[$1]}" "${CPU[$1]}" "${RATE[$1]}" "${CHECK[$1]}")")
}
row lb_thumbs "lightbox --only decode,thumbnail --sizes 256" "$nJ"
row vips "vipsthumbnail -s 256" "$nJ"
row lb_thumbs_none "  the same, --isolation none" "$nJ"
row lb_full "lightbox run (default config: all stages)" "$nJ"
row lb_full_none "  the same, --isolation none" "$nJ"
row lb_phase1 "phase 1: run --catalog NEW --sizes 256" "$nJ"
row lb_meta "lightbox --only metadata" "$nJ"
row exiftool "exiftool -j" "$nJ"
row lb_heic "HEIC: lightbox run (default config)" "$nH"
row vips_heic "HEIC: vipsthumbnail -s 256" "$nH"
row lb_png "PNG: lightbox run (default config)" "$nP"
row vips_png "PNG: vipsthumbnail -s 256" "$nP"

# $1, $2 keys; $3 RATE or CPU_RATE. "-" when either run failed.
ratio() {
  local -n rates=$3
  if [ -z "${rates[$1]:-}" ] || [ -z "${rates[$2]:-}" ]; then echo "-"; return; fi
  awk -v a="${rates[$1]}" -v b="${rates[$2]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}
verdict() {
  if [ "$1" = "-" ]; then echo "NOT met (a run failed)"; return; fi
  awk -v r="$1" -v t="$2" 'BEGIN { print ((r >= t) ? "met" : "NOT met") }'
}
# $1 label, $2 lightbox key, $3 other key, $4 target ("" for none)
compare() {
  local r c
  r=$(ratio "$2" "$3" RATE)
  c=$(ratio "$2" "$3" CPU_RATE)
  if [ -n "$4" ]; then
    printf '%-7s %-38s %7sx  %-9s %-8s  (per CPU-second %6sx)\n' "target:" "$1" "$r" "(>= $4x)" "$(verdict "$r" "$4")" "$c"
  else
    printf '%-7s %-38s %7sx  %-9s %-8s  (per CPU-second %6sx)\n' "" "$1" "$r" "" "" "$c"
  fi
}

mb() { du -cb "$@" | tail -n 1 | awk '{ printf "%.0f", $1 / 1e6 }'; }
echo "Lightbox benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), JOBS=$JOBS," \
  "VIPS_CONCURRENCY=$VIPS_CONCURRENCY, best of $BENCH_REPEAT interleaved rounds"
echo "load average (1, 5, 15 min): $LOAD_BEFORE at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "versions: $("$ENGINE" --version 2>&1 | head -n 1), $(vips --version), exiftool $(exiftool -ver)"
echo "corpus: $CORPUS: $nJ JPEG 4000x3000 ($(mb "${JPEGS[@]}") MB), $nH HEIC 4000x3000 ($(mb "${HEICS[@]}") MB)," \
  "$nP PNG 2000x1500 ($(mb "${PNGS[@]}") MB)"
echo
printf '%-46s %6s %9s %9s %10s   %s\n' "run" "files" "seconds" "cpu-s" "photos/s" "output"
printf '%-46s %6s %9s %9s %10s   %s\n' "----------------------------------------------" "-----" "-------" "-----" \
  "--------" "------"
printf '%s\n' "${ROWS[@]}"
echo "(seconds: wall clock of the fastest round, which photos/s uses; cpu-s: user + system CPU time of all"
echo " the processes of that round)"
echo
compare "HEIC: lightbox full vs vipsthumbnail" lb_heic vips_heic ""
compare "PNG: lightbox full vs vipsthumbnail" lb_png vips_png ""
compare "thumbnails only vs vipsthumbnail" lb_thumbs vips 1.8
compare "full pipeline vs vipsthumbnail" lb_full vips 1.0
compare "phase 1 (catalog) vs vipsthumbnail" lb_phase1 vips 1.5
compare "thumbnails only: process vs none" lb_thumbs lb_thumbs_none 0.95
compare "full pipeline: process vs none" lb_full lb_full_none 0.95
compare "metadata only vs exiftool" lb_meta exiftool 25
if [ "$FAILED_RUNS" != 0 ]; then
  echo "warning: $FAILED_RUNS runs failed or produced fewer outputs than files (see stderr)"
  exit 1
fi
