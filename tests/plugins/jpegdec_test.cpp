// The "jpegdec" decode stage on JPEGs made here: colours at known spots, DCT scaling to the size asked,
// grayscale and CMYK input, and a negative corpus (empty, truncated, wrong magic, garbage, a 65000x65000
// header). The [corpus] case feeds every malformed image of ../shared/corpus/bad to its decoder.
#include "sample/bad_files.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/decoder_checks.hpp"
#include "support/plugin_harness.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <turbojpeg.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using lbx::engine::DecodeLimits;
using lbx::sample::Rgb;
using lbx::sample::RgbImage;
using lbx::test::check_close;
using lbx::test::check_marked_scene;
using lbx::test::decoded_at;

namespace {

const lbx::test::StageDecoder decode("jpegdec", "jpeg");

// A JPEG made straight with TurboJPEG in any pixel format and subsampling (grayscale, CMYK).
std::vector<uint8_t> tj_encode(const std::vector<uint8_t>& pixels, int w, int h, int pixel_format, int subsampling) {
    std::unique_ptr<void, int (*)(void*)> handle(tjInitCompress(), &tjDestroy);
    unsigned char* buf = nullptr;
    unsigned long size = 0;  // NOLINT(google-runtime-int)
    const int rc = tjCompress2(handle.get(), pixels.data(), w, 0, h, pixel_format, &buf, &size, subsampling, 95, 0);
    std::vector<uint8_t> out(buf, buf + size);
    tjFree(buf);
    REQUIRE(rc == 0);
    return out;
}

}  // namespace

TEST_CASE("jpegdec decodes a JPEG at full size with the marker colours in place", "[jpegdec]") {
    const RgbImage scene = lbx::sample::make_marked_scene(320, 240, 4);
    auto r = decode(lbx::sample::encode_jpeg(scene, 92));
    REQUIRE(r);
    lbx::test::check_full_size(*r, 320, 240, 0);  // JPEG orientation is EXIF's business: the engine applies it
    CHECK(r->stride == 320 * 3);
    check_marked_scene(*r, scene, 12);
}

TEST_CASE("jpegdec decodes at the smallest DCT scale that covers min_long_edge", "[jpegdec]") {
    const RgbImage scene = lbx::sample::make_marked_scene(2000, 1500, 7);
    const std::vector<uint8_t> jpeg = lbx::sample::encode_jpeg(scene, 85);

    SECTION("256 on 2000x1500: 1/4 (500x375), since 1/8 would give 250") {
        auto r = decode(jpeg, 256);
        REQUIRE(r);
        CHECK(r->width == 500);
        CHECK(r->height == 375);
        CHECK(r->source_width == 2000);
        CHECK(r->source_height == 1500);
        check_marked_scene(*r, scene, 14);
    }
    SECTION("250 on 2000x1500: exactly 1/8") {
        auto r = decode(jpeg, 250);
        REQUIRE(r);
        CHECK(r->width == 250);
        CHECK(r->height == 188);  // ceil(1500 / 8)
        check_marked_scene(*r, scene, 16);
    }
    SECTION("1024 on 2000x1500: 5/8 (1250x938), since 1/2 would give 1000") {
        auto r = decode(jpeg, 1024);
        REQUIRE(r);
        CHECK(r->width == 1250);
        CHECK(r->height == 938);
    }
    SECTION("0, or more than the image has: full size") {
        for (uint32_t edge : {0u, 2000u, 5000u}) {
            auto r = decode(jpeg, edge);
            REQUIRE(r);
            CHECK(r->width == 2000);
            CHECK(r->height == 1500);
        }
    }
}

TEST_CASE("jpegdec on a 4000x3000 photo: 1/8 for 256, 3/8 for 1024", "[jpegdec]") {
    const std::vector<uint8_t> jpeg = lbx::sample::encode_jpeg(lbx::sample::make_marked_scene(4000, 3000, 2), 80);
    auto small = decode(jpeg, 256);
    REQUIRE(small);
    CHECK(small->width == 500);
    CHECK(small->height == 375);
    auto large = decode(jpeg, 1024);
    REQUIRE(large);
    CHECK(large->width == 1500);
    CHECK(large->height == 1125);
    CHECK(large->source_width == 4000);
}

TEST_CASE("jpegdec turns grayscale JPEGs into RGB", "[jpegdec]") {
    const int w = 64, h = 48;
    std::vector<uint8_t> gray(std::size_t(w) * h);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) gray[std::size_t(y) * w + x] = x < w / 2 ? 40 : 200;
    auto r = decode(tj_encode(gray, w, h, TJPF_GRAY, TJSAMP_GRAY));
    REQUIRE(r);
    CHECK(r->width == 64);
    const Rgb dark = decoded_at(*r, 0.2, 0.5), light = decoded_at(*r, 0.8, 0.5);
    check_close(dark, {40, 40, 40}, 3);
    check_close(light, {200, 200, 200}, 3);
}

