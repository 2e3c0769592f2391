// Malformed image files for the robustness tests: truncated, lying about their size, random, or with a
// wrong signature. All deterministic, all in memory. Failures throw std::runtime_error (this is a test
// and sample utility, not a stage).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lbx::sample {

// The first `keep` bytes of `bytes` (all of them when `keep` is larger).
std::vector<uint8_t> truncate_bytes(const std::vector<uint8_t>& bytes, std::size_t keep);

// A small valid baseline JPEG (16x16 pixels of scan data) whose SOF0 header claims width x height.
// JPEG stores both in 16 bits, so each must be 1..65535: use 65000x65000 (4225 MP) for a bomb.
std::vector<uint8_t> jpeg_claiming_size(uint32_t width, uint32_t height);

// A PNG signature, an IHDR (8-bit RGB, correct CRC) claiming width x height, one tiny IDAT (a valid
// zlib stream of 64 zero bytes, far too little for that size) and IEND. 100000x100000 works here.
std::vector<uint8_t> png_claiming_size(uint32_t width, uint32_t height);

// `n` pseudo-random bytes from `seed` (the same seed always gives the same bytes).
std::vector<uint8_t> garbage_bytes(std::size_t n, uint32_t seed);

// `bytes` with its first 12 bytes (or all, when shorter) overwritten by "NOT-AN-IMAGE": no image
// signature of any supported format (JPEG, PNG, TIFF at 0; HEIF/AVIF at 4; WebP at 8) is left.
std::vector<uint8_t> with_wrong_magic(std::vector<uint8_t> bytes);

}  // namespace lbx::sample
