#!/usr/bin/env bash
# Check our three conversions, CenterNet, NanoDet and the face embedding, numerically against the TF.js
# originals, once, offline.
#
# Run it with:  scripts/models/check_against_tfjs.sh [--fetch] MODELS [PHOTO...]
# MODELS is what scripts/fetch-models.sh filled. The pure-JS TF.js packages and face-api's node bundle live in
# MODELS/tfjs-reference/ (76 MB unpacked); --fetch puts them there with `npm pack` and pinned integrities, never
# `npm install`. Without them, or without node, the check is skipped with exit code 77 (CTest's
# SKIP_RETURN_CODE). It builds check_models with g++, which writes each photo's CenterNet and NanoDet inputs
# and OpenCV's outputs, and each face chip (plus the photo stretched to 150x150) with OpenCV's embedding;
# then tfjs_reference.js runs the TF.js CenterNet and then the TF.js NanoDet on the same inputs (5 to 7 s
# a photo each) and face_embedding_reference.js runs face-api's own FaceRecognitionNet (through
# tfjs_node_shim.js, standing in for the native @tensorflow/tfjs-node) on the same chips; each fails above a
# relative error of 1e-4. PHOTOs default to three of Debian darknet's.
set -euo pipefail

readonly HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SKIP=77
die() { echo "check_against_tfjs: $*" >&2; exit 1; }

# package spec | dist.integrity (from `npm view SPEC dist.integrity`) | files to extract (all when empty)
readonly PACKAGES=(
  "@tensorflow/tfjs-core@4.22.0|sha512-LEkOyzbknKFoWUwfkr59vSB68DMJ4cjwwHgicXN0DUi3a0Vh1Er3JQqCI1Hl86GGZQvY8ezVrtDIvqR1ZFW55A==|"
  "@tensorflow/tfjs-converter@4.22.0|sha512-PT43MGlnzIo+YfbsjM79Lxk9lOq6uUwZuCc8rrp0hfpLjF6Jv8jS84u2jFb+WpUeuF4K33ZDNx8CjiYrGQ2trQ==|"
  "@tensorflow/tfjs-backend-cpu@4.22.0|sha512-1u0FmuLGuRAi8D2c3cocHTASGXOmHc/4OvoVDENJayjYkS119fcTcQf4iHrtLthWyDIPy3JiPhRrZQC9EwnhLw==|"
  "long@4.0.0|sha512-XsP+KhQif4bjX1kbuSiySJFNAehNxgLb6hPRGJ9QsUr8ajHkuXGdrHmFUTUUXhDwVX2R5bY4JNZEwbUiMhV+MA==|"
  "seedrandom@3.0.5|sha512-8OwmbklUNzwezjGInmZ+2clQmExQPvomqjL7LFqOYqtmuxRgQYqOD3mHaU+MvZn5FLUeVxVfQjwLZW/n/JFuqg==|"
  "@vladmandic/face-api@1.7.15|sha512-WDMmK3CfNLo8jylWqMoQgf4nIst3M0fzx1dnac96wv/dvMTN4DxC/Pq1DGtduDk1lktCamQ3MIDXFnvrdHTXDw==|package/package.json package/LICENSE package/dist/face-api.node.js"
)

fetch=0
if [[ "${1:-}" == "--fetch" ]]; then fetch=1; shift; fi
[[ $# -ge 1 ]] || die "usage: check_against_tfjs.sh [--fetch] MODELS [PHOTO...]"
MODELS="$(cd "$1" && pwd)" || die "no models folder '$1'"
shift
for f in objects/centernet.onnx nanodet/nanodet.onnx nanodet/nanodet.json identity/face_embedding.onnx; do
  [[ -f "$MODELS/$f" ]] || die "no $MODELS/$f: run scripts/fetch-models.sh $MODELS"
done
REF="$MODELS/tfjs-reference"

command -v node >/dev/null || { echo "check_against_tfjs: skipped: node not found"; exit $SKIP; }

package_dir() { local spec="$1"; echo "$REF/node_modules/${spec%@*}"; }

if [[ $fetch -eq 1 ]]; then
  command -v npm >/dev/null || die "npm not found"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  for entry in "${PACKAGES[@]}"; do
    IFS='|' read -r spec integrity members <<<"$entry"
    dir="$(package_dir "$spec")"
    [[ -f "$dir/.integrity" && "$(cat "$dir/.integrity")" == "$integrity" ]] && continue
    tarball="$(cd "$tmp" && npm pack --silent --ignore-scripts "$spec" | tail -n 1)" || die "'npm pack $spec' failed"
    got="sha512-$(openssl dgst -sha512 -binary "$tmp/$tarball" | base64 -w0)"
    [[ "$got" == "$integrity" ]] || die "integrity mismatch for $spec: expected $integrity, got $got"
    rm -rf "$dir" && mkdir -p "$dir"
    # shellcheck disable=SC2086  # $members is a list of member names
    tar -xzf "$tmp/$tarball" -C "$dir" --strip-components=1 $members || die "$tarball lacks one of: $members"
    echo "$integrity" >"$dir/.integrity"
    echo "check_against_tfjs: $spec -> $dir"
  done
fi
for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r spec _ <<<"$entry"
  [[ -f "$(package_dir "$spec")/package.json" ]] \
    || { echo "check_against_tfjs: skipped: $spec is not in $REF (run with --fetch)"; exit $SKIP; }
done
# face-api's node bundle requires @tensorflow/tfjs-node (native); the shim gives it tfjs-core on the cpu backend.
shim="$REF/node_modules/@tensorflow/tfjs-node"
mkdir -p "$shim"
cp "$HERE/tfjs_node_shim.js" "$shim/index.js"
echo '{"name": "@tensorflow/tfjs-node", "version": "4.22.0-lightbox-shim", "main": "index.js"}' >"$shim/package.json"

bin="$REF/check_models"
if [[ ! -x "$bin" || "$HERE/check_models.cpp" -nt "$bin" ]]; then
  # shellcheck disable=SC2046  # pkg-config prints several flags
  g++ -std=c++20 -O2 -Wno-deprecated-enum-enum-conversion -o "$bin" "$HERE/check_models.cpp" \
    $(pkg-config --cflags --libs opencv4) || die "cannot build check_models (apt-get install libopencv-dev)"
fi
dump="$REF/dump"
rm -rf "$dump" && mkdir -p "$dump"
"$bin" --dump "$dump" "$MODELS" "$@" >"$dump/check_models.log" || die "check_models failed: $(tail -n 3 "$dump/check_models.log")"
status=0
NODE_PATH="$REF/node_modules" node "$HERE/tfjs_reference.js" "$MODELS/objects/centernet.json" "$dump" || status=1
NODE_PATH="$REF/node_modules" node "$HERE/tfjs_reference.js" "$MODELS/nanodet/nanodet.json" "$dump" || status=1
NODE_PATH="$REF/node_modules" node "$HERE/face_embedding_reference.js" "$MODELS/identity" "$dump" || status=1
exit $status
