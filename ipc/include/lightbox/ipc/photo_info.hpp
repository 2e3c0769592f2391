// What GetPhoto returns about one photo: where it is, its metadata, tags and thumbnails.
#pragma once

#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lbx::ipc {

struct MetadataEntry {
    std::string key;      // as the metadata stage keys it: "Exif.Photo.FNumber", "Xmp.dc.subject", ...
    std::string value;    // as text: "14/5"
    std::string printed;  // protocol 6: how people read it ("F2.8"); empty when the stage gave none

    template <class Archive>
    void serialize(Archive& ar) { ar(key, value, printed); }
    friend bool operator==(const MetadataEntry&, const MetadataEntry&) = default;
};

struct PhotoTag {
    std::string name;
    std::string category;
    double confidence = 1.0;
    std::string source;  // plugin id

    template <class Archive>
    void serialize(Archive& ar) { ar(name, category, confidence, source); }
    friend bool operator==(const PhotoTag&, const PhotoTag&) = default;
};

struct ThumbnailRef {
    uint32_t size = 0;  // the longer side it was made for
    uint32_t width = 0;
    uint32_t height = 0;
    std::string path;

    template <class Archive>
    void serialize(Archive& ar) { ar(size, width, height, path); }
    friend bool operator==(const ThumbnailRef&, const ThumbnailRef&) = default;
};

// An object or face found in the photo (protocol 5). The box is in fractions of the upright image (EXIF
// orientation applied): x, y of its top-left corner, width, height, all in [0, 1].
struct PhotoRegion {
    std::string source;  // plugin id
    uint32_t index = 0;  // its place among the regions of that source: (photo, source, index) names it
    std::string kind;    // "object", "face", or a plugin's own kind
    std::string label;   // "dog" for an object; empty for a face
    double confidence = 0;
    double x = 0, y = 0, width = 0, height = 0;
    double quality = 0;          // faces: how usable for recognition, 0..1
    bool has_embedding = false;  // faces: an identity vector was computed
    uint64_t person_id = 0;      // faces: the person it belongs to; 0: none
    std::string person_name;     // that person's name; empty while unnamed

    template <class Archive>
    void serialize(Archive& ar) {
        ar(source, index, kind, label, confidence, x, y, width, height, quality, has_embedding, person_id, person_name);
    }
    friend bool operator==(const PhotoRegion&, const PhotoRegion&) = default;
};

// The metadata stage's summary of the photo (protocol 6; the LBX_FIELD_* values of plugin_api.h as the
// catalog stores them). Each is absent when the file did not have it or it could not be read.
struct PhotoCapture {
    std::optional<std::string> taken_at;  // ISO 8601, "2023-06-01T08:00:00.25+02:00" (the zone when known)
    std::optional<std::string> make;
    std::optional<std::string> model;
    std::optional<std::string> lens;
    std::optional<double> exposure_time;  // seconds
    std::optional<double> f_number;
    std::optional<double> iso;
    std::optional<double> focal_length;   // mm
    std::optional<double> gps_lat;        // decimal degrees, south negative
    std::optional<double> gps_lon;        // west negative

    template <class Archive>
    void serialize(Archive& ar) {
        ar(taken_at, make, model, lens, exposure_time, f_number, iso, focal_length, gps_lat, gps_lon);
    }
    friend bool operator==(const PhotoCapture&, const PhotoCapture&) = default;
};

struct PhotoInfo {
    std::string id;  // content hash
    std::string path;
    std::string format;
    uint64_t file_size = 0;
    uint32_t width = 0;
    uint32_t height = 0;
    std::vector<MetadataEntry> metadata;
    std::vector<PhotoTag> tags;
    std::vector<ThumbnailRef> thumbnails;
    std::vector<PhotoRegion> regions;  // protocol 5
    PhotoCapture capture;              // protocol 6
    // Protocol 8: the user's rotation in clockwise quarter turns (0..3, SetRotation), on top of the EXIF
    // orientation the thumbnails and width/height already apply: clients turn what they draw. And the auto
    // tags the user turned down (RejectTags), never added to the photo again.
    uint32_t rotation = 0;
    std::vector<std::string> rejected_tags;

    template <class Archive>
    void serialize(Archive& ar) {
        ar(id, path, format, file_size, width, height, metadata, tags, thumbnails, regions, capture, rotation, rejected_tags);
    }
    friend bool operator==(const PhotoInfo&, const PhotoInfo&) = default;
};

}  // namespace lbx::ipc
