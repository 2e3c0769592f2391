// The "thumbnail" stage through the plugin ABI: marked scenes stored under each EXIF orientation come
// out upright with their red and blue corners in place, at the asked long edges (never enlarged); a
// 1-pixel checkerboard becomes flat gray (no aliasing); bad parameters and bad inputs give clean
// errors; concurrent calls on one instance agree.
#include "sample/rgb_image.hpp"
#include "support/plugin_harness.hpp"

#include <catch2/catch.hpp>
#include <turbojpeg.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {


using lbx::engine::EncodedThumbnail;
using lbx::engine::Image;
using lbx::sample::RgbImage;

Image image_of(const RgbImage& picture) {
    Image image;
    image.width = picture.width;
    image.height = picture.height;
    image.stride = picture.width * 3;
    image.pixels = picture.pixels;
    image.source_width = picture.width;
    image.source_height = picture.height;
    return image;
}

struct Decoded {
    int width = 0, height = 0, subsampling = -1;
    std::vector<uint8_t> pixels;

    // The average colour of the (2r+1)^2 pixels around (x, y).
    lbx::sample::Rgb at(int x, int y, int r = 1) const {
        int sum[3] = {0, 0, 0}, n = 0;
        for (int yy = std::max(0, y - r); yy <= std::min(height - 1, y + r); ++yy)
            for (int xx = std::max(0, x - r); xx <= std::min(width - 1, x + r); ++xx, ++n)
                for (int c = 0; c < 3; ++c) sum[c] += pixels[(std::size_t(yy) * width + xx) * 3 + c];
        return {uint8_t(sum[0] / n), uint8_t(sum[1] / n), uint8_t(sum[2] / n)};
    }
};

Decoded decode_jpeg(const std::vector<uint8_t>& jpeg) {
    std::unique_ptr<void, int (*)(tjhandle)> tj(tjInitDecompress(), &tjDestroy);
    REQUIRE(tj);
    Decoded d;
    int colorspace = 0;
    REQUIRE(tjDecompressHeader3(tj.get(), jpeg.data(), static_cast<unsigned long>(jpeg.size()), &d.width, &d.height,
                                &d.subsampling, &colorspace) == 0);
    d.pixels.resize(std::size_t(d.width) * d.height * 3);
    REQUIRE(tjDecompress2(tj.get(), jpeg.data(), static_cast<unsigned long>(jpeg.size()), d.pixels.data(), d.width,
                          0, d.height, TJPF_RGB, 0) == 0);
    return d;
}

using Result = lbx::engine::Expected<std::vector<EncodedThumbnail>>;

Result run(const lbx::engine::StageInstance& stage, const Image& image, uint32_t orientation,
           std::vector<uint32_t> sizes) {
    static const std::vector<uint8_t> no_bytes;
    const lbx::engine::Source source = lbx::test::source_of(no_bytes, "jpeg", "scene.jpg");
    const lbx::engine::Metadata metadata;
    return stage.thumbnail(source, image, metadata, orientation, sizes);
}

std::vector<EncodedThumbnail> run_ok(const lbx::engine::StageInstance& stage, const Image& image,
                                     uint32_t orientation, std::vector<uint32_t> sizes) {
    Result r = run(stage, image, orientation, sizes);
    if (!r) FAIL("thumbnail failed: " << r.error().code << ": " << r.error().message);
    REQUIRE(r->size() == sizes.size());
    return std::move(*r);
}

bool is_red(lbx::sample::Rgb c) { return c.r > c.g + 120 && c.r > c.b + 120; }
bool is_blue(lbx::sample::Rgb c) { return c.b > c.r + 120 && c.b > c.g + 120; }
bool is_sky(lbx::sample::Rgb c) { return c.g > c.r + 20 && c.b > c.g + 20 && c.g > 110; }
bool is_ground(lbx::sample::Rgb c) { return c.g > c.r + 40 && c.g > c.b + 40; }

std::string describe(lbx::sample::Rgb c) {
    return "(" + std::to_string(c.r) + ", " + std::to_string(c.g) + ", " + std::to_string(c.b) + ")";
}

