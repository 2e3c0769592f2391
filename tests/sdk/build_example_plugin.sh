#!/usr/bin/env bash
# The plugin SDK as a third-party author meets it, end to end:
#   1. install this build tree into a temporary prefix (cmake --install);
#   2. copy sdk_docs/example-plugin out of the source tree and build it with CMAKE_PREFIX_PATH=<prefix>
#      only (find_package(LightboxPluginSDK 1));
#   3. <prefix>/bin/lightbox-engine plugins --json with LIGHTBOX_PLUGIN_PATH=<example build>: the example
#      is listed beside the installed built-in plugins and nothing is rejected;
#   4. <prefix>/bin/lightbox-engine run --json with a config using the example's tag stage, over the
#      sample photo set: the example's tags are in the output, on the right photos;
#   5. the example decoder (sdk_docs/example-decoder, binary PPM) the same way: built out of tree, its
#      tests run with the installed stage harness (lightbox::stage_harness), then the installed engine
#      decodes a PPM file with it and writes its thumbnails.
# Uses only bash, grep, sed and coreutils (no python, no jq).
#
# Usage (ctest runs it, see CMakeLists.txt):
#   build_example_plugin.sh CMAKE BINARY_DIR ENGINE_DIR EXAMPLE_SRC [GENERATOR [CXX_COMPILER]]
# The decoder example is taken from EXAMPLE_SRC/../example-decoder.
# LIGHTBOX_KEEP_TEST_DIR=1 keeps the temporary folder for a look afterwards.
set -euo pipefail

