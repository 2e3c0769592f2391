// The thumbnail plugin's resampler on its own (its source is compiled into this test): exact flat
// colours, agreement with a plain double-precision reference filter, no aliasing on 1-pixel patterns,
// every shape down to 1xN and the box pre-reduction.
#include "../../plugins/thumbnail/resample.cpp"


#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdlib>
#include <random>
#include <vector>

namespace {


namespace th = lbx::plugins::thumbnail;

struct Picture {
    uint32_t width = 0, height = 0;
    std::vector<uint8_t> pixels;

    Picture(uint32_t w, uint32_t h) : width(w), height(h), pixels(std::size_t(w) * h * 3) {}
    th::RgbView view() const { return {pixels.data(), width, height, std::size_t(width) * 3}; }
    uint8_t& at(uint32_t x, uint32_t y, int c) { return pixels[(std::size_t(y) * width + x) * 3 + c]; }
};

Picture solid(uint32_t w, uint32_t h, uint8_t r, uint8_t g, uint8_t b) {
    Picture p(w, h);
    for (std::size_t i = 0; i < p.pixels.size(); i += 3) {
        p.pixels[i] = r;
        p.pixels[i + 1] = g;
        p.pixels[i + 2] = b;
    }
    return p;
}

// Random pixels in [lo, hi]: full-range noise makes the filter ring past 0 and 255.
Picture noise(uint32_t w, uint32_t h, uint32_t seed, int lo = 0, int hi = 255) {
    Picture p(w, h);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> dist(lo, hi);
    for (auto& v : p.pixels) v = static_cast<uint8_t>(dist(rng));
    return p;
}

// Smooth content (sums of low-frequency waves), where one- and two-step resampling must agree.
Picture smooth(uint32_t w, uint32_t h) {
    Picture p(w, h);
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                p.at(x, y, c) = static_cast<uint8_t>(
                    127.5 + 60 * std::sin(x * (0.011 + 0.003 * c)) + 60 * std::cos(y * (0.017 - 0.004 * c)));
    return p;
}

Picture checkerboard(uint32_t w, uint32_t h) {
    Picture p(w, h);
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c) p.at(x, y, c) = ((x + y) & 1) ? 255 : 0;
    return p;
}

uint8_t px(const th::RgbBuffer& b, uint32_t x, uint32_t y, int c) { return b.row(y)[x * 3 + c]; }

// Straightforward separable lanczos3 in doubles, no box step, no rounding between passes.
std::vector<double> reference_lanczos3(const Picture& in, uint32_t ow, uint32_t oh) {
    auto weights = [](uint32_t n_in, uint32_t n_out) {
        const double scale = double(n_in) / n_out, fs = std::max(scale, 1.0), support = 3 * fs;
        std::vector<std::vector<std::pair<uint32_t, double>>> all(n_out);
        for (uint32_t i = 0; i < n_out; ++i) {
            const double center = (i + 0.5) * scale;
            double total = 0;
            for (int64_t j = int64_t(std::floor(center - support)); j <= int64_t(std::ceil(center + support)); ++j) {
                if (j < 0 || j >= int64_t(n_in)) continue;
                const double t = (j + 0.5 - center) / fs;
                const double w = std::fabs(t) < 3 ? th::sinc(t) * th::sinc(t / 3) : 0.0;
                all[i].push_back({uint32_t(j), w});
                total += w;
            }
            for (auto& [j, w] : all[i]) w /= total;
        }
        return all;
    };
    const auto wx = weights(in.width, ow), wy = weights(in.height, oh);
    std::vector<double> tmp(std::size_t(in.height) * ow * 3), out(std::size_t(oh) * ow * 3);
    for (uint32_t y = 0; y < in.height; ++y)
        for (uint32_t x = 0; x < ow; ++x)
            for (int c = 0; c < 3; ++c) {
                double s = 0;
                for (auto [j, w] : wx[x]) s += w * in.pixels[(std::size_t(y) * in.width + j) * 3 + c];
                tmp[(std::size_t(y) * ow + x) * 3 + c] = s;
            }
    for (uint32_t y = 0; y < oh; ++y)
        for (uint32_t x = 0; x < ow; ++x)
            for (int c = 0; c < 3; ++c) {
                double s = 0;
                for (auto [j, w] : wy[y]) s += w * tmp[(std::size_t(j) * ow + x) * 3 + c];
                out[(std::size_t(y) * ow + x) * 3 + c] = std::clamp(s, 0.0, 255.0);
            }
    return out;
}

}  // namespace

TEST_CASE("filter names parse and unknown names are refused", "[thumbnail]") {
    CHECK(th::filter_from_name("lanczos3") == th::Filter::lanczos3);
    CHECK(th::filter_from_name("catrom") == th::Filter::catrom);
    CHECK(th::filter_from_name("triangle") == th::Filter::triangle);
    CHECK_FALSE(th::filter_from_name("Lanczos3"));
    CHECK_FALSE(th::filter_from_name(""));
    CHECK_FALSE(th::filter_from_name("nearest"));
}

