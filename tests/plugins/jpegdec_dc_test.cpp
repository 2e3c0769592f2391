// jpegdec's DC-only path at 1/8 scale (plugins/jpegdec/dc_decoder.cpp) against TurboJPEG at 1/8: the
// same pixels, byte for byte, for every kind of JPEG it takes (grayscale; YCbCr 4:4:4, 4:2:2, 4:4:0,
// 4:2:0; restart markers; sizes that are not whole MCUs; 8- and 16-bit quantisation tables), and a clean
// "no" (so the stage falls back to TurboJPEG) for the kinds it leaves alone and for damaged data, which
// must never make it read out of bounds (the ASan preset runs this too).
#include "dc_decoder.hpp"

#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/plugin_harness.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <turbojpeg.h>

#include <cstdio>  // jpeglib.h needs FILE
#include <jpeglib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

using lbx::plugins::jpegdec::decode_eighth_from_dc;

namespace {

struct Encoding {
    int components = 3;      // 1: grayscale, 3: YCbCr
    int luma_h = 2, luma_v = 2;  // sampling factors of the luma (the chroma is 1x1)
    int restart_mcus = 0;    // restart interval in MCUs, 0 for none
    int quality = 90;
    bool rgb = false;         // store RGB instead of YCbCr
    bool progressive = false;
    bool optimize = false;    // optimised Huffman tables instead of the standard ones
    bool baseline = true;     // false: quantisation factors over 255 (16-bit tables, SOF1)
};

// A textured colour image: smooth gradients, hard edges and noise, so that every Huffman code length
// and both signs of DC differences occur.
std::vector<uint8_t> texture(int w, int h, int channels, uint32_t seed) {
    std::vector<uint8_t> px(std::size_t(w) * h * channels);
    std::mt19937 rng(seed);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            for (int c = 0; c < channels; ++c) {
                int v = (x * (3 + c) + y * (5 - c)) % 256;
                if (((x / 37) + (y / 23)) % 3 == c % 3) v = 255 - v;
                v += static_cast<int>(rng() % 41) - 20;
                px[(std::size_t(y) * w + x) * channels + c] = static_cast<uint8_t>(std::clamp(v, 0, 255));
            }
        }
    }
    return px;
}

// A JPEG written with libjpeg's own API, which (unlike TurboJPEG's) sets restart intervals and any
// sampling factors.
std::vector<uint8_t> libjpeg_encode(int w, int h, const Encoding& e, uint32_t seed = 1) {
    const std::vector<uint8_t> pixels = texture(w, h, e.components, seed);
    jpeg_compress_struct cinfo{};
    jpeg_error_mgr jerr{};
    cinfo.err = jpeg_std_error(&jerr);
    jerr.emit_message = [](j_common_ptr, int) {};  // quality 5 warns that its tables are coarse: intended
    jpeg_create_compress(&cinfo);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;  // NOLINT(google-runtime-int): libjpeg's type
    jpeg_mem_dest(&cinfo, &buffer, &size);
    cinfo.image_width = static_cast<JDIMENSION>(w);
    cinfo.image_height = static_cast<JDIMENSION>(h);
    cinfo.input_components = e.components;
    cinfo.in_color_space = e.components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    if (e.rgb) jpeg_set_colorspace(&cinfo, JCS_RGB);
    jpeg_set_quality(&cinfo, e.quality, e.baseline ? TRUE : FALSE);
    if (e.components == 3) {
        cinfo.comp_info[0].h_samp_factor = e.luma_h;
        cinfo.comp_info[0].v_samp_factor = e.luma_v;
    }
    cinfo.restart_interval = static_cast<unsigned>(e.restart_mcus);
    cinfo.optimize_coding = e.optimize ? TRUE : FALSE;
    if (e.progressive) jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    const int stride = w * e.components;
    while (cinfo.next_scanline < cinfo.image_height) {
        auto* row = const_cast<JSAMPLE*>(&pixels[std::size_t(cinfo.next_scanline) * stride]);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    std::vector<uint8_t> out(buffer, buffer + size);
    std::free(buffer);
    return out;
}

struct Decoded {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb;
};

// TurboJPEG at 1/8, as the jpegdec stage calls it.
Decoded turbojpeg_eighth(const std::vector<uint8_t>& jpeg) {
    std::unique_ptr<void, int (*)(void*)> handle(tjInitDecompress(), &tjDestroy);
    int w = 0, h = 0, subsampling = 0, colorspace = 0;
    const auto size = static_cast<unsigned long>(jpeg.size());  // NOLINT(google-runtime-int)
    REQUIRE(tjDecompressHeader3(handle.get(), jpeg.data(), size, &w, &h, &subsampling, &colorspace) == 0);
    const tjscalingfactor eighth{1, 8};
    Decoded d{TJSCALED(w, eighth), TJSCALED(h, eighth), {}};
    d.rgb.resize(std::size_t(d.width) * d.height * 3);
    const int rc = tjDecompress2(handle.get(), jpeg.data(), size, d.rgb.data(), d.width, d.width * 3, d.height,
                                 TJPF_RGB, TJFLAG_FASTDCT);
    REQUIRE((rc == 0 || tjGetErrorCode(handle.get()) == TJERR_WARNING));  // the stage takes warnings too
    return d;
}

// The fast path's output, or nothing when it declined.
std::optional<Decoded> dc_eighth(const std::vector<uint8_t>& jpeg, int w, int h) {
    Decoded d{(w + 7) / 8, (h + 7) / 8, {}};
    d.rgb.assign(std::size_t(d.width) * d.height * 3, 0);
    if (!decode_eighth_from_dc(jpeg, w, h, d.rgb.data(), std::size_t(d.width) * 3)) return std::nullopt;
    return d;
}

std::size_t differing_bytes(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) n += a[i] != b[i];
    return n + (a.size() > b.size() ? a.size() - b.size() : b.size() - a.size());
}

}  // namespace

