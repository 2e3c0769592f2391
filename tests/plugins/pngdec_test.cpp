// The "pngdec" decode stage on PNGs made here: lossless round trip, alpha flattened over white,
// palette and 16-bit images, and a negative corpus (empty, truncated, wrong magic, garbage, a bad CRC,
// a 100000x100000 header).
#include "sample/bad_files.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/decoder_checks.hpp"

#include <catch2/catch.hpp>
#include <png.h>

#include <cstring>
#include <string>
#include <vector>

using lbx::sample::Rgb;
using lbx::sample::RgbImage;
using lbx::test::pixel;
using lbx::test::same;

namespace {

const lbx::test::StageDecoder decode("pngdec", "png");

// A PNG written with libpng's simplified API in any format, with an optional colour map.
std::vector<uint8_t> write_png(uint32_t w, uint32_t h, uint32_t format, const void* pixels, const void* colormap = nullptr,
                               uint32_t colormap_entries = 0) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = w;
    image.height = h;
    image.format = format;
    image.colormap_entries = colormap_entries;
    png_alloc_size_t size = 0;
    REQUIRE(png_image_write_to_memory(&image, nullptr, &size, 0, pixels, 0, colormap));
    std::vector<uint8_t> out(size);
    REQUIRE(png_image_write_to_memory(&image, out.data(), &size, 0, pixels, 0, colormap));
    out.resize(size);
    return out;
}

}  // namespace

TEST_CASE("pngdec decodes an RGB PNG losslessly", "[pngdec]") {
    const RgbImage scene = lbx::sample::make_marked_scene(320, 240, 4);
    auto r = decode(lbx::sample::encode_png(scene));
    REQUIRE(r);
    lbx::test::check_full_size(*r, 320, 240, 0);
    lbx::test::check_lossless_scene(*r, scene);
    CHECK(decode(lbx::sample::encode_png(scene), 64)->width == 320);  // no reduced-size decode for PNG
}

TEST_CASE("pngdec flattens transparency over white", "[pngdec]") {
    const RgbImage scene = lbx::sample::make_marked_scene(100, 80, 2);
    auto r = decode(lbx::sample::encode_png(scene, true));  // transparent bottom-left 20x16 block
    REQUIRE(r);
    CHECK(same(pixel(*r, 5, 75), {255, 255, 255}));
    CHECK(same(pixel(*r, 19, 64), {255, 255, 255}));
    CHECK(same(pixel(*r, 20, 75), scene.at(20, 75)));  // opaque right next to it
    CHECK(same(pixel(*r, 10, 8), {230, 20, 20}));

    // Half transparent black over white is mid grey.
    std::vector<uint8_t> rgba(4 * 4 * 4);
    for (std::size_t i = 0; i < rgba.size(); i += 4) rgba[i + 3] = 128;
    auto grey = decode(write_png(4, 4, PNG_FORMAT_RGBA, rgba.data()));
    REQUIRE(grey);
    const Rgb g = pixel(*grey, 1, 1);
    CHECK(g.r == g.g);
    CHECK(g.g == g.b);
    CHECK(g.r >= 120);
    CHECK(g.r <= 200);  // libpng composites in linear light, so not exactly 127
}