if [ $# -lt 4 ]; then
  echo "usage: $0 CMAKE BINARY_DIR ENGINE_DIR EXAMPLE_SRC [GENERATOR [CXX_COMPILER]]" >&2
  exit 2
fi
CMAKE=$1
BINARY_DIR=$2
ENGINE_DIR=$3
EXAMPLE_SRC=$4
GENERATOR=${5:-}
CXX_COMPILER=${6:-}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lightbox-sdk-test.XXXXXX")
if [ "${LIGHTBOX_KEEP_TEST_DIR:-0}" = 1 ]; then
  echo "keeping $WORK"
else
  trap 'rm -rf "$WORK"' EXIT
fi
PREFIX=$WORK/prefix
LOG=$WORK/log.txt

step() { echo "--- $*"; }
fail() {
  echo "FAILED: $*" >&2
  if [ -s "$LOG" ]; then
    echo "--- last output ($LOG):" >&2
    tail -n 60 "$LOG" >&2
  fi
  exit 1
}
# Runs a command with its output in $LOG; on failure shows the output and stops.
run_logged() {
  "$@" >"$LOG" 2>&1 || fail "exit code $? from: $*"
}
expect_file() { [ -e "$1" ] || fail "missing after install: ${1#"$PREFIX"/}"; }

# The installed engine must find its plugins and config from its own location, and nothing else: no
# plugins from the user's data folder, no thumbnails in the user's cache.
export XDG_DATA_HOME=$WORK/xdg-data
export XDG_CACHE_HOME=$WORK/xdg-cache
unset LIGHTBOX_PLUGIN_PATH

# ------------------------------------------------------------------------------------------- install
step "install $BINARY_DIR into $PREFIX"
[ -x "$ENGINE_DIR/lightbox-engine" ] || fail "$ENGINE_DIR/lightbox-engine is not built (build the project before ctest)"
run_logged "$CMAKE" --install "$BINARY_DIR" --prefix "$PREFIX"
ENGINE=$PREFIX/bin/lightbox-engine
expect_file "$ENGINE"
expect_file "$PREFIX/include/lightbox/plugin_api.h"
expect_file "$PREFIX/include/lightbox/plugin.hpp"
expect_file "$PREFIX/lib/cmake/LightboxPluginSDK/LightboxPluginSDKConfig.cmake"
expect_file "$PREFIX/lib/cmake/LightboxPluginSDK/LightboxPluginSDKConfigVersion.cmake"
expect_file "$PREFIX/lib/cmake/LightboxPluginSDK/LightboxPluginSDKTargets.cmake"
expect_file "$PREFIX/include/lightbox/stage_harness.hpp"
compgen -G "$PREFIX/lib/liblightbox_stage_harness.so*" >/dev/null || fail "the stage harness library is not installed"
expect_file "$PREFIX/share/lightbox/config/default.toml"
compgen -G "$PREFIX/lib/lightbox/plugins/*.so" >/dev/null || fail "no plugin installed in lib/lightbox/plugins"

# ------------------------------------------------------------------------------ build the example
# A copy outside the source tree proves the example needs nothing from it.
step "build the example plugin out of tree against $PREFIX"
SRC=$WORK/example-src
BUILD=$WORK/example-build
cp -R "$EXAMPLE_SRC" "$SRC"
rm -rf "$SRC/build"
configure=("$CMAKE" -S "$SRC" -B "$BUILD" -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_BUILD_TYPE=RelWithDebInfo)
[ -n "$GENERATOR" ] && configure+=(-G "$GENERATOR")
[ -n "$CXX_COMPILER" ] && configure+=(-DCMAKE_CXX_COMPILER="$CXX_COMPILER")
run_logged "${configure[@]}"
grep -qx "LightboxPluginSDK_DIR:PATH=$PREFIX/lib/cmake/LightboxPluginSDK" "$BUILD/CMakeCache.txt" ||
  fail "the example found another SDK: $(grep '^LightboxPluginSDK_DIR' "$BUILD/CMakeCache.txt")"
run_logged "$CMAKE" --build "$BUILD"
PLUGIN=$BUILD/libhello_tagger.so
[ -f "$PLUGIN" ] || fail "the example build made no $PLUGIN"
# Hidden visibility: the entry point is the one exported function (nm is optional).
if command -v nm >/dev/null; then
  exported=$(nm -D --defined-only "$PLUGIN" | grep ' T ' | sed 's/.* T //' | sort -u | tr '\n' ' ')
  [ "$exported" = "lbx_plugin_describe " ] || fail "the example exports other functions than lbx_plugin_describe: $exported"
fi

# ----------------------------------------------------------------------------- plugins --json
step "lightbox-engine plugins --json finds the example and the installed plugins"
export LIGHTBOX_PLUGIN_PATH=$BUILD
PLUGINS_JSON=$WORK/plugins.json
LOG=$WORK/plugins.err
"$ENGINE" plugins --json >"$PLUGINS_JSON" 2>"$LOG" || fail "plugins --json exited with $?"
cp "$PLUGINS_JSON" "$LOG"
grep -qF '"id": "org.example.hellotagger"' "$PLUGINS_JSON" || fail "org.example.hellotagger is not listed"
grep -qF "\"file\": \"$PLUGIN\"" "$PLUGINS_JSON" || fail "the example was not loaded from $PLUGIN"
grep -qF '"id": "hello-tagger"' "$PLUGINS_JSON" || fail "stage hello-tagger is not listed"
grep -qF '"rejected": []' "$PLUGINS_JSON" || fail "some plugins were rejected"
grep -qF "\"file\": \"$PREFIX/lib/lightbox/plugins/" "$PLUGINS_JSON" ||
  fail "the installed engine did not load the plugins installed beside it"
grep -qF "\"$PREFIX/lib/lightbox/plugins\"" "$PLUGINS_JSON" || fail "$PREFIX/lib/lightbox/plugins is not on the search path"

step "lightbox-engine plugins inspect hello-tagger shows the declared parameters"
LOG=$WORK/inspect.txt
"$ENGINE" plugins inspect hello-tagger >"$LOG" 2>&1 || fail "plugins inspect hello-tagger exited with $?"
for p in word aspect panorama_ratio square_tolerance; do
  grep -qE "^ +$p +" "$LOG" || fail "parameter $p is not shown by plugins inspect"
done

# ------------------------------------------------------------------------------------------ run
step "lightbox-engine sample"
PHOTOS=$WORK/photos
LOG=$WORK/sample.txt
"$ENGINE" sample "$PHOTOS" >"$LOG" 2>&1 || fail "sample exited with $?"
n_photos=$(find "$PHOTOS" -type f | wc -l)
[ "$n_photos" -ge 5 ] || fail "sample wrote $n_photos files"

CONFIG=$WORK/test.toml
cat >"$CONFIG" <<'TOML'
# The default pipeline's metadata and decode stages, then the example's tag stage with parameters.
[[stage]]
kind = "metadata"

[[stage]]
kind = "decode"

[[stage]]
kind = "tag"
use = "hello-tagger"
[stage.params]
word = "London"
panorama_ratio = 2.5
TOML

# $1: output file (one JSON object per line), $2: file-name part, $3: the tag that line must carry.
expect_tag() {
  local line
  line=$(grep -F "$2" "$1") || fail "no result for $2 in $1"
  case $line in
    *'"status":"ok"'*) ;;
    *) fail "$2 failed: $line" ;;
  esac
  case $line in
    *"\"name\":\"$3\",\"source\":\"org.example.hellotagger\""*) ;;
    *) fail "$2 lacks the tag '$3' from org.example.hellotagger: $line" ;;
  esac
}
expect_no_tag() {
  local line
  line=$(grep -F "$2" "$1") || fail "no result for $2 in $1"
  case $line in
    *"\"name\":\"$3\",\"source\":\"org.example.hellotagger\""*) fail "$2 has the tag '$3' it should not have: $line" ;;
  esac
}
# Every sample photo gets one line. Exit code 1 (some files failed) is accepted here: the photos the
# checks below look at must each be "ok", and the decoders have their own tests.
check_run() {  # $1: output, $2: exit code, $3: what ran
  [ "$2" = 0 ] || [ "$2" = 1 ] || fail "$3 exited with $2"
  local lines
  lines=$(grep -c '^{' "$1" || true)
  [ "$lines" = "$n_photos" ] || fail "$3 printed $lines results for $n_photos photos"
  if [ "$2" = 1 ]; then
    echo "note: $3: some sample photos failed: $(grep -F '"status":"failed"' "$1" | head -n 3)"
  fi
}

