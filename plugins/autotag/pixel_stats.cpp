// Pixel measures for the autotag stage: mean luma and saturation, an HSV histogram for colour names, and
// a sharpness figure for "blurry". Every measure reads a strided sample of single pixels (about 256 on the
// long edge), never the whole image: a 2000x1500 photo costs well under a millisecond.
//
// Run it with:  lightbox-engine run --only decode,tag photo.jpg
#include "pixel_stats.hpp"

#include <algorithm>
#include <cmath>

namespace lbx::plugins::autotag {

namespace {

constexpr uint32_t kSampleLongEdge = 256;
constexpr uint32_t kSharpnessLongEdge = 1024;

double luma(const uint8_t* p) {
    return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

// HSV of one pixel: hue in [0, 360), saturation and value in [0, 1].
void to_hsv(const uint8_t* p, double& hue, double& saturation, double& value) {
    const int r = p[0], g = p[1], b = p[2];
    const int hi = std::max({r, g, b}), lo = std::min({r, g, b});
    const int range = hi - lo;
    value = hi / 255.0;
    saturation = hi == 0 ? 0.0 : static_cast<double>(range) / hi;
    if (range == 0) {
        hue = 0;
    } else if (hi == r) {
        hue = 60.0 * (g - b) / range;
    } else if (hi == g) {
        hue = 60.0 * (b - r) / range + 120.0;
    } else {
        hue = 60.0 * (r - g) / range + 240.0;
    }
    if (hue < 0) hue += 360.0;
}

int bin(double x, int bins) {
    return std::clamp(static_cast<int>(x * bins), 0, bins - 1);
}

// Variance of the Laplacian over variance of luma, on the same sample points: the share of the picture's
// contrast that sits in fine detail. Dividing by the contrast makes the figure independent of exposure
// (a night shot is as sharp as the same scene by day) and of the picture's own contrast range.
std::optional<double> relative_laplacian_variance(const lbx::sdk::ImageView& image) {
    const uint32_t w = image.width(), h = image.height();
    const uint32_t long_edge = std::max(w, h);
    const uint32_t step = std::max<uint32_t>(1, (long_edge + kSharpnessLongEdge / 2) / kSharpnessLongEdge);
    if (w < 2 * step + 1 || h < 2 * step + 1) return std::nullopt;
    const uint32_t stride = std::max<uint32_t>(step, long_edge / kSampleLongEdge);
    double lap_sum = 0, lap_sq = 0, luma_sum = 0, luma_sq = 0;
    std::size_t n = 0;
    for (uint32_t y = step; y + step < h; y += stride) {
        const uint8_t* above = image.row(y - step);
        const uint8_t* here = image.row(y);
        const uint8_t* below = image.row(y + step);
        for (uint32_t x = step; x + step < w; x += stride) {
            const double centre = luma(here + 3 * x);
            const double l = 4 * centre - luma(here + 3 * (x - step)) - luma(here + 3 * (x + step)) -
                             luma(above + 3 * x) - luma(below + 3 * x);
            lap_sum += l;
            lap_sq += l * l;
            luma_sum += centre;
            luma_sq += centre * centre;
            ++n;
        }
    }
    const double count = static_cast<double>(n);
    const double lap_var = std::max(0.0, lap_sq / count - (lap_sum / count) * (lap_sum / count));
    const double luma_var = std::max(0.0, luma_sq / count - (luma_sum / count) * (luma_sum / count));
    // The +1 (in 0..255 luma units squared) keeps a flat picture at 0 instead of 0 / 0.
    return lap_var / (luma_var + 1.0);
}

}  // namespace

double PixelStats::fraction(const ColourRange& range) const {
    double total = 0;
    for (int hb = 0; hb < kHueBins; ++hb) {
        const double hue = (hb + 0.5) * 360.0 / kHueBins;
        const bool in_hue = range.hue_from <= range.hue_to ? (hue >= range.hue_from && hue < range.hue_to)
                                                           : (hue >= range.hue_from || hue < range.hue_to);
        if (!in_hue) continue;
        for (int sb = 0; sb < kSaturationBins; ++sb) {
            const double s = (sb + 0.5) / kSaturationBins;
            if (s < range.saturation_min || s >= range.saturation_max) continue;
            for (int vb = 0; vb < kValueBins; ++vb) {
                const double v = (vb + 0.5) / kValueBins;
                if (v < range.value_min || v >= range.value_max) continue;
                total += histogram[(hb * kSaturationBins + sb) * kValueBins + vb];
            }
        }
    }
    return total;
}

PixelStats measure_pixels(const lbx::sdk::ImageView& image) {
    PixelStats stats;
    const uint32_t w = image.width(), h = image.height();
    if (w == 0 || h == 0 || image.raw().pixels == nullptr) return stats;
    const uint32_t stride = std::max<uint32_t>(1, std::max(w, h) / kSampleLongEdge);
    std::array<uint32_t, PixelStats::kHueBins * PixelStats::kSaturationBins * PixelStats::kValueBins> counts{};
    double luma_sum = 0, saturation_sum = 0;
    std::size_t n = 0;
    // Centred samples; a side shorter than the stride still gets one.
    for (uint32_t y = std::min(stride / 2, h - 1); y < h; y += stride) {
        const uint8_t* row = image.row(y);
        for (uint32_t x = std::min(stride / 2, w - 1); x < w; x += stride) {
            const uint8_t* p = row + 3 * static_cast<std::size_t>(x);
            double hue = 0, saturation = 0, value = 0;
            to_hsv(p, hue, saturation, value);
            luma_sum += luma(p);
            saturation_sum += saturation;
            const int hb = bin(hue / 360.0, PixelStats::kHueBins);
            const int sb = bin(saturation, PixelStats::kSaturationBins);
            const int vb = bin(value, PixelStats::kValueBins);
            ++counts[(hb * PixelStats::kSaturationBins + sb) * PixelStats::kValueBins + vb];
            ++n;
        }
    }
    stats.mean_luma = luma_sum / (255.0 * static_cast<double>(n));
    stats.mean_saturation = saturation_sum / static_cast<double>(n);
    for (std::size_t i = 0; i < counts.size(); ++i) {
        stats.histogram[i] = static_cast<float>(counts[i] / static_cast<double>(n));
    }
    stats.sharpness = relative_laplacian_variance(image);
    return stats;
}

}  // namespace lbx::plugins::autotag
