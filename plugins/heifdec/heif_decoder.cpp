// The "heifdec" decode stage: the primary image of a HEIF/HEIC or AVIF file to RGB8 with libheif,
// read from the host's bytes without a copy. The stored size (the 'ispe' property, before rotation)
// goes to the host first. libheif then applies the file's transformations (clap crop, irot rotation,
// imir mirroring), so the output is upright and flagged LBX_IMAGE_UPRIGHT: the engine must not apply
// an EXIF orientation on top (HEIF/MIAF: irot/imir win over EXIF). When the host needs less than the
// full size and the file stores a thumbnail item with a long edge of at least that, the thumbnail is
// decoded instead: an iPhone's 320x240 thumbnail decodes some 150 times faster than its 4032x3024 grid.
//
// Alpha is composited over white, like every Lightbox decoder (plugin_api.h: RGB8 has no alpha).
//
// Run it with:  lightbox-engine run --only decode,thumbnail IMG_0001.HEIC
#include "heif_decoder.hpp"

#include <libheif/heif.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace lbx::plugins::heifdec {

namespace {

using lbx::sdk::fail;
using lbx::sdk::Status;

struct ContextDeleter {
    void operator()(heif_context* c) const { heif_context_free(c); }
};
struct HandleDeleter {
    void operator()(heif_image_handle* h) const { heif_image_handle_release(h); }
};
struct ImageDeleter {
    void operator()(heif_image* i) const { heif_image_release(i); }
};
struct OptionsDeleter {
    void operator()(heif_decoding_options* o) const { heif_decoding_options_free(o); }
};
using Handle = std::unique_ptr<heif_image_handle, HandleDeleter>;

std::string dims(int w, int h) { return std::to_string(w) + "x" + std::to_string(h); }

uint64_t be(std::span<const uint8_t> b, std::size_t at, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | b[at + static_cast<std::size_t>(i)];
    return v;
}

// True when a top-level ISO-BMFF box (ftyp, meta, mdat, ...) says it goes past the end of the data.
bool boxes_end_early(std::span<const uint8_t> b) {
    uint64_t pos = 0;
    while (b.size() - pos >= 8) {
        uint64_t size = be(b, static_cast<std::size_t>(pos), 4);
        if (size == 1) {
            if (b.size() - pos < 16) return true;
            size = be(b, static_cast<std::size_t>(pos + 8), 8);
        } else if (size == 0) {
            return false;  // the last box runs to the end of the file
        }
        if (size < 8) return false;  // malformed, not cut
        if (size > b.size() - pos) return true;
        pos += size;
    }
    return pos != b.size();  // a partial box header at the end
}

// libheif's message without the trailing newline or period some of them carry.
std::string reason_of(const heif_error& e) {
    std::string reason = e.message != nullptr && e.message[0] ? e.message : "unknown libheif error";
    while (!reason.empty() && (std::isspace(static_cast<unsigned char>(reason.back())) || reason.back() == '.')) {
        reason.pop_back();
    }
    return reason;
}

Status failure(const heif_error& e, std::span<const uint8_t> bytes, const std::string& when) {
    const std::string reason = reason_of(e);
    if (e.subcode == heif_suberror_Security_limit_exceeded) {
        return fail(LBX_E_TOO_LARGE, "HEIF image over libheif's safety limits " + when + ": " + reason);
    }
    if (e.subcode == heif_suberror_End_of_data || boxes_end_early(bytes)) {
        return fail(LBX_E_TRUNCATED, "truncated HEIF: the file ends at byte " + std::to_string(bytes.size()) + " " +
                                         when + " (" + reason + ")");
    }
    if (e.subcode == heif_suberror_Nonexisting_item_referenced && reason.find("'pitm'") != std::string::npos) {
        // libheif 1.15 drops items of types it does not know (uncompressed 'unci', VVC, ...), so a
        // valid file whose primary image is one of them looks like a dangling reference.
        return fail(LBX_E_UNSUPPORTED, "unsupported HEIF: libheif does not know the primary image's item type (" +
                                           reason + ")");
    }
    switch (e.code) {
        case heif_error_Unsupported_filetype:
        case heif_error_Unsupported_feature:
            return fail(LBX_E_UNSUPPORTED, "unsupported HEIF " + when + ": " + reason);
        case heif_error_Memory_allocation_error:
            return fail(LBX_E_NO_MEMORY, "out of memory " + when + ": " + reason);
        default:
            return fail(LBX_E_CORRUPT, "corrupt HEIF " + when + ": " + reason);
    }
}

// The stored thumbnail with the smallest long edge that still reaches `min_long_edge`, if any.
Handle pick_thumbnail(const heif_image_handle* primary, uint32_t min_long_edge) {
    Handle best;
    if (min_long_edge == 0) return best;
    const int count = heif_image_handle_get_number_of_thumbnails(primary);
    if (count <= 0) return best;
    std::vector<heif_item_id> ids(static_cast<std::size_t>(count));
    const int listed = heif_image_handle_get_list_of_thumbnail_IDs(primary, ids.data(), count);
    int best_edge = 0;
    for (int i = 0; i < listed; ++i) {
        heif_image_handle* raw = nullptr;
        if (heif_image_handle_get_thumbnail(primary, ids[static_cast<std::size_t>(i)], &raw).code != heif_error_Ok) continue;
        Handle thumb(raw);
        const int edge = std::max(heif_image_handle_get_width(thumb.get()), heif_image_handle_get_height(thumb.get()));
        if (edge <= 0 || static_cast<uint32_t>(edge) < min_long_edge) continue;
        if (!best || edge < best_edge) {
            best = std::move(thumb);
            best_edge = edge;
        }
    }
    return best;
}

// One row of interleaved 8-bit RGB or RGBA (straight or premultiplied alpha) to RGB over white.
void copy_row(const uint8_t* in, uint8_t* out, int width, bool alpha, bool premultiplied) {
    if (!alpha) {
        std::memcpy(out, in, std::size_t(width) * 3);
        return;
    }
    for (int x = 0; x < width; ++x, in += 4, out += 3) {
        const int a = in[3];
        for (int c = 0; c < 3; ++c) {
            out[c] = premultiplied ? static_cast<uint8_t>(std::min(255, in[c] + 255 - a))
                                   : static_cast<uint8_t>((in[c] * a + 255 * (255 - a) + 127) / 255);
        }
    }
}

}  // namespace

