// The "jpegdec" decode stage: JPEG (baseline, progressive, grayscale, CMYK/YCCK) to RGB8 with
// TurboJPEG. The host says the smallest long edge it needs; the decoder picks the smallest of
// TurboJPEG's DCT scaling factors (1/8, 1/4, 3/8, ... 1/1) that still covers it, so a 4000x3000 photo
// asked for 256 pixels decodes at 1/8 (500x375), for 1024 at 3/8 (1500x1125): several times faster
// than decoding at full size and shrinking afterwards.
//
// Run it with:  lightbox-engine run --only decode,thumbnail photo.jpg
//
// A JPEG that ends early ("Premature end of JPEG file", or a scan that stops before its last block:
// "premature end of data segment") is a "truncated" failure even though libjpeg would fill the missing
// rows with grey; other libjpeg warnings (extraneous bytes, bad restart markers) let the picture through.
#include "jpeg_decoder.hpp"

#include "dc_decoder.hpp"

#include <turbojpeg.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lbx::plugins::jpegdec {

namespace {

using lbx::sdk::fail;
using lbx::sdk::Status;

struct TjDeleter {
    void operator()(void* handle) const { tjDestroy(handle); }
};
using TjHandle = std::unique_ptr<void, TjDeleter>;

std::string size_text(int width, int height) { return std::to_string(width) + "x" + std::to_string(height); }

std::string hex_prefix(std::span<const uint8_t> bytes) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size() && i < 4; ++i) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%s%02X", i ? " " : "", bytes[i]);
        out += buf;
    }
    return out;
}

// What a walk over the marker segments before the first scan found.
struct HeaderScan {
    enum Result { complete, truncated, malformed } result = malformed;
    bool adobe = false;  // an APP14 "Adobe" segment: CMYK samples are stored inverted
};

HeaderScan scan_header(std::span<const uint8_t> b) {
    HeaderScan scan;
    std::size_t pos = 2;  // after SOI
    for (;;) {
        if (pos >= b.size()) {
            scan.result = HeaderScan::truncated;
            return scan;
        }
        if (b[pos] != 0xFF) return scan;  // malformed
        while (pos < b.size() && b[pos] == 0xFF) ++pos;  // fill bytes
        if (pos >= b.size()) {
            scan.result = HeaderScan::truncated;
            return scan;
        }
        const uint8_t marker = b[pos++];
        if (marker == 0xDA) {  // SOS: the header is complete
            scan.result = HeaderScan::complete;
            return scan;
        }
        if (marker == 0xD9) return scan;  // EOI before any scan
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length field
        if (pos + 2 > b.size()) {
            scan.result = HeaderScan::truncated;
            return scan;
        }
        const std::size_t length = (std::size_t(b[pos]) << 8) | b[pos + 1];
        if (length < 2) return scan;
        if (marker == 0xEE && length >= 7 && pos + 7 <= b.size() && std::memcmp(&b[pos + 2], "Adobe", 5) == 0) {
            scan.adobe = true;
        }
        pos += length;
    }
}

// libjpeg's JWRN_JPEG_EOF (the file ends) and JWRN_HIT_MARKER (the scan data ends before the last MCU,
// the rest would be grey): both leave the picture incomplete.
bool is_truncation_message(std::string_view message) {
    return message.find("Premature end of JPEG file") != std::string_view::npos ||
           message.find("premature end of data segment") != std::string_view::npos;
}

// The smallest scaling factor (at most 1/1) whose scaled long edge is still >= min_long_edge.
tjscalingfactor pick_scale(int width, int height, uint32_t min_long_edge) {
    tjscalingfactor best{1, 1};
    const int long_edge = width > height ? width : height;
    if (min_long_edge == 0 || static_cast<uint32_t>(long_edge) <= min_long_edge) return best;
    int count = 0;
    const tjscalingfactor* factors = tjGetScalingFactors(&count);
    for (int i = 0; factors != nullptr && i < count; ++i) {
        const tjscalingfactor f = factors[i];
        if (f.num <= 0 || f.denom <= 0 || f.num > f.denom) continue;  // no upscaling
        if (static_cast<uint32_t>(TJSCALED(long_edge, f)) < min_long_edge) continue;
        if (f.num * best.denom < best.num * f.denom) best = f;  // f < best
    }
    return best;
}

// CMYK as libjpeg returns it to RGB, without colour management. Adobe (Photoshop) writes inverted
// CMYK, the common case: 255 means no ink. Others store 255 as full ink.
void cmyk_to_rgb(const uint8_t* cmyk, uint8_t* rgb, std::size_t pixels, bool inverted) {
    for (std::size_t i = 0; i < pixels; ++i, cmyk += 4, rgb += 3) {
        int c = cmyk[0], m = cmyk[1], y = cmyk[2], k = cmyk[3];
        if (!inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        rgb[0] = static_cast<uint8_t>((c * k + 127) / 255);
        rgb[1] = static_cast<uint8_t>((m * k + 127) / 255);
        rgb[2] = static_cast<uint8_t>((y * k + 127) / 255);
    }
}

}  // namespace

JpegDecoder::JpegDecoder(const lbx::sdk::Params& params)
    : fast_dct_(params.get_bool("fast_dct")), dc_only_(params.get_bool("dc_only")) {}

