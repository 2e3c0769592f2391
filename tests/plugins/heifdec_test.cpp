// The "heifdec" decode stage on HEICs made here (libheif + x265): colours at known spots, container
// orientation (irot/imir) applied with LBX_IMAGE_UPRIGHT set, the stored thumbnail used when it is big
// enough, and a negative corpus (empty, truncated, wrong magic, garbage, huge 'ispe' sizes).
#include "sample/bad_files.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/plugin_harness.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

using lbx::engine::DecodeLimits;
using lbx::engine::Image;
using lbx::sample::Rgb;
using lbx::sample::RgbImage;

namespace {

lbx::engine::Expected<Image> decode(const std::vector<uint8_t>& bytes, uint32_t min_long_edge = 0,
                                    DecodeLimits limits = {}) {
    static const lbx::engine::StageInstance stage = lbx::test::make_stage("heifdec");
    return stage.decode(lbx::test::source_of(bytes, "heif"), min_long_edge, limits);
}

Rgb mean_at(const uint8_t* pixels, uint32_t stride, uint32_t w, uint32_t h, uint32_t x, uint32_t y, int r = 2) {
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
    return mean_at(img.pixels.data(), img.stride, img.width, img.height, uint32_t(fx * img.width), uint32_t(fy * img.height));
}

Rgb original_at(const RgbImage& img, double fx, double fy) {
    return mean_at(img.pixels.data(), img.width * 3, img.width, img.height, uint32_t(fx * img.width), uint32_t(fy * img.height));
}

void check_close(Rgb got, Rgb want, int tolerance) {
    INFO("got (" << int(got.r) << "," << int(got.g) << "," << int(got.b) << "), want (" << int(want.r) << ","
                 << int(want.g) << "," << int(want.b) << ") within " << tolerance);
    CHECK(std::abs(got.r - want.r) <= tolerance);
    CHECK(std::abs(got.g - want.g) <= tolerance);
    CHECK(std::abs(got.b - want.b) <= tolerance);
}

// The marker scene upright: red top-left, blue bottom-right, sky at the top middle.
void check_marked_scene(const Image& img, const RgbImage& upright, int tolerance) {
    check_close(decoded_at(img, 0.1, 0.1), {230, 20, 20}, tolerance);
    check_close(decoded_at(img, 0.9, 0.9), {20, 20, 230}, tolerance);
    check_close(decoded_at(img, 0.5, 0.04), original_at(upright, 0.5, 0.04), tolerance);
}

// Every 'ispe' property (image spatial extents) rewritten to claim width x height.
std::vector<uint8_t> with_ispe(std::vector<uint8_t> heic, uint32_t width, uint32_t height) {
    int patched = 0;
    for (std::size_t i = 0; i + 16 <= heic.size(); ++i) {
        if (std::memcmp(&heic[i], "ispe", 4) != 0) continue;
        for (int k = 0; k < 4; ++k) {
            heic[i + 8 + std::size_t(k)] = uint8_t(width >> (24 - 8 * k));
            heic[i + 12 + std::size_t(k)] = uint8_t(height >> (24 - 8 * k));
        }
        ++patched;
    }
    REQUIRE(patched > 0);
    return heic;
}

}  // namespace

TEST_CASE("heifdec decodes a HEIC upright with the marker colours in place", "[heifdec]") {
    const RgbImage scene = lbx::sample::make_marked_scene(320, 240, 4);
    const std::vector<uint8_t> heic = lbx::sample::encode_heic(scene, 80);
    REQUIRE(std::memcmp(heic.data() + 4, "ftypheic", 8) == 0);
    auto r = decode(heic);
    REQUIRE(r);
    CHECK(r->width == 320);
    CHECK(r->height == 240);
    CHECK(r->source_width == 320);
    CHECK(r->source_height == 240);
    CHECK(r->flags == LBX_IMAGE_UPRIGHT);
    check_marked_scene(*r, scene, 16);
}

