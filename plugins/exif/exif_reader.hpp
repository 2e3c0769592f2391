// The "exif" metadata stage: reads EXIF, XMP and IPTC with Exiv2 from the photo's bytes in memory and
// reports every datum as a raw entry plus the normalized summary (see summary.hpp).
#pragma once

#include <lightbox/plugin.hpp>

#include <cstddef>

namespace lbx::plugins::exif {

class ExifReader {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_METADATA;

    // Sets Exiv2 up once per process (XMP toolkit with a lock, BMFF reading, no logging to stderr).
    explicit ExifReader(const lbx::sdk::Params& params);

    lbx::sdk::Status read_metadata(const lbx::sdk::Source& source, lbx::sdk::MetadataSink& sink) const;

    // A raw Exif (TIFF structure) or XMP block a decoder found in its container (plugin API 1.1), read
    // with Exiv2's ExifParser/XmpParser into the same entries and summary.
    lbx::sdk::Status read_metadata_block(const lbx::sdk::MetadataBlock& block, lbx::sdk::MetadataSink& sink) const;

private:
    bool raw_entries_;
    std::size_t max_value_length_;
};

}  // namespace lbx::plugins::exif