TEST_CASE("weights of every window sum to exactly 1 << 14", "[thumbnail]") {
    for (auto f : {th::Filter::lanczos3, th::Filter::catrom, th::Filter::triangle}) {
        for (auto [in, out] : {std::pair{2000u, 1024u}, {500u, 256u}, {7u, 3u}, {1u, 1u}, {3u, 1u}, {5u, 13u}}) {
            const auto c = th::make_contributions(in, in, out, th::kernel_of(f), 4);
            REQUIRE(c.taps % 4 == 0);
            for (uint32_t i = 0; i < out; ++i) {
                int32_t sum = 0;
                for (uint32_t k = 0; k < c.taps; ++k) {
                    sum += c.weights_of(i)[k];
                    if (c.weights_of(i)[k] != 0) CHECK(c.first[i] + k < in);  // nonzero taps stay inside
                }
                CHECK(sum == th::kOne);
            }
        }
    }
}

TEST_CASE("box weights cover whole blocks, a partial last block alone", "[thumbnail]") {
    const auto c = th::make_contributions(10, 12, 4, th::kBox, 4);  // blocks of 3: [0,3) [3,6) [6,9) [9,10)
    REQUIRE(c.taps == 4);
    for (uint32_t i = 0; i < 3; ++i) {
        INFO("block " << i);
        int32_t sum = 0;
        for (uint32_t k = 0; k < 4; ++k) {
            const int16_t w = c.weights_of(i)[k];
            const bool inside = c.first[i] + k >= 3 * i && c.first[i] + k < 3 * i + 3;
            CHECK((inside ? (w == 5461 || w == 5462) : w == 0));
            sum += w;
        }
        CHECK(sum == th::kOne);
    }
    CHECK(c.weights_of(3)[9 - c.first[3]] == th::kOne);
}

TEST_CASE("a flat colour stays exactly that colour at every size and filter", "[thumbnail]") {
    const Picture in = solid(1003, 701, 37, 150, 220);
    for (auto f : {th::Filter::lanczos3, th::Filter::catrom, th::Filter::triangle}) {
        for (auto [w, h] : {std::pair{256u, 179u}, {1000u, 700u}, {64u, 45u}, {1u, 1u}, {17u, 3u}, {1003u, 350u}}) {
            const th::RgbBuffer out = th::resize(in.view(), w, h, f);
            REQUIRE(out.width() == w);
            REQUIRE(out.height() == h);
            int bad = 0;
            for (uint32_t y = 0; y < h; ++y)
                for (uint32_t x = 0; x < w; ++x)
                    bad += px(out, x, y, 0) != 37 || px(out, x, y, 1) != 150 || px(out, x, y, 2) != 220;
            INFO("to " << w << "x" << h);
            CHECK(bad == 0);
        }
    }
}

TEST_CASE("lanczos3 matches a double-precision reference within rounding", "[thumbnail]") {
    // Reductions below 4x take no box step, so the fixed-point result must follow the reference. The
    // noise stays within 40..215 so that no intermediate value is clamped (the reference never clamps).
    for (auto [iw, ih, ow, oh] : {std::array{500u, 375u, 256u, 192u}, std::array{300u, 211u, 299u, 100u},
                                  std::array{97u, 61u, 31u, 29u}, std::array{40u, 30u, 13u, 10u}}) {
        const Picture in = noise(iw, ih, iw * 31 + ow, 40, 215);
        const th::RgbBuffer out = th::resize(in.view(), ow, oh, th::Filter::lanczos3);
        const std::vector<double> ref = reference_lanczos3(in, ow, oh);
        double worst = 0, total = 0;
        for (uint32_t y = 0; y < oh; ++y)
            for (uint32_t x = 0; x < ow; ++x)
                for (int c = 0; c < 3; ++c) {
                    const double d = std::fabs(px(out, x, y, c) - ref[(std::size_t(y) * ow + x) * 3 + c]);
                    worst = std::max(worst, d);
                    total += d;
                }
        INFO(iw << "x" << ih << " -> " << ow << "x" << oh);
        CHECK(total / (double(ow) * oh * 3) < 0.6);  // two roundings: the uint8 row between passes and the end
        CHECK(worst <= 2.0);
    }
}

TEST_CASE("large reductions (box step, then lanczos3) agree with the one-step reference", "[thumbnail]") {
    const Picture in = smooth(1600, 1200);
    const th::RgbBuffer out = th::resize(in.view(), 200, 150, th::Filter::lanczos3);  // box 4, then 2x
    const std::vector<double> ref = reference_lanczos3(in, 200, 150);
    double worst = 0;
    for (uint32_t y = 0; y < 150; ++y)
        for (uint32_t x = 0; x < 200; ++x)
            for (int c = 0; c < 3; ++c)
                worst = std::max(worst, std::fabs(px(out, x, y, c) - ref[(std::size_t(y) * 200 + x) * 3 + c]));
    CHECK(worst <= 2.0);
}