step "lightbox-engine run --json with the installed default config (found relative to the engine)"
OUT=$WORK/run-default.jsonl
LOG=$WORK/run-default.err
rc=0
"$ENGINE" run --json --no-progress "$PHOTOS" >"$OUT" 2>"$LOG" || rc=$?
check_run "$OUT" "$rc" "run with the default config"
line=$(grep -F jpeg-night-london.jpg "$OUT") || fail "no result for jpeg-night-london.jpg"
case $line in
  *'"status":"ok"'*'"source":"org.lightbox.autotag"'*) ;;
  *) fail "the default pipeline gave jpeg-night-london.jpg no autotag tags: $line" ;;
esac
thumb=$(sed -n 's/.*"thumbnails":\[{[^]]*"path":"\([^"]*\)".*/\1/p' <<<"$line")
case $thumb in
  "$XDG_CACHE_HOME"/lightbox/thumbs/*) [ -s "$thumb" ] || fail "thumbnail $thumb was not written" ;;
  *) fail "the default pipeline wrote no thumbnail under \$XDG_CACHE_HOME: $line" ;;
esac

step "lightbox-engine run --json --config test.toml (decoded pixels)"
OUT=$WORK/run.jsonl
LOG=$WORK/run.err
rc=0
"$ENGINE" run --json --no-progress --jobs 2 --config "$CONFIG" --thumbs "$WORK/thumbs" "$PHOTOS" >"$OUT" 2>"$LOG" || rc=$?
check_run "$OUT" "$rc" "run"
expect_tag "$OUT" jpeg-night-london.jpg london
expect_no_tag "$OUT" jpeg-panorama-bern.jpg london
expect_tag "$OUT" jpeg-panorama-bern.jpg panorama        # 1800x600: 3 >= 2.5
expect_tag "$OUT" jpeg-night-london.jpg landscape        # 800x600
expect_tag "$OUT" jpeg-orientation-1- landscape          # stored 960x640, shown as is
expect_tag "$OUT" jpeg-orientation-6- landscape          # stored 640x960, EXIF 6 turns it back
expect_tag "$OUT" jpeg-orientation-8- landscape
expect_tag "$OUT" heic-iphone-tokyo.heic landscape       # decoded upright (irot): EXIF 6 not applied again
expect_tag "$OUT" png-screenshot.png landscape           # no EXIF at all
grep -qF '"category":"aspect"' "$OUT" || fail "no tag has the category 'aspect'"

step "lightbox-engine run --json --only=metadata,tag (no pixels: size from metadata)"
OUT=$WORK/run-metadata.jsonl
LOG=$WORK/run-metadata.err
rc=0
"$ENGINE" run --json --no-progress --only=metadata,tag --config "$CONFIG" "$PHOTOS" >"$OUT" 2>"$LOG" || rc=$?
check_run "$OUT" "$rc" "run --only metadata,tag"
expect_tag "$OUT" jpeg-night-london.jpg london
expect_tag "$OUT" jpeg-panorama-bern.jpg panorama
expect_tag "$OUT" jpeg-orientation-6- landscape
expect_tag "$OUT" heic-iphone-tokyo.heic landscape       # stored 480x640 (ispe), EXIF 6

step "lightbox-engine run --config hello.toml (the example's own config)"
OUT=$WORK/run-example-config.jsonl
LOG=$WORK/run-example-config.err
rc=0
"$ENGINE" run --json --no-progress --config "$SRC/hello.toml" "$PHOTOS" >"$OUT" 2>"$LOG" || rc=$?
check_run "$OUT" "$rc" "run --config hello.toml"
expect_tag "$OUT" jpeg-night-london.jpg london

step "a bad parameter is a configuration error naming the stage (exit code 2)"
BAD=$WORK/bad.toml
sed 's/^panorama_ratio = 2.5$/panorama_ratio = 50/' "$CONFIG" >"$BAD"
LOG=$WORK/bad.err
rc=0
"$ENGINE" run --json --no-progress --config "$BAD" "$PHOTOS" >/dev/null 2>"$LOG" || rc=$?
[ "$rc" = 2 ] || fail "a config with panorama_ratio = 50 gave exit code $rc, not 2"
grep -qF "hello-tagger" "$LOG" || fail "the error does not name the stage"

# ------------------------------------------------------------------------------ the example decoder
step "build the example decoder out of tree against $PREFIX and run its harness tests"
DEC_SRC=$WORK/decoder-src
DEC_BUILD=$WORK/decoder-build
cp -R "$(dirname "$EXAMPLE_SRC")/example-decoder" "$DEC_SRC"
rm -rf "$DEC_SRC/build"
LOG=$WORK/decoder-build.txt
configure=("$CMAKE" -S "$DEC_SRC" -B "$DEC_BUILD" -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_BUILD_TYPE=RelWithDebInfo)
[ -n "$GENERATOR" ] && configure+=(-G "$GENERATOR")
[ -n "$CXX_COMPILER" ] && configure+=(-DCMAKE_CXX_COMPILER="$CXX_COMPILER")
run_logged "${configure[@]}"
run_logged "$CMAKE" --build "$DEC_BUILD"
DECODER=$DEC_BUILD/libppm_decoder.so
[ -f "$DECODER" ] || fail "the decoder build made no $DECODER"
LOG=$WORK/decoder-test.txt
"$DEC_BUILD/ppm_decoder_test" "$DECODER" >"$LOG" 2>&1 || fail "the decoder's harness tests failed"
grep -qF "ok: example-ppm passes" "$LOG" || fail "the decoder's harness tests printed no result"

step "lightbox-engine run --json decodes a PPM file with the example decoder"
export LIGHTBOX_PLUGIN_PATH=$BUILD:$DEC_BUILD
PPM_DIR=$WORK/ppm
mkdir -p "$PPM_DIR"
# 300x200, 8 bits, a horizontal red ramp over blue: header, then 300*200 RGB triplets.
{
  printf 'P6\n# written by build_example_plugin.sh\n300 200\n255\n'
  row=""
  for ((x = 0; x < 300; x++)); do row+=$(printf '\\x%02x\\x00\\xc0' $((x * 255 / 299))); done
  for ((y = 0; y < 200; y++)); do printf '%b' "$row"; done
} >"$PPM_DIR/ramp.ppm"
[ "$(wc -c <"$PPM_DIR/ramp.ppm")" -eq $((300 * 200 * 3 + 52)) ] || fail "ramp.ppm has $(wc -c <"$PPM_DIR/ramp.ppm") bytes"
OUT=$WORK/run-ppm.jsonl
LOG=$WORK/run-ppm.err
rc=0
"$ENGINE" run --json --no-progress --thumbs "$WORK/ppm-thumbs" "$PPM_DIR/ramp.ppm" >"$OUT" 2>"$LOG" || rc=$?
cp "$OUT" "$LOG.out"
[ "$rc" = 0 ] || { cat "$OUT" >>"$LOG"; fail "run on ramp.ppm exited with $rc"; }
line=$(grep -F ramp.ppm "$OUT") || fail "no result for ramp.ppm"
case $line in
  *'"status":"ok"'*) ;;
  *) fail "ramp.ppm failed: $line" ;;
esac
case $line in *'"format":"ppm"'*) ;; *) fail "ramp.ppm was not sniffed as ppm: $line" ;; esac
case $line in *'"height":200,'*) ;; *) fail "ramp.ppm lacks height 200: $line" ;; esac
thumb=$(sed -n 's/.*"thumbnails":\[{[^]]*"path":"\([^"]*\)".*/\1/p' <<<"$line")
[ -n "$thumb" ] && [ -s "$thumb" ] || fail "no thumbnail written for ramp.ppm: $line"

