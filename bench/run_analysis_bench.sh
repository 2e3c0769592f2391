#!/usr/bin/env bash
# The analysis phase (phase 2: objects, faces, face identities) in photos per second, beside the bare
# forward rate of its four models on the same cores (target: at least 0.8 of it, issue 14).
#
#   phase 1   lightbox-engine run --analysis off --catalog LIB PHOTOS      (metadata, hash, thumbnails, rule tags)
#   phase 2   lightbox-engine run --analysis on  --catalog LIB PHOTOS      (nothing changed: it only analyses the
#             photos phase 1 stored; decoding at 1024 px, the three networks, regions stored in the catalog)
#   bare      JOBS processes of lightbox-bench-forward (bench/model_forward.cpp): per photo as many CenterNet passes
#             as the objects stage makes for these photos on average (the whole photo, and its tiles), one
#             NanoDet and one BlazeFace forward pass and, for as many faces per photo as phase 2 found on average, one
#             face-embedding pass; one OpenCV thread each, no decoding, no pre- or post-processing, no storing
#
# Usage:  bash bench/run_analysis_bench.sh
# Environment:
#   PHOTOS=DIR           photos to analyse (default: the JPEGs of ../shared/corpus/good, real photos with people,
#                        animals and vehicles in them; else $CORPUS/jpg of the throughput benchmark)
#   ANALYSIS_BENCH_N=100 at most this many of them (the first by name), linked into a work folder
#   JOBS=$(nproc)        lightbox-engine --jobs, and the number of bare forward processes
#   LIGHTBOX_ENGINE=...  a built lightbox-engine (default: build/bin/lightbox-engine, built with the default preset)
#   MODELS=DIR           the models (default: build/share/lightbox/models, as scripts/fetch-models.sh fills it)
# Output: a table on stdout and one "met"/"NOT met" line; progress on stderr. Exit 0 whether the target is met or
# not; 1 when something failed (a run, a missing model).
set -euo pipefail
export LC_ALL=C

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JOBS=${JOBS:-$(nproc)}
N=${ANALYSIS_BENCH_N:-100}
MODELS=${MODELS:-$REPO/build/share/lightbox/models}

log() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }
now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

if [ -z "${PHOTOS:-}" ]; then
  if [ -d "$REPO/../shared/corpus/good" ]; then PHOTOS=$REPO/../shared/corpus/good
  else PHOTOS=${CORPUS:-/tmp/benchcorpus}/jpg
  fi
fi
[ -d "$PHOTOS" ] || die "no photo folder $PHOTOS (set PHOTOS, or make the corpus with ../shared/bench/make_corpus.sh)"

log "building lightbox-bench-forward${LIGHTBOX_ENGINE:+ (engine: $LIGHTBOX_ENGINE)} (default preset)"
targets=(lightbox-bench-forward)
[ -n "${LIGHTBOX_ENGINE:-}" ] || targets+=(lightbox-engine plugins)
(cd "$REPO" && cmake --preset default >/dev/null &&
  cmake --build --preset default --parallel "$JOBS" --target "${targets[@]}" >/dev/null) || die "the build failed"
ENGINE=${LIGHTBOX_ENGINE:-$REPO/build/bin/lightbox-engine}
FORWARD=$REPO/build/bin/lightbox-bench-forward
for f in objects/centernet.onnx nanodet/nanodet.onnx faces/face_detection_back_256x256_barracuda.onnx identity/face_embedding.onnx; do
  [ -f "$MODELS/$f" ] || die "no model $MODELS/$f: run bash scripts/fetch-models.sh $MODELS"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lightbox-analysis-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/photos"
mapfile -t files < <(find "$PHOTOS" -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) | sort | head -n "$N")
[ "${#files[@]}" -gt 0 ] || die "no JPEG in $PHOTOS"
i=0
for f in "${files[@]}"; do
  i=$((i + 1))
  ln -s "$(realpath "$f")" "$WORK/photos/$(printf '%04d' "$i")-$(basename "$f")"
