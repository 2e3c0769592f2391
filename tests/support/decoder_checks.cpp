#include "support/decoder_checks.hpp"

#include "sample/bad_files.hpp"
#include "support/plugin_harness.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>

namespace lbx::test {

using engine::Image;
using sample::Rgb;
using sample::RgbImage;

namespace {

// One instance per stage id for the whole process. The plugins are loaded before the map is made, so
// the instances are destroyed before their plugins are unloaded.
const engine::StageInstance& shared_stage(const std::string& stage_id) {
    built_plugins();
    static std::mutex mutex;
    static std::map<std::string, engine::StageInstance> stages;
    const std::lock_guard<std::mutex> lock(mutex);
    auto it = stages.find(stage_id);
    if (it == stages.end()) it = stages.emplace(stage_id, make_stage(stage_id)).first;
    return it->second;
}

}  // namespace

engine::Expected<Image> StageDecoder::operator()(const std::vector<uint8_t>& bytes, uint32_t min_long_edge,
                                                 engine::DecodeLimits limits) const {
    return shared_stage(stage_id_).decode(source_of(bytes, format_), min_long_edge, limits);
}

Rgb pixel(const Image& img, uint32_t x, uint32_t y) {
    const uint8_t* p = &img.pixels[std::size_t(y) * img.stride + std::size_t(x) * 3];
    return {p[0], p[1], p[2]};
}

bool same(Rgb a, Rgb b) {
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

Rgb mean_at(const uint8_t* pixels, uint32_t stride, uint32_t w, uint32_t h, uint32_t x, uint32_t y, int r) {
    int sum[3] = {0, 0, 0}, n = 0;
    for (int dy = -r; dy <= r; ++dy) {
        for (int dx = -r; dx <= r; ++dx) {
            const int px = std::clamp(int(x) + dx, 0, int(w) - 1), py = std::clamp(int(y) + dy, 0, int(h) - 1);
            const uint8_t* p = pixels + std::size_t(py) * stride + std::size_t(px) * 3;
            for (int c = 0; c < 3; ++c) sum[c] += p[c];
            ++n;
        }
    }
    return {uint8_t(sum[0] / n), uint8_t(sum[1] / n), uint8_t(sum[2] / n)};
}

Rgb decoded_at(const Image& img, double fx, double fy) {
    return mean_at(img.pixels.data(), img.stride, img.width, img.height, uint32_t(fx * img.width),
                   uint32_t(fy * img.height));
}

Rgb original_at(const RgbImage& img, double fx, double fy) {
    return mean_at(img.pixels.data(), img.width * 3, img.width, img.height, uint32_t(fx * img.width),
                   uint32_t(fy * img.height));
}

void check_close(Rgb got, Rgb want, int tolerance) {
    INFO("got (" << int(got.r) << "," << int(got.g) << "," << int(got.b) << "), want (" << int(want.r) << ","
                 << int(want.g) << "," << int(want.b) << ") within " << tolerance);
    CHECK(std::abs(got.r - want.r) <= tolerance);
    CHECK(std::abs(got.g - want.g) <= tolerance);
    CHECK(std::abs(got.b - want.b) <= tolerance);
}

void check_marked_scene(const Image& img, const RgbImage& original, int tolerance) {
    check_close(decoded_at(img, 0.1, 0.1), {230, 20, 20}, tolerance);
    check_close(decoded_at(img, 0.9, 0.9), {20, 20, 230}, tolerance);
    check_close(decoded_at(img, 0.5, 0.04), original_at(original, 0.5, 0.04), tolerance);
    const Rgb sky = decoded_at(img, 0.5, 0.04);
    CHECK(sky.b > sky.r + 80);  // blue sky, not a grey fill
}

void check_full_size(const Image& img, uint32_t width, uint32_t height, uint32_t flags) {
    CHECK(img.width == width);
    CHECK(img.height == height);
    CHECK(img.source_width == width);
    CHECK(img.source_height == height);
    CHECK(img.flags == flags);
}

void check_lossless_scene(const Image& img, const RgbImage& scene) {
    REQUIRE(img.stride == scene.width * 3);
    CHECK(img.pixels == scene.pixels);
    const uint32_t w = scene.width, h = scene.height;
    CHECK(same(pixel(img, w / 10, h / 10), {230, 20, 20}));          // red top-left block
    CHECK(same(pixel(img, w * 9 / 10, h * 9 / 10), {20, 20, 230}));  // blue bottom-right block
    CHECK(same(pixel(img, w / 2, 5), scene.at(w / 2, 5)));           // sky
}

void check_fails(const engine::Expected<Image>& r, std::string_view code, std::string_view message) {
    REQUIRE_FALSE(r);
    INFO(r.error().code << ": " << r.error().message);
    CHECK(r.error().code == code);
    if (!message.empty()) CHECK(r.error().message == message);
}

void check_truncations_fail(const StageDecoder& decode, const std::vector<uint8_t>& good,
                            const std::vector<std::size_t>& keeps, std::string_view message_prefix) {
    for (std::size_t keep : keeps) {
        auto r = decode(sample::truncate_bytes(good, keep), 0, {});
        INFO("kept " << keep << " of " << good.size() << " bytes: " << (r ? "ok" : r.error().message));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "truncated");
        CHECK(r.error().domain == "decode");
        if (!message_prefix.empty()) CHECK(r.error().message.rfind(message_prefix, 0) == 0);
    }
}

void check_garbage_fails(const StageDecoder& decode, std::size_t base_size, std::size_t step,
                         const std::function<void(std::vector<uint8_t>& junk, uint32_t seed)>& sign,
                         const std::vector<std::string>& signed_codes) {
    for (uint32_t seed = 1; seed <= 20; ++seed) {
        INFO("seed " << seed);
        std::vector<uint8_t> junk = sample::garbage_bytes(base_size + seed * step, seed);
        auto plain = decode(junk, 0, {});
        REQUIRE_FALSE(plain);
        CHECK(plain.error().code == "unsupported");
        sign(junk, seed);
        auto signed_junk = decode(junk, 0, {});
        REQUIRE_FALSE(signed_junk);
        const std::string code = signed_junk.error().code;
        INFO(code << ": " << signed_junk.error().message);
        CHECK(std::find(signed_codes.begin(), signed_codes.end(), code) != signed_codes.end());
    }
}

}  // namespace lbx::test
