// Normalization of Exiv2's EXIF, XMP and IPTC data into the Lightbox metadata summary.
//
// Run it with:  lightbox-engine run --only metadata photo.jpg
//
// Each field is taken from the first source that holds a usable value (standard EXIF tag, then its XMP
// twin, then for ISO and lens the maker-note values Exiv2's easyaccess finds). Values are checked, not
// trusted: a zero denominator, a date "0000:00:00 00:00:00", an orientation 9 or a latitude of 120
// degrees leave the field out.
#include "summary.hpp"

#include "maker_note.hpp"

#include <exiv2/easyaccess.hpp>
#include <exiv2/exif.hpp>
#include <exiv2/iptc.hpp>
#include <exiv2/xmp_exiv2.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lbx::plugins::exif {

namespace {

constexpr std::size_t kSummaryTextMax = 1024;

// ------------------------------------------------------------------------------------------ lookups

// Where an Exif key's datum sits: its IFD and tag number.
struct TagId {
    int ifd;  // Exiv2 0.27 gives IFD ids as int
    uint16_t tag;
};

// The keys the summary reads, located once per process. Exiv2's findKey(ExifKey(key)) parsed the key,
// searched its tag tables by name, then copied the key string of every datum it compared: about 30
// look-ups in a file of 60 entries made some 2 000 allocations, most of a metadata-only run's Exiv2 time.
constexpr const char* kSummaryKeys[] = {
    "Exif.Canon.LensModel", "Exif.CanonCs.ISOSpeed", "Exif.CanonSi.AutoISO", "Exif.CanonSi.ISOSpeed",
    "Exif.GPSInfo.GPSAltitude", "Exif.GPSInfo.GPSAltitudeRef", "Exif.GPSInfo.GPSLatitude",
    "Exif.GPSInfo.GPSLatitudeRef", "Exif.GPSInfo.GPSLongitude", "Exif.GPSInfo.GPSLongitudeRef",
    "Exif.Image.DateTime", "Exif.Image.DateTimeOriginal", "Exif.Image.ExposureTime", "Exif.Image.FNumber",
    "Exif.Image.FocalLength", "Exif.Image.ISOSpeedRatings", "Exif.Image.Make", "Exif.Image.Model",
    "Exif.Image.Orientation", "Exif.OlympusEq.LensModel", "Exif.Panasonic.LensType",
    "Exif.Photo.DateTimeDigitized", "Exif.Photo.DateTimeOriginal", "Exif.Photo.ExposureTime",
    "Exif.Photo.FNumber", "Exif.Photo.FocalLength", "Exif.Photo.ISOSpeed", "Exif.Photo.ISOSpeedRatings",
    "Exif.Photo.LensModel", "Exif.Photo.OffsetTime", "Exif.Photo.OffsetTimeDigitized",
    "Exif.Photo.OffsetTimeOriginal", "Exif.Photo.RecommendedExposureIndex", "Exif.Photo.SubSecTime",
    "Exif.Photo.SubSecTimeDigitized", "Exif.Photo.SubSecTimeOriginal"};

TagId tag_id(const char* key) {
    static const std::unordered_map<std::string_view, TagId> known = [] {
        std::unordered_map<std::string_view, TagId> m;
        for (const char* k : kSummaryKeys) {
            const Exiv2::ExifKey parsed(k);
            m.emplace(k, TagId{parsed.ifdId(), parsed.tag()});
        }
        return m;
    }();
    if (auto it = known.find(key); it != known.end()) return it->second;
    const Exiv2::ExifKey parsed(key);  // a key not in the list: located now
    return TagId{parsed.ifdId(), parsed.tag()};
}

// The first datum with this key, as ExifData::findKey would find it; null when absent.
const Exiv2::Exifdatum* exif_datum(const Exiv2::ExifData& exif, const char* key) {
    if (exif.empty()) return nullptr;
    const TagId id = tag_id(key);
    for (const Exiv2::Exifdatum& d : exif)
        if (d.tag() == id.tag && d.ifdId() == id.ifd) return &d;
    return nullptr;
}

// Its value; null when absent or empty.
const Exiv2::Value* exif_value(const Exiv2::ExifData& exif, const char* key) {
    const Exiv2::Exifdatum* d = exif_datum(exif, key);
    return d == nullptr || d->count() == 0 ? nullptr : &d->value();
}

const Exiv2::Value* xmp_value(const Exiv2::XmpData& xmp, const char* key) {
    if (xmp.empty()) return nullptr;  // an XmpKey is made under Exiv2's namespace lock
    auto it = xmp.findKey(Exiv2::XmpKey(key));
    if (it == xmp.end() || it->count() == 0) return nullptr;
    return &it->value();
}

// The text of a value; for an XMP bag, sequence or alternative, its first item.
std::string first_text(const Exiv2::Value& v) {
    switch (v.typeId()) {
        case Exiv2::xmpBag:
        case Exiv2::xmpSeq:
        case Exiv2::xmpAlt:
        case Exiv2::langAlt:
            return v.count() > 0 ? v.toString(0) : std::string();
        default:
            return v.toString();
    }
}

std::string_view trim_view(std::string_view s) {
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return s;
}

std::optional<double> parse_double(std::string_view s) {
    s = trim_view(s);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

// "1/250", "28/10", "4.0", "400" -> a number; a zero denominator is no number.
std::optional<double> parse_number_text(std::string_view s) {
    auto slash = s.find('/');
    if (slash == std::string_view::npos) return parse_double(s);
    auto num = parse_double(s.substr(0, slash));
    auto den = parse_double(s.substr(slash + 1));
    if (!num || !den || *den == 0) return std::nullopt;
    double v = *num / *den;
    return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

// Component `i` of a value as a number: rationals divided exactly (no float detour), integers as is,
// text (XMP) parsed.
std::optional<double> number_at(const Exiv2::Value& v, long i) {
    if (i < 0 || i >= v.count()) return std::nullopt;
    std::optional<double> out;
    switch (v.typeId()) {
        case Exiv2::unsignedRational: {
            const auto* r = dynamic_cast<const Exiv2::URationalValue*>(&v);
            if (r == nullptr) return std::nullopt;
            const Exiv2::URational& q = r->value_.at(static_cast<std::size_t>(i));
            if (q.second == 0) return std::nullopt;
            out = static_cast<double>(q.first) / static_cast<double>(q.second);
            break;
        }
        case Exiv2::signedRational: {
            const auto* r = dynamic_cast<const Exiv2::RationalValue*>(&v);
            if (r == nullptr) return std::nullopt;
            const Exiv2::Rational& q = r->value_.at(static_cast<std::size_t>(i));
            if (q.second == 0) return std::nullopt;
            out = static_cast<double>(q.first) / static_cast<double>(q.second);
            break;
        }
        case Exiv2::unsignedByte:
        case Exiv2::unsignedShort:
        case Exiv2::unsignedLong:
        case Exiv2::signedByte:
        case Exiv2::signedShort:
        case Exiv2::signedLong:
        case Exiv2::tiffIfd:
            out = static_cast<double>(v.toLong(i));
            break;
        case Exiv2::tiffFloat:
        case Exiv2::tiffDouble:
            out = static_cast<double>(v.toFloat(i));
            break;
        case Exiv2::asciiString:
        case Exiv2::string:
        case Exiv2::xmpText:
        case Exiv2::xmpBag:
        case Exiv2::xmpSeq:
        case Exiv2::xmpAlt:
            out = parse_number_text(v.toString(i));
            break;
        default:
            return std::nullopt;
    }
    if (!out || !std::isfinite(*out)) return std::nullopt;
    return out;
}

std::optional<double> positive(std::optional<double> v) {
    return v && *v > 0 ? v : std::nullopt;
}

// The first positive number among EXIF keys, then XMP keys.
std::optional<double> first_positive(const Exiv2::ExifData& exif, std::initializer_list<const char*> exif_keys,
                                     const Exiv2::XmpData& xmp, std::initializer_list<const char*> xmp_keys) {
    for (const char* key : exif_keys) {
        if (const Exiv2::Value* v = exif_value(exif, key)) {
            if (auto n = positive(number_at(*v, 0))) return n;
        }
    }
    for (const char* key : xmp_keys) {
        if (const Exiv2::Value* v = xmp_value(xmp, key)) {
            if (auto n = positive(parse_number_text(first_text(*v)))) return n;
        }
    }
    return std::nullopt;
}

// The first non-empty text among EXIF keys, then XMP keys, trimmed.
std::optional<std::string> first_text_of(const Exiv2::ExifData& exif, std::initializer_list<const char*> exif_keys,
                                         const Exiv2::XmpData& xmp, std::initializer_list<const char*> xmp_keys) {
    for (const char* key : exif_keys) {
        if (const Exiv2::Value* v = exif_value(exif, key)) {
            std::string t = trimmed_text(v->toString(), kSummaryTextMax);
            if (!t.empty()) return t;
        }
    }
    for (const char* key : xmp_keys) {
        if (const Exiv2::Value* v = xmp_value(xmp, key)) {
            std::string t = trimmed_text(first_text(*v), kSummaryTextMax);
            if (!t.empty()) return t;
        }
    }
    return std::nullopt;
}

std::string exif_text(const Exiv2::ExifData& exif, const char* key) {
    const Exiv2::Value* v = exif_value(exif, key);
    return v ? v->toString() : std::string();
}

// -------------------------------------------------------------------------------------------- dates

bool read_digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t k = 0; k < n; ++k) {
        char c = s[pos + k];
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    pos += n;
    out = v;
    return true;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[static_cast<std::size_t>(m - 1)];
}

// "Z", "+02:00", "-0530", "+02" -> "+00:00", "+02:00", "-05:30", "+02:00"; anything else is nothing.
std::optional<std::string> parse_offset(std::string_view s, std::size_t& pos) {
    if (pos >= s.size()) return std::nullopt;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
        return std::string("+00:00");
    }
    if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
    char sign = s[pos];
    std::size_t p = pos + 1;
    int hh = 0, mm = 0;
    if (!read_digits(s, p, 2, hh)) return std::nullopt;
    if (p < s.size() && s[p] == ':') ++p;
    if (!read_digits(s, p, 2, mm)) mm = 0;
    if (hh > 14 || mm > 59) return std::nullopt;
    pos = p;
    char out[8];
    std::snprintf(out, sizeof out, "%c%02d:%02d", sign, hh, mm);
    return std::string(out);
}

std::string leading_digits(std::string_view s, std::size_t max) {
    std::string out;
    for (char c : s) {
        if (c < '0' || c > '9' || out.size() >= max) break;
        out += c;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------- GPS

// Degrees, minutes, seconds (1 to 3 components) and a reference letter -> signed decimal degrees.
std::optional<double> exif_coordinate(const Exiv2::Value* dms, const std::string& ref, char positive_ref,
                                      char negative_ref, double limit) {
    if (dms == nullptr || dms->count() < 1 || dms->count() > 3) return std::nullopt;
    std::string_view r = trim_view(ref);
    if (r.empty()) return std::nullopt;
    char letter = static_cast<char>(r.front() & ~0x20);  // upper case
    if (letter != positive_ref && letter != negative_ref) return std::nullopt;
    double value = 0;
    double scale = 1;
    for (long i = 0; i < dms->count(); ++i) {
        auto part = number_at(*dms, i);
        if (!part || *part < 0) return std::nullopt;
        value += *part / scale;
        scale *= 60;
    }
    if (!std::isfinite(value) || value > limit) return std::nullopt;
    return letter == negative_ref ? -value : value;
}

// XMP "DDD,MM,SSk" or "DDD,MM.mmk" (k = N, S, E or W) -> signed decimal degrees.
std::optional<double> xmp_coordinate(const Exiv2::Value* v, char positive_ref, char negative_ref, double limit) {
    if (v == nullptr) return std::nullopt;
    const std::string raw = v->toString();
    std::string_view text = trim_view(raw);
    if (text.size() < 2) return std::nullopt;
    char letter = static_cast<char>(text.back() & ~0x20);
    if (letter != positive_ref && letter != negative_ref) return std::nullopt;
    text.remove_suffix(1);
    double value = 0;
    double scale = 1;
    for (int part = 0;; ++part) {
        std::size_t comma = text.find(',');
        auto n = parse_double(text.substr(0, comma));
        if (part >= 3 || !n || *n < 0) return std::nullopt;
        value += *n / scale;
        scale *= 60;
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    if (!std::isfinite(value) || value > limit) return std::nullopt;
    return letter == negative_ref ? -value : value;
}

void read_gps(const Exiv2::ExifData& exif, const Exiv2::XmpData& xmp, Summary& s) {
    auto lat = exif_coordinate(exif_value(exif, "Exif.GPSInfo.GPSLatitude"),
                               exif_text(exif, "Exif.GPSInfo.GPSLatitudeRef"), 'N', 'S', 90);
    auto lon = exif_coordinate(exif_value(exif, "Exif.GPSInfo.GPSLongitude"),
                               exif_text(exif, "Exif.GPSInfo.GPSLongitudeRef"), 'E', 'W', 180);
    if (!lat || !lon) {  // a position is both coordinates from one source, never a mix
        lat = xmp_coordinate(xmp_value(xmp, "Xmp.exif.GPSLatitude"), 'N', 'S', 90);
        lon = xmp_coordinate(xmp_value(xmp, "Xmp.exif.GPSLongitude"), 'E', 'W', 180);
    }
    if (lat && lon) {
        s.gps_lat = lat;
        s.gps_lon = lon;
    }

    std::optional<double> alt;
    std::optional<double> alt_ref;
    if (const Exiv2::Value* v = exif_value(exif, "Exif.GPSInfo.GPSAltitude")) {
        alt = number_at(*v, 0);
        if (const Exiv2::Value* r = exif_value(exif, "Exif.GPSInfo.GPSAltitudeRef")) alt_ref = number_at(*r, 0);
    } else if (const Exiv2::Value* x = xmp_value(xmp, "Xmp.exif.GPSAltitude")) {
        alt = parse_number_text(x->toString());
        if (const Exiv2::Value* r = xmp_value(xmp, "Xmp.exif.GPSAltitudeRef")) alt_ref = parse_number_text(r->toString());
    }
    if (alt && *alt >= 0 && *alt < 1e6) s.gps_alt = alt_ref && *alt_ref == 1 ? -*alt : *alt;
}

// --------------------------------------------------------------------------------------- the fields

// IPTC "date created" ("2005-09-29" as Exiv2 prints it) and "time created" ("16:51:00+00:00"). The zone
// is left out: Exiv2 prints +00:00 for a time stored without one, so it cannot be trusted.
std::optional<std::string> iptc_date_time(const Exiv2::IptcData& iptc) {
    if (iptc.empty()) return std::nullopt;
    auto date = iptc.findKey(Exiv2::IptcKey("Iptc.Application2.DateCreated"));
    auto time = iptc.findKey(Exiv2::IptcKey("Iptc.Application2.TimeCreated"));
    if (date == iptc.end() || time == iptc.end()) return std::nullopt;
    return iso_date_time(date->toString() + " " + time->toString().substr(0, 8));
}

std::optional<std::string> taken_at(const Exiv2::ExifData& exif, const Exiv2::XmpData& xmp,
                                    const Exiv2::IptcData& iptc) {
    struct ExifDate {
        const char* date;
        const char* sub_seconds;
        const char* offset;
    };
    // Capture time first (EXIF, then its XMP twins and IPTC), then digitization time, then the file's
    // change time, which a camera sets to the capture time but an editor overwrites.
    static constexpr ExifDate kOriginal[] = {
        {"Exif.Photo.DateTimeOriginal", "Exif.Photo.SubSecTimeOriginal", "Exif.Photo.OffsetTimeOriginal"},
        {"Exif.Image.DateTimeOriginal", "Exif.Photo.SubSecTimeOriginal", "Exif.Photo.OffsetTimeOriginal"},
    };
    static constexpr ExifDate kDigitized[] = {
        {"Exif.Photo.DateTimeDigitized", "Exif.Photo.SubSecTimeDigitized", "Exif.Photo.OffsetTimeDigitized"},
    };
    static constexpr ExifDate kChanged[] = {
        {"Exif.Image.DateTime", "Exif.Photo.SubSecTime", "Exif.Photo.OffsetTime"},
    };
    auto from_exif = [&](const auto& list) -> std::optional<std::string> {
        for (const ExifDate& d : list) {
            if (exif_value(exif, d.date) == nullptr) continue;
            auto t = iso_date_time(exif_text(exif, d.date), exif_text(exif, d.sub_seconds), exif_text(exif, d.offset));
            if (t) return t;
        }
        return std::nullopt;
    };
    auto from_xmp = [&](std::initializer_list<const char*> keys) -> std::optional<std::string> {
        for (const char* key : keys) {
            if (const Exiv2::Value* v = xmp_value(xmp, key)) {
                if (auto t = iso_date_time(first_text(*v))) return t;
            }
        }
        return std::nullopt;
    };
    if (auto t = from_exif(kOriginal)) return t;
    if (auto t = from_xmp({"Xmp.exif.DateTimeOriginal", "Xmp.photoshop.DateCreated"})) return t;
    if (auto t = iptc_date_time(iptc)) return t;
    if (auto t = from_exif(kDigitized)) return t;
    if (auto t = from_xmp({"Xmp.exif.DateTimeDigitized", "Xmp.xmp.CreateDate"})) return t;
    return from_exif(kChanged);
}

bool is_real_lens_name(std::string_view name) {
    if (name.empty() || name.front() == '(') return false;
    bool has_letter = false;
    for (char c : name) has_letter = has_letter || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!has_letter) return false;
    std::string lower(name);
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    for (std::string_view bad : {"unknown", "n/a", "none", "not attached", "no lens"}) {
        if (lower.find(bad) != std::string::npos) return false;
    }
    return true;
}

std::optional<std::string> lens(const Exiv2::ExifData& exif, const Exiv2::XmpData& xmp) {
    // The standard tag and its XMP twins, then maker notes that hold the lens name as text.
    if (auto name = first_text_of(exif, {"Exif.Photo.LensModel"}, xmp, {"Xmp.exifEX.LensModel", "Xmp.aux.Lens"})) {
        if (is_real_lens_name(*name)) return name;
    }
    if (auto name = first_text_of(exif, {"Exif.Canon.LensModel", "Exif.OlympusEq.LensModel", "Exif.Panasonic.LensType"},
                                  xmp, {})) {
        if (is_real_lens_name(*name)) return name;
    }
    // Last, a lens id looked up in Exiv2's tables (Nikon, Sony, Pentax, Canon lens types ...).
    auto it = Exiv2::lensName(exif);
    if (it == exif.end()) return std::nullopt;
    std::string name = trimmed_text(it->print(&exif), kSummaryTextMax);
    return is_real_lens_name(name) ? std::optional<std::string>(name) : std::nullopt;
}

// Canon maker notes, the way exiftool's Composite:ISO reads them: the camera's ISO setting when it is a
// number, else the base ISO used times the auto-ISO factor (both APEX-like codes in 1/32 stops).
std::optional<double> canon_iso(const Exiv2::ExifData& exif) {
    const Exiv2::Exifdatum* setting = exif_datum(exif, "Exif.CanonCs.ISOSpeed");
    if (setting != nullptr && setting->count() > 0) {
        if (auto n = positive(parse_double(setting->print(&exif)))) return n;
    }
    const Exiv2::Value* base = exif_value(exif, "Exif.CanonSi.ISOSpeed");
    const Exiv2::Value* automatic = exif_value(exif, "Exif.CanonSi.AutoISO");
    if (base == nullptr || automatic == nullptr) return std::nullopt;
    auto b = number_at(*base, 0);
    auto a = number_at(*automatic, 0);
    if (!b || !a || *b == 0) return std::nullopt;  // a base code of 0 (ISO 3.125) means "not recorded"
    const double iso = std::exp2(*b / 32) * 100 / 32 * std::exp2(*a / 32);
    return std::isfinite(iso) && iso >= 1 && iso < 1e7 ? std::optional<double>(iso) : std::nullopt;
}

std::optional<double> iso(const Exiv2::ExifData& exif, const Exiv2::XmpData& xmp) {
    auto standard = first_positive(exif, {"Exif.Photo.ISOSpeedRatings", "Exif.Image.ISOSpeedRatings"}, xmp,
                                   {"Xmp.exif.ISOSpeedRatings", "Xmp.exifEX.PhotographicSensitivity"});
    if (standard && *standard >= 65535) {
        // EXIF 2.3: 65535 means "see the sensitivity tags", which hold the real value when it is larger.
        auto precise = first_positive(exif, {"Exif.Photo.ISOSpeed", "Exif.Photo.RecommendedExposureIndex"}, xmp, {});
        if (precise && *precise > *standard) return precise;
    }
    if (standard) return standard;
    if (exif_datum(exif, "Exif.CanonCs.ISOSpeed") != nullptr || exif_datum(exif, "Exif.CanonSi.ISOSpeed") != nullptr)
        return canon_iso(exif);
    // Other maker notes (Nikon, Minolta, Pentax, ...): Exiv2 prints their ISO as a number when it is one.
    auto it = Exiv2::isoSpeed(exif);
    if (it != exif.end()) {
        if (auto n = positive(parse_double(it->print(&exif)))) return n;
    }
    // Kodak's binary maker notes, which Exiv2 has no table for.
    return kodak_iso(exif);
}

std::optional<double> orientation(const Exiv2::ExifData& exif, const Exiv2::XmpData& xmp) {
    std::optional<double> o;
    if (const Exiv2::Value* v = exif_value(exif, "Exif.Image.Orientation")) {
        o = number_at(*v, 0);
    } else if (const Exiv2::Value* x = xmp_value(xmp, "Xmp.tiff.Orientation")) {
        o = parse_double(first_text(*x));
    }
    if (o && *o >= 1 && *o <= 8 && *o == std::floor(*o)) return o;
    return std::nullopt;
}

}  // namespace

std::optional<std::string> iso_date_time(const std::string& text, const std::string& sub_seconds,
                                         const std::string& offset) {
    std::string_view s = trim_view(text);
    std::size_t p = 0;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    auto sep = [&](std::string_view allowed) {
        if (p >= s.size() || allowed.find(s[p]) == std::string_view::npos) return false;
        ++p;
        return true;
    };
    if (!read_digits(s, p, 4, y) || !sep(":-") || !read_digits(s, p, 2, mo) || !sep(":-") ||
        !read_digits(s, p, 2, d) || !sep(" T") || !read_digits(s, p, 2, h) || !sep(":") ||
        !read_digits(s, p, 2, mi))
        return std::nullopt;
    if (p < s.size() && s[p] == ':') {
        ++p;
        if (!read_digits(s, p, 2, sec)) return std::nullopt;
    }
    if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
        return std::nullopt;

    std::string fraction;
    if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
        fraction = leading_digits(s.substr(p + 1), 9);
        p += 1;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
    }
    if (fraction.empty()) fraction = leading_digits(trim_view(sub_seconds), 9);

    std::optional<std::string> zone = parse_offset(s, p);  // anything after the time that is no zone is ignored
    if (!zone) {
        std::string_view o = trim_view(offset);
        std::size_t q = 0;
        zone = parse_offset(o, q);
        if (zone && q != o.size()) zone.reset();
    }

    char out[32];
    std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, sec);
    std::string result(out);
    if (!fraction.empty()) result += "." + fraction;
    if (zone) result += *zone;
    return result;
}

