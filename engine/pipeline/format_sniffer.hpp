// Recognises a file's format by content: the magic bytes that the loaded decode and metadata stages
// declare. File names are never trusted.
#pragma once

#include "plugins/plugin_registry.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace lbx::engine {

class FormatSniffer {
public:
    static constexpr std::size_t kHeadSize = 64;  // magic bytes must lie in the first 64 (registry checks it)

    explicit FormatSniffer(const PluginRegistry& registry);

    // The format name whose signature matches the head of a file, or nothing.
    std::optional<std::string> sniff(std::span<const uint8_t> head) const;

    // True when a file name's extension is one a stage lists ("jpg", "heic", ...), case-insensitive.
    bool has_known_extension(const std::string& file_name) const;

private:
    struct Signature {
        std::string format;
        uint32_t offset;
        std::vector<uint8_t> magic;
    };
    std::vector<Signature> signatures_;
    std::set<std::string> extensions_;
};

// "ff d8 ff e0 00 10" — for messages about unknown content.
std::string hex_prefix(std::span<const uint8_t> bytes, std::size_t count = 8);

}  // namespace lbx::engine
