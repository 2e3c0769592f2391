// Writes EXIF (and an XMP subject) into encoded images with Exiv2, in memory, for the sample set
// (`lightbox-engine sample DIR`) and the tests; also makes the bare EXIF block of a HEIF and JPEGs with
// bogus EXIF for robustness tests.
#include "sample/exif_writer.hpp"

#include <exiv2/exiv2.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <numeric>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace lbx::sample {

namespace {

// Whoever initializes Exiv2's XMP toolkit first (this writer or the exif plugin) gives it its lock;
// a later initialize() is ignored, so both install one.
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
    std::call_once(once, [] { Exiv2::XmpParser::initialize(&xmp_lock, &xmp_mutex); });
}

Exiv2::URational reduced(uint64_t num, uint64_t den) {
    uint64_t g = std::gcd(num, den);
    if (g > 1) {
        num /= g;
        den /= g;
    }
    if (num > UINT32_MAX || den > UINT32_MAX) throw std::runtime_error("rational value out of range");
    return {static_cast<uint32_t>(num), static_cast<uint32_t>(den)};
}

void require_positive(double x, const char* what) {
    if (!std::isfinite(x) || x <= 0) throw std::runtime_error(std::string(what) + " must be positive");
}

// 0.004 -> 1/250 (the way cameras write short exposures); anything else to 1/10000.
Exiv2::URational exposure_rational(double seconds) {
    require_positive(seconds, "exposure time");
    if (seconds < 1) {
        double inverse = std::round(1 / seconds);
        if (std::abs(1 / inverse - seconds) <= 1e-9 * seconds) return reduced(1, static_cast<uint64_t>(inverse));
    }
    return reduced(static_cast<uint64_t>(std::llround(seconds * 10000)), 10000);
}

Exiv2::URational decimal_rational(double x, uint64_t den) {
    if (!std::isfinite(x) || x < 0) throw std::runtime_error("value must be finite and non-negative");
    return reduced(static_cast<uint64_t>(std::llround(x * static_cast<double>(den))), den);
}

Exiv2::URationalValue rationals(std::initializer_list<Exiv2::URational> parts) {
    Exiv2::URationalValue v;
    for (const auto& p : parts) v.value_.push_back(p);
    return v;
}

Exiv2::UShortValue ushort_value(long x) {
    Exiv2::UShortValue v;
    v.value_.push_back(static_cast<uint16_t>(std::clamp(x, 0L, 65535L)));
    return v;
}

Exiv2::DataValue byte_value(const char* text) {
    Exiv2::DataValue v(Exiv2::unsignedByte);
    v.read(text);
    return v;
}

// |degrees| as degrees, minutes and seconds to 1/10000 of a second (about 3 mm), exactly carried.
Exiv2::URationalValue dms(double degrees) {
    constexpr int64_t kUnitsPerSecond = 10000;
    const int64_t units = std::llround(std::abs(degrees) * 3600.0 * kUnitsPerSecond);
    const int64_t deg = units / (3600 * kUnitsPerSecond);
    const int64_t min = units % (3600 * kUnitsPerSecond) / (60 * kUnitsPerSecond);
    const int64_t sec = units % (60 * kUnitsPerSecond);
    return rationals({{static_cast<uint32_t>(deg), 1},
                      {static_cast<uint32_t>(min), 1},
                      reduced(static_cast<uint64_t>(sec), kUnitsPerSecond)});
}

void set(Exiv2::ExifData& exif, const char* key, const Exiv2::Value& value) { exif[key].setValue(&value); }

