#include "sample/image_encoders.hpp"

#include <libheif/heif.h>
#include <png.h>
#include <tiffio.h>
#include <turbojpeg.h>
#include <webp/encode.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

namespace lbx::sample {

namespace {

void check_image(const RgbImage& image, const char* what) {
    if (image.width == 0 || image.height == 0 || image.pixels.size() != std::size_t(image.width) * image.height * 3) {
        throw std::runtime_error(std::string("cannot encode ") + what + ": image is " + std::to_string(image.width) +
                                 "x" + std::to_string(image.height) + " with " + std::to_string(image.pixels.size()) +
                                 " bytes of pixels");
    }
}

// ------------------------------------------------------------------------------------------- JPEG
struct TjDeleter {
    void operator()(void* handle) const { tjDestroy(handle); }
};
struct TjBufferDeleter {
    void operator()(unsigned char* buffer) const { tjFree(buffer); }
};

// ------------------------------------------------------------------------------------------- HEIC
struct HeifContextDeleter {
    void operator()(heif_context* c) const { heif_context_free(c); }
};
struct HeifEncoderDeleter {
    void operator()(heif_encoder* e) const { heif_encoder_release(e); }
};
struct HeifImageDeleter {
    void operator()(heif_image* i) const { heif_image_release(i); }
};
struct HeifHandleDeleter {
    void operator()(heif_image_handle* h) const { heif_image_handle_release(h); }
};
struct HeifOptionsDeleter {
    void operator()(heif_encoding_options* o) const { heif_encoding_options_free(o); }
};

void check_heif(const heif_error& err, const char* step) {
    if (err.code != heif_error_Ok) {
        throw std::runtime_error(std::string("cannot encode HEIC: ") + step + ": " + (err.message ? err.message : "?"));
    }
}

heif_error write_to_vector(heif_context*, const void* data, size_t size, void* userdata) {
    auto* out = static_cast<std::vector<uint8_t>*>(userdata);
    const auto* bytes = static_cast<const uint8_t*>(data);
    out->insert(out->end(), bytes, bytes + size);
    return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
}

// libheif 1.15 writes an image encoded with heif_encoding_options::image_orientation wrongly: the
// item's 'irot'/'imir' are associated before its 'ispe', although HEIF puts descriptive properties
// first and transformative ones (clap, irot, imir) after them, and for orientations 5..8 the 'ispe'
// holds the displayed size instead of the stored (coded) one. Real files (iPhone: ispe 4032x3024 with
// irot 270) do it right, so repair both in place: move the transformative associations of every ipma
// entry behind the others, keeping their order, and for 5..8 swap every ispe's width and height.
struct Box {
    std::size_t start = 0, body = 0, end = 0;
    std::string type;
};

uint64_t be(const std::vector<uint8_t>& b, std::size_t at, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | b[at + static_cast<std::size_t>(i)];
    return v;
}

std::vector<Box> child_boxes(const std::vector<uint8_t>& b, std::size_t from, std::size_t to) {
    std::vector<Box> boxes;
    std::size_t pos = from;
    while (to - pos >= 8) {
        uint64_t size = be(b, pos, 4);
        std::size_t header = 8;
        if (size == 1) {
            if (to - pos < 16) break;
            size = be(b, pos + 8, 8);
            header = 16;
        } else if (size == 0) {
            size = to - pos;
        }
        if (size < header || size > to - pos) break;
        boxes.push_back({pos, pos + header, pos + static_cast<std::size_t>(size),
                         std::string(reinterpret_cast<const char*>(&b[pos + 4]), 4)});
        pos += static_cast<std::size_t>(size);
    }
    return boxes;
}

const Box* find_box(const std::vector<Box>& boxes, const char* type) {
    for (const Box& box : boxes)
        if (box.type == type) return &box;
    return nullptr;
}

void fix_libheif_orientation_boxes(std::vector<uint8_t>& b, bool swap_ispe) {
    const std::vector<Box> top = child_boxes(b, 0, b.size());
    const Box* meta = find_box(top, "meta");
    if (meta == nullptr) throw std::runtime_error("cannot encode HEIC: libheif wrote no 'meta' box");
    const std::vector<Box> in_meta = child_boxes(b, meta->body + 4, meta->end);  // meta is a full box
    const Box* iprp = find_box(in_meta, "iprp");
    if (iprp == nullptr) throw std::runtime_error("cannot encode HEIC: libheif wrote no 'iprp' box");
    const std::vector<Box> in_iprp = child_boxes(b, iprp->body, iprp->end);
    const Box* ipco = find_box(in_iprp, "ipco");
    const Box* ipma = find_box(in_iprp, "ipma");
    if (ipco == nullptr || ipma == nullptr) throw std::runtime_error("cannot encode HEIC: no 'ipco'/'ipma' box");
    const std::vector<Box> properties = child_boxes(b, ipco->body, ipco->end);

    for (const Box& property : properties) {
        if (!swap_ispe || property.type != "ispe" || property.end - property.body < 12) continue;
        std::swap_ranges(b.begin() + static_cast<std::ptrdiff_t>(property.body + 4),
                         b.begin() + static_cast<std::ptrdiff_t>(property.body + 8),
                         b.begin() + static_cast<std::ptrdiff_t>(property.body + 8));
    }

    const uint8_t version = b[ipma->body];
    const std::size_t assoc_size = (be(b, ipma->body + 1, 3) & 1) ? 2 : 1;
    std::size_t pos = ipma->body + 4;
    const uint64_t entries = be(b, pos, 4);
    pos += 4;
    for (uint64_t e = 0; e < entries; ++e) {
        pos += version < 1 ? 2 : 4;  // item_ID
        const std::size_t count = b[pos++];
        if (pos + count * assoc_size > ipma->end) throw std::runtime_error("cannot encode HEIC: bad 'ipma' box");
        std::vector<std::vector<uint8_t>> descriptive, transformative;
        for (std::size_t i = 0; i < count; ++i) {
            const std::size_t at = pos + i * assoc_size;
            std::vector<uint8_t> raw(b.begin() + static_cast<std::ptrdiff_t>(at),
                                     b.begin() + static_cast<std::ptrdiff_t>(at + assoc_size));
            const std::size_t index = assoc_size == 2 ? (be(b, at, 2) & 0x7FFF) : (b[at] & 0x7F);
            const std::string type = index >= 1 && index <= properties.size() ? properties[index - 1].type : "";
            (type == "irot" || type == "imir" || type == "clap" ? transformative : descriptive).push_back(raw);
        }
        for (const auto& raw : transformative) descriptive.push_back(raw);
        for (const auto& raw : descriptive) {
            std::copy(raw.begin(), raw.end(), b.begin() + static_cast<std::ptrdiff_t>(pos));
            pos += raw.size();
        }
    }
}

// ------------------------------------------------------------------------------------------- TIFF
// A growable in-memory file for TIFFClientOpen.
struct MemoryFile {
    std::vector<uint8_t> bytes;
    std::size_t pos = 0;
};

tmsize_t mem_read(thandle_t h, void* buf, tmsize_t size) {
    auto* f = static_cast<MemoryFile*>(h);
    if (size <= 0 || f->pos >= f->bytes.size()) return 0;
    const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(size), f->bytes.size() - f->pos);
    std::memcpy(buf, f->bytes.data() + f->pos, n);
    f->pos += n;
    return static_cast<tmsize_t>(n);
}

tmsize_t mem_write(thandle_t h, void* buf, tmsize_t size) {
    auto* f = static_cast<MemoryFile*>(h);
    if (size <= 0) return 0;
    const std::size_t n = static_cast<std::size_t>(size);
    if (f->pos + n > f->bytes.size()) f->bytes.resize(f->pos + n);
    std::memcpy(f->bytes.data() + f->pos, buf, n);
    f->pos += n;
    return size;
}

toff_t mem_seek(thandle_t h, toff_t off, int whence) {
    auto* f = static_cast<MemoryFile*>(h);
    std::size_t base = 0;
    if (whence == SEEK_CUR) base = f->pos;
    if (whence == SEEK_END) base = f->bytes.size();
    f->pos = base + static_cast<std::size_t>(off);
    return static_cast<toff_t>(f->pos);
}

int mem_close(thandle_t) { return 0; }
toff_t mem_size(thandle_t h) { return static_cast<toff_t>(static_cast<MemoryFile*>(h)->bytes.size()); }
int mem_map(thandle_t, void**, toff_t*) { return 0; }
void mem_unmap(thandle_t, void*, toff_t) {}

struct TiffDeleter {
    void operator()(TIFF* t) const { TIFFClose(t); }
};

// ------------------------------------------------------------------------------------------- WebP
struct WebPBufferDeleter {
    void operator()(uint8_t* p) const { WebPFree(p); }
};

}  // namespace

