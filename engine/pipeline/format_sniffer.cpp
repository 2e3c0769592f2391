#include "pipeline/format_sniffer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

namespace lbx::engine {

FormatSniffer::FormatSniffer(const PluginRegistry& registry) {
    for (lbx_stage_kind kind : {LBX_STAGE_DECODE, LBX_STAGE_METADATA}) {
        for (const LoadedStage* stage : registry.stages_of_kind(kind)) {
            for (uint32_t i = 0; i < stage->desc->format_count; ++i) {
                const lbx_format_desc& f = stage->desc->formats[i];
                signatures_.push_back({f.name, f.magic_offset, {f.magic, f.magic + f.magic_size}});
                std::string list = f.extensions ? f.extensions : "";
                std::size_t start = 0;
                while (start < list.size()) {
                    std::size_t end = std::min(list.find(',', start), list.size());
                    std::string ext = list.substr(start, end - start);
                    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
                    if (!ext.empty()) extensions_.insert(ext);
                    start = end + 1;
                }
            }
        }
    }
    // Longer signatures first: "ftypheic" must win over a shorter, looser pattern.
    std::stable_sort(signatures_.begin(), signatures_.end(),
                     [](const Signature& a, const Signature& b) { return a.magic.size() > b.magic.size(); });
}

std::optional<std::string> FormatSniffer::sniff(std::span<const uint8_t> head) const {
    for (const Signature& s : signatures_) {
        if (s.offset + s.magic.size() <= head.size() &&
            std::memcmp(head.data() + s.offset, s.magic.data(), s.magic.size()) == 0)
            return s.format;
    }
    return std::nullopt;
}

bool FormatSniffer::has_known_extension(const std::string& file_name) const {
    auto dot = file_name.rfind('.');
    if (dot == std::string::npos) return false;
    std::string ext = file_name.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return extensions_.count(ext) > 0;
}

std::string hex_prefix(std::span<const uint8_t> bytes, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size() && i < count; ++i) {
        char b[4];
        std::snprintf(b, sizeof b, "%s%02x", i ? " " : "", bytes[i]);
        out += b;
    }
    return out;
}

}  // namespace lbx::engine
