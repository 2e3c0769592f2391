// The "tiffdec" decode stage on TIFFs made here: lossless round trip, stored pixels kept whatever the
// Orientation tag says (the engine orients), an unsupported photometric, and a negative corpus (empty,
// truncated, wrong magic, garbage, a 100000x100000 header).
#include "sample/bad_files.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/decoder_checks.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

using lbx::sample::RgbImage;

namespace {

const lbx::test::StageDecoder decode("tiffdec", "tiff");

uint32_t le(const std::vector<uint8_t>& b, std::size_t at, int n) {
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | b[at + std::size_t(i)];
    return v;
}

void put_le(std::vector<uint8_t>& b, std::size_t at, uint32_t v, int n) {
    for (int i = 0; i < n; ++i) b[at + std::size_t(i)] = uint8_t(v >> (8 * i));
}

// The offset of IFD0's entry for `tag` in a little-endian TIFF (as encode_tiff writes), or 0.
std::size_t find_entry(const std::vector<uint8_t>& tiff, uint16_t tag) {
    const std::size_t ifd = le(tiff, 4, 4);
    const uint32_t count = le(tiff, ifd, 2);
    for (uint32_t i = 0; i < count; ++i) {
        const std::size_t entry = ifd + 2 + std::size_t(i) * 12;
        if (le(tiff, entry, 2) == tag) return entry;
    }
    return 0;
}

// Sets a SHORT or LONG tag of IFD0 in place (the entry must exist).
void set_tag(std::vector<uint8_t>& tiff, uint16_t tag, uint32_t value, bool as_long = false) {
    const std::size_t entry = find_entry(tiff, tag);
    REQUIRE(entry != 0);
    put_le(tiff, entry + 2, as_long ? 4 : 3, 2);  // type LONG or SHORT
    put_le(tiff, entry + 4, 1, 4);                // count
    put_le(tiff, entry + 8, value, 4);
}

}  // namespace

TEST_CASE("tiffdec decodes an RGB TIFF losslessly", "[tiffdec]") {
    const RgbImage scene = lbx::sample::make_marked_scene(320, 240, 4);
    const std::vector<uint8_t> tiff = lbx::sample::encode_tiff(scene);
    REQUIRE(std::memcmp(tiff.data(), "II*\0", 4) == 0);
    auto r = decode(tiff);
    REQUIRE(r);
    lbx::test::check_full_size(*r, 320, 240, 0);
    lbx::test::check_lossless_scene(*r, scene);
}

TEST_CASE("tiffdec returns the stored pixels whatever the Orientation tag says", "[tiffdec]") {
    // The engine applies the orientation itself (the thumbnail stage gets it), so the decoder must
    // neither flip nor rotate, and must not claim LBX_IMAGE_UPRIGHT.
    const RgbImage upright = lbx::sample::make_marked_scene(90, 60, 3);
    for (int orientation = 1; orientation <= 8; ++orientation) {
        const RgbImage stored = lbx::sample::store_for_orientation(upright, orientation);
        std::vector<uint8_t> tiff = lbx::sample::encode_tiff(stored);
        set_tag(tiff, 274, static_cast<uint32_t>(orientation));  // TIFFTAG_ORIENTATION
        auto r = decode(tiff);
        INFO("orientation " << orientation);
        REQUIRE(r);
        CHECK(r->width == stored.width);
        CHECK(r->height == stored.height);
        CHECK(r->flags == 0);
        CHECK(r->pixels == stored.pixels);
    }
}

TEST_CASE("tiffdec reads many strips in bands with a partial last band", "[tiffdec]") {
    // 1000 rows: bands of 64 rows (4 strips of 16) with a partial band at the end.
    const RgbImage scene = lbx::sample::make_marked_scene(37, 1000, 8);
    auto r = decode(lbx::sample::encode_tiff(scene));
    REQUIRE(r);
    CHECK(r->pixels == scene.pixels);
}

TEST_CASE("tiffdec refuses what the RGBA interface cannot show", "[tiffdec]") {
    std::vector<uint8_t> tiff = lbx::sample::encode_tiff(lbx::sample::make_marked_scene(32, 32, 1));
    set_tag(tiff, 262, 32803);  // PhotometricInterpretation: CFA (raw sensor data, as in a DNG)
    auto r = decode(tiff);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "unsupported");
    INFO(r.error().message);
    CHECK(r.error().message.find("32803") != std::string::npos);
}

TEST_CASE("tiffdec rejects bad TIFFs with a clean status", "[tiffdec]") {
    const std::vector<uint8_t> good = lbx::sample::encode_tiff(lbx::sample::make_marked_scene(200, 150, 5));

    SECTION("zero bytes") { lbx::test::check_fails(decode({}), "corrupt"); }
    SECTION("truncated: the directory is written after the pixels, so any cut loses it") {
        lbx::test::check_truncations_fail(decode, good,
                                          {3, 6, 8, 100, good.size() / 2, good.size() - 200, good.size() - 10});
    }
    SECTION("strips past the end of the file") {
        std::vector<uint8_t> tiff = good;
        const std::size_t offsets = find_entry(tiff, 273);  // StripOffsets
        REQUIRE(offsets != 0);
        const uint32_t count = le(tiff, offsets + 4, 4);
        const std::size_t array = le(tiff, offsets + 8, 4);
        put_le(tiff, array + (count - 1) * 4, static_cast<uint32_t>(tiff.size() - 10), 4);  // last strip
        auto r = decode(tiff);
        REQUIRE_FALSE(r);
        INFO(r.error().message);
        CHECK(r.error().code == "truncated");
    }
    SECTION("wrong magic") { lbx::test::check_fails(decode(lbx::sample::with_wrong_magic(good)), "unsupported"); }
    SECTION("garbage, with and without a TIFF header") {
        const auto with_header = [](std::vector<uint8_t>& junk, uint32_t seed) {
            std::memcpy(junk.data(), seed % 2 ? "II*\0" : "MM\0*", 4);
        };
        lbx::test::check_garbage_fails(decode, 500, 50, with_header, {"corrupt", "truncated", "unsupported"});
    }
    SECTION("a 100000x100000 header is refused before any allocation") {
        std::vector<uint8_t> bomb = good;
        set_tag(bomb, 256, 100000, true);  // ImageWidth
        set_tag(bomb, 257, 100000, true);  // ImageLength
        auto r = decode(bomb);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "too_large");
        CHECK(r.error().message == "image is 100000x100000 (10000 MP), over the limit of 250 MP");
    }
}