std::vector<uint8_t> encode_jpeg(const RgbImage& image, int quality) {
    check_image(image, "JPEG");
    std::unique_ptr<void, TjDeleter> handle(tjInitCompress());
    if (!handle) throw std::runtime_error("cannot start the TurboJPEG compressor");
    unsigned char* raw = nullptr;
    unsigned long size = 0;  // NOLINT(google-runtime-int): TurboJPEG's type
    const int rc = tjCompress2(handle.get(), image.pixels.data(), static_cast<int>(image.width),
                               static_cast<int>(image.width * 3), static_cast<int>(image.height), TJPF_RGB, &raw,
                               &size, TJSAMP_420, std::clamp(quality, 1, 100), 0);
    std::unique_ptr<unsigned char, TjBufferDeleter> buffer(raw);
    if (rc != 0) throw std::runtime_error(std::string("cannot encode JPEG: ") + tjGetErrorStr2(handle.get()));
    return {buffer.get(), buffer.get() + size};
}

std::vector<uint8_t> encode_heic(const RgbImage& image, int quality, int exif_orientation_in_container,
                                 const std::vector<uint8_t>* exif_tiff_block, int thumbnail_long_edge) {
    check_image(image, "HEIC");
    if (exif_orientation_in_container < 1 || exif_orientation_in_container > 8) {
        throw std::runtime_error("cannot encode HEIC: orientation " + std::to_string(exif_orientation_in_container) +
                                 " is not in 1..8");
    }
    static std::once_flag init_once;
    std::call_once(init_once, [] { heif_init(nullptr); });  // never undone: reference-counted in libheif
    std::unique_ptr<heif_context, HeifContextDeleter> ctx(heif_context_alloc());
    if (!ctx) throw std::runtime_error("cannot encode HEIC: no libheif context");

    heif_encoder* raw_encoder = nullptr;
    check_heif(heif_context_get_encoder_for_format(ctx.get(), heif_compression_HEVC, &raw_encoder), "no HEVC encoder");
    std::unique_ptr<heif_encoder, HeifEncoderDeleter> encoder(raw_encoder);
    check_heif(heif_encoder_set_lossy_quality(encoder.get(), std::clamp(quality, 0, 100)), "quality");

    heif_image* raw_image = nullptr;
    check_heif(heif_image_create(static_cast<int>(image.width), static_cast<int>(image.height), heif_colorspace_RGB,
                                 heif_chroma_interleaved_RGB, &raw_image),
               "image");
    std::unique_ptr<heif_image, HeifImageDeleter> img(raw_image);
    check_heif(heif_image_add_plane(img.get(), heif_channel_interleaved, static_cast<int>(image.width),
                                    static_cast<int>(image.height), 8),
               "plane");
    int stride = 0;
    uint8_t* plane = heif_image_get_plane(img.get(), heif_channel_interleaved, &stride);
    if (plane == nullptr) throw std::runtime_error("cannot encode HEIC: no plane");
    for (uint32_t y = 0; y < image.height; ++y) {
        std::memcpy(plane + std::size_t(y) * static_cast<std::size_t>(stride), &image.pixels[std::size_t(y) * image.width * 3],
                    std::size_t(image.width) * 3);
    }

    // libheif >= 1.14: image_orientation (encoding options version 5) makes it write irot/imir boxes
    // that turn the stored pixels the way the EXIF orientation of the same value would.
    std::unique_ptr<heif_encoding_options, HeifOptionsDeleter> options(heif_encoding_options_alloc());
    if (options->version < 5 && exif_orientation_in_container != 1) {
        throw std::runtime_error("cannot encode HEIC: this libheif cannot write an orientation");
    }
    if (options->version >= 5) options->image_orientation = static_cast<heif_orientation>(exif_orientation_in_container);

    heif_image_handle* raw_handle = nullptr;
    check_heif(heif_context_encode_image(ctx.get(), img.get(), encoder.get(), options.get(), &raw_handle), "encode");
    std::unique_ptr<heif_image_handle, HeifHandleDeleter> handle(raw_handle);

    if (thumbnail_long_edge > 0) {
        heif_image_handle* raw_thumb = nullptr;  // NULL when the image already fits the box
        check_heif(heif_context_encode_thumbnail(ctx.get(), img.get(), handle.get(), encoder.get(), options.get(),
                                                 thumbnail_long_edge, &raw_thumb),
                   "thumbnail");
        std::unique_ptr<heif_image_handle, HeifHandleDeleter> thumb(raw_thumb);
    }

    if (exif_tiff_block != nullptr && !exif_tiff_block->empty()) {
        check_heif(heif_context_add_exif_metadata(ctx.get(), handle.get(), exif_tiff_block->data(),
                                                  static_cast<int>(exif_tiff_block->size())),
                   "exif");
    }

    std::vector<uint8_t> out;
    heif_writer writer{1, &write_to_vector};
    check_heif(heif_context_write(ctx.get(), &writer, &out), "write");
    if (exif_orientation_in_container != 1) fix_libheif_orientation_boxes(out, exif_orientation_in_container >= 5);
    return out;
}

