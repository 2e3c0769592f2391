// The "webpdec" decode stage: WebP (lossy VP8, lossless VP8L, extended VP8X with alpha) to RGB8 with
// libwebp. When the host needs less than the full size, libwebp scales while decoding (row by row,
// so the full-size picture is never held). Alpha is composited over white. Animated WebP gives its
// first frame, composed on the canvas by libwebpdemux's WebPAnimDecoder, at full canvas size.
//
// Run it with:  lightbox-engine run --only decode,thumbnail photo.webp
#include "webp_decoder.hpp"

#include <webp/decode.h>
#include <webp/demux.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace lbx::plugins::webpdec {

namespace {

using lbx::sdk::fail;
using lbx::sdk::Status;

struct AnimDecoderDeleter {
    void operator()(WebPAnimDecoder* d) const { WebPAnimDecoderDelete(d); }
};
struct DecBufferGuard {
    WebPDecBuffer& buffer;
    ~DecBufferGuard() { WebPFreeDecBuffer(&buffer); }
};

std::string dims(int w, int h) { return std::to_string(w) + "x" + std::to_string(h); }

// True when the RIFF header says the file is longer than the data.
bool riff_ends_early(std::span<const uint8_t> b) {
    if (b.size() < 12) return true;
    const uint64_t riff_size = uint64_t(b[4]) | (uint64_t(b[5]) << 8) | (uint64_t(b[6]) << 16) | (uint64_t(b[7]) << 24);
    return riff_size + 8 > b.size();
}

Status status_failure(VP8StatusCode code, std::span<const uint8_t> bytes, const std::string& when) {
    const std::string total = std::to_string(bytes.size());
    if (code == VP8_STATUS_NOT_ENOUGH_DATA || (code != VP8_STATUS_OUT_OF_MEMORY && riff_ends_early(bytes))) {
        return fail(LBX_E_TRUNCATED, std::string("truncated WebP: the file ends at byte ") + total + ", " + when);
    }
    switch (code) {
        case VP8_STATUS_OUT_OF_MEMORY:
            return fail(LBX_E_NO_MEMORY, std::string("out of memory ") + when);
        case VP8_STATUS_UNSUPPORTED_FEATURE:
            return fail(LBX_E_UNSUPPORTED, std::string("unsupported WebP feature ") + when);
        case VP8_STATUS_BITSTREAM_ERROR:
            return fail(LBX_E_CORRUPT, std::string("corrupt WebP bitstream ") + when);
        default:
            return fail(LBX_E_CORRUPT, std::string("WebP decoding failed ") + when + " (libwebp status " +
                                           std::to_string(static_cast<int>(code)) + ")");
    }
}

// Non-premultiplied RGBA over white to RGB.
void flatten_row(const uint8_t* rgba, uint8_t* rgb, int width) {
    for (int x = 0; x < width; ++x, rgba += 4, rgb += 3) {
        const int a = rgba[3];
        for (int c = 0; c < 3; ++c) rgb[c] = static_cast<uint8_t>((rgba[c] * a + 255 * (255 - a) + 127) / 255);
    }
}

// The output size for `min_long_edge`: the full size, or scaled so the long edge is exactly it.
void scaled_size(int width, int height, uint32_t min_long_edge, int& out_w, int& out_h) {
    out_w = width;
    out_h = height;
    const int long_edge = width > height ? width : height;
    if (min_long_edge == 0 || static_cast<uint32_t>(long_edge) <= min_long_edge) return;
    const double f = static_cast<double>(min_long_edge) / long_edge;
    if (width >= height) {
        out_w = static_cast<int>(min_long_edge);
        out_h = std::max(1, static_cast<int>(height * f + 0.5));
    } else {
        out_h = static_cast<int>(min_long_edge);
        out_w = std::max(1, static_cast<int>(width * f + 0.5));
    }
}

Status decode_animation(std::span<const uint8_t> bytes, lbx::sdk::ImageSink& sink) {
    WebPAnimDecoderOptions options;
    if (!WebPAnimDecoderOptionsInit(&options)) return fail(LBX_E_INTERNAL, "libwebpdemux version mismatch");
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    const WebPData data{bytes.data(), bytes.size()};
    std::unique_ptr<WebPAnimDecoder, AnimDecoderDeleter> decoder(WebPAnimDecoderNew(&data, &options));
    if (!decoder) {
        if (riff_ends_early(bytes)) {
            return fail(LBX_E_TRUNCATED, "truncated animated WebP: the file ends at byte " + std::to_string(bytes.size()));
        }
        return fail(LBX_E_CORRUPT, "corrupt animated WebP: libwebpdemux cannot parse its frames");
    }
    WebPAnimInfo info;
    if (!WebPAnimDecoderGetInfo(decoder.get(), &info) || info.canvas_width == 0 || info.canvas_height == 0) {
        return fail(LBX_E_CORRUPT, "corrupt animated WebP: no canvas size");
    }
    uint8_t* canvas = nullptr;
    int timestamp = 0;
    if (!WebPAnimDecoderHasMoreFrames(decoder.get()) || !WebPAnimDecoderGetNext(decoder.get(), &canvas, &timestamp)) {
        if (riff_ends_early(bytes)) {
            return fail(LBX_E_TRUNCATED, "truncated animated WebP: the file ends at byte " + std::to_string(bytes.size()) +
                                             " before the first frame is complete");
        }
        return fail(LBX_E_CORRUPT, "corrupt animated WebP: the first frame cannot be decoded");
    }
    const int w = static_cast<int>(info.canvas_width), h = static_cast<int>(info.canvas_height);
    uint32_t stride = 0;
    uint8_t* out = sink.allocate(info.canvas_width, info.canvas_height, 0, stride);
    if (out == nullptr) return fail(LBX_E_NO_MEMORY, "no output buffer for a " + dims(w, h) + " image");
    for (int y = 0; y < h; ++y) flatten_row(canvas + std::size_t(y) * w * 4, out + std::size_t(y) * stride, w);
    return lbx::sdk::ok();
}

}  // namespace

