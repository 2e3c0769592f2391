// The built-in metadata plugin: one stage, "exif", reading EXIF, XMP and IPTC with Exiv2.
// Declarations only; the work is in exif_reader.cpp and summary.cpp.
#include "exif_reader.hpp"

#include <lightbox/plugin.hpp>

namespace {

using lbx::sdk::format;

// ISO-BMFF brands Exiv2 reads as HEIF or AVIF: "ftyp<brand>" at offset 4.
const lbx_format_desc kFormats[] = {
    format("jpeg", "image/jpeg", "jpg,jpeg,jpe,jfif", 0, "\xFF\xD8\xFF"),
    format("heif", "image/heic", "heic,heif,hif", 4, "ftypheic"),
    format("heif", "image/heic", "heic,heif,hif", 4, "ftypheix"),
    format("heif", "image/heic", "heic,heif,hif", 4, "ftyphevc"),
    format("heif", "image/heic", "heic,heif,hif", 4, "ftyphevx"),
    format("heif", "image/heic", "heic,heif,hif", 4, "ftypheim"),
    format("heif", "image/heic", "heic,heif,hif", 4, "ftypheis"),
    format("heif", "image/heif", "heic,heif,hif", 4, "ftypmif1"),
    format("heif", "image/heif-sequence", "heic,heif,hif", 4, "ftypmsf1"),
    format("avif", "image/avif", "avif", 4, "ftypavif"),
    format("avif", "image/avif", "avif", 4, "ftypavis"),
    format("png", "image/png", "png", 0, "\x89PNG\r\n\x1A\n"),
    format("tiff", "image/tiff", "tif,tiff", 0, "II*\0"),
    format("tiff", "image/tiff", "tif,tiff", 0, "MM\0*"),
    format("webp", "image/webp", "webp", 8, "WEBP"),
};

const lbx_param_desc kParams[] = {
    lbx::sdk::param_bool("raw_entries", "true",
                         "report every Exif, XMP and IPTC datum as a raw entry besides the summary"),
    lbx::sdk::param_int("max_value_length", "1024", 16, 65536,
                        "longest raw entry value in bytes; longer values are cut"),
};

const lbx_stage_desc kExifStage = lbx::sdk::make_stage<lbx::plugins::exif::ExifReader>(
    "exif", "reads EXIF, XMP and IPTC metadata with Exiv2 and a normalized summary (date, camera, exposure, GPS)",
    100, kFormats, kParams);

}  // namespace

LBX_PLUGIN("org.lightbox.exif", "EXIF metadata", "1.0.0", "MIT",
           "EXIF, XMP and IPTC metadata of JPEG, HEIF/AVIF, PNG, TIFF and WebP photos, read with Exiv2",
           &kExifStage)