void fill_exif(Exiv2::ExifData& exif, const ExifSpec& spec) {
    if (spec.make) exif["Exif.Image.Make"] = *spec.make;
    if (spec.model) exif["Exif.Image.Model"] = *spec.model;
    set(exif, "Exif.Image.Orientation", ushort_value(spec.orientation));
    if (spec.date_time_original) exif["Exif.Photo.DateTimeOriginal"] = *spec.date_time_original;
    if (spec.sub_sec_time_original) exif["Exif.Photo.SubSecTimeOriginal"] = *spec.sub_sec_time_original;
    if (spec.offset_time_original) exif["Exif.Photo.OffsetTimeOriginal"] = *spec.offset_time_original;
    if (spec.exposure_time) set(exif, "Exif.Photo.ExposureTime", rationals({exposure_rational(*spec.exposure_time)}));
    if (spec.f_number) {
        require_positive(*spec.f_number, "f-number");
        set(exif, "Exif.Photo.FNumber", rationals({decimal_rational(*spec.f_number, 100)}));
    }
    if (spec.iso) set(exif, "Exif.Photo.ISOSpeedRatings", ushort_value(*spec.iso));
    if (spec.focal_length) {
        require_positive(*spec.focal_length, "focal length");
        set(exif, "Exif.Photo.FocalLength", rationals({decimal_rational(*spec.focal_length, 100)}));
    }
    if (spec.lens) exif["Exif.Photo.LensModel"] = *spec.lens;

    const bool gps = spec.gps_lat || spec.gps_lon || spec.gps_alt;
    if (gps) set(exif, "Exif.GPSInfo.GPSVersionID", byte_value("2 3 0 0"));
    if (spec.gps_lat) {
        if (!std::isfinite(*spec.gps_lat) || std::abs(*spec.gps_lat) > 90) throw std::runtime_error("bad latitude");
        exif["Exif.GPSInfo.GPSLatitudeRef"] = std::string(*spec.gps_lat < 0 ? "S" : "N");
        set(exif, "Exif.GPSInfo.GPSLatitude", dms(*spec.gps_lat));
    }
    if (spec.gps_lon) {
        if (!std::isfinite(*spec.gps_lon) || std::abs(*spec.gps_lon) > 180) throw std::runtime_error("bad longitude");
        exif["Exif.GPSInfo.GPSLongitudeRef"] = std::string(*spec.gps_lon < 0 ? "W" : "E");
        set(exif, "Exif.GPSInfo.GPSLongitude", dms(*spec.gps_lon));
    }
    if (spec.gps_alt) {
        set(exif, "Exif.GPSInfo.GPSAltitudeRef", byte_value(*spec.gps_alt < 0 ? "1" : "0"));
        set(exif, "Exif.GPSInfo.GPSAltitude", rationals({decimal_rational(std::abs(*spec.gps_alt), 1000)}));
    }
}

void fill_xmp(Exiv2::XmpData& xmp, const ExifSpec& spec) {
    if (spec.xmp_date_time_original) xmp["Xmp.exif.DateTimeOriginal"] = *spec.xmp_date_time_original;
    if (!spec.xmp_subject) return;
    const Exiv2::XmpKey key("Xmp.dc.subject");
    auto old = xmp.findKey(key);
    if (old != xmp.end()) xmp.erase(old);
    Exiv2::XmpArrayValue bag(Exiv2::xmpBag);
    std::string_view rest = *spec.xmp_subject;
    while (!rest.empty()) {
        std::size_t comma = rest.find(',');
        std::string_view word = rest.substr(0, comma);
        while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
        while (!word.empty() && word.back() == ' ') word.remove_suffix(1);
        if (!word.empty()) bag.read(std::string(word));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    if (bag.count() > 0) xmp.add(key, &bag);
}

std::vector<uint8_t> io_bytes(Exiv2::BasicIo& io) {
    if (io.open() != 0) throw std::runtime_error("cannot reopen the written image");
    io.seek(0, Exiv2::BasicIo::beg);
    const long size = io.size();
    Exiv2::DataBuf buf = io.read(size);
    io.close();
    if (buf.size_ != size) throw std::runtime_error("cannot read back the written image");
    return {buf.pData_, buf.pData_ + buf.size_};
}

void put_u16le(std::vector<uint8_t>& out, uint32_t v) {
    out.push_back(static_cast<uint8_t>(v));
    out.push_back(static_cast<uint8_t>(v >> 8));
}

void put_u32le(std::vector<uint8_t>& out, uint32_t v) {
    put_u16le(out, v & 0xFFFF);
    put_u16le(out, v >> 16);
}

}  // namespace

