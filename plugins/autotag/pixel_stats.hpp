// Brightness, colour and sharpness of a photo, measured on a sample of its pixels (about 256 across) so
// that a 24-megapixel image costs the same fraction of a millisecond as a thumbnail.
#pragma once

#include <lightbox/plugin.hpp>

#include <array>
#include <optional>

namespace lbx::plugins::autotag {

// A named region of HSV space, as declared by a [[colour]] table of the rules file: each range holds
// from its lower bound up to, not including, its upper bound. Hue in degrees (hue_from > hue_to wraps
// through 0: red is 345..15), saturation and value in [0, 1].
struct ColourRange {
    double hue_from = 0, hue_to = 360;
    double saturation_min = 0, saturation_max = 1;
    double value_min = 0, value_max = 1;
};

struct PixelStats {
    static constexpr int kHueBins = 36;  // 10 degrees each
    static constexpr int kSaturationBins = 10;
    static constexpr int kValueBins = 10;

    double mean_luma = 0;        // Rec. 601 luma of the sRGB values, 0 (black) .. 1 (white)
    double mean_saturation = 0;  // HSV saturation, 0 (gray) .. 1
    // Variance of the Laplacian of luma, taken between pixels one step apart (a step is 1/1024 of the long
    // edge, at least one pixel: about the same figure for a photo at any size), divided by the variance
    // of luma (so that exposure and contrast do not count). Absent when the image is too small to measure.
    std::optional<double> sharpness;
    // Fraction of the sampled pixels in each hue x saturation x value bin; sums to 1.
    std::array<float, kHueBins * kSaturationBins * kValueBins> histogram{};

    // The fraction of pixels in `range`, counting each bin whose centre lies in it (no bin centre is ever
    // on 1.0 or 360, so an upper bound of 1.0 or 360 takes the top bin).
    double fraction(const ColourRange& range) const;
};

PixelStats measure_pixels(const lbx::sdk::ImageView& image);

}  // namespace lbx::plugins::autotag