# ------------------------------------------------------------------------- the ASan recipe (checklist)
# sdk_docs/checklist.md, "Sanitizers: the ASan recipe", as an author follows it: the example tagger
# built with -fsanitize=address,undefined, run in the installed engine (not an ASan build) with the
# compiler's libasan preloaded. Its workers inherit the preload; the tags must come out, with no
# sanitizer report. Skipped with a note when the compiler has no ASan runtime.
CXX_FOR_ASAN=${CXX_COMPILER:-$(command -v c++ || command -v g++ || true)}
ASAN_LIB=$([ -n "$CXX_FOR_ASAN" ] && "$CXX_FOR_ASAN" -print-file-name=libasan.so || true)
if [ -z "$ASAN_LIB" ] || [ ! -e "$ASAN_LIB" ]; then
  echo "note: no libasan.so from ${CXX_FOR_ASAN:-no compiler}: the ASan recipe was not run"
else
  step "the checklist's ASan recipe: an ASan-built example tagger in the installed engine, libasan preloaded"
  ASAN_BUILD=$WORK/example-asan
  configure=("$CMAKE" -S "$SRC" -B "$ASAN_BUILD" -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_BUILD_TYPE=Debug
             "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-omit-frame-pointer"
             "-DCMAKE_MODULE_LINKER_FLAGS=-fsanitize=address,undefined"
             "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
  [ -n "$GENERATOR" ] && configure+=(-G "$GENERATOR")
  [ -n "$CXX_COMPILER" ] && configure+=(-DCMAKE_CXX_COMPILER="$CXX_COMPILER")
  LOG=$WORK/asan-build.txt
  run_logged "${configure[@]}"
  run_logged "$CMAKE" --build "$ASAN_BUILD"
  [ -f "$ASAN_BUILD/libhello_tagger.so" ] || fail "the ASan build made no libhello_tagger.so"
  OUT=$WORK/run-asan.jsonl
  LOG=$WORK/run-asan.err
  rc=0
  LD_PRELOAD=$ASAN_LIB ASAN_OPTIONS=detect_leaks=0 LIGHTBOX_PLUGIN_PATH=$ASAN_BUILD \
    "$ENGINE" run --json --no-progress --jobs 2 --config "$CONFIG" --thumbs "$WORK/asan-thumbs" "$PHOTOS" >"$OUT" 2>"$LOG" || rc=$?
  check_run "$OUT" "$rc" "run with the ASan-built example"
  if grep -q "ERROR: AddressSanitizer\|runtime error:" "$LOG"; then fail "a sanitizer report while running the ASan-built example"; fi
  if grep -q "ASan runtime does not come first" "$LOG"; then fail "the preload did not reach the engine or its workers"; fi
  expect_tag "$OUT" jpeg-panorama-bern.jpg panorama
  expect_tag "$OUT" jpeg-night-london.jpg london
fi

echo "ok: the example plugins build against the installed SDK and run in the installed engine"