// The marks of make_marked_scene at their upright places: red block top-left, blue bottom-right, sky
// across the top, green ground at the bottom left.
void check_upright_marks(const Decoded& d) {
    const int w = d.width, h = d.height;
    const auto red = d.at(w / 10, h / 10), blue = d.at(w - 1 - w / 10, h - 1 - h / 10);
    const auto sky_middle = d.at(w / 2, h / 10), sky_right = d.at(w - 1 - w / 10, h / 10);
    const auto ground = d.at(w / 10, h - 1 - h / 10);
    INFO("red " << describe(red) << ", blue " << describe(blue) << ", sky " << describe(sky_middle) << " and "
                << describe(sky_right) << ", ground " << describe(ground));
    CHECK(is_red(red));
    CHECK(is_blue(blue));
    CHECK(is_sky(sky_middle));
    CHECK(is_sky(sky_right));
    CHECK(is_ground(ground));
}

}  // namespace

TEST_CASE("thumbnail turns each EXIF orientation upright at every size", "[thumbnail]") {
    const lbx::engine::StageInstance stage = lbx::test::make_stage("thumbnail");
    for (int o = 1; o <= 8; ++o) {
        INFO("EXIF orientation " << o);
        const RgbImage upright = lbx::sample::make_marked_scene(400, 300, static_cast<uint32_t>(o));
        const RgbImage stored = lbx::sample::store_for_orientation(upright, o);
        REQUIRE(stored.width == (o >= 5 ? 300u : 400u));
        const auto thumbs = run_ok(stage, image_of(stored), static_cast<uint32_t>(o), {256, 64});

        CHECK(thumbs[0].size == 256);
        CHECK(thumbs[0].width == 256);
        CHECK(thumbs[0].height == 192);
        CHECK(thumbs[1].size == 64);
        CHECK(thumbs[1].width == 64);
        CHECK(thumbs[1].height == 48);
        for (const EncodedThumbnail& t : thumbs) {
            INFO("size " << t.size);
            CHECK(t.mime_type == "image/jpeg");
            const Decoded d = decode_jpeg(t.data);
            CHECK(d.width == int(t.width));
            CHECK(d.height == int(t.height));
            CHECK(d.subsampling == TJSAMP_420);
            check_upright_marks(d);
        }
    }
}

TEST_CASE("thumbnail never enlarges and keeps the aspect ratio", "[thumbnail]") {
    const lbx::engine::StageInstance stage = lbx::test::make_stage("thumbnail");

    SECTION("a 100x50 image asked for 256 stays 100x50, with its colour") {
        const RgbImage small = lbx::sample::make_solid(100, 50, {200, 120, 40});
        const auto thumbs = run_ok(stage, image_of(small), 1, {256});
        CHECK(thumbs[0].size == 256);
        CHECK(thumbs[0].width == 100);
        CHECK(thumbs[0].height == 50);
        const Decoded d = decode_jpeg(thumbs[0].data);
        REQUIRE(d.width == 100);
        REQUIRE(d.height == 50);
        const auto c = d.at(50, 25);
        CHECK(std::abs(c.r - 200) <= 3);
        CHECK(std::abs(c.g - 120) <= 3);
        CHECK(std::abs(c.b - 40) <= 3);
    }
    SECTION("a small image stored on its side is still turned upright") {
        const RgbImage upright = lbx::sample::make_marked_scene(100, 60, 3);
        const auto thumbs = run_ok(stage, image_of(lbx::sample::store_for_orientation(upright, 6)), 6, {256, 1024});
        for (const EncodedThumbnail& t : thumbs) {
            CHECK(t.width == 100);
            CHECK(t.height == 60);
        }
        check_upright_marks(decode_jpeg(thumbs[0].data));
    }
    SECTION("a size between the two edges scales the long one") {
        const RgbImage tall = lbx::sample::make_marked_scene(300, 500, 4);  // portrait, stored upright
        const auto thumbs = run_ok(stage, image_of(tall), 1, {400, 333, 16});
        CHECK(thumbs[0].width == 240);
        CHECK(thumbs[0].height == 400);
        CHECK(thumbs[1].width == 200);  // 300 * 333 / 500 = 199.8
        CHECK(thumbs[1].height == 333);
        CHECK(thumbs[2].width == 10);  // 9.6
        CHECK(thumbs[2].height == 16);
        check_upright_marks(decode_jpeg(thumbs[0].data));
    }
    SECTION("single rows and columns keep at least one pixel") {
        const RgbImage column = lbx::sample::make_solid(1, 1000, {10, 200, 30});
        auto thumbs = run_ok(stage, image_of(column), 1, {256});
        CHECK(thumbs[0].width == 1);
        CHECK(thumbs[0].height == 256);
        const Decoded d = decode_jpeg(thumbs[0].data);
        CHECK(is_ground(d.at(0, 128, 0)));

        const RgbImage row = lbx::sample::make_solid(3000, 2, {10, 200, 30});
        thumbs = run_ok(stage, image_of(row), 6, {256});  // stored 3000x2 on its side: upright 2x3000
        CHECK(thumbs[0].width == 1);
        CHECK(thumbs[0].height == 256);

        const RgbImage dot = lbx::sample::make_solid(1, 1, {250, 250, 250});
        thumbs = run_ok(stage, image_of(dot), 8, {64});
        CHECK(thumbs[0].width == 1);
        CHECK(thumbs[0].height == 1);
    }
}

