// What flows between the pipeline and the stages, on the host side of the plugin ABI. The host owns
// all of it; stages see it through the C views built in stage_instance.cpp.
#pragma once

#include <lightbox/plugin_api.h>

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

struct Image {
    uint32_t width = 0;
    uint32_t height = 0;
    uint32_t stride = 0;
    std::vector<uint8_t> pixels;  // RGB8
    uint32_t source_width = 0;    // stored size, before scaling and orientation
    uint32_t source_height = 0;
    uint32_t flags = 0;           // LBX_IMAGE_*

    lbx_image view() const;
};

// Raw key/values in the order the stage reported them, and the normalized summary.
struct Metadata {
    std::vector<std::pair<std::string, std::string>> entries;
    std::map<std::string, std::string> text;
    std::map<std::string, double> numbers;

    std::optional<std::string> get_text(const std::string& field) const;
    std::optional<double> get_number(const std::string& field) const;
    const std::string* get_entry(const std::string& key) const;
};

struct Tag {
    std::string name;
    std::string category;
    double confidence = 1.0;
    std::string source;  // id of the plugin that made it
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

}  // namespace lbx::engine
