// Where thumbnails go: <root>/<size>/<first two hex digits>/<hash>.jpg, keyed by content hash and size,
// so identical files share one thumbnail. Files are written to a temporary name and renamed, so a reader
// never sees half a thumbnail.
#pragma once

#include "core/expected.hpp"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace lbx::engine {

class ThumbnailStore {
public:
    explicit ThumbnailStore(std::filesystem::path root) : root_(std::move(root)) {}

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path path_for(const std::string& hash, uint32_t size, const std::string& mime_type) const;
    Expected<std::filesystem::path> write(const std::string& hash, uint32_t size, const std::string& mime_type,
                                          std::span<const uint8_t> data) const;

private:
    std::filesystem::path root_;
};

// $XDG_CACHE_HOME/lightbox/thumbs, or ~/.cache/lightbox/thumbs.
std::filesystem::path default_thumbnail_dir();

}  // namespace lbx::engine