HeifDecoder::HeifDecoder(const lbx::sdk::Params& params)
    : tile_threads_(static_cast<int>(params.get_int("tile_threads"))),
      max_side_(static_cast<int>(params.get_int("max_side"))) {
    static std::once_flag once;
    std::call_once(once, [] { heif_init(nullptr); });
}

Status HeifDecoder::decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink& sink) const {
    const std::span<const uint8_t> bytes = request.source.bytes();
    if (bytes.empty()) return fail(LBX_E_CORRUPT, "empty file: 0 bytes");
    if (bytes.size() < 12 || std::memcmp(bytes.data() + 4, "ftyp", 4) != 0) {
        if (bytes.size() < 12 &&
            (bytes.size() <= 4 || std::memcmp(bytes.data() + 4, "ftyp", std::min<std::size_t>(bytes.size() - 4, 4)) == 0)) {
            return fail(LBX_E_TRUNCATED, "truncated HEIF: only " + std::to_string(bytes.size()) + " bytes");
        }
        return fail(LBX_E_UNSUPPORTED, "not a HEIF/AVIF file: no 'ftyp' box at offset 4");
    }

    std::unique_ptr<heif_context, ContextDeleter> ctx(heif_context_alloc());
    if (!ctx) return fail(LBX_E_NO_MEMORY, "cannot allocate a libheif context");
    heif_context_set_maximum_image_size_limit(ctx.get(), max_side_);
    heif_context_set_max_decoding_threads(ctx.get(), tile_threads_);
    if (heif_error e = heif_context_read_from_memory_without_copy(ctx.get(), bytes.data(), bytes.size(), nullptr);
        e.code != heif_error_Ok) {
        return failure(e, bytes, "in its boxes");
    }

    heif_image_handle* raw_primary = nullptr;
    if (heif_error e = heif_context_get_primary_image_handle(ctx.get(), &raw_primary); e.code != heif_error_Ok) {
        return failure(e, bytes, "at its primary image");
    }
    Handle primary(raw_primary);
    int stored_w = heif_image_handle_get_ispe_width(primary.get());
    int stored_h = heif_image_handle_get_ispe_height(primary.get());
    if (stored_w <= 0 || stored_h <= 0) {  // no ispe: fall back to the displayed size
        stored_w = heif_image_handle_get_width(primary.get());
        stored_h = heif_image_handle_get_height(primary.get());
    }
    if (stored_w <= 0 || stored_h <= 0) return fail(LBX_E_CORRUPT, "corrupt HEIF: primary image is " + dims(stored_w, stored_h));
    if (Status s = sink.set_source_size(static_cast<uint32_t>(stored_w), static_cast<uint32_t>(stored_h)); !s.ok()) return s;

    Handle thumbnail = pick_thumbnail(primary.get(), request.min_long_edge);
    const heif_image_handle* chosen = thumbnail ? thumbnail.get() : primary.get();
    const bool alpha = heif_image_handle_has_alpha_channel(chosen) != 0;

    std::unique_ptr<heif_decoding_options, OptionsDeleter> options(heif_decoding_options_alloc());
    if (!options) return fail(LBX_E_NO_MEMORY, "cannot allocate libheif decoding options");
    options->ignore_transformations = 0;
    if (options->version >= 2) options->convert_hdr_to_8bit = 1;  // 10-bit HIF/AVIF to 8-bit

    heif_image* raw_image = nullptr;
    if (heif_error e = heif_decode_image(chosen, &raw_image, heif_colorspace_RGB,
                                         alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB,
                                         options.get());
        e.code != heif_error_Ok) {
        return failure(e, bytes, "decoding the " + dims(stored_w, stored_h) + " image");
    }
    std::unique_ptr<heif_image, ImageDeleter> image(raw_image);
    const int w = heif_image_get_width(image.get(), heif_channel_interleaved);
    const int h = heif_image_get_height(image.get(), heif_channel_interleaved);
    const int bpp = heif_image_get_bits_per_pixel(image.get(), heif_channel_interleaved);
    int in_stride = 0;
    const uint8_t* in = heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &in_stride);
    if (in == nullptr || w <= 0 || h <= 0 || bpp != (alpha ? 32 : 24)) {
        return fail(LBX_E_INTERNAL, "libheif returned no 8-bit interleaved plane (" + dims(w, h) + ", " +
                                        std::to_string(bpp) + " bits per pixel)");
    }
    const bool premultiplied = alpha && heif_image_is_premultiplied_alpha(image.get()) != 0;

    uint32_t stride = 0;
    uint8_t* out = sink.allocate(static_cast<uint32_t>(w), static_cast<uint32_t>(h), LBX_IMAGE_UPRIGHT, stride);
    if (out == nullptr) return fail(LBX_E_NO_MEMORY, "no output buffer for a " + dims(w, h) + " image");
    for (int y = 0; y < h; ++y) {
        copy_row(in + std::size_t(y) * static_cast<std::size_t>(in_stride), out + std::size_t(y) * stride, w, alpha,
                 premultiplied);
    }
    return lbx::sdk::ok();
}

}  // namespace lbx::plugins::heifdec