TEST_CASE("heifdec applies the container's irot/imir and reports the stored size", "[heifdec]") {
    const RgbImage upright = lbx::sample::make_marked_scene(160, 120, 6);
    SECTION("orientation 6 (stored rotated, the container turns it 90 degrees clockwise)") {
        const RgbImage stored = lbx::sample::store_for_orientation(upright, 6);
        REQUIRE(stored.width == 120);
        auto r = decode(lbx::sample::encode_heic(stored, 80, 6));
        REQUIRE(r);
        CHECK(r->width == 160);
        CHECK(r->height == 120);
        CHECK(r->source_width == 120);  // 'ispe': the stored size, before rotation
        CHECK(r->source_height == 160);
        CHECK(r->flags == LBX_IMAGE_UPRIGHT);
        check_marked_scene(*r, upright, 18);
    }
    SECTION("every EXIF orientation 1..8 written as irot/imir comes back upright") {
        for (int orientation = 1; orientation <= 8; ++orientation) {
            INFO("orientation " << orientation);
            const RgbImage stored = lbx::sample::store_for_orientation(upright, orientation);
            auto r = decode(lbx::sample::encode_heic(stored, 80, orientation));
            REQUIRE(r);
            CHECK(r->width == 160);
            CHECK(r->height == 120);
            CHECK(r->flags == LBX_IMAGE_UPRIGHT);
            check_marked_scene(*r, upright, 18);
        }
    }
}

TEST_CASE("heifdec decodes the stored thumbnail when it covers min_long_edge", "[heifdec]") {
    const RgbImage scene = lbx::sample::make_marked_scene(640, 480, 3);
    const std::vector<uint8_t> heic = lbx::sample::encode_heic(scene, 70, 1, nullptr, 320);

    auto thumb = decode(heic, 256);
    REQUIRE(thumb);
    CHECK(thumb->width == 320);
    CHECK(thumb->height == 240);
    CHECK(thumb->source_width == 640);  // the primary image's stored size all the same
    CHECK(thumb->source_height == 480);
    CHECK(thumb->flags == LBX_IMAGE_UPRIGHT);
    check_marked_scene(*thumb, scene, 18);

    for (uint32_t edge : {0u, 321u, 1024u}) {
        auto full = decode(heic, edge);
        REQUIRE(full);
        CHECK(full->width == 640);
        CHECK(full->height == 480);
    }

    // A rotated file's thumbnail is rotated too.
    const RgbImage upright = lbx::sample::make_marked_scene(640, 480, 5);
    auto rotated = decode(lbx::sample::encode_heic(lbx::sample::store_for_orientation(upright, 8), 70, 8, nullptr, 320), 200);
    REQUIRE(rotated);
    CHECK(rotated->width == 320);
    CHECK(rotated->height == 240);
    check_marked_scene(*rotated, upright, 18);
}

TEST_CASE("heifdec rejects bad HEIFs with a clean status", "[heifdec]") {
    const std::vector<uint8_t> good = lbx::sample::encode_heic(lbx::sample::make_marked_scene(256, 192, 5), 60);

    SECTION("zero bytes") {
        auto r = decode({});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "corrupt");
    }
    SECTION("truncated in ftyp, meta and mdat") {
        for (std::size_t keep : {std::size_t(10), std::size_t(30), std::size_t(200), std::size_t(400), good.size() / 2,
                                 good.size() - 100, good.size() - 1}) {
            auto r = decode(lbx::sample::truncate_bytes(good, keep));
            INFO("kept " << keep << " of " << good.size() << " bytes: " << (r ? "ok" : r.error().message));
            REQUIRE_FALSE(r);
            CHECK(r.error().code == "truncated");
        }
    }
    SECTION("wrong magic") {
        auto r = decode(lbx::sample::with_wrong_magic(good));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "unsupported");
    }
    SECTION("garbage, with and without an ftyp box") {
        for (uint32_t seed = 1; seed <= 20; ++seed) {
            std::vector<uint8_t> junk = lbx::sample::garbage_bytes(500 + seed * 50, seed);
            auto plain = decode(junk);
            REQUIRE_FALSE(plain);
            CHECK(plain.error().code == "unsupported");
            const uint8_t ftyp[] = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0,
                                    'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'};
            std::memcpy(junk.data(), ftyp, sizeof ftyp);
            auto signed_junk = decode(junk);
            REQUIRE_FALSE(signed_junk);
            const std::string code = signed_junk.error().code;
            INFO(signed_junk.error().message);
            CHECK((code == "corrupt" || code == "truncated" || code == "unsupported"));
        }
    }
    SECTION("a 20000x20000 'ispe' (400 MP) is refused by the host's pixel limit") {
        auto r = decode(with_ispe(good, 20000, 20000));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "too_large");
        CHECK(r.error().message == "image is 20000x20000 (400 MP), over the limit of 250 MP");
    }
    SECTION("a 100000x100000 'ispe' is refused by libheif's own limit") {
        auto r = decode(with_ispe(good, 100000, 100000));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "too_large");
    }
    SECTION("a lower pixel limit applies") {
        auto r = decode(good, 0, DecodeLimits{256 * 192 - 1});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "too_large");
    }
}
