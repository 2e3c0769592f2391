// What Exiv2 0.27 misses in HEIF/AVIF files, read from their ISO-BMFF item structure:
//  - the stored size: the 'ispe' property of the primary item (Exiv2 reports the largest 'ispe' in the
//    file, often a grid's or an auxiliary image's, not the primary's);
//  - the Exif item: Exiv2 0.27 only finds it when every 'iloc' entry has the layout Apple and Samsung
//    write, so it misses it in files written by libheif (base_offset_size 4, items in 'idat').
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace lbx::plugins::exif {

// Width and height of the primary item (pitm) as its associated ispe says, or nothing when the file has
// no such structure (an image sequence without 'meta', a malformed or truncated box tree).
std::optional<std::pair<uint32_t, uint32_t>> heif_primary_size(std::span<const uint8_t> file);

// The TIFF structure ("II*\0..." or "MM\0*...") of the first 'Exif' item, or nothing when there is none
// or its location is malformed.
std::optional<std::vector<uint8_t>> heif_exif_tiff(std::span<const uint8_t> file);

}  // namespace lbx::plugins::exif