TEST_CASE("jpegdec converts Adobe CMYK/YCCK JPEGs to RGB", "[jpegdec]") {
    // TurboJPEG writes CMYK input as YCCK with an Adobe marker; Adobe CMYK is inverted (255 = no ink),
    // so (r, g, b, 255) must come back as (r, g, b).
    const int w = 64, h = 64;
    std::vector<uint8_t> cmyk(std::size_t(w) * h * 4);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            uint8_t* p = &cmyk[(std::size_t(y) * w + x) * 4];
            const Rgb c = y < h / 2 ? Rgb{230, 20, 20} : Rgb{20, 20, 230};
            p[0] = c.r;
            p[1] = c.g;
            p[2] = c.b;
            p[3] = 255;
        }
    }
    const std::vector<uint8_t> jpeg = tj_encode(cmyk, w, h, TJPF_CMYK, TJSAMP_444);
    auto r = decode(jpeg);
    REQUIRE(r);
    check_close(decoded_at(*r, 0.5, 0.2), {230, 20, 20}, 6);
    check_close(decoded_at(*r, 0.5, 0.8), {20, 20, 230}, 6);
    auto scaled = decode(jpeg, 16);  // DCT scaling works for CMYK too
    REQUIRE(scaled);
    CHECK(scaled->width == 16);
    check_close(decoded_at(*scaled, 0.5, 0.2), {230, 20, 20}, 8);
}

TEST_CASE("jpegdec: one instance decodes from several threads at once", "[jpegdec]") {
    const std::vector<uint8_t> jpeg = lbx::sample::encode_jpeg(lbx::sample::make_marked_scene(400, 300, 9), 85);
    auto reference = decode(jpeg, 0);
    REQUIRE(reference);
    std::vector<std::vector<uint8_t>> results(4);
    std::vector<std::thread> threads;
    for (auto& out : results) {
        threads.emplace_back([&jpeg, &out] {
            for (int i = 0; i < 5; ++i) {
                auto r = decode(jpeg, 0);
                if (r) out = r->pixels;
            }
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& out : results) CHECK(out == reference->pixels);
}

TEST_CASE("jpegdec rejects bad JPEGs with a clean status", "[jpegdec]") {
    const std::vector<uint8_t> good = lbx::sample::encode_jpeg(lbx::sample::make_marked_scene(320, 240, 5), 90);

    SECTION("zero bytes") { lbx::test::check_fails(decode({}), "corrupt", "empty file: 0 bytes"); }
    SECTION("truncated in the header, in the scan, before EOI") {
        lbx::test::check_truncations_fail(decode, good, {2, 20, 150, 400, good.size() / 4, good.size() / 2,
                                                         good.size() - 100, good.size() - 2});
    }
    SECTION("truncated, scaled decode") {
        auto r = decode(lbx::sample::truncate_bytes(good, good.size() / 2), 64);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "truncated");
    }
    SECTION("wrong magic") { lbx::test::check_fails(decode(lbx::sample::with_wrong_magic(good)), "unsupported"); }
    SECTION("garbage, with and without a JPEG signature") {
        const auto with_signature = [](std::vector<uint8_t>& junk, uint32_t) {
            junk[0] = 0xFF, junk[1] = 0xD8, junk[2] = 0xFF;
        };
        lbx::test::check_garbage_fails(decode, 2000, 100, with_signature, {"corrupt", "truncated"});
    }
    SECTION("a 65000x65000 header is refused before any allocation") {
        const std::vector<uint8_t> bomb = lbx::sample::jpeg_claiming_size(65000, 65000);
        const auto start = std::chrono::steady_clock::now();
        auto r = decode(bomb);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "too_large");
        CHECK(r.error().message == "image is 65000x65000 (4225 MP), over the limit of 250 MP");
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
        auto scaled = decode(bomb, 256);  // the limit is on the stored size, whatever the scale
        REQUIRE_FALSE(scaled);
        CHECK(scaled.error().code == "too_large");
    }
    SECTION("a lower pixel limit applies") {
        auto r = decode(good, 0, DecodeLimits{320 * 240 - 1});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "too_large");
        CHECK(decode(good, 0, DecodeLimits{320 * 240}));
    }
    SECTION("a header claiming more than its scan holds") {
        auto r = decode(lbx::sample::jpeg_claiming_size(2000, 2000));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "truncated");
    }
    SECTION("corrupt bytes in the scan still decode or fail cleanly") {
        std::vector<uint8_t> damaged = good;
        for (std::size_t i = 700; i < damaged.size() - 2; i += 97) damaged[i] ^= 0x5A;
        auto r = decode(damaged);
        if (!r) CHECK((r.error().code == "corrupt" || r.error().code == "truncated"));
    }
}