std::vector<uint8_t> encode_png(const RgbImage& image, bool with_alpha) {
    check_image(image, "PNG");
    png_image png{};
    png.version = PNG_IMAGE_VERSION;
    png.width = image.width;
    png.height = image.height;
    png.format = with_alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB;

    std::vector<uint8_t> rgba;
    const void* pixels = image.pixels.data();
    if (with_alpha) {
        rgba.resize(std::size_t(image.width) * image.height * 4);
        const uint32_t bw = image.width / 5, bh = image.height / 5;
        for (uint32_t y = 0; y < image.height; ++y) {
            for (uint32_t x = 0; x < image.width; ++x) {
                const std::size_t i = std::size_t(y) * image.width + x;
                std::memcpy(&rgba[i * 4], &image.pixels[i * 3], 3);
                const bool transparent = x < bw && y >= image.height - bh;
                rgba[i * 4 + 3] = transparent ? 0 : 255;
            }
        }
        pixels = rgba.data();
    }

    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&png, nullptr, &size, 0, pixels, 0, nullptr)) {
        std::string message = png.message;
        png_image_free(&png);
        throw std::runtime_error("cannot encode PNG: " + message);
    }
    std::vector<uint8_t> out(size);
    if (!png_image_write_to_memory(&png, out.data(), &size, 0, pixels, 0, nullptr)) {
        std::string message = png.message;
        png_image_free(&png);
        throw std::runtime_error("cannot encode PNG: " + message);
    }
    out.resize(size);
    return out;
}

