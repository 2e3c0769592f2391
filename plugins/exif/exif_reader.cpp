// The "exif" metadata stage: EXIF, XMP and IPTC of JPEG, PNG, TIFF, WebP and HEIF/AVIF photos, read
// with Exiv2 from the bytes the host already holds (never from the file), reported as raw entries
// ("Exif.Photo.FNumber" = "14/5") and as the normalized summary of summary.hpp.
//
// Run it with:  lightbox-engine run --only metadata photo.jpg
//
// Exiv2 only ever sees bytes whose magic matches one of the declared formats and that Exiv2 itself
// types as that same container: its video parsers (QuickTime, RIFF/AVI, Matroska), which crash or
// hang on some malformed files, are never reached. For HEIF/AVIF the stored size and, when Exiv2
// finds none, the Exif item come from heif_items.cpp.
#include "exif_reader.hpp"

#include "heif_items.hpp"
#include "maker_note.hpp"
#include "summary.hpp"

#include <exiv2/bmffimage.hpp>
#include <exiv2/exiv2.hpp>
#include <exiv2/webpimage.hpp>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace lbx::plugins::exif {

namespace {

// Exiv2's process-wide setup. XmpParser::initialize() is not thread-safe itself and must run before
// any thread parses XMP; the lock it is given serialises the XMP toolkit's namespace registry after.
// Decoding XMP is not thread-safe either in Exiv2 0.27 (two threads decoding packets at once read
// each other's properties: `run --isolation none --jobs 2` gave a photo another date now and then),
// so every parse that may decode XMP holds the same lock. Workers parse one file at a time, so it only
// ever waits with stages on threads.
std::recursive_mutex xmp_mutex;

void xmp_lock(void* data, bool lock) {
    auto* m = static_cast<std::recursive_mutex*>(data);
    if (lock) {
        m->lock();
    } else {
        m->unlock();
    }
}

void init_exiv2() {
    static std::once_flag once;
    std::call_once(once, [] {
        Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
        Exiv2::enableBMFF(true);  // compiled in (EXV_ENABLE_BMFF) but off until enabled at run time
        Exiv2::XmpParser::initialize(&xmp_lock, &xmp_mutex);
        // XMP namespaces met in files are registered for the life of the process; free them at exit
        // (the plugin is never unloaded) so leak checkers stay quiet.
        std::atexit([] { Exiv2::XmpParser::terminate(); });
    });
}

struct Container {
    const char* name;  // for messages: "jpeg", "png", ...
    int exiv2_type;    // Exiv2::ImageType the bytes must have
    int exiv2_alt_type;
};

bool starts_with(std::span<const uint8_t> b, std::size_t offset, const char* magic, std::size_t n) {
    return b.size() >= offset + n && std::memcmp(b.data() + offset, magic, n) == 0;
}

// The same signatures exif_plugin.cpp declares (the host sniffed them already; this is a second check,
// because a host or a test may hand the stage anything).
std::optional<Container> sniff(std::span<const uint8_t> b) {
    if (starts_with(b, 0, "\xFF\xD8\xFF", 3)) return Container{"jpeg", Exiv2::ImageType::jpeg, -1};
    if (starts_with(b, 0, "\x89PNG\r\n\x1A\n", 8)) return Container{"png", Exiv2::ImageType::png, -1};
    if (starts_with(b, 0, "II*\0", 4) || starts_with(b, 0, "MM\0*", 4))
        return Container{"tiff", Exiv2::ImageType::tiff, Exiv2::ImageType::cr2};
    if (starts_with(b, 0, "RIFF", 4) && starts_with(b, 8, "WEBP", 4))
        return Container{"webp", Exiv2::ImageType::webp, -1};
    if (starts_with(b, 4, "ftyp", 4)) {
        for (const char* brand : {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"}) {
            if (starts_with(b, 8, brand, 4)) return Container{"heif", Exiv2::ImageType::bmff, -1};
        }
        for (const char* brand : {"avif", "avis"}) {
            if (starts_with(b, 8, brand, 4)) return Container{"avif", Exiv2::ImageType::bmff, -1};
        }
    }
    return std::nullopt;
}

std::string hex_prefix(std::span<const uint8_t> b, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < b.size() && i < count; ++i) {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%s%02x", i ? " " : "", b[i]);
        out += hex;
    }
    return out;
}

// Exiv2's message as ours: lower-case start, no trailing period.
std::string exiv2_message(const char* what) {
    std::string m = what ? what : "";
    while (!m.empty() && (m.back() == '.' || m.back() == ' ' || m.back() == '\n')) m.pop_back();
    if (!m.empty() && m[0] >= 'A' && m[0] <= 'Z' && !(m.size() > 1 && m[1] >= 'A' && m[1] <= 'Z'))
        m[0] = static_cast<char>(m[0] + ('a' - 'A'));
    return m.empty() ? std::string("unknown error") : m;
}

lbx_status exiv2_status(int code) {
    switch (code) {
        case Exiv2::kerFailedToReadImageData:
        case Exiv2::kerInputDataReadFailed:
            return LBX_E_TRUNCATED;
        case Exiv2::kerNotAnImage:
        case Exiv2::kerMemoryContainsUnknownImageType:
        case Exiv2::kerUnsupportedImageType:
            return LBX_E_UNSUPPORTED;
        default:
            return LBX_E_CORRUPT;
    }
}

// Undefined and byte values longer than this are binary blobs (maker notes, thumbnails, ICC profiles):
// not worth a text entry.
constexpr long kMaxBinaryEntry = 64;

// A datum: its key, its raw value, and how people read it (Exiv2's print(): "F2.8" for "14/5"; empty when
// the same as the raw value).
struct Entry {
    std::string key;
    std::string value;
    std::string printed;
};
using Entries = std::vector<Entry>;

// Exiv2's interpreted value of an Exif datum, when it says more than the raw one. print() looks up
// other tags of `exif` (a Canon lens name needs the focal range) and may throw on odd values.
std::string printed_exif(const Exiv2::Exifdatum& d, const Exiv2::ExifData& exif, const std::string& raw, std::size_t max_len) {
    std::string printed;
    try {
        printed = trimmed_text(d.print(&exif), max_len);
    } catch (const std::exception&) {
        return {};
    }
    return printed == raw ? std::string() : printed;
}

void collect_exif(const Exiv2::ExifData& exif, std::size_t max_len, Entries& out) {
    for (const Exiv2::Exifdatum& d : exif) {
        const Exiv2::TypeId type = d.typeId();
        const bool bytes = type == Exiv2::undefined || type == Exiv2::unsignedByte || type == Exiv2::signedByte;
        if (bytes && d.size() > kMaxBinaryEntry) {
            // A user comment is text behind an 8-byte charset header, often padded to hundreds of bytes.
            if (const auto* comment = dynamic_cast<const Exiv2::CommentValue*>(&d.value())) {
                std::string text = trimmed_text(comment->comment(), max_len);
                if (!text.empty()) out.push_back({d.key(), std::move(text), {}});
            }
            continue;
        }
        std::string raw = clean_text(d.toString(), max_len);
        std::string printed = printed_exif(d, exif, raw, max_len);
        out.push_back({d.key(), std::move(raw), std::move(printed)});
    }
}

void collect_iptc(const Exiv2::IptcData& iptc, std::size_t max_len, Entries& out) {
    for (const Exiv2::Iptcdatum& d : iptc) {
        if (d.typeId() == Exiv2::undefined && d.size() > kMaxBinaryEntry) continue;
        out.push_back({d.key(), clean_text(d.toString(), max_len), {}});
    }
}

void collect_xmp(const Exiv2::XmpData& xmp, std::size_t max_len, Entries& out) {
    // XMP values are text already; an alternative-language value prints as `lang="x-default" text`, its
    // first item reads better.
    for (const Exiv2::Xmpdatum& d : xmp) {
        std::string raw = clean_text(d.toString(), max_len);
        std::string printed;
        if (d.typeId() == Exiv2::langAlt && d.count() > 0) printed = clean_text(d.toString(0), max_len);
        out.push_back({d.key(), std::move(raw), printed == raw ? std::string() : std::move(printed)});
    }
}

// What Exiv2 read, copied out of its Image.
struct Parsed {
    Exiv2::ExifData exif;
    Exiv2::IptcData iptc;
    Exiv2::XmpData xmp;
    uint32_t width = 0;  // stored size as Exiv2 reads it from the container header; 0 when unknown
    uint32_t height = 0;
};

Parsed read_with_exiv2(const Exiv2::byte* data, long size) {
    Exiv2::Image::AutoPtr image = Exiv2::ImageFactory::open(data, size);
    if (image.get() == nullptr) throw Exiv2::Error(Exiv2::kerMemoryContainsUnknownImageType);
    const std::lock_guard hold(xmp_mutex);  // readMetadata() decodes the XMP packet
    image->readMetadata();
    Parsed p;
    p.exif = image->exifData();
    p.iptc = image->iptcData();
    p.xmp = image->xmpData();
    p.width = image->pixelWidth() > 0 ? static_cast<uint32_t>(image->pixelWidth()) : 0;
    p.height = image->pixelHeight() > 0 ? static_cast<uint32_t>(image->pixelHeight()) : 0;
    return p;
}

// Runs `body` and turns whatever Exiv2 (or the standard library under it) throws into a failure.
template <typename Body>
lbx::sdk::Status guarded(const std::string& what, std::size_t file_size, Body&& body) {
    try {
        body();
        return lbx::sdk::ok();
    } catch (const Exiv2::AnyError& e) {
        return lbx::sdk::fail(exiv2_status(e.code()),
                              what + exiv2_message(e.what()) + " (exiv2 error " + std::to_string(e.code()) + ")");
    } catch (const std::bad_alloc&) {
        return lbx::sdk::fail(LBX_E_CORRUPT,
                              what + "exiv2 ran out of memory on a file of " + std::to_string(file_size) + " bytes");
    } catch (const std::exception& e) {
        return lbx::sdk::fail(LBX_E_CORRUPT, what + exiv2_message(e.what()));
    }
}

void emit(const Summary& s, lbx::sdk::MetadataSink& sink) {
    auto text = [&](const char* field, const std::optional<std::string>& v) {
        if (v) sink.text(field, *v);
    };
    auto number = [&](const char* field, const std::optional<double>& v) {
        if (v) sink.number(field, *v);
    };
    text(LBX_FIELD_TAKEN_AT, s.taken_at);
    text(LBX_FIELD_MAKE, s.make);
    text(LBX_FIELD_MODEL, s.model);
    text(LBX_FIELD_LENS, s.lens);
    number(LBX_FIELD_EXPOSURE_TIME, s.exposure_time);
    number(LBX_FIELD_F_NUMBER, s.f_number);
    number(LBX_FIELD_ISO, s.iso);
    number(LBX_FIELD_FOCAL_LENGTH, s.focal_length);
    number(LBX_FIELD_ORIENTATION, s.orientation);
    number(LBX_FIELD_GPS_LAT, s.gps_lat);
    number(LBX_FIELD_GPS_LON, s.gps_lon);
    number(LBX_FIELD_GPS_ALT, s.gps_alt);
    number(LBX_FIELD_WIDTH, s.width);
    number(LBX_FIELD_HEIGHT, s.height);
}

// Reports what Exiv2 read: raw entries (when asked for) and the summary. Everything is read before
// anything is reported: a failure leaves the sink untouched. A maker note Exiv2 left as bytes is
// decoded again first (maker_note.hpp), so its lens and ISO reach the summary and its tags the entries.
lbx::sdk::Status report(Parsed& parsed, const std::string& what, std::size_t size, bool raw_entries,
                        std::size_t max_value_length, lbx::sdk::MetadataSink& sink) {
    Entries entries;
    Summary summary;
    lbx::sdk::Status status = guarded(what, size, [&] {
        decode_stray_maker_note(parsed.exif);
        if (raw_entries) {
            collect_exif(parsed.exif, max_value_length, entries);
            collect_iptc(parsed.iptc, max_value_length, entries);
            collect_xmp(parsed.xmp, max_value_length, entries);
        }
        summary = summarize(parsed.exif, parsed.xmp, parsed.iptc, parsed.width, parsed.height);
    });
    if (!status.ok()) return status;
    for (const Entry& e : entries) {
        sink.entry(e.key, e.value);
        if (!e.printed.empty()) sink.printed(e.key, e.printed);
    }
    emit(summary, sink);
    return lbx::sdk::ok();
}

}  // namespace

