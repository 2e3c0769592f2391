#include "sample/rgb_image.hpp"

#include <cmath>
#include <stdexcept>

namespace lbx::sample {

RgbImage::RgbImage(uint32_t w, uint32_t h, Rgb fill) : width(w), height(h), pixels(std::size_t(w) * h * 3) {
    for (std::size_t i = 0; i < pixels.size(); i += 3) {
        pixels[i] = fill.r;
        pixels[i + 1] = fill.g;
        pixels[i + 2] = fill.b;
    }
}

Rgb RgbImage::at(uint32_t x, uint32_t y) const {
    const uint8_t* p = &pixels[(std::size_t(y) * width + x) * 3];
    return {p[0], p[1], p[2]};
}

void RgbImage::set(uint32_t x, uint32_t y, Rgb c) {
    uint8_t* p = &pixels[(std::size_t(y) * width + x) * 3];
    p[0] = c.r;
    p[1] = c.g;
    p[2] = c.b;
}

void RgbImage::fill_rect(uint32_t x0, uint32_t y0, uint32_t w, uint32_t h, Rgb c) {
    for (uint32_t y = y0; y < y0 + h && y < height; ++y)
        for (uint32_t x = x0; x < x0 + w && x < width; ++x) set(x, y, c);
}

namespace {

// A small deterministic hash for texture: the same seed gives the same picture everywhere.
uint32_t mix(uint32_t x, uint32_t y, uint32_t seed) {
    uint32_t h = x * 374761393u + y * 668265263u + seed * 2246822519u;
    h = (h ^ (h >> 13)) * 1274126177u;
    return h ^ (h >> 16);
}

uint8_t clamp8(int v) { return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v)); }

}  // namespace

RgbImage make_scene(uint32_t width, uint32_t height, uint32_t seed) {
    RgbImage img(width, height);
    const double horizon = height * (0.45 + 0.1 * ((seed % 5) / 4.0));
    for (uint32_t y = 0; y < height; ++y) {
        for (uint32_t x = 0; x < width; ++x) {
            int noise = static_cast<int>(mix(x / 2, y / 2, seed) % 41) - 20;
            double wave = 25.0 * std::sin((x + seed * 37.0) / (width / 7.0 + 1.0));
            if (y < horizon) {  // sky: lighter towards the horizon
                double t = y / horizon;
                img.set(x, y, {clamp8(int(70 + 90 * t) + noise / 4), clamp8(int(130 + 70 * t) + noise / 4),
                               clamp8(int(225 + 20 * t) + noise / 4)});
            } else {  // ground: textured green with a darker band
                double t = (y - horizon) / (height - horizon + 1.0);
                img.set(x, y, {clamp8(int(60 + wave - 30 * t) + noise), clamp8(int(150 + wave - 50 * t) + noise),
                               clamp8(int(50 - 20 * t) + noise)});
            }
        }
    }
    return img;
}

RgbImage make_marked_scene(uint32_t width, uint32_t height, uint32_t seed) {
    RgbImage img = make_scene(width, height, seed);
    img.fill_rect(0, 0, width / 5, height / 5, {230, 20, 20});
    img.fill_rect(width - width / 5, height - height / 5, width / 5, height / 5, {20, 20, 230});
    return img;
}

RgbImage make_solid(uint32_t width, uint32_t height, Rgb colour) { return RgbImage(width, height, colour); }

RgbImage store_for_orientation(const RgbImage& upright, int orientation) {
    if (orientation < 1 || orientation > 8) throw std::invalid_argument("orientation must be 1..8");
    // Orientations 5..8 swap the axes: the stored picture is upright.height wide.
    const bool swap = orientation >= 5;
    const uint32_t sw = swap ? upright.height : upright.width;
    const uint32_t sh = swap ? upright.width : upright.height;
    RgbImage stored(sw, sh);
    const uint32_t W = upright.width, H = upright.height;
    // For each upright pixel (ux, uy) find where the camera stored it. Displaying the stored image with
    // EXIF orientation o maps stored (sx, sy) to upright (ux, uy); we invert that mapping here.
    for (uint32_t uy = 0; uy < H; ++uy) {
        for (uint32_t ux = 0; ux < W; ++ux) {
            uint32_t sx = 0, sy = 0;
            switch (orientation) {
                case 1: sx = ux; sy = uy; break;
                case 2: sx = W - 1 - ux; sy = uy; break;                // mirrored horizontally
                case 3: sx = W - 1 - ux; sy = H - 1 - uy; break;        // rotated 180
                case 4: sx = ux; sy = H - 1 - uy; break;                // mirrored vertically
                case 5: sx = uy; sy = ux; break;                        // transposed
                case 6: sx = uy; sy = W - 1 - ux; break;                // display rotates 90 CW
                case 7: sx = H - 1 - uy; sy = W - 1 - ux; break;        // transversed
                case 8: sx = H - 1 - uy; sy = ux; break;                // display rotates 90 CCW
            }
            stored.set(sx, sy, upright.at(ux, uy));
        }
    }
    return stored;
}

}  // namespace lbx::sample