TEST_CASE("thumbnail cascades sizes and handles any order", "[thumbnail]") {
    const lbx::engine::StageInstance stage = lbx::test::make_stage("thumbnail");
    const RgbImage upright = lbx::sample::make_marked_scene(2000, 1500, 11);
    const Image stored = image_of(lbx::sample::store_for_orientation(upright, 3));

    const auto thumbs = run_ok(stage, stored, 3, {1024, 256, 64});  // 256 from 1024, 64 from 256
    const uint32_t expected[3][3] = {{1024, 1024, 768}, {256, 256, 192}, {64, 64, 48}};
    for (int i = 0; i < 3; ++i) {
        INFO("size " << expected[i][0]);
        CHECK(thumbs[i].size == expected[i][0]);
        CHECK(thumbs[i].width == expected[i][1]);
        CHECK(thumbs[i].height == expected[i][2]);
        check_upright_marks(decode_jpeg(thumbs[i].data));
    }
    const auto reversed = run_ok(stage, stored, 3, {64, 1024, 256});
    CHECK(reversed[0].size == 64);
    CHECK(reversed[0].width == 64);
    CHECK(reversed[1].width == 1024);
    CHECK(reversed[2].height == 192);
    check_upright_marks(decode_jpeg(reversed[2].data));
    CHECK(run_ok(stage, stored, 3, {}).empty());  // nothing asked, nothing made
}

TEST_CASE("thumbnail of a 1-pixel checkerboard is flat mid-gray (no aliasing)", "[thumbnail]") {
    RgbImage board(1000, 1000);
    for (uint32_t y = 0; y < 1000; ++y)
        for (uint32_t x = 0; x < 1000; ++x)
            if ((x + y) % 2 == 0) board.set(x, y, {255, 255, 255});
    for (const char* filter : {"lanczos3", "catrom", "triangle"}) {
        INFO("filter " << filter);
        const lbx::engine::StageInstance stage = lbx::test::make_stage("thumbnail", {{"filter", std::string(filter)}});
        const auto thumbs = run_ok(stage, image_of(board), 1, {100});
        REQUIRE(thumbs[0].width == 100);
        REQUIRE(thumbs[0].height == 100);
        const Decoded d = decode_jpeg(thumbs[0].data);
        int lo = 255, hi = 0;
        for (uint8_t v : d.pixels) {
            lo = std::min<int>(lo, v);
            hi = std::max<int>(hi, v);
        }
        INFO("values " << lo << ".." << hi);
        CHECK(lo >= 108);
        CHECK(hi <= 148);
    }
}

