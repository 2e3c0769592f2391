// The perceptual hash: copies of one picture (resized, recompressed, re-encoded, rotation baked into
// the pixels) land a few bits apart; different pictures land far apart.
#include "pipeline/perceptual_hash.hpp"
#include "pipeline/pipeline.hpp"
#include "sample/exif_writer.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

using namespace lbx::engine;
using lbx::sample::RgbImage;

namespace {

uint64_t hash_of(const RgbImage& image, uint32_t orientation = 1) {
    auto h = perceptual_hash(image.pixels.data(), image.width, image.height, image.width * 3, orientation);
    REQUIRE(h);
    return *h;
}

// A box-filtered copy at a smaller size, as an editor's "resize" makes.
RgbImage shrunk(const RgbImage& image, uint32_t width, uint32_t height) {
    RgbImage out(width, height);
    for (uint32_t y = 0; y < height; ++y)
        for (uint32_t x = 0; x < width; ++x) {
            const uint32_t x0 = x * image.width / width, x1 = std::max(x0 + 1, (x + 1) * image.width / width);
            const uint32_t y0 = y * image.height / height, y1 = std::max(y0 + 1, (y + 1) * image.height / height);
            uint32_t r = 0, g = 0, b = 0, n = 0;
            for (uint32_t sy = y0; sy < y1; ++sy)
                for (uint32_t sx = x0; sx < x1; ++sx) {
                    const auto c = image.at(sx, sy);
                    r += c.r, g += c.g, b += c.b, ++n;
                }
            out.set(x, y, {uint8_t(r / n), uint8_t(g / n), uint8_t(b / n)});
        }
    return out;
}

const PluginRegistry& registry() {
    static PluginRegistry r;
    static bool loaded = false;
    if (!loaded) {
        r.load_directories({LIGHTBOX_TEST_PLUGIN_DIR});
        loaded = true;
    }
    return r;
}

}  // namespace

TEST_CASE("a resized copy hashes a few bits from its original, another picture far", "[pipeline][similar]") {
    const RgbImage original = lbx::sample::make_marked_scene(800, 600, 7);
    const uint64_t h = hash_of(original);
    CHECK(hamming_distance(h, hash_of(shrunk(original, 400, 300))) <= 4);
    CHECK(hamming_distance(h, hash_of(shrunk(original, 160, 120))) <= 6);
    for (uint32_t seed : {1u, 2u, 3u, 11u}) {
        INFO("seed " << seed);
        // The generated scenes share their layout (sky over ground, blocks): closer than real photos.
        CHECK(hamming_distance(h, hash_of(lbx::sample::make_marked_scene(800, 600, seed))) > kDefaultSimilarDistance);
    }
    CHECK(hamming_distance(h, hash_of(lbx::sample::make_solid(800, 600, {200, 30, 30}))) > kDefaultSimilarDistance);
}

TEST_CASE("the hash is of the upright picture: stored rotated with an EXIF orientation, it is the same", "[pipeline][similar]") {
    const RgbImage upright = lbx::sample::make_marked_scene(600, 400, 5);
    const uint64_t h = hash_of(upright);
    for (int orientation = 2; orientation <= 8; ++orientation) {
        INFO("orientation " << orientation);
        CHECK(hamming_distance(h, hash_of(lbx::sample::store_for_orientation(upright, orientation), orientation)) == 0);
        // Read without its orientation the picture is another one (a mirrored or turned scene).
        CHECK(hamming_distance(h, hash_of(lbx::sample::store_for_orientation(upright, orientation))) >= 8);
    }
}

TEST_CASE("an empty image has no perceptual hash", "[pipeline][similar]") {
    CHECK_FALSE(perceptual_hash(nullptr, 0, 0, 0, 1));
    std::vector<uint8_t> one{10, 20, 30};
    CHECK(perceptual_hash(one.data(), 1, 1, 3, 1));
}

TEST_CASE("the scan hashes JPEG, recompressed, resized and WebP copies of a picture close together", "[pipeline][similar]") {
    lbx::test::TempDir dir;
    const RgbImage picture = lbx::sample::make_marked_scene(1200, 800, 9);
    lbx::test::write_file(dir / "original.jpg", lbx::sample::encode_jpeg(picture, 95));
    lbx::test::write_file(dir / "resaved.jpg", lbx::sample::encode_jpeg(picture, 40));
    lbx::test::write_file(dir / "small.jpg", lbx::sample::encode_jpeg(shrunk(picture, 300, 200), 75));
    lbx::test::write_file(dir / "copy.webp", lbx::sample::encode_webp(picture, 70));
    lbx::test::write_file(dir / "other.jpg", lbx::sample::encode_jpeg(lbx::sample::make_marked_scene(1200, 800, 4), 95));

    auto config = parse_pipeline_config("[thumbnails]\nsizes = [256]\n[[stage]]\nkind = \"metadata\"\n[[stage]]\n"
                                        "kind = \"decode\"\n[[stage]]\nkind = \"thumbnail\"\nuse = \"thumbnail\"\n",
                                        LIGHTBOX_TEST_DATA_DIR "/config/test.toml");
    if (!config) FAIL(config.error().message);
    auto pipeline = Pipeline::build(registry(), *config, dir / "thumbs");
    if (!pipeline) FAIL(pipeline.error().message);
    auto hash = [&](const char* name) {
        PhotoResult r = (*pipeline)->process(InputFile{dir / name, true, {}});
        if (!r.ok()) FAIL(r.failure->message);
        REQUIRE(r.perceptual_hash);
        return *r.perceptual_hash;
    };
    const uint64_t original = hash("original.jpg");
    for (const char* copy : {"resaved.jpg", "small.jpg", "copy.webp"}) {
        INFO(copy);
        CHECK(hamming_distance(original, hash(copy)) <= 4);
    }
    CHECK(hamming_distance(original, hash("other.jpg")) > kDefaultSimilarDistance);
}
