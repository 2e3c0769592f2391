// The "pngdec" decode stage: PNG to RGB8 with libpng's simplified API. Every colour type and bit depth
// (palette, grey, 16-bit, interlaced) comes out as 8-bit sRGB; transparency is composited over white.
// PNG has no cheap reduced-size decode, so the image always comes out at full size.
//
// Run it with:  lightbox-engine run --only decode,thumbnail screenshot.png
#include "png_decoder.hpp"

#include <png.h>

#include <cstdio>
#include <cstring>
#include <span>
#include <string>

namespace lbx::plugins::pngdec {

namespace {

using lbx::sdk::fail;
using lbx::sdk::Status;

// Frees libpng's state on every path (png_image_free is a no-op once libpng freed it after an error).
struct ImageGuard {
    png_image& image;
    ~ImageGuard() { png_image_free(&image); }
};

uint32_t be32(const uint8_t* p) { return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3]; }

// True when the chunk structure runs past the end of the data or stops before IEND: the file was cut.
bool ends_early(std::span<const uint8_t> b) {
    std::size_t pos = 8;
    while (pos + 8 <= b.size()) {
        const uint64_t length = be32(&b[pos]);
        const bool iend = std::memcmp(&b[pos + 4], "IEND", 4) == 0;
        pos += 12 + length;  // length, type, data, CRC
        if (pos > b.size()) return true;
        if (iend) return false;
    }
    return true;
}

std::string hex_prefix(std::span<const uint8_t> bytes) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size() && i < 4; ++i) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%s%02X", i ? " " : "", bytes[i]);
        out += buf;
    }
    return out;
}

Status failure(std::span<const uint8_t> bytes, const char* message, const char* when) {
    const std::string reason = std::string(message[0] ? message : "unknown libpng error");
    if (ends_early(bytes)) {
        return fail(LBX_E_TRUNCATED, "truncated PNG: the file ends at byte " + std::to_string(bytes.size()) + " (" +
                                         reason + ")");
    }
    return fail(LBX_E_CORRUPT, std::string("corrupt PNG ") + when + ": " + reason);
}

}  // namespace

PngDecoder::PngDecoder(const lbx::sdk::Params&) {}

Status PngDecoder::decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink& sink) const {
    const std::span<const uint8_t> bytes = request.source.bytes();
    static constexpr uint8_t kMagic[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (bytes.empty()) return fail(LBX_E_CORRUPT, "empty file: 0 bytes");
    if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
        if (bytes.size() < sizeof kMagic && std::memcmp(bytes.data(), kMagic, bytes.size()) == 0) {
            return fail(LBX_E_TRUNCATED, "truncated PNG: only " + std::to_string(bytes.size()) + " bytes");
        }
        return fail(LBX_E_UNSUPPORTED, "not a PNG: starts with " + hex_prefix(bytes));
    }

    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    ImageGuard guard{image};
    if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
        return failure(bytes, image.message, "header");
    }
    if (Status s = sink.set_source_size(image.width, image.height); !s.ok()) return s;

    image.format = PNG_FORMAT_RGB;  // 8-bit sRGB, no alpha: libpng composites over `white`
    uint32_t stride = 0;
    uint8_t* out = sink.allocate(image.width, image.height, 0, stride);
    if (out == nullptr) {
        return fail(LBX_E_NO_MEMORY, "no output buffer for a " + std::to_string(image.width) + "x" +
                                         std::to_string(image.height) + " image");
    }
    const png_color white{255, 255, 255};
    if (!png_image_finish_read(&image, &white, out, static_cast<png_int_32>(stride), nullptr)) {
        return failure(bytes, image.message, "data");
    }
    return lbx::sdk::ok();
}

}  // namespace lbx::plugins::pngdec
