// The engine settings (protocol.md, "Settings"): their keys, limits and defaults, defined once. The engine
// checks pipeline configs, `run --sizes`, SetSettings and StartScan overrides against these limits; its
// clients (the shell's Preferences, lightbox-ctl) show the same defaults when the engine has not said.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <thread>

namespace lbx::ipc::settings {

// Keys of GetSettings / SetSettings (`Setting::key`).
inline constexpr char kWorkers[] = "workers";
inline constexpr char kPipeline[] = "pipeline";
inline constexpr char kThumbnailSizes[] = "thumbnails.sizes";
inline constexpr char kCacheBudgetMb[] = "thumbnails.cache_budget_mb";

// Thumbnail long edges, in pixels: each in kMinThumbnailSize..kMaxThumbnailSize, at most
// kMaxThumbnailSizes of them in a setting.
inline constexpr uint32_t kMinThumbnailSize = 16;
inline constexpr uint32_t kMaxThumbnailSize = 8192;
inline constexpr std::size_t kMaxThumbnailSizes = 8;
inline constexpr std::array<uint32_t, 2> kDefaultThumbnailSizes{256, 1024};

constexpr bool is_thumbnail_size(int64_t size) { return size >= kMinThumbnailSize && size <= kMaxThumbnailSize; }

// "16..8192", for messages.
inline std::string thumbnail_size_range() {
    return std::to_string(kMinThumbnailSize) + ".." + std::to_string(kMaxThumbnailSize);
}

// "256,1024": sizes as the `thumbnails.sizes` setting writes them.
inline std::string sizes_text(std::span<const uint32_t> sizes) {
    std::string text;
    for (uint32_t s : sizes) text += (text.empty() ? "" : ",") + std::to_string(s);
    return text;
}

// The thumbnail cache's budget (what the thumbnail files may hold on disk), in MiB.
inline constexpr uint64_t kMinCacheBudgetMb = 16;
inline constexpr uint64_t kDefaultCacheBudgetMb = 2048;  // 2 GiB
inline constexpr uint64_t kMebibyte = uint64_t{1} << 20;

// Worker threads per scan.
inline constexpr unsigned kMinWorkers = 1;
inline constexpr unsigned kMaxWorkers = 256;
inline unsigned default_workers() { return std::max(1u, std::thread::hardware_concurrency()); }  // all cores

inline constexpr char kDefaultPipeline[] = "default";

}  // namespace lbx::ipc::settings
