#include "pipeline/perceptual_hash.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace lbx::engine {
namespace {

constexpr int kGrid = 32;   // cells of the grey picture the DCT is taken of
constexpr int kBand = 8;    // frequencies kept per axis (1..8)

using Grid = std::array<double, kGrid * kGrid>;

// The mean grey of each of kGrid x kGrid cells of the stored image. Each pixel falls in exactly one
// cell, so this is one pass; an image smaller than the grid repeats its pixels over several cells.
Grid grey_cells(const uint8_t* pixels, uint32_t width, uint32_t height, uint32_t stride) {
    Grid sum{};
    std::array<uint32_t, kGrid * kGrid> count{};
    auto cell_of = [](uint32_t i, uint32_t n) { return static_cast<int>(uint64_t{i} * kGrid / n); };
    if (width >= kGrid && height >= kGrid) {
        for (uint32_t y = 0; y < height; ++y) {
            const uint8_t* row = pixels + std::size_t{y} * stride;
            const int cy = cell_of(y, height);
            for (uint32_t x = 0; x < width; ++x) {
                const uint8_t* p = row + 3 * x;
                // Rec. 601 luma in integers: 77 + 150 + 29 = 256.
                const uint32_t grey = (77u * p[0] + 150u * p[1] + 29u * p[2]) >> 8;
                const int c = cy * kGrid + cell_of(x, width);
                sum[c] += grey;
                ++count[c];
            }
        }
    } else {
        for (int cy = 0; cy < kGrid; ++cy) {
            for (int cx = 0; cx < kGrid; ++cx) {
                const uint8_t* p = pixels + std::size_t(uint64_t{static_cast<uint32_t>(cy)} * height / kGrid) * stride +
                                   3 * (uint64_t{static_cast<uint32_t>(cx)} * width / kGrid);
                sum[cy * kGrid + cx] = (77u * p[0] + 150u * p[1] + 29u * p[2]) >> 8;
                count[cy * kGrid + cx] = 1;
            }
        }
    }
    for (int i = 0; i < kGrid * kGrid; ++i) sum[i] /= std::max<uint32_t>(count[i], 1);
    return sum;
}

// The upright grid of a stored one (EXIF orientation, as in plugins/thumbnail/orientation.hpp): the
// cell shown at (x, y) and the stored cell it comes from. The grid is square, so no size changes.
Grid upright(const Grid& stored, uint32_t orientation) {
    if (orientation < 2 || orientation > 8) return stored;
    constexpr int n = kGrid - 1;
    Grid out{};
    for (int y = 0; y < kGrid; ++y) {
        for (int x = 0; x < kGrid; ++x) {
            int sx = x, sy = y;
            switch (orientation) {
                case 2: sx = n - x; break;                 // mirrored left-right
                case 3: sx = n - x; sy = n - y; break;     // rotated 180
                case 4: sy = n - y; break;                 // mirrored top-bottom
                case 5: sx = y; sy = x; break;             // transposed
                case 6: sx = y; sy = n - x; break;         // needs 90 clockwise
                case 7: sx = n - y; sy = n - x; break;     // transversed
                case 8: sx = n - y; sy = x; break;         // needs 90 counter-clockwise
            }
            out[y * kGrid + x] = stored[sy * kGrid + sx];
        }
    }
    return out;
}

// cos((2i + 1) k pi / 2N) for the frequencies kept, computed once.
struct CosineTable {
    std::array<std::array<double, kGrid>, kBand + 1> c{};
    CosineTable() {
        for (int k = 0; k <= kBand; ++k)
            for (int i = 0; i < kGrid; ++i) c[k][i] = std::cos((2 * i + 1) * k * std::numbers::pi / (2 * kGrid));
    }
};

}  // namespace

std::optional<uint64_t> perceptual_hash(const uint8_t* pixels, uint32_t width, uint32_t height, uint32_t stride,
                                        uint32_t orientation) {
    if (pixels == nullptr || width == 0 || height == 0) return std::nullopt;
    static const CosineTable table;
    const Grid grid = upright(grey_cells(pixels, width, height, stride), orientation);

    // The separable DCT, only for frequencies 1..kBand: first along each row, then down each column.
    std::array<std::array<double, kBand>, kGrid> rows{};
    for (int y = 0; y < kGrid; ++y)
        for (int u = 0; u < kBand; ++u) {
            double s = 0;
            for (int x = 0; x < kGrid; ++x) s += grid[y * kGrid + x] * table.c[u + 1][x];
            rows[y][u] = s;
        }
    std::array<double, kBand * kBand> coefficients{};
    for (int v = 0; v < kBand; ++v)
        for (int u = 0; u < kBand; ++u) {
            double s = 0;
            for (int y = 0; y < kGrid; ++y) s += rows[y][u] * table.c[v + 1][y];
            coefficients[v * kBand + u] = s;
        }

    std::array<double, kBand * kBand> sorted = coefficients;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    const double median = sorted[sorted.size() / 2];
    uint64_t hash = 0;
    for (std::size_t i = 0; i < coefficients.size(); ++i)
        if (coefficients[i] > median) hash |= uint64_t{1} << i;
    return hash;
}

std::string perceptual_hash_text(uint64_t hash) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, hash >>= 4) out[static_cast<std::size_t>(i)] = kDigits[hash & 0xF];
    return out;
}

std::optional<uint64_t> parse_perceptual_hash(std::string_view text) {
    if (text.empty() || text.size() > 16) return std::nullopt;
    uint64_t value = 0;
    for (char c : text) {
        int digit = -1;
        if (c >= '0' && c <= '9') digit = c - '0';
        else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        if (digit < 0) return std::nullopt;
        value = value << 4 | static_cast<uint64_t>(digit);
    }
    return value;
}

}  // namespace lbx::engine
