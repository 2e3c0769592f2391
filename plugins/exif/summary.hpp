// The normalized metadata summary (the LBX_FIELD_* names of plugin_api.h), built from what Exiv2 read:
// capture time as ISO 8601 text, camera and lens names, exposure, GPS position and the stored pixel size.
// Every field is optional: a value that is missing, malformed or out of range is left out, never guessed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace Exiv2 {
class ExifData;
class IptcData;
class XmpData;
}  // namespace Exiv2

namespace lbx::plugins::exif {

struct Summary {
    std::optional<std::string> taken_at;  // "2023-06-01T08:00:00.25+02:00"
    std::optional<std::string> make;
    std::optional<std::string> model;
    std::optional<std::string> lens;
    std::optional<double> exposure_time;  // seconds
    std::optional<double> f_number;
    std::optional<double> iso;
    std::optional<double> focal_length;   // mm
    std::optional<double> orientation;    // 1..8
    std::optional<double> gps_lat;        // decimal degrees, south negative
    std::optional<double> gps_lon;        // decimal degrees, west negative
    std::optional<double> gps_alt;        // metres, below sea level negative
    std::optional<double> width;          // stored pixels, before orientation
    std::optional<double> height;
};

// Builds the summary. `pixel_width`/`pixel_height` are the container's stored size (0 when unknown).
Summary summarize(const Exiv2::ExifData& exif, const Exiv2::XmpData& xmp, const Exiv2::IptcData& iptc,
                  uint32_t pixel_width, uint32_t pixel_height);

// A date-time from EXIF ("2023:06:01 08:00:00") or XMP ("2023-06-01T08:00:00.25+02:00") as ISO 8601
// "YYYY-MM-DDTHH:MM:SS[.fff][±HH:MM]", with the separate EXIF sub-second digits ("25" -> ".25") and
// offset ("+02:00") when given. Absent for blank, zero ("0000:00:00 00:00:00") or out-of-range values.
std::optional<std::string> iso_date_time(const std::string& text, const std::string& sub_seconds = {},
                                         const std::string& offset = {});

// Text as reported to the host: valid UTF-8 (stray bytes read as Latin-1), no NULs, at most
// `max_bytes` bytes (cut on a character boundary).
std::string clean_text(const std::string& text, std::size_t max_bytes);

// clean_text() without leading/trailing spaces, tabs, line breaks and NULs.
std::string trimmed_text(const std::string& text, std::size_t max_bytes);

}  // namespace lbx::plugins::exif
