// What flows between the pipeline and the stages, on the host side of the plugin ABI. The host owns
// all of it; stages see it through the C views built in stage_instance.cpp.
#pragma once

#include <lightbox/plugin_api.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lbx::engine {

// One photo file's bytes, read once and shared by every stage.
struct Source {
    std::span<const uint8_t> bytes;
    std::string path;
    std::string format;  // sniffed format name ("jpeg", "heif", ...)
};

// A raw Exif or XMP block a decoder found in its container (plugin API 1.1), copied by the host.
struct MetadataBlock {
    std::string kind;  // LBX_METADATA_BLOCK_EXIF or LBX_METADATA_BLOCK_XMP
    std::vector<uint8_t> data;
};

struct Image {
    uint32_t width = 0;
    uint32_t height = 0;
    uint32_t stride = 0;
    std::vector<uint8_t> pixels;  // RGB8
    uint32_t source_width = 0;    // stored size, before scaling and orientation
    uint32_t source_height = 0;
    uint32_t flags = 0;           // LBX_IMAGE_*
    std::vector<MetadataBlock> metadata_blocks;  // for the metadata stage, in the order handed over

    lbx_image view() const;
};

// Raw key/values in the order the stage reported them, how people read them, and the normalized summary.
struct Metadata {
    std::vector<std::pair<std::string, std::string>> entries;
    std::map<std::string, std::string> printed;  // key -> "F2.8" for "14/5" (plugin API 1.3), when the stage said
    std::map<std::string, std::string> text;
    std::map<std::string, double> numbers;

    std::optional<std::string> get_text(const std::string& field) const;
    std::optional<double> get_number(const std::string& field) const;
    const std::string* get_entry(const std::string& key) const;

    // Adds what `other` has and this lacks: entries with a key not present, text and numbers of fields not
    // set. What this already holds wins (the file's own metadata over a decoder's blocks).
    void fill_missing_from(const Metadata& other);
};

struct Tag {
    std::string name;
    std::string category;
    double confidence = 1.0;
    std::string source;  // id of the plugin that made it
};

// Part of a photo a tag stage found something in (plugin API 1.2): a box in fractions of the upright
// image, with optional keypoints and an embedding. See lbx_region in plugin_api.h.
struct Region {
    std::string kind;   // LBX_REGION_OBJECT, LBX_REGION_FACE, ...
    std::string label;  // "dog"; empty for an unnamed face
    double confidence = 0;
    double x = 0, y = 0, width = 0, height = 0;
    std::vector<float> points;  // (x, y) pairs
    double quality = 0;
    std::vector<float> embedding;
    std::string embedding_model;  // required with an embedding
    std::string source;           // id of the plugin that made it

    bool operator==(const Region&) const = default;
};

struct EncodedThumbnail {
    uint32_t size = 0;  // long edge asked for
    uint32_t width = 0;
    uint32_t height = 0;
    std::string mime_type;
    std::vector<uint8_t> data;
};

struct DecodeLimits {
    uint64_t max_pixels = 250'000'000;
};

// What a decoder may hand over with add_metadata_block: a few blocks, none huge (Exif in JPEG is at most
// 64 KiB; XMP packets with previews reach megabytes).
inline constexpr std::size_t kMaxMetadataBlocks = 16;
inline constexpr std::size_t kMaxMetadataBlockBytes = 16u << 20;

}  // namespace lbx::engine