std::vector<uint8_t> encode_tiff(const RgbImage& image) {
    check_image(image, "TIFF");
    MemoryFile file;
    {
        std::unique_ptr<TIFF, TiffDeleter> tif(TIFFClientOpen("memory.tif", "wl", &file, &mem_read, &mem_write,
                                                              &mem_seek, &mem_close, &mem_size, &mem_map, &mem_unmap));
        if (!tif) throw std::runtime_error("cannot encode TIFF: TIFFClientOpen failed");
        TIFFSetField(tif.get(), TIFFTAG_IMAGEWIDTH, image.width);
        TIFFSetField(tif.get(), TIFFTAG_IMAGELENGTH, image.height);
        TIFFSetField(tif.get(), TIFFTAG_SAMPLESPERPIXEL, 3);
        TIFFSetField(tif.get(), TIFFTAG_BITSPERSAMPLE, 8);
        TIFFSetField(tif.get(), TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
        TIFFSetField(tif.get(), TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
        TIFFSetField(tif.get(), TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT);
        TIFFSetField(tif.get(), TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
        TIFFSetField(tif.get(), TIFFTAG_ROWSPERSTRIP, 16);
        std::vector<uint8_t> row(std::size_t(image.width) * 3);
        for (uint32_t y = 0; y < image.height; ++y) {
            std::memcpy(row.data(), &image.pixels[std::size_t(y) * row.size()], row.size());
            if (TIFFWriteScanline(tif.get(), row.data(), y, 0) < 0) {
                throw std::runtime_error("cannot encode TIFF: writing row " + std::to_string(y) + " failed");
            }
        }
        if (!TIFFWriteDirectory(tif.get())) throw std::runtime_error("cannot encode TIFF: writing the directory failed");
    }  // TIFFClose flushes into `file`
    return std::move(file.bytes);
}

std::vector<uint8_t> encode_webp(const RgbImage& image, int quality) {
    check_image(image, "WebP");
    uint8_t* raw = nullptr;
    const std::size_t size = WebPEncodeRGB(image.pixels.data(), static_cast<int>(image.width),
                                           static_cast<int>(image.height), static_cast<int>(image.width * 3),
                                           static_cast<float>(std::clamp(quality, 0, 100)), &raw);
    std::unique_ptr<uint8_t, WebPBufferDeleter> buffer(raw);
    if (size == 0 || !buffer) {
        throw std::runtime_error("cannot encode WebP: WebPEncodeRGB failed for a " + std::to_string(image.width) + "x" +
                                 std::to_string(image.height) + " image");
    }
    return {buffer.get(), buffer.get() + size};
}

}  // namespace lbx::sample

// LeakSanitizer: x265 (libx265.so.199, inside libheif's HEVC encoder) leaks about 1.2 KB of its own per
// encoded image; nothing of ours. The sanitizer runtime reads this weak hook when it is linked in, that
// is in sanitizer builds of the tests and of `lightbox-engine sample`; elsewhere it is never called.
extern "C" const char* __lsan_default_suppressions();  // NOLINT(bugprone-reserved-identifier)
extern "C" const char* __lsan_default_suppressions() { return "leak:libx265.so\n"; }
