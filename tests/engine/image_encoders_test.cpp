// The sample encoders and bad-file makers (engine/sample/image_encoders.hpp, bad_files.hpp), checked
// with the libraries themselves rather than with the decode plugins: signatures, the sizes the headers
// claim, HEIF orientation boxes written the way real cameras write them, determinism.
#include "sample/bad_files.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"

#include <catch2/catch.hpp>
#include <libheif/heif.h>
#include <png.h>
#include <turbojpeg.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

namespace {

bool starts_with(const std::vector<uint8_t>& bytes, std::size_t offset, const char* magic, std::size_t n) {
    return bytes.size() >= offset + n && std::memcmp(bytes.data() + offset, magic, n) == 0;
}

struct HeifInfo {
    int width = 0, height = 0, ispe_width = 0, ispe_height = 0, thumbnails = 0;
};

HeifInfo heif_info(const std::vector<uint8_t>& bytes) {
    std::unique_ptr<heif_context, void (*)(heif_context*)> ctx(heif_context_alloc(), &heif_context_free);
    REQUIRE(heif_context_read_from_memory_without_copy(ctx.get(), bytes.data(), bytes.size(), nullptr).code ==
            heif_error_Ok);
    heif_image_handle* handle = nullptr;
    REQUIRE(heif_context_get_primary_image_handle(ctx.get(), &handle).code == heif_error_Ok);
    HeifInfo info{heif_image_handle_get_width(handle), heif_image_handle_get_height(handle),
                  heif_image_handle_get_ispe_width(handle), heif_image_handle_get_ispe_height(handle),
                  heif_image_handle_get_number_of_thumbnails(handle)};
    heif_image_handle_release(handle);
    return info;
}

}  // namespace

TEST_CASE("the encoders write each format's signature", "[image_encoders]") {
    const auto scene = lbx::sample::make_marked_scene(64, 48, 1);
    const auto jpeg = lbx::sample::encode_jpeg(scene);
    CHECK(starts_with(jpeg, 0, "\xFF\xD8\xFF", 3));
    CHECK(jpeg[jpeg.size() - 2] == 0xFF);
    CHECK(jpeg[jpeg.size() - 1] == 0xD9);
    CHECK(starts_with(lbx::sample::encode_png(scene), 0, "\x89PNG\r\n\x1A\n", 8));
    CHECK(lbx::sample::encode_png(scene, true)[25] == 6);  // IHDR colour type: RGBA
    CHECK(starts_with(lbx::sample::encode_tiff(scene), 0, "II*\0", 4));
    const auto webp = lbx::sample::encode_webp(scene);
    CHECK(starts_with(webp, 0, "RIFF", 4));
    CHECK(starts_with(webp, 8, "WEBP", 4));
    CHECK(starts_with(lbx::sample::encode_heic(scene), 4, "ftypheic", 8));
    CHECK_THROWS_AS(lbx::sample::encode_jpeg(lbx::sample::RgbImage()), std::runtime_error);
    CHECK_THROWS_AS(lbx::sample::encode_heic(scene, 50, 9), std::runtime_error);
}

TEST_CASE("encode_heic writes the orientation as real cameras do: stored 'ispe', then irot/imir", "[image_encoders]") {
    const auto upright = lbx::sample::make_marked_scene(160, 120, 2);
    for (int orientation = 1; orientation <= 8; ++orientation) {
        INFO("orientation " << orientation);
        const auto stored = lbx::sample::store_for_orientation(upright, orientation);
        const HeifInfo info = heif_info(lbx::sample::encode_heic(stored, 50, orientation));
        CHECK(info.ispe_width == static_cast<int>(stored.width));  // before rotation
        CHECK(info.ispe_height == static_cast<int>(stored.height));
        CHECK(info.width == 160);  // after it
        CHECK(info.height == 120);
        CHECK(info.thumbnails == 0);
    }
    const HeifInfo with_thumb = heif_info(lbx::sample::encode_heic(upright, 50, 1, nullptr, 64));
    CHECK(with_thumb.thumbnails == 1);
}

TEST_CASE("the bad-file makers say what they claim", "[image_encoders]") {
    SECTION("jpeg_claiming_size") {
        const auto bomb = lbx::sample::jpeg_claiming_size(65000, 64000);
        std::unique_ptr<void, int (*)(void*)> tj(tjInitDecompress(), &tjDestroy);
        int w = 0, h = 0, sub = 0, cs = 0;
        REQUIRE(tjDecompressHeader3(tj.get(), bomb.data(), static_cast<unsigned long>(bomb.size()), &w, &h, &sub, &cs) == 0);
        CHECK(w == 65000);
        CHECK(h == 64000);
        CHECK(bomb.size() < 2000);
        CHECK_THROWS_AS(lbx::sample::jpeg_claiming_size(100000, 100000), std::runtime_error);
        CHECK_THROWS_AS(lbx::sample::jpeg_claiming_size(0, 10), std::runtime_error);
    }
    SECTION("png_claiming_size: libpng accepts the signature, the IHDR and its CRC") {
        const auto bomb = lbx::sample::png_claiming_size(100000, 100000);
        png_image image{};
        image.version = PNG_IMAGE_VERSION;
        REQUIRE(png_image_begin_read_from_memory(&image, bomb.data(), bomb.size()));
        CHECK(image.width == 100000);
        CHECK(image.height == 100000);
        png_image_free(&image);
        CHECK(bomb.size() < 200);
    }
    SECTION("garbage_bytes is deterministic per seed") {
        CHECK(lbx::sample::garbage_bytes(100, 1) == lbx::sample::garbage_bytes(100, 1));
        CHECK(lbx::sample::garbage_bytes(100, 1) != lbx::sample::garbage_bytes(100, 2));
        CHECK(lbx::sample::garbage_bytes(0, 1).empty());
        CHECK(lbx::sample::garbage_bytes(12345, 9).size() == 12345);
    }
    SECTION("truncate_bytes and with_wrong_magic") {
        const std::vector<uint8_t> bytes = lbx::sample::encode_webp(lbx::sample::make_scene(32, 32, 1));
        CHECK(lbx::sample::truncate_bytes(bytes, 10) == std::vector<uint8_t>(bytes.begin(), bytes.begin() + 10));
        CHECK(lbx::sample::truncate_bytes(bytes, bytes.size() + 5) == bytes);
        const auto wrong = lbx::sample::with_wrong_magic(bytes);
        CHECK(wrong.size() == bytes.size());
        CHECK_FALSE(starts_with(wrong, 0, "RIFF", 4));
        CHECK_FALSE(starts_with(wrong, 8, "WEBP", 4));
        CHECK(std::equal(wrong.begin() + 12, wrong.end(), bytes.begin() + 12));
        CHECK(lbx::sample::with_wrong_magic({0xFF, 0xD8}) == std::vector<uint8_t>{'N', 'O'});
    }
}