TEST_CASE("pngdec reads palette, grey and 16-bit PNGs", "[pngdec]") {
    SECTION("palette") {
        const uint8_t colormap[] = {230, 20, 20, 20, 20, 230, 255, 255, 255};
        std::vector<uint8_t> index(16 * 8);
        for (uint32_t y = 0; y < 8; ++y)
            for (uint32_t x = 0; x < 16; ++x) index[y * 16 + x] = x < 8 ? 0 : (y < 4 ? 1 : 2);
        const std::vector<uint8_t> png = write_png(16, 8, PNG_FORMAT_RGB_COLORMAP, index.data(), colormap, 3);
        REQUIRE(png[25] == 3);  // IHDR colour type 3: indexed
        auto r = decode(png);
        REQUIRE(r);
        CHECK(r->width == 16);
        CHECK(same(pixel(*r, 2, 2), {230, 20, 20}));
        CHECK(same(pixel(*r, 12, 1), {20, 20, 230}));
        CHECK(same(pixel(*r, 12, 6), {255, 255, 255}));
    }
    SECTION("16-bit linear RGB") {
        std::vector<uint16_t> rgb16(8 * 4 * 3, 0);
        for (uint32_t y = 0; y < 4; ++y) {
            for (uint32_t x = 0; x < 8; ++x) {
                uint16_t* p = &rgb16[(y * 8 + x) * 3];
                if (x < 4) {
                    p[0] = 65535;  // red
                } else {
                    p[0] = p[1] = p[2] = 65535;  // white
                }
            }
        }
        const std::vector<uint8_t> png = write_png(8, 4, PNG_FORMAT_LINEAR_RGB, rgb16.data());
        REQUIRE(png[24] == 16);  // IHDR bit depth
        auto r = decode(png);
        REQUIRE(r);
        CHECK(same(pixel(*r, 1, 1), {255, 0, 0}));
        CHECK(same(pixel(*r, 6, 2), {255, 255, 255}));
    }
    SECTION("grey") {
        std::vector<uint8_t> grey(10 * 10, 77);
        auto r = decode(write_png(10, 10, PNG_FORMAT_GRAY, grey.data()));
        REQUIRE(r);
        CHECK(same(pixel(*r, 5, 5), {77, 77, 77}));
    }
}

TEST_CASE("pngdec rejects bad PNGs with a clean status", "[pngdec]") {
    const std::vector<uint8_t> good = lbx::sample::encode_png(lbx::sample::make_marked_scene(200, 150, 5));

    SECTION("zero bytes") { lbx::test::check_fails(decode({}), "corrupt"); }
    SECTION("truncated in the signature, the header and the data") {
        const std::vector<std::size_t> keeps = {4, 20, 40, good.size() / 3, good.size() / 2, good.size() - 20,
                                                good.size() - 14};
        lbx::test::check_truncations_fail(decode, good, keeps, "truncated PNG");
    }
    SECTION("cut inside IEND, after the last pixel: the picture is complete and decodes") {
        auto r = decode(lbx::sample::truncate_bytes(good, good.size() - 6));
        REQUIRE(r);
        CHECK(r->width == 200);
    }
    SECTION("wrong magic") { lbx::test::check_fails(decode(lbx::sample::with_wrong_magic(good)), "unsupported"); }
    SECTION("garbage, with and without a PNG signature") {
        const auto with_signature = [](std::vector<uint8_t>& junk, uint32_t) {
            std::memcpy(junk.data(), "\x89PNG\r\n\x1A\n", 8);
        };
        lbx::test::check_garbage_fails(decode, 500, 50, with_signature, {"corrupt", "truncated"});
    }
    SECTION("a damaged IHDR fails its CRC, damaged pixel data its filters") {
        std::vector<uint8_t> bad_crc = good;
        bad_crc[30] ^= 0xFF;  // IHDR's CRC: bytes 29..32
        auto r = decode(bad_crc);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "corrupt");
        CHECK(r.error().message == "corrupt PNG header: IHDR: CRC error");
        std::vector<uint8_t> damaged = good;
        damaged[good.size() / 2] ^= 0xFF;
        auto d = decode(damaged);
        REQUIRE_FALSE(d);
        CHECK(d.error().code == "corrupt");
        CHECK(d.error().message.rfind("corrupt PNG data: ", 0) == 0);
    }
    SECTION("a 100000x100000 header is refused before any allocation") {
        auto r = decode(lbx::sample::png_claiming_size(100000, 100000));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "too_large");
        CHECK(r.error().message == "image is 100000x100000 (10000 MP), over the limit of 250 MP");
    }
    SECTION("a header claiming more rows than the data holds") {
        auto r = decode(lbx::sample::png_claiming_size(64, 64));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "corrupt");
        INFO(r.error().message);
        CHECK(r.error().message.rfind("corrupt PNG data: ", 0) == 0);
    }
}
