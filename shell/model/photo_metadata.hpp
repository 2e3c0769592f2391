// What the photo view's metadata panel says about one photo (GetPhoto's PhotoInfo), as plain data: a
// readable summary first ("1/125 s · f/11 · ISO 100 · 70 mm"), then every metadata entry grouped by where
// it comes from (EXIF, GPS, XMP, IPTC, maker notes) with the value as people read it ("F11", "Fired"),
// then the tags grouped by kind with their source said once. No wx: tested in tests/shell.
#pragma once

#include <lightbox/ipc/photo_info.hpp>

#include <string>
#include <vector>

namespace lbx::shell {

struct SummaryLine {
    std::string label;  // "Taken", "Camera", "Lens", "Exposure", "Flash", "Size", "File", "Place"
    std::string text;   // "1 Jun 2023, 08:00:00 UTC+02:00"
};

// The lines there is something to say for, in that order.
std::vector<SummaryLine> readable_summary(const ipc::PhotoInfo& info);

struct MetadataRow {
    std::string name;   // "Exposure Time"; maker notes keep their table: "CanonCs Lens Type"
    std::string value;  // the printed value when the engine has one ("1/125 s"), else the raw value
    std::string key;    // "Exif.Photo.ExposureTime", for a tooltip
};

struct MetadataGroup {
    std::string title;  // "EXIF", "GPS", "XMP", "IPTC", "Maker notes", "Other"
    std::vector<MetadataRow> rows;
};

// Every entry but the IFD pointers (Exif.Image.ExifTag: an offset), in groups of that order (empty
// groups left out), entries in the order given.
std::vector<MetadataGroup> metadata_groups(const std::vector<ipc::MetadataEntry>& entries);

struct TagGroup {
    std::string title;    // "Objects", "Content", "Places", "Your tags", or the category ("Scene")
    std::string sources;  // the plugins that made them, once: "org.lightbox.vision"; empty for user tags
    std::vector<std::string> items;  // "dog (87 %)", or a user tag's name
    std::vector<std::size_t> tags;   // the index in PhotoInfo::tags of each item
};

std::vector<TagGroup> tag_groups(const std::vector<ipc::PhotoTag>& tags);

// Pieces of the summary, exposed for their tests.
std::string exposure_text(double seconds);        // "1/125 s", "0.3 s", "2 s", "30 s"
std::string f_number_text(double f);              // "f/11", "f/2.8"
std::string camera_text(const std::string& make, const std::string& model);  // "Canon EOS 7D" for "Canon" + "Canon EOS 7D"
std::string readable_tag_name(const std::string& name);  // "FocalLengthIn35mmFilm" -> "Focal Length In 35mm Film"
std::string date_time_text(const std::string& iso);  // "2023-06-01T08:00:00.25+02:00" -> "1 Jun 2023, 08:00:00 UTC+02:00"

}  // namespace lbx::shell
