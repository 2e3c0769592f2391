// What the service knows about the photos its jobs processed, by content hash, for GetPhoto and
// GetThumbnail. In memory and bounded (the oldest entries go first); the catalog (issue 4) replaces it
// with a persistent store.
#pragma once

#include "pipeline/photo_result.hpp"

#include <lightbox/ipc/photo_info.hpp>

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace lbx::engine::service {

ipc::PhotoInfo photo_info_of(const PhotoResult& result);

class PhotoIndex {
public:
    explicit PhotoIndex(std::size_t capacity = 200'000) : capacity_(capacity) {}

    void add(const PhotoResult& result);  // ok results only; any thread
    std::optional<ipc::PhotoInfo> find(const std::string& id) const;
    std::size_t size() const;

private:
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, ipc::PhotoInfo> photos_;
    std::deque<std::string> order_;  // insertion order, for eviction
};

}  // namespace lbx::engine::service
