# Every dependency comes from Debian 12 packages (see scripts/install-deps.sh); nothing is downloaded.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)              # Boost.DLL, header-only
find_package(tomlplusplus REQUIRED)            # config files
find_package(nlohmann_json 3.10 REQUIRED)      # --json output
find_package(CLI11 REQUIRED)                   # command line

pkg_check_modules(TURBOJPEG REQUIRED IMPORTED_TARGET libturbojpeg)
pkg_check_modules(LIBHEIF REQUIRED IMPORTED_TARGET libheif>=1.15)
pkg_check_modules(EXIV2 REQUIRED IMPORTED_TARGET exiv2>=0.27)
pkg_check_modules(LIBPNG REQUIRED IMPORTED_TARGET libpng)
pkg_check_modules(LIBTIFF REQUIRED IMPORTED_TARGET libtiff-4)
pkg_check_modules(LIBWEBP REQUIRED IMPORTED_TARGET libwebp)
pkg_check_modules(LIBWEBPDEMUX REQUIRED IMPORTED_TARGET libwebpdemux)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET zlib)