// --------------------------------------------------------------------------------------- corpus
namespace {

// The decode stage for a file's signature, or "" when it is none of the five formats.
std::pair<std::string, std::string> stage_for(const std::vector<uint8_t>& head) {
    auto at = [&](std::size_t offset, const char* magic, std::size_t n) {
        return head.size() >= offset + n && std::memcmp(head.data() + offset, magic, n) == 0;
    };
    if (at(0, "\xFF\xD8\xFF", 3)) return {"jpegdec", "jpeg"};
    if (at(0, "\x89PNG\r\n\x1A\n", 8)) return {"pngdec", "png"};
    if (at(0, "II*\0", 4) || at(0, "MM\0*", 4) || at(0, "II+\0", 4) || at(0, "MM\0+", 4)) return {"tiffdec", "tiff"};
    if (at(0, "RIFF", 4) && at(8, "WEBP", 4)) return {"webpdec", "webp"};
    static const char* const kBrands[] = {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis"};
    for (const char* brand : kBrands) {
        if (at(4, "ftyp", 4) && at(8, brand, 4)) return {"heifdec", std::string(brand).rfind("avi", 0) == 0 ? "avif" : "heif"};
    }
    return {"", ""};
}

}  // namespace

TEST_CASE("every decoder survives the malformed images of the shared corpus", "[jpegdec][corpus]") {
    const std::filesystem::path corpus = lbx::test::shared_corpus_dir();
    if (corpus.empty() || !std::filesystem::is_directory(corpus / "bad")) {
        WARN("skipped: no shared corpus beside the checkout (../shared/corpus/bad)");
        return;
    }
    std::map<std::string, lbx::engine::StageInstance> stages;
    for (const char* id : {"jpegdec", "pngdec", "tiffdec", "webpdec", "heifdec"}) stages.emplace(id, lbx::test::make_stage(id));

    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus / "bad")) {
        if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());

    std::map<std::string, int> outcomes;  // "jpegdec ok", "pngdec corrupt", ...
    const auto start = std::chrono::steady_clock::now();
    for (const auto& path : files) {
        const std::vector<uint8_t> bytes = lbx::test::read_file(path);
        const auto [stage_id, format] = stage_for(bytes);
        if (stage_id.empty()) continue;
        INFO(path.string());
        const auto file_start = std::chrono::steady_clock::now();
        auto r = stages.at(stage_id).decode(lbx::test::source_of(bytes, format, path.string()), 1024, DecodeLimits{});
        const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - file_start).count();
        CHECK(seconds < 20);  // no hangs
        if (r) {
            CHECK(r->width > 0);
            CHECK(r->pixels.size() == std::size_t(r->stride) * r->height);
        } else {
            CHECK_FALSE(r.error().message.empty());
            CHECK(r.error().code != "internal");
        }
        ++outcomes[stage_id + " " + (r ? std::string("ok") : r.error().code)];
    }
    std::string summary;
    for (const auto& [key, count] : outcomes) summary += key + ": " + std::to_string(count) + "; ";
    WARN("bad corpus: " << summary << "in "
                        << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s");
}

namespace {

// truth/refcheck.tsv: path -> vips_decode_rc (0 when libvips decoded the whole file).
std::map<std::string, std::string> vips_decode_results(const std::filesystem::path& corpus) {
    std::map<std::string, std::string> out;
    std::ifstream in(corpus / "truth" / "refcheck.tsv");
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::vector<std::string> cols;
        std::size_t start = 0;
        for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
            cols.push_back(line.substr(start, tab - start));
        }
        cols.push_back(line.substr(start));
        if (cols.size() > 4) out[cols[0]] = cols[4];
    }
    return out;
}

}  // namespace

TEST_CASE("the decoders read the valid images of the shared corpus that libvips reads", "[jpegdec][corpus][slow]") {
    const std::filesystem::path corpus = lbx::test::shared_corpus_dir();
    if (corpus.empty() || !std::filesystem::is_directory(corpus / "good")) {
        WARN("skipped: no shared corpus beside the checkout (../shared/corpus/good)");
        return;
    }
    const auto vips = vips_decode_results(corpus);
    std::map<std::string, lbx::engine::StageInstance> stages;
    for (const char* id : {"jpegdec", "pngdec", "tiffdec", "webpdec", "heifdec"}) stages.emplace(id, lbx::test::make_stage(id));

    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus / "good")) {
        if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::map<std::string, int> outcomes;
    const auto start = std::chrono::steady_clock::now();
    for (const auto& path : files) {
        const std::vector<uint8_t> bytes = lbx::test::read_file(path);
        const auto [stage_id, format] = stage_for(bytes);
        if (stage_id.empty()) continue;
        const std::string rel = std::filesystem::relative(path, corpus).generic_string();
        auto r = stages.at(stage_id).decode(lbx::test::source_of(bytes, format, path.string()), 1024, DecodeLimits{});
        ++outcomes[stage_id + " " + (r ? std::string("ok") : r.error().code)];
        const auto it = vips.find(rel);
        if (!r && it != vips.end() && it->second == "0") {
            FAIL_CHECK(rel << ": " << r.error().code << ": " << r.error().message);
        }
    }
    std::string summary;
    for (const auto& [key, count] : outcomes) summary += key + ": " + std::to_string(count) + "; ";
    WARN("good corpus: " << summary << "in "
                         << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s");
}