Status JpegDecoder::decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink& sink) const {
    const std::span<const uint8_t> bytes = request.source.bytes();
    static constexpr uint8_t kMagic[] = {0xFF, 0xD8, 0xFF};
    if (bytes.empty()) return fail(LBX_E_CORRUPT, "empty file: 0 bytes");
    if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
        if (bytes.size() < sizeof kMagic && std::memcmp(bytes.data(), kMagic, bytes.size()) == 0) {
            return fail(LBX_E_TRUNCATED, "truncated JPEG: only " + std::to_string(bytes.size()) + " bytes");
        }
        return fail(LBX_E_UNSUPPORTED, "not a JPEG: starts with " + hex_prefix(bytes) + ", not FF D8 FF");
    }
    const auto size = static_cast<unsigned long>(bytes.size());  // NOLINT(google-runtime-int): TurboJPEG's type
    const std::string total = std::to_string(bytes.size());

    // A handle per call: instances are shared by the host's worker threads and a tjhandle is not
    // thread-safe. Creating one costs microseconds (a libjpeg struct, no tables), nothing next to a
    // decode, and unlike a thread_local handle it leaves nothing behind in threads the host owns.
    TjHandle handle(tjInitDecompress());
    if (!handle) return fail(LBX_E_NO_MEMORY, std::string("cannot start TurboJPEG: ") + tjGetErrorStr2(nullptr));

    int width = 0, height = 0, subsampling = 0, colorspace = 0;
    // A warning ("14 extraneous bytes before marker 0xdb") fails the call but leaves a usable header.
    // libjpeg pads a short file with a fake EOI, so a cut header may "succeed" with a 0x0 size.
    const int header_rc =
        tjDecompressHeader3(handle.get(), bytes.data(), size, &width, &height, &subsampling, &colorspace);
    const bool header_ok = header_rc == 0 || tjGetErrorCode(handle.get()) == TJERR_WARNING;
    if (!header_ok || width <= 0 || height <= 0) {
        const std::string reason = header_ok ? "image is " + size_text(width, height) : tjGetErrorStr2(handle.get());
        if (scan_header(bytes).result == HeaderScan::truncated || is_truncation_message(reason)) {
            return fail(LBX_E_TRUNCATED, "truncated JPEG: the file ends at byte " + total + ", inside the header");
        }
        return fail(LBX_E_CORRUPT, "corrupt JPEG header: " + reason);
    }
    if (Status s = sink.set_source_size(static_cast<uint32_t>(width), static_cast<uint32_t>(height)); !s.ok()) return s;

    const tjscalingfactor scale = pick_scale(width, height, request.min_long_edge);
    const int out_w = TJSCALED(width, scale);
    const int out_h = TJSCALED(height, scale);
    const bool cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;

    uint32_t stride = 0;
    uint8_t* out = sink.allocate(static_cast<uint32_t>(out_w), static_cast<uint32_t>(out_h), 0, stride);
    if (out == nullptr) return fail(LBX_E_NO_MEMORY, "no output buffer for a " + size_text(out_w, out_h) + " image");

    // At 1/8 every block is one pixel: the DC-only path gives TurboJPEG's pixels with a fraction of its
    // Huffman work. It declines anything unusual, and TurboJPEG then decodes (and reports) as before.
    const bool eighth = scale.num * 8 == scale.denom;
    if (dc_only_ && eighth && (colorspace == TJCS_YCbCr || colorspace == TJCS_GRAY) &&
        decode_eighth_from_dc(bytes, width, height, out, stride))
        return lbx::sdk::ok();

    std::vector<uint8_t> cmyk_pixels;
    if (cmyk) cmyk_pixels.resize(std::size_t(out_w) * out_h * 4);
    const int flags = TJFLAG_LIMITSCANS | (fast_dct_ ? TJFLAG_FASTDCT : TJFLAG_ACCURATEDCT);
    const int rc = cmyk ? tjDecompress2(handle.get(), bytes.data(), size, cmyk_pixels.data(), out_w, out_w * 4, out_h,
                                        TJPF_CMYK, flags)
                        : tjDecompress2(handle.get(), bytes.data(), size, out, out_w, static_cast<int>(stride), out_h,
                                        TJPF_RGB, flags);
    if (rc != 0) {
        const std::string reason = tjGetErrorStr2(handle.get());
        if (is_truncation_message(reason)) {
            return fail(LBX_E_TRUNCATED, "truncated JPEG: the data ends at byte " + total + " before the " +
                                             size_text(width, height) + " image is complete");
        }
        if (tjGetErrorCode(handle.get()) != TJERR_WARNING) return fail(LBX_E_CORRUPT, "corrupt JPEG: " + reason);
        // Any other warning: libjpeg recovered and the picture is usable.
    }
    if (cmyk) {
        const bool inverted = scan_header(bytes).adobe;
        for (int y = 0; y < out_h; ++y) {
            cmyk_to_rgb(&cmyk_pixels[std::size_t(y) * out_w * 4], out + std::size_t(y) * stride, std::size_t(out_w),
                        inverted);
        }
    }
    return lbx::sdk::ok();
}

}  // namespace lbx::plugins::jpegdec