TEST_CASE("the DC-only path gives TurboJPEG's 1/8 pixels, byte for byte", "[jpegdec][dc]") {
    struct Case {
        const char* name;
        Encoding encoding;
    };
    const Case cases[] = {
        {"4:2:0", {3, 2, 2, 0, 90}},
        {"4:2:0, restart every MCU", {3, 2, 2, 1, 90}},
        {"4:2:0, restart every 7 MCUs, quality 30", {3, 2, 2, 7, 30}},
        {"4:2:2, restart every 13 MCUs", {3, 2, 1, 13, 75}},
        {"4:4:0", {3, 1, 2, 0, 85}},
        {"4:4:4, quality 100 (large DC differences)", {3, 1, 1, 0, 100}},
        {"4:4:4, quality 5 (factors clamped to 255)", {3, 1, 1, 3, 5}},
        {"4:4:4, quality 3, 16-bit tables (SOF1)", {3, 1, 1, 3, 3, false, false, false, false}},
        {"grayscale", {1, 1, 1, 0, 90}},
        {"grayscale, restart every 5 blocks", {1, 1, 1, 5, 60}},
        {"4:2:0, optimised Huffman tables", {3, 2, 2, 0, 92, false, false, true}},
    };
    const std::pair<int, int> sizes[] = {{800, 600}, {1001, 757}, {333, 1999}, {17, 9}, {8, 8}};
    for (const Case& c : cases) {
        for (const auto& [w, h] : sizes) {
            DYNAMIC_SECTION(c.name << ", " << w << "x" << h) {
                const std::vector<uint8_t> jpeg = libjpeg_encode(w, h, c.encoding, static_cast<uint32_t>(w + h));
                const Decoded want = turbojpeg_eighth(jpeg);
                const std::optional<Decoded> got = dc_eighth(jpeg, w, h);
                REQUIRE(got);
                CHECK(got->width == want.width);
                CHECK(got->height == want.height);
                CHECK(differing_bytes(got->rgb, want.rgb) == 0);
            }
        }
    }
}

TEST_CASE("the DC-only path matches TurboJPEG on the engine's sample photos", "[jpegdec][dc]") {
    // TurboJPEG's own encoder (the sample photos' and most thumbnails' writer): 4:2:0, standard tables.
    const lbx::sample::RgbImage scene = lbx::sample::make_marked_scene(4000, 3000, 3);
    const std::vector<uint8_t> jpeg = lbx::sample::encode_jpeg(scene, 90);
    const Decoded want = turbojpeg_eighth(jpeg);
    const std::optional<Decoded> got = dc_eighth(jpeg, 4000, 3000);
    REQUIRE(got);
    CHECK(got->width == 500);
    CHECK(got->height == 375);
    CHECK(differing_bytes(got->rgb, want.rgb) == 0);
}

TEST_CASE("the DC-only path declines what it does not handle, and TurboJPEG decodes it", "[jpegdec][dc]") {
    const int w = 640, h = 480;
    SECTION("progressive") {
        Encoding e;
        e.progressive = true;
        const auto jpeg = libjpeg_encode(w, h, e);
        CHECK_FALSE(dc_eighth(jpeg, w, h));
    }
    SECTION("RGB, not YCbCr") {
        Encoding e;
        e.rgb = true;
        e.luma_h = e.luma_v = 1;
        const auto jpeg = libjpeg_encode(w, h, e);
        CHECK_FALSE(dc_eighth(jpeg, w, h));
    }
    SECTION("4x4 and smaller, which TurboJPEG decodes at a larger scale for the same size") {
        Encoding e;
        const auto jpeg = libjpeg_encode(4, 3, e);
        CHECK_FALSE(dc_eighth(jpeg, 4, 3));
        CHECK(dc_eighth(libjpeg_encode(5, 3, e), 5, 3));
    }
    SECTION("a size other than the header's") {
        const auto jpeg = libjpeg_encode(w, h, Encoding{});
        CHECK_FALSE(dc_eighth(jpeg, w + 8, h));
    }
    SECTION("no EOI: the data ends early") {
        auto jpeg = libjpeg_encode(w, h, Encoding{});
        for (const std::size_t keep : {jpeg.size() - 2, jpeg.size() / 2, std::size_t{700}}) {
            const std::vector<uint8_t> cut(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(keep));
            CHECK_FALSE(dc_eighth(cut, w, h));
        }
    }
    SECTION("restart markers out of order") {
        Encoding e;
        e.restart_mcus = 4;
        auto jpeg = libjpeg_encode(w, h, e);
        for (std::size_t i = jpeg.size() / 2; i + 1 < jpeg.size(); ++i) {
            if (jpeg[i] == 0xFF && jpeg[i + 1] >= 0xD0 && jpeg[i + 1] <= 0xD7) {
                jpeg[i + 1] = static_cast<uint8_t>(0xD0 + ((jpeg[i + 1] - 0xD0 + 3) & 7));
                break;
            }
        }
        CHECK_FALSE(dc_eighth(jpeg, w, h));
    }
}