std::string clean_text(const std::string& text, std::size_t max_bytes) {
    std::string out;
    out.reserve(std::min(text.size(), max_bytes));
    auto append = [&](const char* bytes, std::size_t n) {
        if (out.size() + n > max_bytes) return false;
        out.append(bytes, n);
        return true;
    };
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t size = text.size();
    for (std::size_t i = 0; i < size;) {
        unsigned char c = s[i];
        if (c == 0) {
            ++i;
            continue;
        }
        if (c < 0x80) {
            if (!append(reinterpret_cast<const char*>(s + i), 1)) break;
            ++i;
            continue;
        }
        // A well-formed UTF-8 sequence is copied; any other byte is taken as Latin-1.
        std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? (c <= 0xEF ? 3 : 0) : c >= 0xC2 ? 2 : 0;
        bool valid = n > 0 && i + n <= size;
        for (std::size_t k = 1; valid && k < n; ++k) valid = (s[i + k] & 0xC0) == 0x80;
        if (valid && n == 3) {
            unsigned cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
            valid = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
        }
        if (valid && n == 4) {
            unsigned cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
                          (s[i + 3] & 0x3Fu);
            valid = cp >= 0x10000 && cp <= 0x10FFFF;
        }
        if (valid) {
            if (!append(reinterpret_cast<const char*>(s + i), n)) break;
            i += n;
        } else {
            const char latin1[2] = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
            if (!append(latin1, 2)) break;
            ++i;
        }
    }
    return out;
}

