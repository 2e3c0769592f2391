// The "example-ppm" stage: an example decode stage for plugin authors, for binary PPM (P6, Netpbm).
//
// Run it with:  LIGHTBOX_PLUGIN_PATH=build lightbox-engine run --only=decode,thumbnail photo.ppm
//
// The steps every decoder takes, in order: sniff, read the header, report the stored size with
// set_source_size() before any large allocation (the engine's pixel limit is checked there), then decode
// at the size asked (min_long_edge: here a whole-number reduction, every n-th pixel), allocate once and
// fill RGB8 rows. It polls the stop check between rows (plugin API 1.1) so a stopped job or a file
// deadline does not wait for a huge image, and logs one debug line through the host.
#include "ppm_decoder.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <span>
#include <string>

namespace ppm {

namespace {

using lbx::sdk::fail;
using lbx::sdk::Status;

struct Header {
    uint32_t width = 0;
    uint32_t height = 0;
    uint32_t max_value = 0;
    std::size_t data_offset = 0;  // first byte of the raster
};

// Reads the next decimal number of the header, skipping whitespace and '#' comments; nullopt when the
// header ends or holds something else.
std::optional<uint32_t> next_number(std::span<const uint8_t> b, std::size_t& pos) {
    while (pos < b.size()) {
        if (b[pos] == '#') {
            while (pos < b.size() && b[pos] != '\n') ++pos;
        } else if (std::isspace(b[pos])) {
            ++pos;
        } else {
            break;
        }
    }
    uint64_t value = 0;
    std::size_t digits = 0;
    while (pos < b.size() && std::isdigit(b[pos]) && digits < 10) {
        value = value * 10 + (b[pos] - '0');
        ++pos;
        ++digits;
    }
    if (digits == 0 || value > UINT32_MAX) return std::nullopt;
    return static_cast<uint32_t>(value);
}

Status read_header(std::span<const uint8_t> b, Header& h) {
    if (b.size() < 3 || b[0] != 'P' || b[1] != '6' || !std::isspace(b[2]))
        return fail(LBX_E_UNSUPPORTED, "not a binary PPM (P6) file");
    std::size_t pos = 2;
    auto width = next_number(b, pos);
    auto height = width ? next_number(b, pos) : std::nullopt;
    auto max_value = height ? next_number(b, pos) : std::nullopt;
    if (!max_value) {
        return pos >= b.size() ? fail(LBX_E_TRUNCATED, "header ends at byte " + std::to_string(b.size()))
                               : fail(LBX_E_CORRUPT, "malformed header at byte " + std::to_string(pos));
    }
    if (*max_value == 0 || *max_value > 65535)
        return fail(LBX_E_CORRUPT, "maximum value " + std::to_string(*max_value) + " (expected 1..65535)");
    if (pos >= b.size() || !std::isspace(b[pos])) return fail(LBX_E_TRUNCATED, "no raster after the header");
    h = Header{*width, *height, *max_value, pos + 1};  // exactly one whitespace byte before the raster
    return lbx::sdk::ok();
}

}  // namespace

PpmDecoder::PpmDecoder(const lbx::sdk::Params& params)
    : max_side_(static_cast<uint32_t>(params.get_int("max_side"))) {}

Status PpmDecoder::decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink& sink) const {
    const std::span<const uint8_t> bytes = request.source.bytes();
    Header h;
    if (Status s = read_header(bytes, h); !s.ok()) return s;
    if (h.width > max_side_ || h.height > max_side_) {
        return fail(LBX_E_TOO_LARGE, std::to_string(h.width) + "x" + std::to_string(h.height) +
                                         " is over max_side " + std::to_string(max_side_));
    }
    // The stored size, before any allocation: the host refuses zero sizes and images over its limit.
    if (Status s = sink.set_source_size(h.width, h.height); !s.ok()) return s;

    const uint32_t sample_bytes = h.max_value > 255 ? 2 : 1;
    const uint64_t row_bytes = uint64_t(h.width) * 3 * sample_bytes;  // 64-bit: no overflow for any header
    const uint64_t needed = row_bytes * h.height;
    if (bytes.size() - h.data_offset < needed) {
        return fail(LBX_E_TRUNCATED, "raster ends at byte " + std::to_string(bytes.size()) + " of " +
                                         std::to_string(h.data_offset + needed));
    }

    // Decode at the size asked: the largest whole step that keeps the long edge at least min_long_edge.
    const uint32_t long_edge = std::max(h.width, h.height);
    uint32_t step = 1;
    if (request.min_long_edge > 0)
        while (long_edge / (step + 1) >= request.min_long_edge) ++step;
    const uint32_t out_w = (h.width + step - 1) / step;
    const uint32_t out_h = (h.height + step - 1) / step;

    const lbx::sdk::Host host = sink.host();
    host.debug("ppm " + std::to_string(h.width) + "x" + std::to_string(h.height) + " maxval " +
               std::to_string(h.max_value) + ", decoding every " + std::to_string(step) + ". pixel");

    uint32_t stride = 0;
    uint8_t* out = sink.allocate(out_w, out_h, 0, stride);
    if (out == nullptr) return fail(LBX_E_NO_MEMORY, "no output buffer for " + std::to_string(out_w) + "x" + std::to_string(out_h));
    for (uint32_t y = 0; y < out_h; ++y) {
        if (y % 64 == 0 && host.should_stop()) return fail(LBX_E_CANCELLED, "stopped at row " + std::to_string(y));
        const uint8_t* row = bytes.data() + h.data_offset + uint64_t(y) * step * row_bytes;
        uint8_t* dst = out + std::size_t(y) * stride;
        for (uint32_t x = 0; x < out_w; ++x) {
            const uint8_t* px = row + uint64_t(x) * step * 3 * sample_bytes;
            for (int c = 0; c < 3; ++c) {
                // Samples are big-endian; scale 0..maxval to 0..255 with rounding.
                const uint32_t v = sample_bytes == 2 ? (uint32_t(px[2 * c]) << 8 | px[2 * c + 1]) : px[c];
                dst[3 * x + c] = static_cast<uint8_t>((v * 255 + h.max_value / 2) / h.max_value);
            }
        }
    }
    return lbx::sdk::ok();
}

}  // namespace ppm