WebpDecoder::WebpDecoder(const lbx::sdk::Params&) {}

Status WebpDecoder::decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink& sink) const {
    const std::span<const uint8_t> bytes = request.source.bytes();
    if (bytes.empty()) return fail(LBX_E_CORRUPT, "empty file: 0 bytes");
    if (bytes.size() < 12) {
        return std::memcmp(bytes.data(), "RIFF", std::min<std::size_t>(bytes.size(), 4)) == 0
                   ? fail(LBX_E_TRUNCATED, "truncated WebP: only " + std::to_string(bytes.size()) + " bytes")
                   : fail(LBX_E_UNSUPPORTED, "not a WebP: no RIFF header");
    }
    if (std::memcmp(bytes.data(), "RIFF", 4) != 0 || std::memcmp(bytes.data() + 8, "WEBP", 4) != 0) {
        return fail(LBX_E_UNSUPPORTED, "not a WebP: no RIFF....WEBP header");
    }

    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) return fail(LBX_E_INTERNAL, "libwebp version mismatch");
    const VP8StatusCode header = WebPGetFeatures(bytes.data(), bytes.size(), &config.input);
    if (header != VP8_STATUS_OK) return status_failure(header, bytes, "in the header");
    const int width = config.input.width, height = config.input.height;
    if (width <= 0 || height <= 0) return fail(LBX_E_CORRUPT, "corrupt WebP header: image is " + dims(width, height));
    if (Status s = sink.set_source_size(static_cast<uint32_t>(width), static_cast<uint32_t>(height)); !s.ok()) return s;

    if (config.input.has_animation) return decode_animation(bytes, sink);

    int out_w = 0, out_h = 0;
    scaled_size(width, height, request.min_long_edge, out_w, out_h);
    if (out_w != width || out_h != height) {
        config.options.use_scaling = 1;
        config.options.scaled_width = out_w;
        config.options.scaled_height = out_h;
    }
    uint32_t stride = 0;
    uint8_t* out = sink.allocate(static_cast<uint32_t>(out_w), static_cast<uint32_t>(out_h), 0, stride);
    if (out == nullptr) return fail(LBX_E_NO_MEMORY, "no output buffer for a " + dims(out_w, out_h) + " image");

    // Without alpha libwebp writes RGB straight into the host's buffer; with alpha into RGBA first.
    std::vector<uint8_t> rgba;
    WebPDecBuffer& target = config.output;
    DecBufferGuard guard{target};
    target.is_external_memory = 1;
    if (config.input.has_alpha) {
        rgba.resize(std::size_t(out_w) * out_h * 4);
        target.colorspace = MODE_RGBA;
        target.u.RGBA.rgba = rgba.data();
        target.u.RGBA.stride = out_w * 4;
        target.u.RGBA.size = rgba.size();
    } else {
        target.colorspace = MODE_RGB;
        target.u.RGBA.rgba = out;
        target.u.RGBA.stride = static_cast<int>(stride);
        target.u.RGBA.size = std::size_t(stride) * out_h;
    }
    const VP8StatusCode status = WebPDecode(bytes.data(), bytes.size(), &config);
    if (status != VP8_STATUS_OK) return status_failure(status, bytes, "in the " + dims(width, height) + " image data");
    if (config.input.has_alpha) {
        for (int y = 0; y < out_h; ++y) flatten_row(&rgba[std::size_t(y) * out_w * 4], out + std::size_t(y) * stride, out_w);
    }
    return lbx::sdk::ok();
}

}  // namespace lbx::plugins::webpdec