std::vector<uint8_t> with_exif(const std::vector<uint8_t>& image_bytes, const ExifSpec& spec) {
    init_exiv2();
    try {
        auto image = Exiv2::ImageFactory::open(image_bytes.data(), static_cast<long>(image_bytes.size()));
        if (image.get() == nullptr) throw std::runtime_error("exiv2 cannot open the image");
        image->readMetadata();
        fill_exif(image->exifData(), spec);
        fill_xmp(image->xmpData(), spec);
        image->writeMetadata();
        return io_bytes(image->io());
    } catch (const Exiv2::AnyError& e) {
        throw std::runtime_error(std::string("cannot write exif: ") + e.what());
    }
}

std::vector<uint8_t> exif_tiff_block(const ExifSpec& spec) {
    init_exiv2();
    try {
        Exiv2::ExifData exif;
        fill_exif(exif, spec);
        Exiv2::Blob blob;
        Exiv2::ExifParser::encode(blob, Exiv2::littleEndian, exif);
        if (blob.empty()) throw std::runtime_error("exiv2 wrote an empty exif block");
        return {blob.begin(), blob.end()};
    } catch (const Exiv2::AnyError& e) {
        throw std::runtime_error(std::string("cannot encode exif: ") + e.what());
    }
}

std::vector<uint8_t> with_garbage_exif(const std::vector<uint8_t>& jpeg, uint32_t seed) {
    if (jpeg.size() < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) throw std::runtime_error("not a jpeg");
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> byte(0, 255);
    std::vector<uint8_t> body;
    if (seed % 2 == 1) {
        // "II*\0", IFD0 at 8 with entries whose data, sub-IFDs and next IFD lie far beyond the segment.
        body = {'I', 'I', 0x2A, 0x00};
        put_u32le(body, 8);
        const struct {
            uint16_t tag, type;
            uint32_t count, offset;
        } entries[] = {
            {0x010F, 2, 64, 0x7FFFFFF0u},      // Make: 64 ASCII bytes at ~2 GB
            {0x0110, 2, 0xFFFFFFFFu, 0x100u},  // Model: 4 G ASCII bytes
            {0x8769, 4, 1, 0xFFFFFF00u},       // Exif IFD pointer out of range
            {0x8825, 4, 1, 0x7FFFFFFFu},       // GPS IFD pointer out of range
        };
        put_u16le(body, static_cast<uint32_t>(std::size(entries)));
        for (const auto& e : entries) {
            put_u16le(body, e.tag);
            put_u16le(body, e.type);
            put_u32le(body, e.count);
            put_u32le(body, e.offset);
        }
        put_u32le(body, 0xFFFFFFF0u);  // next IFD
    }
    const std::size_t random_bytes = 64 + static_cast<std::size_t>(rng() % 1024);
    for (std::size_t i = 0; i < random_bytes; ++i) body.push_back(static_cast<uint8_t>(byte(rng)));

    const std::size_t length = 2 + 6 + body.size();  // the length field counts itself
    std::vector<uint8_t> out;
    out.reserve(jpeg.size() + length + 2);
    out.insert(out.end(), jpeg.begin(), jpeg.begin() + 2);
    out.push_back(0xFF);
    out.push_back(0xE1);
    out.push_back(static_cast<uint8_t>(length >> 8));
    out.push_back(static_cast<uint8_t>(length & 0xFF));
    for (char c : std::string_view("Exif\0\0", 6)) out.push_back(static_cast<uint8_t>(c));
    out.insert(out.end(), body.begin(), body.end());
    out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
    return out;
}

}  // namespace lbx::sample
