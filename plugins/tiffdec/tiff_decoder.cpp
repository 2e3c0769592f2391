// The "tiffdec" decode stage: the first directory of a TIFF to RGB8 with libtiff's RGBA interface
// (strips or tiles, 1..16-bit, palette, grey, YCbCr, CMYK, old- and new-style JPEG), read straight from
// the bytes in memory through TIFFClientOpenExt. libtiff's errors are captured per call and become the
// failure message; nothing is printed.
//
// The output is the STORED picture: the RGBA interface is asked for the file's own TIFFTAG_ORIENTATION,
// so it flips nothing, and the engine applies the EXIF/TIFF orientation itself (no LBX_IMAGE_UPRIGHT).
// Alpha is composited over white. The picture is read in bands of whole strips or tiles, so besides
// the output only one band of 32-bit RGBA is held.
//
// Run it with:  lightbox-engine run --only decode,thumbnail scan.tif
#include "tiff_decoder.hpp"

#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace lbx::plugins::tiffdec {

namespace {

using lbx::sdk::fail;
using lbx::sdk::Status;

// ------------------------------------------------------------------------- bytes as a libtiff file
struct Reader {
    std::span<const uint8_t> bytes;
    uint64_t pos = 0;
    std::string error;  // libtiff's first error message of this call
};

tmsize_t read_proc(thandle_t h, void* buf, tmsize_t size) {
    auto* r = static_cast<Reader*>(h);
    if (size <= 0 || r->pos >= r->bytes.size()) return 0;
    const uint64_t n = std::min<uint64_t>(static_cast<uint64_t>(size), r->bytes.size() - r->pos);
    std::memcpy(buf, r->bytes.data() + r->pos, n);
    r->pos += n;
    return static_cast<tmsize_t>(n);
}

tmsize_t write_proc(thandle_t, void*, tmsize_t) { return -1; }  // read-only

toff_t seek_proc(thandle_t h, toff_t off, int whence) {
    auto* r = static_cast<Reader*>(h);
    uint64_t base = 0;
    if (whence == SEEK_CUR) base = r->pos;
    if (whence == SEEK_END) base = r->bytes.size();
    r->pos = base + off;  // may point past the end: reads there return 0 bytes
    return static_cast<toff_t>(r->pos);
}

int close_proc(thandle_t) { return 0; }
toff_t size_proc(thandle_t h) { return static_cast<toff_t>(static_cast<Reader*>(h)->bytes.size()); }

// "Mapping" hands libtiff the host's buffer, so strips are decoded from it without a copy. libtiff
// only reads through a mapping of a file opened "r" (TIFFOpen maps files PROT_READ).
int map_proc(thandle_t h, void** base, toff_t* size) {
    auto* r = static_cast<Reader*>(h);
    *base = const_cast<uint8_t*>(r->bytes.data());
    *size = static_cast<toff_t>(r->bytes.size());
    return 1;
}
void unmap_proc(thandle_t, void*, toff_t) {}

int on_error(TIFF*, void* user_data, const char*, const char* fmt, va_list ap) {
    auto* r = static_cast<Reader*>(user_data);
    if (r->error.empty()) {
        char buf[400];
        std::vsnprintf(buf, sizeof buf, fmt, ap);
        r->error = buf;
        while (!r->error.empty() && (r->error.back() == '.' || r->error.back() == '\n' || r->error.back() == ' ')) {
            r->error.pop_back();
        }
    }
    return 1;  // handled: libtiff prints nothing
}

int on_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

struct TiffDeleter {
    void operator()(TIFF* t) const { TIFFClose(t); }
};
struct OptionsDeleter {
    void operator()(TIFFOpenOptions* o) const { TIFFOpenOptionsFree(o); }
};
struct RgbaImageGuard {
    TIFFRGBAImage& img;
    ~RgbaImageGuard() { TIFFRGBAImageEnd(&img); }
};

// ---------------------------------------------------------------------------- truncation checks
uint64_t read_uint(std::span<const uint8_t> b, std::size_t at, int bytes, bool little) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) {
        const uint64_t byte = b[at + static_cast<std::size_t>(i)];
        v |= little ? byte << (8 * i) : byte << (8 * (bytes - 1 - i));
    }
    return v;
}

// Bytes per value of a TIFF field type (BYTE, ASCII, SHORT, LONG, RATIONAL, ... LONG8), 0 if unknown.
uint64_t type_size(uint64_t type) {
    static constexpr uint8_t kSizes[] = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8};
    return type < sizeof kSizes ? kSizes[type] : 0;
}

