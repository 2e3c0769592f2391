// EXIF for the sample set and the tests: write chosen camera metadata into an encoded image with Exiv2,
// all in memory. Failures throw std::runtime_error (this is a test and sample utility, not a stage).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lbx::sample {

struct ExifSpec {
    std::optional<std::string> make, model, lens;
    std::optional<std::string> date_time_original;     // EXIF form "2023:06:01 08:00:00"
    std::optional<std::string> sub_sec_time_original;  // "25" (= .25 s)
    std::optional<std::string> offset_time_original;   // "+02:00"
    std::optional<double> exposure_time;                // seconds: 1/250 is written as the rational 1/250
    std::optional<double> f_number;
    std::optional<double> focal_length;                 // mm
    std::optional<int> iso;
    int orientation = 1;                                // written as is, even outside 1..8 (for tests)
    std::optional<double> gps_lat, gps_lon;             // signed decimal degrees (south and west negative)
    std::optional<double> gps_alt;                      // metres, negative below sea level
    std::optional<std::string> xmp_subject;             // Xmp.dc.subject; "a, b" gives two keywords
    std::optional<std::string> xmp_date_time_original;  // Xmp.exif.DateTimeOriginal, "2019-06-01T08:00:00"
};

// `image_bytes` (JPEG, PNG, TIFF or WebP) with the EXIF of `spec` (and its XMP subject) added; tags the
// image already had are kept unless `spec` sets them.
std::vector<uint8_t> with_exif(const std::vector<uint8_t>& image_bytes, const ExifSpec& spec);

// The EXIF of `spec` as a bare little-endian TIFF structure ("II*\0", IFD0, Exif and GPS IFDs), the
// payload of a HEIF "Exif" item after its 4-byte header offset. The XMP subject is not part of it.
std::vector<uint8_t> exif_tiff_block(const ExifSpec& spec);

// `jpeg` with a bogus APP1 "Exif\0\0" segment inserted right after SOI. An even `seed` gives a body of
// random bytes; an odd `seed` a valid TIFF header whose IFD entries, sub-IFD pointers and next-IFD
// offset all point far outside the segment (followed by random bytes).
std::vector<uint8_t> with_garbage_exif(const std::vector<uint8_t>& jpeg, uint32_t seed);

}  // namespace lbx::sample
