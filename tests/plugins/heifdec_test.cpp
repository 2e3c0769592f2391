// The "heifdec" decode stage on HEICs made here (libheif + x265): colours at known spots, container
// orientation (irot/imir) applied with LBX_IMAGE_UPRIGHT set, the stored thumbnail used when it is big
// enough, and a negative corpus (empty, truncated, wrong magic, garbage, huge 'ispe' sizes).
#include "sample/bad_files.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/decoder_checks.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

using lbx::engine::DecodeLimits;
using lbx::sample::RgbImage;
using lbx::test::check_marked_scene;

namespace {

const lbx::test::StageDecoder decode("heifdec", "heif");

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
    lbx::test::check_full_size(*r, 320, 240, LBX_IMAGE_UPRIGHT);
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

    SECTION("zero bytes") { lbx::test::check_fails(decode({}), "corrupt"); }
    SECTION("truncated in ftyp, meta and mdat") {
        lbx::test::check_truncations_fail(decode, good,
                                          {10, 30, 200, 400, good.size() / 2, good.size() - 100, good.size() - 1});
    }
    SECTION("wrong magic") { lbx::test::check_fails(decode(lbx::sample::with_wrong_magic(good)), "unsupported"); }
    SECTION("garbage, with and without an ftyp box") {
        const auto with_ftyp = [](std::vector<uint8_t>& junk, uint32_t) {
            const uint8_t ftyp[] = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0,
                                    'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'};
            std::memcpy(junk.data(), ftyp, sizeof ftyp);
        };
        lbx::test::check_garbage_fails(decode, 500, 50, with_ftyp, {"corrupt", "truncated", "unsupported"});
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