// True when the header, the first directory or a value it points to lies (partly) past the end of
// the data: the file was cut (libtiff writes the directory after the pixels, so a cut loses it).
bool header_ends_early(std::span<const uint8_t> b) {
    if (b.size() < 8) return true;
    const bool little = b[0] == 'I';
    const bool big_tiff = read_uint(b, 2, 2, little) == 43;
    if (big_tiff && b.size() < 16) return true;
    const uint64_t ifd = big_tiff ? read_uint(b, 8, 8, little) : read_uint(b, 4, 4, little);
    const uint64_t count_size = big_tiff ? 8 : 2, entry_size = big_tiff ? 20 : 12, inline_size = big_tiff ? 8 : 4;
    if (ifd >= b.size() || b.size() - ifd < count_size) return true;
    const uint64_t entries = read_uint(b, static_cast<std::size_t>(ifd), static_cast<int>(count_size), little);
    if (entries >= 65536) return false;  // not a cut: nonsense
    if (b.size() - ifd - count_size < entries * entry_size) return true;
    for (uint64_t i = 0; i < entries; ++i) {
        const std::size_t entry = static_cast<std::size_t>(ifd + count_size + i * entry_size);
        const uint64_t type = read_uint(b, entry + 2, 2, little);
        const uint64_t count = read_uint(b, entry + 4, big_tiff ? 8 : 4, little);
        const uint64_t size = type_size(type);
        if (size == 0 || count > (uint64_t(1) << 40) / size || count * size <= inline_size) continue;
        const uint64_t offset = read_uint(b, entry + (big_tiff ? 12 : 8), static_cast<int>(inline_size), little);
        if (offset > b.size() || count * size > b.size() - offset) return true;
    }
    return false;
}

// True when a strip or tile of the current directory lies (partly) past the end of the data.
bool strips_end_early(TIFF* tif, uint64_t size) {
    const uint32_t count = TIFFNumberOfStrips(tif);
    for (uint32_t i = 0; i < count; ++i) {
        const uint64_t offset = TIFFGetStrileOffset(tif, i);
        const uint64_t length = TIFFGetStrileByteCount(tif, i);
        if (offset > size || length > size - offset) return true;
    }
    return false;
}

std::string dims(uint32_t w, uint32_t h) { return std::to_string(w) + "x" + std::to_string(h); }

// Premultiplied RGBA (libtiff's raster, ABGR in a uint32) over white to RGB.
void flatten_row(const uint32_t* in, uint8_t* out, uint32_t width) {
    for (uint32_t x = 0; x < width; ++x, out += 3) {
        const uint32_t p = in[x];
        const int transparent = 255 - static_cast<int>(TIFFGetA(p));
        out[0] = static_cast<uint8_t>(std::min(255, static_cast<int>(TIFFGetR(p)) + transparent));
        out[1] = static_cast<uint8_t>(std::min(255, static_cast<int>(TIFFGetG(p)) + transparent));
        out[2] = static_cast<uint8_t>(std::min(255, static_cast<int>(TIFFGetB(p)) + transparent));
    }
}

}  // namespace

TiffDecoder::TiffDecoder(const lbx::sdk::Params& params)
    : max_alloc_bytes_(params.get_int("max_alloc_mb") * 1024 * 1024) {}