ExifReader::ExifReader(const lbx::sdk::Params& params)
    : raw_entries_(params.get_bool("raw_entries")),
      max_value_length_(static_cast<std::size_t>(params.get_int("max_value_length"))) {
    init_exiv2();
}

lbx::sdk::Status ExifReader::read_metadata(const lbx::sdk::Source& source, lbx::sdk::MetadataSink& sink) const {
    const std::span<const uint8_t> bytes = source.bytes();
    if (bytes.empty()) return lbx::sdk::fail(LBX_E_TRUNCATED, "empty file (0 bytes)");
    const std::optional<Container> container = sniff(bytes);
    if (!container) {
        return lbx::sdk::fail(LBX_E_UNSUPPORTED, "not a jpeg, png, tiff, webp, heif or avif file (first bytes " +
                                                     hex_prefix(bytes, 12) + ")");
    }
    if (bytes.size() > static_cast<std::size_t>(LONG_MAX)) {
        return lbx::sdk::fail(LBX_E_TOO_LARGE, "file of " + std::to_string(bytes.size()) + " bytes");
    }
    const std::string what = std::string("cannot read ") + container->name + " metadata: ";
    const auto* data = reinterpret_cast<const Exiv2::byte*>(bytes.data());
    const long size = static_cast<long>(bytes.size());
    const bool bmff = container->exiv2_type == Exiv2::ImageType::bmff;

    int type = Exiv2::ImageType::none;
    lbx::sdk::Status status = guarded(what, bytes.size(), [&] { type = Exiv2::ImageFactory::getType(data, size); });
    if (!status.ok()) return status;
    if (type != container->exiv2_type && type != container->exiv2_alt_type) {
        return lbx::sdk::fail(LBX_E_UNSUPPORTED, what + "exiv2 does not take it for a " + container->name + " (type " +
                                                     std::to_string(type) + ", " + std::to_string(bytes.size()) +
                                                     " bytes)");
    }

    Parsed parsed;
    status = guarded(what, bytes.size(), [&] { parsed = read_with_exiv2(data, size); });
    if (bmff) {
        // Exiv2 0.27 misses the Exif item of libheif-written files and gives up on a whole file over
        // one bad box (an ICC profile it rejects): read the Exif item directly then. Its 'ispe' is the
        // wrong one for grids, so the size always comes from the primary item.
        if (parsed.exif.empty()) {
            guarded(what, bytes.size(), [&] {
                if (std::optional<std::vector<uint8_t>> tiff = heif_exif_tiff(bytes)) {
                    Exiv2::ExifData exif;
                    Exiv2::ExifParser::decode(exif, tiff->data(), static_cast<uint32_t>(tiff->size()));
                    parsed.exif = std::move(exif);
                }
            });
        }
        if (!status.ok() && parsed.exif.empty()) return status;
        const auto primary = heif_primary_size(bytes);
        parsed.width = primary ? primary->first : 0;
        parsed.height = primary ? primary->second : 0;
    } else if (!status.ok()) {
        return status;
    }

    return report(parsed, what, bytes.size(), raw_entries_ && sink.wants_entries(), max_value_length_, sink);
}