TEST_CASE("a 1-pixel checkerboard reduces to flat mid-gray at any factor (no aliasing)", "[thumbnail]") {
    const Picture in = checkerboard(1000, 1000);
    for (auto f : {th::Filter::lanczos3, th::Filter::catrom, th::Filter::triangle}) {
        for (uint32_t size : {100u, 137u, 333u, 512u, 999u}) {
            const th::RgbBuffer out = th::resize(in.view(), size, size, f);
            int lo = 255, hi = 0;
            for (uint32_t y = 0; y < size; ++y)
                for (uint32_t x = 0; x < size; ++x) {
                    lo = std::min<int>(lo, px(out, x, y, 1));
                    hi = std::max<int>(hi, px(out, x, y, 1));
                }
            INFO("filter " << int(f) << ", 1000 -> " << size << ": values " << lo << ".." << hi);
            // 999 is barely a reduction: the pattern survives there by nature, everything below is gray.
            if (size <= 512) {
                CHECK(lo >= 108);
                CHECK(hi <= 148);
            }
        }
    }
}

TEST_CASE("every shape works, down to single rows, columns and pixels", "[thumbnail]") {
    const Picture column = smooth(1, 1000);
    const th::RgbBuffer c = th::resize(column.view(), 1, 256, th::Filter::lanczos3);
    CHECK(c.width() == 1);
    CHECK(c.height() == 256);
    CHECK(std::abs(int(px(c, 0, 128, 0)) - int(column.pixels[(500 * 1) * 3])) <= 12);

    const Picture row = smooth(1000, 1);
    const th::RgbBuffer r = th::resize(row.view(), 256, 1, th::Filter::lanczos3);
    CHECK(r.width() == 256);
    CHECK(r.height() == 1);
    CHECK(std::abs(int(px(r, 128, 0, 2)) - int(row.pixels[500 * 3 + 2])) <= 12);

    for (auto [iw, ih, ow, oh] : {std::array{1u, 1u, 1u, 1u}, std::array{3u, 1u, 1u, 1u}, std::array{1u, 3u, 1u, 1u},
                                  std::array{2u, 2u, 5u, 7u}, std::array{5u, 3u, 2u, 1u},
                                  std::array{100000u, 2u, 256u, 1u}, std::array{2u, 70000u, 1u, 256u}}) {
        const Picture in = solid(iw, ih, 200, 100, 50);
        for (auto f : {th::Filter::lanczos3, th::Filter::catrom, th::Filter::triangle}) {
            const th::RgbBuffer out = th::resize(in.view(), ow, oh, f);
            REQUIRE(out.width() == ow);
            REQUIRE(out.height() == oh);
            INFO(iw << "x" << ih << " -> " << ow << "x" << oh);
            CHECK(px(out, ow - 1, oh - 1, 0) == 200);
            CHECK(px(out, 0, 0, 2) == 50);
        }
    }
}

TEST_CASE("a source with padded rows (stride > 3 * width) is read correctly", "[thumbnail]") {
    const uint32_t w = 301, h = 200, stride = w * 3 + 13;
    std::vector<uint8_t> pixels(std::size_t(stride) * h, 0xEE);  // padding bytes must never show
    for (uint32_t y = 0; y < h; ++y)
        for (uint32_t x = 0; x < w * 3; ++x)
            pixels[std::size_t(y) * stride + x] = static_cast<uint8_t>(x < w * 3 / 2 ? 10 : 90);
    const th::RgbView view{pixels.data(), w, h, stride};
    const th::RgbBuffer out = th::resize(view, 150, 100, th::Filter::lanczos3);
    CHECK(px(out, 0, 50, 0) == 10);
    CHECK(px(out, 149, 50, 2) == 90);
    const th::RgbBuffer same_width = th::resize(view, w, 100, th::Filter::lanczos3);  // vertical only
    CHECK(px(same_width, w - 1, 99, 2) == 90);
}

TEST_CASE("box_reduce averages whole and partial blocks", "[thumbnail]") {
    Picture in(5, 3);
    for (uint32_t y = 0; y < 3; ++y)
        for (uint32_t x = 0; x < 5; ++x)
            for (int c = 0; c < 3; ++c) in.at(x, y, c) = static_cast<uint8_t>(10 * (y * 5 + x) + c);
    const th::RgbBuffer out = th::box_reduce(in.view(), 2, 2);  // 3x2: blocks 2x2, 2x2, 1x2 / 2x1, 2x1, 1x1
    REQUIRE(out.width() == 3);
    REQUIRE(out.height() == 2);
    CHECK(px(out, 0, 0, 0) == 30);   // (0 + 10 + 50 + 60) / 4
    CHECK(px(out, 2, 0, 0) == 65);   // (40 + 90) / 2: the last column is a 1x2 block
    CHECK(px(out, 1, 1, 1) == 126);  // (121 + 131) / 2: the last row is 2x1 blocks
    CHECK(px(out, 2, 1, 2) == 142);  // the lone corner pixel
}

