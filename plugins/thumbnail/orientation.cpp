// EXIF orientation for the "thumbnail" stage: applied after resizing, on the small image, where it
// costs least.
//
// Used by:  lightbox-engine run --only decode,thumbnail photo.jpg
//
// Every orientation is one affine walk through the stored pixels: upright pixel (ux, uy) comes from
// stored pixel (sx, sy), with sx and sy linear in ux and uy. The copy goes in 32x32 tiles so that the
// transposing orientations (5..8) read and write whole cache lines instead of one pixel per line.
#include "orientation.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace lbx::plugins::thumbnail {

RgbBuffer apply_orientation(const RgbView& stored, int orientation) {
    if (orientation < 1 || orientation > 8) orientation = 1;
    const bool swap = swaps_axes(orientation);
    const uint32_t W = swap ? stored.height : stored.width;  // upright size
    const uint32_t H = swap ? stored.width : stored.height;
    RgbBuffer upright(W, H);

    // Stored coordinates of upright (ux, uy): sx = x0 + xu * ux + xv * uy, sy = y0 + yu * ux + yv * uy.
    // Same mapping as lbx::sample::store_for_orientation, which makes the test pictures.
    std::ptrdiff_t x0 = 0, xu = 0, xv = 0, y0 = 0, yu = 0, yv = 0;
    const std::ptrdiff_t w1 = std::ptrdiff_t(W) - 1, h1 = std::ptrdiff_t(H) - 1;
    switch (orientation) {
        case 1: xu = 1; yv = 1; break;
        case 2: x0 = w1; xu = -1; yv = 1; break;
        case 3: x0 = w1; xu = -1; y0 = h1; yv = -1; break;
        case 4: xu = 1; y0 = h1; yv = -1; break;
        case 5: xv = 1; yu = 1; break;
        case 6: xv = 1; y0 = w1; yu = -1; break;
        case 7: x0 = h1; xv = -1; y0 = w1; yu = -1; break;
        case 8: x0 = h1; xv = -1; yu = 1; break;
    }
    const auto stride = static_cast<std::ptrdiff_t>(stored.stride);
    const uint8_t* origin = stored.pixels + y0 * stride + x0 * 3;
    const std::ptrdiff_t step_u = xu * 3 + yu * stride;  // source step per upright column
    const std::ptrdiff_t step_v = xv * 3 + yv * stride;  // per upright row

    if (!swap) {  // rows stay rows: a straight or reversed copy per row
        for (uint32_t uy = 0; uy < H; ++uy) {
            const uint8_t* s = origin + std::ptrdiff_t(uy) * step_v;
            uint8_t* d = upright.row(uy);
            if (step_u == 3) {
                std::memcpy(d, s, static_cast<std::size_t>(W) * 3);
            } else {
                for (uint32_t ux = 0; ux < W; ++ux) {
                    std::memcpy(d + std::size_t(ux) * 3, s + std::ptrdiff_t(ux) * step_u, 3);
                }
            }
        }
        return upright;
    }
    constexpr uint32_t kTile = 32;
    for (uint32_t ty = 0; ty < H; ty += kTile) {
        const uint32_t ty1 = std::min(H, ty + kTile);
        for (uint32_t tx = 0; tx < W; tx += kTile) {
            const uint32_t tx1 = std::min(W, tx + kTile);
            for (uint32_t uy = ty; uy < ty1; ++uy) {
                const uint8_t* s = origin + std::ptrdiff_t(uy) * step_v;
                uint8_t* d = upright.row(uy);
                for (uint32_t ux = tx; ux < tx1; ++ux) {
                    std::memcpy(d + std::size_t(ux) * 3, s + std::ptrdiff_t(ux) * step_u, 3);
                }
            }
        }
    }
    return upright;
}

}  // namespace lbx::plugins::thumbnail
