#include "service/photo_index.hpp"

#include <cstdio>

namespace lbx::engine::service {

ipc::PhotoInfo photo_info_of(const PhotoResult& r) {
    ipc::PhotoInfo info;
    info.id = r.hash;
    info.path = r.path;
    info.format = r.format;
    info.file_size = r.file_size;
    info.width = r.width;
    info.height = r.height;
    // The normalized summary first (fields of plugin_api.h), then every raw key as the reader gave it.
    for (const auto& [field, text] : r.metadata.text) info.metadata.push_back({field, text});
    for (const auto& [field, number] : r.metadata.numbers) {
        char text[64];
        std::snprintf(text, sizeof text, "%.10g", number);
        info.metadata.push_back({field, text});
    }
    for (const auto& [key, value] : r.metadata.entries) info.metadata.push_back({key, value});
    for (const Tag& t : r.tags) info.tags.push_back({t.name, t.category, t.confidence, t.source});
    for (const StoredThumbnail& t : r.thumbnails) info.thumbnails.push_back({t.size, t.width, t.height, t.path});
    return info;
}

void PhotoIndex::add(const PhotoResult& result) {
    if (!result.ok() || result.hash.empty()) return;
    ipc::PhotoInfo info = photo_info_of(result);
    std::lock_guard lock(mutex_);
    auto [it, inserted] = photos_.insert_or_assign(info.id, std::move(info));
    if (!inserted) return;
    order_.push_back(it->first);
    if (photos_.size() > capacity_) {
        photos_.erase(order_.front());
        order_.pop_front();
    }
}

std::optional<ipc::PhotoInfo> PhotoIndex::find(const std::string& id) const {
    std::lock_guard lock(mutex_);
    auto it = photos_.find(id);
    if (it == photos_.end()) return std::nullopt;
    return it->second;
}

std::size_t PhotoIndex::size() const {
    std::lock_guard lock(mutex_);
    return photos_.size();
}

}  // namespace lbx::engine::service
