// Image encoders for the sample set and the tests: an RgbImage to JPEG, HEIC, PNG, TIFF or WebP bytes,
// all in memory, with the same libraries the decode plugins read them with. Failures throw
// std::runtime_error (this is a test and sample utility, not a stage).
#pragma once

#include "sample/rgb_image.hpp"

#include <cstdint>
#include <vector>

namespace lbx::sample {

// Baseline JPEG, 4:2:0 chroma subsampling (TurboJPEG). `quality` 1..100.
std::vector<uint8_t> encode_jpeg(const RgbImage& image, int quality = 90);

// HEIC (libheif with x265), 4:2:0, `quality` 0..100. `image` is what the file stores. When
// `exif_orientation_in_container` is not 1, the container gets irot/imir properties equivalent to that
// EXIF orientation (1..8), so a reader applying them shows store_for_orientation's `upright` picture.
// `exif_tiff_block` (raw TIFF-header EXIF, as exif_tiff_block() makes) is attached as the Exif item.
// A `thumbnail_long_edge` > 0 also stores a thumbnail item of that long edge (as phones do), with the
// same orientation, when the image is larger than that.
std::vector<uint8_t> encode_heic(const RgbImage& image, int quality = 50, int exif_orientation_in_container = 1,
                                 const std::vector<uint8_t>* exif_tiff_block = nullptr, int thumbnail_long_edge = 0);

// 8-bit RGB PNG (libpng). With `with_alpha` it is RGBA instead: opaque everywhere except a fully
// transparent block in the bottom-left corner (1/5 of the width and height), so a decoder's alpha
// flattening can be checked there.
std::vector<uint8_t> encode_png(const RgbImage& image, bool with_alpha = false);

// Little-endian baseline TIFF (libtiff): 8-bit RGB, one strip per 16 rows, deflate compression.
std::vector<uint8_t> encode_tiff(const RgbImage& image);

// Lossy WebP (libwebp), `quality` 0..100.
std::vector<uint8_t> encode_webp(const RgbImage& image, int quality = 80);

}  // namespace lbx::sample