TEST_CASE("thumbnail parameters: filter names and quality range", "[thumbnail]") {
    const lbx::engine::LoadedStage* stage = lbx::test::built_plugins().find_stage("thumbnail");
    REQUIRE(stage != nullptr);
    CHECK(stage->kind == LBX_STAGE_THUMBNAIL);
    CHECK(stage->plugin->id == "org.lightbox.thumbnail");
    CHECK(stage->plugin->version == "1.0.0");

    SECTION("an unknown filter fails creation with a clear message") {
        auto params = lbx::engine::resolve_params(*stage->desc, {{"filter", std::string("bicubic")}}, "/");
        REQUIRE(params);
        auto instance = lbx::engine::StageInstance::create(*stage, std::move(*params));
        REQUIRE_FALSE(instance);
        CHECK(instance.error().code == "invalid_param");
        CHECK_THAT(instance.error().message, Catch::Contains("unknown filter 'bicubic'") &&
                                                 Catch::Contains("lanczos3, catrom, triangle"));
    }
    SECTION("quality outside 1..100 is refused by the host") {
        for (int64_t q : {int64_t(0), int64_t(101), int64_t(-5)}) {
            auto params = lbx::engine::resolve_params(*stage->desc, {{"quality", q}}, "/");
            CHECK_FALSE(params);
            if (!params) CHECK_THAT(params.error().message, Catch::Contains("quality"));
        }
        for (int64_t q : {int64_t(1), int64_t(100)}) {
            CHECK(lbx::engine::resolve_params(*stage->desc, {{"quality", q}}, "/"));
        }
    }
    SECTION("quality changes the bytes: 20 is much smaller than 95") {
        const Image scene = image_of(lbx::sample::make_marked_scene(800, 600, 5));
        const auto low = run_ok(lbx::test::make_stage("thumbnail", {{"quality", int64_t(20)}}), scene, 1, {512});
        const auto high = run_ok(lbx::test::make_stage("thumbnail", {{"quality", int64_t(95)}}), scene, 1, {512});
        INFO("q20: " << low[0].data.size() << " bytes, q95: " << high[0].data.size() << " bytes");
        CHECK(low[0].data.size() * 2 < high[0].data.size());
        check_upright_marks(decode_jpeg(low[0].data));
    }
}

TEST_CASE("thumbnail refuses unusable input with a clean error", "[thumbnail]") {
    const lbx::engine::StageInstance stage = lbx::test::make_stage("thumbnail");
    const Image good = image_of(lbx::sample::make_marked_scene(64, 48, 1));

    SECTION("an image without pixels") {
        Image empty;
        Result r = run(stage, empty, 1, {256});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "corrupt");
        CHECK_THAT(r.error().message, Catch::Contains("image has no pixels (0x0)"));
    }
    SECTION("rows closer together than the width needs") {
        Image bad = good;
        bad.stride = 100;  // 64 RGB pixels need 192
        Result r = run(stage, bad, 1, {32});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "corrupt");
        CHECK_THAT(r.error().message, Catch::Contains("100 bytes apart"));
    }
    SECTION("a zero size") {
        Result r = run(stage, good, 1, {32, 0});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "invalid_param");
        CHECK_THAT(r.error().message, Catch::Contains("size 0"));
    }
    SECTION("an orientation outside 1..8 is taken as 1") {
        for (uint32_t o : {0u, 9u, 1000u}) {
            const auto thumbs = run_ok(stage, good, o, {64});
            CHECK(thumbs[0].width == 64);
            CHECK(thumbs[0].height == 48);
            check_upright_marks(decode_jpeg(thumbs[0].data));
        }
    }
    SECTION("padded rows are read correctly") {
        const RgbImage scene = lbx::sample::make_marked_scene(200, 150, 2);
        Image padded = image_of(scene);
        padded.stride = 200 * 3 + 40;
        padded.pixels.assign(std::size_t(padded.stride) * 150, 0);
        for (uint32_t y = 0; y < 150; ++y)
            std::memcpy(&padded.pixels[std::size_t(y) * padded.stride], &scene.pixels[std::size_t(y) * 600], 600);
        const auto thumbs = run_ok(stage, padded, 1, {200, 100});
        check_upright_marks(decode_jpeg(thumbs[0].data));  // 200: encoded straight from the padded rows
        check_upright_marks(decode_jpeg(thumbs[1].data));
    }
}

TEST_CASE("thumbnail gives the same bytes from several threads at once", "[thumbnail]") {
    const lbx::engine::StageInstance stage = lbx::test::make_stage("thumbnail");
    std::vector<Image> images;
    for (int o = 1; o <= 8; ++o)
        images.push_back(image_of(lbx::sample::store_for_orientation(lbx::sample::make_marked_scene(640, 480, 7), o)));
    std::vector<std::vector<EncodedThumbnail>> expected;
    for (int o = 1; o <= 8; ++o) expected.push_back(run_ok(stage, images[o - 1], uint32_t(o), {320, 100}));

    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 3; ++round) {
                for (int o = 1; o <= 8; ++o) {
                    Result r = run(stage, images[o - 1], uint32_t(o), {320, 100});
                    if (!r || r->size() != 2 || (*r)[0].data != expected[o - 1][0].data ||
                        (*r)[1].data != expected[o - 1][1].data)
                        ++mismatches[t];
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(mismatches == std::vector<int>(4, 0));
}