done
n=${#files[@]}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
common=(--jobs "$JOBS" --catalog "$WORK/library.lbx" --thumbs "$WORK/thumbs" --no-progress)

log "phase 1: $n photos"
t0=$(now)
"$ENGINE" run --analysis off "${common[@]}" "$WORK/photos" >/dev/null 2>"$WORK/phase1.err" ||
  { tail -n 5 "$WORK/phase1.err" >&2; die "phase 1 failed"; }
phase1=$(seconds_since "$t0")

log "phase 2: analysing them"
t0=$(now)
"$ENGINE" run --analysis on "${common[@]}" "$WORK/photos" >/dev/null 2>"$WORK/phase2.err" ||
  { tail -n 5 "$WORK/phase2.err" >&2; die "phase 2 failed"; }
phase2=$(seconds_since "$t0")
grep -q "left out" "$WORK/phase2.err" && { grep "left out" "$WORK/phase2.err" >&2; die "an analysis stage was left out"; }
analysed=$(sed -n 's/.*analysed \([0-9]*\) earlier photos in \([0-9.]*\) s.*/\1 \2/p' "$WORK/phase2.err" | tail -n 1)
[ -n "$analysed" ] || { cat "$WORK/phase2.err" >&2; die "phase 2 analysed nothing"; }
read -r analysed_n analysed_s <<<"$analysed"
[ "$analysed_n" = "$n" ] || die "phase 2 analysed $analysed_n of $n photos"

read -r faces objects passes < <(python3 - "$WORK/library.lbx" <<'EOF'
import math, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
faces = db.execute("SELECT count(*) FROM regions WHERE kind = 'face' AND embedding IS NOT NULL").fetchone()[0]
objects = db.execute("SELECT count(*) FROM regions WHERE kind = 'object'").fetchone()[0]
# CenterNet passes per photo, by the objects stage's rule (views_of in plugins/vision/object_detector.cpp):
# the whole photo, plus ceil(longer / shorter) tiles (at most 4) unless it is within 6:5 of square.
passes = 0
for w, h in db.execute("SELECT width, height FROM photos"):
    longer, shorter = max(w, h), max(1, min(w, h))
    passes += 1 + (0 if longer < shorter * 6 // 5 else min(4, math.ceil(longer / shorter)))
print(faces, objects, passes)
EOF
)
per_photo=$(awk -v f="$faces" -v n="$n" 'BEGIN { printf "%.3f", f / n }')
passes_per_photo=$(awk -v p="$passes" -v n="$n" 'BEGIN { printf "%.3f", p / n }')

log "bare forward passes: $JOBS processes, $passes_per_photo CenterNet passes and $per_photo face embeddings per photo"
share=$(( (n + JOBS - 1) / JOBS ))
t0=$(now)
pids=()
for ((j = 0; j < JOBS; j++)); do
  "$FORWARD" "$MODELS" "$share" "$per_photo" "$passes_per_photo" >"$WORK/forward.$j" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || die "lightbox-bench-forward failed"; done
bare=$(seconds_since "$t0")
bare_n=$((share * JOBS))
read -r _ _ _ ms_objects ms_nanodet ms_faces ms_identity < <(cat "$WORK"/forward.* | awk '
  { n++; o += $4; d += $5; f += $6; i += $7 } END { printf "forward %d 0 %.1f %.1f %.1f %.1f\n", n, o / n, d / n, f / n, i / n }')

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.2f", (s > 0 ? n / s : 0) }'; }
r1=$(rate "$n" "$phase1")
r2=$(rate "$n" "$phase2")
r2_inner=$(rate "$n" "$analysed_s")
rb=$(rate "$bare_n" "$bare")
ratio=$(awk -v a="$r2" -v b="$rb" 'BEGIN { printf "%.2f", a / b }')
ratio_inner=$(awk -v a="$r2_inner" -v b="$rb" 'BEGIN { printf "%.2f", a / b }')

echo "Lightbox analysis benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), JOBS=$JOBS"
echo "load average (1, 5, 15 min): $LOAD_BEFORE at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "photos: $n JPEGs of $PHOTOS; phase 2 found $objects objects and $faces faces with an embedding ($per_photo per photo)"
echo "bare forward pass, one thread: CenterNet $ms_objects ms ($passes_per_photo per photo: the whole photo and its tiles), NanoDet $ms_nanodet ms, BlazeFace $ms_faces ms, face embedding $ms_identity ms"
echo
printf '%-66s %6s %9s %10s\n' "run" "photos" "seconds" "photos/s"
printf '%-66s %6d %9.2f %10.2f\n' "phase 1: run --analysis off --catalog (whole process)" "$n" "$phase1" "$r1"
printf '%-66s %6d %9.2f %10.2f\n' "phase 2: run --analysis on --catalog, same photos (whole process)" "$n" "$phase2" "$r2"
printf '%-66s %6d %9.2f %10.2f\n' "  of which the analysis itself (the engine's own count)" "$n" "$analysed_s" "$r2_inner"
printf '%-66s %6d %9.2f %10.2f\n' "bare forward passes, $JOBS processes x 1 thread" "$bare_n" "$bare" "$rb"
echo
printf 'target: phase 2 vs bare forward rate %6sx  (>= 0.8x) %s   (analysis itself %sx)\n' "$ratio" \
  "$(awk -v r="$ratio" 'BEGIN { print (r >= 0.8 ? "met" : "NOT met") }')" "$ratio_inner"