TEST_CASE("the SIMD kernels give exactly the integers of the portable ones", "[thumbnail]") {
    struct Named {
        const char* name;
        th::VerticalKernel vertical;
        th::HorizontalKernel horizontal;
    };
    std::vector<Named> kernels{{"scalar", &th::vertical_scalar, &th::horizontal_scalar}};
#if defined(LBX_THUMBNAIL_SSE2)
    kernels.push_back({"sse2", &th::vertical_sse2, &th::horizontal_sse2});
#endif
#if defined(LBX_THUMBNAIL_AVX2)
    if (__builtin_cpu_supports("avx2")) kernels.push_back({"avx2", &th::vertical_avx2, &th::horizontal_avx2});
#endif
    WARN("resampler kernels in use: " << th::best_kernels().name << " (compared: " << kernels.size() << ")");
    for (auto [in_w, out_w] : {std::pair{1u, 1u}, {2u, 1u}, {5u, 2u}, {77u, 33u}, {500u, 256u}, {1001u, 1000u}}) {
        const Picture in = noise(in_w, 16, in_w);  // full range: clamping must agree too
        for (auto f : {th::Filter::lanczos3, th::Filter::catrom, th::Filter::triangle}) {
            const auto hc = th::make_contributions(in_w, in_w, out_w, th::kernel_of(f), 4);
            const auto vc = th::make_contributions(16, 16, 5, th::kernel_of(f), 2);
            std::vector<uint8_t> padded(std::size_t(in_w) * 3 + th::kRowPadding, 0);
            std::memcpy(padded.data(), in.pixels.data(), std::size_t(in_w) * 3);
            std::vector<std::vector<uint8_t>> h_out, v_out;
            for (const Named& k : kernels) {
                h_out.emplace_back(std::size_t(out_w) * 3);
                k.horizontal(padded.data(), hc, h_out.back().data(), out_w);
                v_out.emplace_back(std::size_t(in_w) * 3);
                std::vector<const uint8_t*> rows;
                for (uint32_t t = 0; t < vc.taps; ++t)
                    rows.push_back(in.pixels.data() + std::min(vc.first[2] + t, 15u) * std::size_t(in_w) * 3);
                k.vertical(rows.data(), vc.weights_of(2), vc.taps, v_out.back().data(), 0, std::size_t(in_w) * 3);
            }
            for (std::size_t i = 1; i < kernels.size(); ++i) {
                INFO(kernels[i].name << " vs scalar, " << in_w << " -> " << out_w << ", filter " << int(f));
                CHECK(h_out[i] == h_out[0]);
                CHECK(v_out[i] == v_out[0]);
            }
        }
    }
}

TEST_CASE("box_reduce on the fast kernels stays within 1 of exact block sums", "[thumbnail]") {
    const Picture in = noise(1001, 333, 5);
    for (auto [kx, ky] : {std::pair{2u, 2u}, {3u, 5u}, {7u, 1u}, {1u, 4u}, {256u, 100u}}) {
        const uint32_t ow = (1001 - 1) / kx + 1, oh = (333 - 1) / ky + 1;
        const th::RgbBuffer fast = th::box_reduce(in.view(), kx, ky);
        const th::RgbBuffer exact = th::box_reduce_exact(in.view(), kx, ky, ow, oh);
        REQUIRE(fast.width() == ow);
        REQUIRE(fast.height() == oh);
        int worst = 0;
        for (uint32_t y = 0; y < oh; ++y)
            for (uint32_t x = 0; x < ow * 3; ++x) worst = std::max(worst, std::abs(fast.row(y)[x] - exact.row(y)[x]));
        INFO("box " << kx << "x" << ky);
        CHECK(worst <= 1);
    }
    // Factors over 256 take the exact path: a 300000x1 gradient row to 256 pixels (box 585, then 2x).
    Picture row(300000, 1);
    for (uint32_t x = 0; x < 300000; ++x)
        for (int c = 0; c < 3; ++c) row.at(x, 0, c) = static_cast<uint8_t>(x * 256ull / 300000);
    const th::RgbBuffer out = th::resize(row.view(), 256, 1, th::Filter::lanczos3);
    for (uint32_t x = 4; x < 252; x += 31) CHECK(std::abs(int(px(out, x, 0, 1)) - int(x)) <= 1);
}
