// What GetPhoto returns about one photo: where it is, its metadata, tags and thumbnails.
#pragma once

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace lbx::ipc {

struct MetadataEntry {
    std::string key;    // "exif.model", "exif.taken_at", ...
    std::string value;  // as text

    template <class Archive>
    void serialize(Archive& ar) { ar(key, value); }
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

    template <class Archive>
    void serialize(Archive& ar) { ar(id, path, format, file_size, width, height, metadata, tags, thumbnails); }
    friend bool operator==(const PhotoInfo&, const PhotoInfo&) = default;
};

}  // namespace lbx::ipc
