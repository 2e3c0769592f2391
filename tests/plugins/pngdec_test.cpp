// The "pngdec" decode stage on PNGs made here: lossless round trip, alpha flattened over white,
// palette and 16-bit images, and a negative corpus (empty, truncated, wrong magic, garbage, a bad CRC,
// a 100000x100000 header).
#include "sample/bad_files.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/plugin_harness.hpp"

#include <catch2/catch.hpp>
#include <png.h>

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
    static const lbx::engine::StageInstance stage = lbx::test::make_stage("pngdec");
    return stage.decode(lbx::test::source_of(bytes, "png"), min_long_edge, limits);
}

Rgb pixel(const Image& img, uint32_t x, uint32_t y) {
    const uint8_t* p = &img.pixels[std::size_t(y) * img.stride + std::size_t(x) * 3];
    return {p[0], p[1], p[2]};
}

bool same(Rgb a, Rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

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
    CHECK(r->width == 320);
    CHECK(r->height == 240);
    CHECK(r->source_width == 320);
    CHECK(r->source_height == 240);
    CHECK(r->flags == 0);
    REQUIRE(r->stride == 320 * 3);
    CHECK(r->pixels == scene.pixels);
    CHECK(same(pixel(*r, 32, 24), {230, 20, 20}));     // red top-left block
    CHECK(same(pixel(*r, 288, 216), {20, 20, 230}));   // blue bottom-right block
    CHECK(same(pixel(*r, 160, 5), scene.at(160, 5)));  // sky
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

    SECTION("zero bytes") {
        auto r = decode({});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "corrupt");
    }
    SECTION("truncated in the signature, the header and the data") {
        for (std::size_t keep : {std::size_t(4), std::size_t(20), std::size_t(40), good.size() / 3, good.size() / 2,
                                 good.size() - 20, good.size() - 14}) {
            auto r = decode(lbx::sample::truncate_bytes(good, keep));
            INFO("kept " << keep << " of " << good.size() << " bytes: " << (r ? "ok" : r.error().message));
            REQUIRE_FALSE(r);
            CHECK(r.error().code == "truncated");
            CHECK(r.error().message.rfind("truncated PNG", 0) == 0);
        }
    }
    SECTION("cut inside IEND, after the last pixel: the picture is complete and decodes") {
        auto r = decode(lbx::sample::truncate_bytes(good, good.size() - 6));
        REQUIRE(r);
        CHECK(r->width == 200);
    }
    SECTION("wrong magic") {
        auto r = decode(lbx::sample::with_wrong_magic(good));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "unsupported");
    }
    SECTION("garbage, with and without a PNG signature") {
        for (uint32_t seed = 1; seed <= 20; ++seed) {
            std::vector<uint8_t> junk = lbx::sample::garbage_bytes(500 + seed * 50, seed);
            auto plain = decode(junk);
            REQUIRE_FALSE(plain);
            CHECK(plain.error().code == "unsupported");
            std::memcpy(junk.data(), "\x89PNG\r\n\x1A\n", 8);
            auto signed_junk = decode(junk);
            REQUIRE_FALSE(signed_junk);
            CHECK((signed_junk.error().code == "corrupt" || signed_junk.error().code == "truncated"));
        }
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