std::string trimmed_text(const std::string& text, std::size_t max_bytes) {
    return clean_text(std::string(trim_view(text)), max_bytes);
}

Summary summarize(const Exiv2::ExifData& exif, const Exiv2::XmpData& xmp, const Exiv2::IptcData& iptc,
                  uint32_t pixel_width, uint32_t pixel_height) {
    Summary s;
    s.taken_at = taken_at(exif, xmp, iptc);
    s.make = first_text_of(exif, {"Exif.Image.Make"}, xmp, {"Xmp.tiff.Make"});
    s.model = first_text_of(exif, {"Exif.Image.Model"}, xmp, {"Xmp.tiff.Model"});
    s.lens = lens(exif, xmp);
    s.exposure_time = first_positive(exif, {"Exif.Photo.ExposureTime", "Exif.Image.ExposureTime"}, xmp,
                                     {"Xmp.exif.ExposureTime"});
    s.f_number = first_positive(exif, {"Exif.Photo.FNumber", "Exif.Image.FNumber"}, xmp, {"Xmp.exif.FNumber"});
    s.iso = iso(exif, xmp);
    s.focal_length = first_positive(exif, {"Exif.Photo.FocalLength", "Exif.Image.FocalLength"}, xmp,
                                    {"Xmp.exif.FocalLength"});
    s.orientation = orientation(exif, xmp);
    read_gps(exif, xmp, s);
    if (pixel_width > 0 && pixel_height > 0) {
        s.width = pixel_width;
        s.height = pixel_height;
    }
    return s;
}

}  // namespace lbx::plugins::exif
