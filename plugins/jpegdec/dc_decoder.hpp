// A JPEG decoded at 1/8 of its size from its DC coefficients alone: the fast path of "jpegdec" for the
// grid thumbnails of a scan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace lbx::plugins::jpegdec {

// Decodes `jpeg` (whose header says `width` x `height`) at 1/8 scale into `out`: RGB8,
// ceil(width / 8) x ceil(height / 8) pixels, rows `stride` bytes apart. The pixels are the ones
// TurboJPEG gives at 1/8, byte for byte (the same DC dequantisation and range limit; libjpeg's 2x2 IDCT
// for 4:2:0 chroma and box upsampling for 4:2:2 and 4:4:0; the same YCbCr -> RGB tables), but the
// Huffman decoding skips over the luma's AC coefficients instead of decoding their values, which is
// where libjpeg-turbo spends most of a 1/8 decode.
//
// Handles what cameras and phones write: baseline or extended sequential Huffman JPEG, 8-bit, grayscale
// or YCbCr in one interleaved scan with the luma sampled 1x1, 2x1, 1x2 or 2x2 and the chroma 1x1, with or
// without restart markers, ending with EOI. Returns false for anything else and for anything unexpected
// in the data (a bad Huffman code, a wrong restart marker, data that ends early): the caller then decodes
// with TurboJPEG, which reports the problem in its own words. `out` may have been written to then.
bool decode_eighth_from_dc(std::span<const uint8_t> jpeg, int width, int height, uint8_t* out, std::size_t stride);

}  // namespace lbx::plugins::jpegdec