Status TiffDecoder::decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink& sink) const {
    Reader reader{request.source.bytes(), 0, {}};
    const std::span<const uint8_t> bytes = reader.bytes;
    const std::string total = std::to_string(bytes.size());
    if (bytes.empty()) return fail(LBX_E_CORRUPT, "empty file: 0 bytes");
    const bool magic_ok = bytes.size() >= 4 && (std::memcmp(bytes.data(), "II*\0", 4) == 0 ||
                                                std::memcmp(bytes.data(), "MM\0*", 4) == 0 ||
                                                std::memcmp(bytes.data(), "II+\0", 4) == 0 ||  // BigTIFF
                                                std::memcmp(bytes.data(), "MM\0+", 4) == 0);
    if (!magic_ok) {
        if (bytes.size() < 4 && (bytes[0] == 'I' || bytes[0] == 'M')) {
            return fail(LBX_E_TRUNCATED, "truncated TIFF: only " + total + " bytes");
        }
        return fail(LBX_E_UNSUPPORTED, "not a TIFF: no II*/MM* byte-order header");
    }

    std::unique_ptr<TIFFOpenOptions, OptionsDeleter> options(TIFFOpenOptionsAlloc());
    if (!options) return fail(LBX_E_NO_MEMORY, "cannot allocate libtiff options");
    TIFFOpenOptionsSetErrorHandlerExtR(options.get(), &on_error, &reader);
    TIFFOpenOptionsSetWarningHandlerExtR(options.get(), &on_warning, &reader);
    TIFFOpenOptionsSetMaxSingleMemAlloc(options.get(), static_cast<tmsize_t>(max_alloc_bytes_));

    const std::string name(request.source.path().empty() ? std::string_view("memory") : request.source.path());
    std::unique_ptr<TIFF, TiffDeleter> tif(TIFFClientOpenExt(name.c_str(), "r", &reader, &read_proc, &write_proc,
                                                             &seek_proc, &close_proc, &size_proc, &map_proc,
                                                             &unmap_proc, options.get()));
    if (!tif) {
        const std::string reason = reader.error.empty() ? "libtiff cannot open it" : reader.error;
        if (header_ends_early(bytes)) {
            return fail(LBX_E_TRUNCATED, "truncated TIFF: the file ends at byte " + total + ", inside the header (" +
                                             reason + ")");
        }
        return fail(LBX_E_CORRUPT, "corrupt TIFF: " + reason);
    }

    uint32_t width = 0, height = 0;
    if (!TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &width) || !TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &height)) {
        return fail(LBX_E_CORRUPT, "corrupt TIFF: the first directory has no image width or length");
    }
    if (Status s = sink.set_source_size(width, height); !s.ok()) return s;

    char reason[1024] = {};
    if (!TIFFRGBAImageOK(tif.get(), reason)) {
        return fail(LBX_E_UNSUPPORTED, std::string("unsupported TIFF: ") + reason);
    }
    TIFFRGBAImage img{};
    if (!TIFFRGBAImageBegin(&img, tif.get(), 1 /* stop on error */, reason)) {
        return fail(LBX_E_UNSUPPORTED, std::string("unsupported TIFF: ") + reason);
    }
    RgbaImageGuard guard{img};
    uint16_t orientation = ORIENTATION_TOPLEFT;
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_ORIENTATION, &orientation);
    // Asking for the file's own orientation makes libtiff flip nothing: raster row 0 is stored row 0.
    img.req_orientation = (orientation >= 1 && orientation <= 8) ? orientation : ORIENTATION_TOPLEFT;

    // Read whole strips or tiles at a time, at least 64 rows.
    uint32_t unit = 0;
    if (TIFFIsTiled(tif.get())) {
        TIFFGetField(tif.get(), TIFFTAG_TILELENGTH, &unit);
    } else {
        TIFFGetFieldDefaulted(tif.get(), TIFFTAG_ROWSPERSTRIP, &unit);
    }
    unit = std::clamp<uint32_t>(unit, 1, height);
    const uint32_t band = std::min<uint64_t>(height, uint64_t(unit) * ((64 + unit - 1) / unit));

    uint32_t stride = 0;
    uint8_t* out = sink.allocate(width, height, 0, stride);
    if (out == nullptr) return fail(LBX_E_NO_MEMORY, "no output buffer for a " + dims(width, height) + " image");
    std::vector<uint32_t> raster(std::size_t(width) * band);

    for (uint32_t row = 0; row < height; row += band) {
        const uint32_t rows = std::min(band, height - row);
        img.row_offset = static_cast<int>(row);
        img.col_offset = 0;
        if (!TIFFRGBAImageGet(&img, raster.data(), width, rows)) {
            const std::string why = reader.error.empty() ? "libtiff could not read the pixels" : reader.error;
            if (strips_end_early(tif.get(), bytes.size())) {
                return fail(LBX_E_TRUNCATED, "truncated TIFF: the file ends at byte " + total + " but its strips or tiles "
                                                 "go further (" + why + ")");
            }
            return fail(LBX_E_CORRUPT, "corrupt TIFF: " + why + " (rows " + std::to_string(row) + ".." +
                                           std::to_string(row + rows - 1) + ")");
        }
        for (uint32_t y = 0; y < rows; ++y) {
            flatten_row(&raster[std::size_t(y) * width], out + std::size_t(row + y) * stride, width);
        }
    }
    return lbx::sdk::ok();
}

}  // namespace lbx::plugins::tiffdec
