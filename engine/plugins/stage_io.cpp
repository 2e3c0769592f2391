#include "plugins/stage_io.hpp"

#include <set>

namespace lbx::engine {

lbx_image Image::view() const {
    lbx_image v{};
    v.struct_size = sizeof(lbx_image);
    v.width = width;
    v.height = height;
    v.stride = stride;
    v.format = LBX_PIXEL_RGB8;
    v.pixels = pixels.data();
    v.source_width = source_width;
    v.source_height = source_height;
    v.flags = flags;
    return v;
}

std::optional<std::string> Metadata::get_text(const std::string& field) const {
    auto it = text.find(field);
    return it == text.end() ? std::nullopt : std::optional<std::string>(it->second);
}

std::optional<double> Metadata::get_number(const std::string& field) const {
    auto it = numbers.find(field);
    return it == numbers.end() ? std::nullopt : std::optional<double>(it->second);
}

const std::string* Metadata::get_entry(const std::string& key) const {
    for (const auto& [k, v] : entries)
        if (k == key) return &v;
    return nullptr;
}

void Metadata::fill_missing_from(const Metadata& other) {
    std::set<std::string> present;  // keys held before: a key repeated in `other` keeps all its values
    for (const auto& entry : entries) present.insert(entry.first);
    for (const auto& [key, value] : other.entries) {
        if (present.contains(key)) continue;
        entries.emplace_back(key, value);
        if (auto it = other.printed.find(key); it != other.printed.end()) printed.insert(*it);
    }
    text.insert(other.text.begin(), other.text.end());  // insert keeps existing keys
    numbers.insert(other.numbers.begin(), other.numbers.end());
}

}  // namespace lbx::engine
