// The "webpdec" decode stage on WebPs made here: colours at known spots, scaling on decode, alpha
// flattened over white, lossless, an animation from the shared corpus when present, and a negative
// corpus (empty, truncated, wrong magic, garbage, a 16383x16383 header).
#include "sample/bad_files.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/decoder_checks.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <webp/encode.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

using lbx::sample::RgbImage;
using lbx::test::check_close;
using lbx::test::check_marked_scene;
using lbx::test::decoded_at;

namespace {

const lbx::test::StageDecoder decode("webpdec", "webp");

std::vector<uint8_t> encode_rgba(const std::vector<uint8_t>& rgba, int w, int h, bool lossless) {
    uint8_t* out = nullptr;
    const std::size_t size = lossless ? WebPEncodeLosslessRGBA(rgba.data(), w, h, w * 4, &out)
                                      : WebPEncodeRGBA(rgba.data(), w, h, w * 4, 90, &out);
    std::vector<uint8_t> bytes(out, out + size);
    WebPFree(out);
    REQUIRE(size > 0);
    return bytes;
}

}  // namespace

TEST_CASE("webpdec decodes a lossy WebP with the marker colours in place", "[webpdec]") {
    const RgbImage scene = lbx::sample::make_marked_scene(320, 240, 4);
    const std::vector<uint8_t> webp = lbx::sample::encode_webp(scene, 90);
    auto r = decode(webp);
    REQUIRE(r);
    lbx::test::check_full_size(*r, 320, 240, 0);
    check_marked_scene(*r, scene, 14);
}

TEST_CASE("webpdec scales while decoding to the long edge asked", "[webpdec]") {
    const RgbImage scene = lbx::sample::make_marked_scene(2000, 1500, 7);
    const std::vector<uint8_t> webp = lbx::sample::encode_webp(scene, 80);
    auto r = decode(webp, 256);
    REQUIRE(r);
    CHECK(r->width == 256);
    CHECK(r->height == 192);
    CHECK(r->source_width == 2000);
    CHECK(r->source_height == 1500);
    check_marked_scene(*r, scene, 16);

    const RgbImage portrait = lbx::sample::make_marked_scene(300, 900, 1);
    auto p = decode(lbx::sample::encode_webp(portrait, 80), 300);
    REQUIRE(p);
    CHECK(p->width == 100);
    CHECK(p->height == 300);

    auto full = decode(webp, 4000);  // more than the image has: full size
    REQUIRE(full);
    CHECK(full->width == 2000);
}

TEST_CASE("webpdec flattens alpha over white, lossy and lossless", "[webpdec]") {
    const int w = 64, h = 64;
    std::vector<uint8_t> rgba(std::size_t(w) * h * 4);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            uint8_t* p = &rgba[(std::size_t(y) * w + x) * 4];
            p[0] = 20, p[1] = 20, p[2] = 230;   // blue
            p[3] = x < w / 2 ? 255 : 0;          // right half transparent
        }
    }
    for (bool lossless : {true, false}) {
        INFO((lossless ? "lossless" : "lossy"));
        auto r = decode(encode_rgba(rgba, w, h, lossless));
        REQUIRE(r);
        check_close(decoded_at(*r, 0.2, 0.5), {20, 20, 230}, lossless ? 0 : 8);
        check_close(decoded_at(*r, 0.8, 0.5), {255, 255, 255}, lossless ? 0 : 8);
        auto scaled = decode(encode_rgba(rgba, w, h, lossless), 32);
        REQUIRE(scaled);
        CHECK(scaled->width == 32);
        check_close(decoded_at(*scaled, 0.8, 0.5), {255, 255, 255}, lossless ? 0 : 8);
    }
}

TEST_CASE("webpdec decodes the first frame of an animated WebP", "[webpdec][corpus]") {
    const std::filesystem::path corpus = lbx::test::shared_corpus_dir();
    const std::filesystem::path file = corpus / "good/drewnoakes-metadata-extractor-images/webp/Animation_Lossy.webp";
    if (corpus.empty() || !std::filesystem::exists(file)) {
        WARN("skipped: no shared corpus beside the checkout");
        return;
    }
    const std::vector<uint8_t> bytes = lbx::test::read_file(file);
    auto r = decode(bytes, 64);
    REQUIRE(r);
    CHECK(r->width == r->source_width);  // animations are not scaled
    CHECK(r->height == r->source_height);
    CHECK(r->width > 0);
    auto cut = decode(lbx::sample::truncate_bytes(bytes, bytes.size() / 2));
    REQUIRE_FALSE(cut);
    CHECK(cut.error().code == "truncated");
}

TEST_CASE("webpdec rejects bad WebPs with a clean status", "[webpdec]") {
    const std::vector<uint8_t> good = lbx::sample::encode_webp(lbx::sample::make_marked_scene(200, 150, 5), 80);

    SECTION("zero bytes") { lbx::test::check_fails(decode({}), "corrupt"); }
    SECTION("truncated in the RIFF header, the VP8 header and the data") {
        lbx::test::check_truncations_fail(decode, good,
                                          {6, 16, 26, 40, good.size() / 2, good.size() - 10, good.size() - 1});
    }
    SECTION("wrong magic, and RIFF without WEBP") {
        lbx::test::check_fails(decode(lbx::sample::with_wrong_magic(good)), "unsupported");
        std::vector<uint8_t> avi = good;
        std::memcpy(avi.data() + 8, "AVI ", 4);
        lbx::test::check_fails(decode(avi), "unsupported");
    }
    SECTION("garbage, with and without a WebP header") {
        const auto with_riff = [](std::vector<uint8_t>& junk, uint32_t) {
            std::memcpy(junk.data(), "RIFF", 4);
            const uint32_t riff_size = static_cast<uint32_t>(junk.size() - 8);
            for (int i = 0; i < 4; ++i) junk[4 + std::size_t(i)] = uint8_t(riff_size >> (8 * i));
            std::memcpy(junk.data() + 8, "WEBPVP8 ", 8);
        };
        lbx::test::check_garbage_fails(decode, 500, 50, with_riff, {"corrupt", "truncated", "unsupported"});
    }
    SECTION("a 16383x16383 header (268 MP) is refused before any allocation") {
        // Simple lossy layout: "RIFF" size "WEBP" "VP8 " size, 3-byte frame tag, 9D 01 2A, then the
        // 14-bit width and height (2 bits of upscaling each) at offsets 26 and 28.
        std::vector<uint8_t> bomb = good;
        REQUIRE(std::memcmp(bomb.data() + 12, "VP8 ", 4) == 0);
        REQUIRE(bomb[23] == 0x9D);
        bomb[26] = 0xFF, bomb[27] = 0x3F;
        bomb[28] = 0xFF, bomb[29] = 0x3F;
        auto r = decode(bomb);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "too_large");
        CHECK(r.error().message == "image is 16383x16383 (268 MP), over the limit of 250 MP");
    }
}
