// Synthetic pictures for the sample set and the tests: deterministic RGB8 content with enough structure
// (sky/ground, coloured blocks, texture, an orientation marker) that decoders, tags and thumbnails can
// be checked by value.
#pragma once

#include <cstdint>
#include <vector>

namespace lbx::sample {

struct Rgb {
    uint8_t r = 0, g = 0, b = 0;
};

struct RgbImage {
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<uint8_t> pixels;  // tightly packed RGB8, rows top to bottom

    RgbImage() = default;
    RgbImage(uint32_t w, uint32_t h, Rgb fill = {});
    Rgb at(uint32_t x, uint32_t y) const;
    void set(uint32_t x, uint32_t y, Rgb c);
    void fill_rect(uint32_t x, uint32_t y, uint32_t w, uint32_t h, Rgb c);
};

// A landscape-like scene: blue sky over green ground with fine texture, seeded for variety.
RgbImage make_scene(uint32_t width, uint32_t height, uint32_t seed);

// The scene with an orientation marker: a red block in the top-left corner and a blue block in the
// bottom-right corner of the *upright* picture (each 1/5 of the width and height).
RgbImage make_marked_scene(uint32_t width, uint32_t height, uint32_t seed);

// One flat colour everywhere (dark, bright, or a named colour for colour-tag tests).
RgbImage make_solid(uint32_t width, uint32_t height, Rgb colour);

// The stored pixels a camera writes for an upright picture when it records EXIF orientation
// `orientation` (1..8): applying that orientation to the result gives `upright` back.
RgbImage store_for_orientation(const RgbImage& upright, int orientation);

}  // namespace lbx::sample