lbx::sdk::Status ExifReader::read_metadata_block(const lbx::sdk::MetadataBlock& block,
                                                 lbx::sdk::MetadataSink& sink) const {
    std::span<const uint8_t> bytes = block.data;
    const std::string what = "cannot read " + std::string(block.kind) + " block: ";
    if (bytes.empty()) return lbx::sdk::fail(LBX_E_TRUNCATED, what + "empty");
    if (bytes.size() > UINT32_MAX / 2) {  // far beyond the host's limit; Exiv2 takes 32-bit sizes
        return lbx::sdk::fail(LBX_E_TOO_LARGE, what + std::to_string(bytes.size()) + " bytes");
    }
    Parsed parsed;
    lbx::sdk::Status status;
    if (block.kind == LBX_METADATA_BLOCK_EXIF) {
        // The APP1 form starts with "Exif\0\0"; ExifParser wants the TIFF structure behind it.
        if (starts_with(bytes, 0, "Exif\0\0", 6)) bytes = bytes.subspan(6);
        if (!starts_with(bytes, 0, "II*\0", 4) && !starts_with(bytes, 0, "MM\0*", 4)) {
            return lbx::sdk::fail(LBX_E_CORRUPT, what + "no TIFF header (first bytes " + hex_prefix(bytes, 8) + ")");
        }
        status = guarded(what, bytes.size(), [&] {
            Exiv2::ExifParser::decode(parsed.exif, reinterpret_cast<const Exiv2::byte*>(bytes.data()),
                                      static_cast<uint32_t>(bytes.size()));
        });
    } else if (block.kind == LBX_METADATA_BLOCK_XMP) {
        status = guarded(what, bytes.size(), [&] {
            const std::string packet(reinterpret_cast<const char*>(bytes.data()), bytes.size());
            const std::lock_guard hold(xmp_mutex);
            // decode() returns non-zero for a packet the XMP toolkit cannot parse, without throwing.
            if (Exiv2::XmpParser::decode(parsed.xmp, packet) != 0) throw std::runtime_error("malformed XMP packet");
        });
    } else {
        return lbx::sdk::fail(LBX_E_UNSUPPORTED, "unknown metadata block kind '" + std::string(block.kind) + "'");
    }
    if (!status.ok()) return status;
    return report(parsed, what, bytes.size(), raw_entries_ && sink.wants_entries(), max_value_length_, sink);
}

}  // namespace lbx::plugins::exif
