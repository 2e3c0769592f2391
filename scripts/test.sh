#!/usr/bin/env bash
# Builds and runs the whole test suite (ctest), then the unit tests again under
# -fsanitize=address,undefined. LIGHTBOX_SKIP_SANITIZER=1 skips the second pass; extra arguments go to
# ctest (for example: -L unit, -LE slow, -R jpegdec).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)

cmake --preset default >/dev/null
cmake --build --preset default --parallel "$jobs"
# The analysis models for the tests that run them (tests/integration/analysis_test.cpp).
bash scripts/fetch-models.sh build/share/lightbox/models
ctest --preset default --parallel "$jobs" "$@"

if [ "${LIGHTBOX_SKIP_SANITIZER:-0}" != 1 ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan --parallel "$jobs"
  ctest --preset asan --parallel "$jobs" -L unit "$@"
fi
