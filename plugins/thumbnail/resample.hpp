// The thumbnail resampler: separable, fixed-point, antialiased resizing of RGB8 images.
//
// A resize runs in two steps:
//   1. when the reduction is 4x or more along an axis, a box filter first averages whole kx x ky blocks
//      (every source pixel counts once), leaving a reduction between 2x and 4x;
//   2. the chosen filter (lanczos3, catrom or triangle), its support widened by the remaining reduction
//      so that every source pixel contributes, in two passes: vertical (into one row) then horizontal.
// Weights are computed once per output column and row, as 14-bit fixed point whose sum is exactly
// 1 << 14, so flat areas keep their exact value. The inner loops use AVX2 when the CPU has it, else
// SSE2 (every x86-64), else portable C++; all give identical results.
#pragma once

#include "pixels.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace lbx::plugins::thumbnail {

enum class Filter {
    triangle,  // bilinear (tent), support 1: softest, fastest
    catrom,    // Catmull-Rom cubic, support 2: sharp, little ringing
    lanczos3,  // windowed sinc, support 3: sharpest, the default
};

// "lanczos3", "catrom" or "triangle"; nullopt for anything else.
std::optional<Filter> filter_from_name(std::string_view name);

// The accepted names, for messages and docs: "lanczos3, catrom, triangle".
const char* filter_names();

// Resizes `source` to out_width x out_height (both >= 1). Meant for reduction; enlarging works too
// (the filter is then used at its natural support). Throws std::bad_alloc when memory runs out.
RgbBuffer resize(const RgbView& source, uint32_t out_width, uint32_t out_height, Filter filter);

// Averages blocks of kx x ky pixels (the last block of a row or column may be narrower and is averaged
// over its own pixels): the result is ceil(width / kx) x ceil(height / ky). Step 1 of resize(), public
// for tests.
RgbBuffer box_reduce(const RgbView& source, uint32_t kx, uint32_t ky);

}  // namespace lbx::plugins::thumbnail