TEST_CASE("the DC-only path survives damaged data: never out of bounds, the stage still answers", "[jpegdec][dc]") {
    // Random byte changes in the header and in the data, and random data after a valid header; a
    // decode that still succeeds may differ from TurboJPEG's (libjpeg resynchronises differently), but
    // nothing may crash or read past the buffer (ASan), and the stage must give an image or a clean error.
    Encoding e;
    e.restart_mcus = 9;
    const std::vector<uint8_t> good = libjpeg_encode(400, 300, e, 7);
    const lbx::engine::StageInstance stage = lbx::test::make_stage("jpegdec");
    std::mt19937 rng(42);
    int declined = 0, decoded = 0;
    for (int round = 0; round < 300; ++round) {
        std::vector<uint8_t> bad = good;
        const int changes = 1 + static_cast<int>(rng() % 8);
        for (int i = 0; i < changes; ++i) {
            const std::size_t at = round % 3 == 0 ? 2 + rng() % 600 : 2 + rng() % (bad.size() - 4);
            bad[at] = static_cast<uint8_t>(rng());
        }
        if (round % 10 == 9) bad.resize(2 + rng() % bad.size());
        if (dc_eighth(bad, 400, 300)) ++decoded;
        else ++declined;
        auto r = stage.decode(lbx::test::source_of(bad, "jpeg"), 50, {});
        if (r) CHECK(r->width > 0);
        else CHECK_FALSE(r.error().code.empty());
    }
    CHECK(declined > 0);
    INFO("decoded " << decoded << ", declined " << declined);
}

TEST_CASE("the jpegdec stage uses the DC-only path unless told not to, with the same pixels", "[jpegdec][dc]") {
    const std::vector<uint8_t> jpeg = lbx::sample::encode_jpeg(lbx::sample::make_marked_scene(2000, 1500, 4), 85);
    const lbx::engine::StageInstance fast = lbx::test::make_stage("jpegdec");
    const lbx::engine::StageInstance turbo = lbx::test::make_stage("jpegdec", {{"dc_only", false}});
    auto a = fast.decode(lbx::test::source_of(jpeg, "jpeg"), 250, {});
    auto b = turbo.decode(lbx::test::source_of(jpeg, "jpeg"), 250, {});
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->width == 250);
    CHECK(a->pixels == b->pixels);
}

TEST_CASE("the DC-only path gives TurboJPEG's pixels on the real JPEGs of the shared corpus", "[jpegdec][dc][corpus]") {
    const std::filesystem::path corpus = lbx::test::shared_corpus_dir();
    if (corpus.empty() || !std::filesystem::is_directory(corpus / "good")) {
        WARN("skipped: no shared corpus beside the checkout (../shared/corpus/good)");
        return;
    }
    int same = 0, declined = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus / "good")) {
        if (!entry.is_regular_file()) continue;
        const std::vector<uint8_t> bytes = lbx::test::read_file(entry.path());
        if (bytes.size() < 3 || bytes[0] != 0xFF || bytes[1] != 0xD8 || bytes[2] != 0xFF) continue;
        std::unique_ptr<void, int (*)(void*)> handle(tjInitDecompress(), &tjDestroy);
        int w = 0, h = 0, subsampling = 0, colorspace = 0;
        const auto size = static_cast<unsigned long>(bytes.size());  // NOLINT(google-runtime-int)
        if (tjDecompressHeader3(handle.get(), bytes.data(), size, &w, &h, &subsampling, &colorspace) != 0) continue;
        const std::optional<Decoded> got = dc_eighth(bytes, w, h);
        if (!got) {
            ++declined;
            continue;
        }
        const Decoded want = turbojpeg_eighth(bytes);
        INFO(entry.path().string());
        CHECK(differing_bytes(got->rgb, want.rgb) == 0);
        ++same;
    }
    WARN("shared corpus: " << same << " JPEGs decoded from their DC coefficients, " << declined
                           << " left to TurboJPEG");
    CHECK(same > 100);
}
