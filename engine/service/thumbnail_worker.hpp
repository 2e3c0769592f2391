// Makes thumbnails again on demand, for GetThumbnail of a photo whose thumbnail was evicted from the cache
// or deleted. One thread at normal CPU priority (scans run niced), taking the newest request first: a
// client asks for the cells on screen now, so the latest requests are the visible ones and older ones
// may have scrolled away. Also makes the full-resolution image (kFullResolutionSize) a photo view asks for
// at 100 %, with a second pipeline whose only size is that. Announces each result as a ThumbnailReady
// event through the inbox. The stages run in worker processes the thread supervises (one for thumbnails,
// one for full-resolution images), so a photo that crashes a plugin costs that request only.
#pragma once

#include "pipeline/pipeline_config.hpp"
#include "plugins/plugin_registry.hpp"
#include "service/event_inbox.hpp"
#include "workers/isolation.hpp"
#include "workers/quarantine.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

namespace lbx::engine::service {

struct ThumbnailJobSetup {
    std::filesystem::path catalog_file;
    PipelineConfig config;  // the default pipeline with the current settings; reduced to what thumbnails need
    std::filesystem::path thumbnail_dir;
    uint64_t budget_bytes = 0;
    IsolationOptions isolation;                      // thumbnails are made in a worker process too
    std::vector<std::filesystem::path> plugin_dirs;  // what that worker loads
    Quarantine* quarantine = nullptr;
};

class ThumbnailWorker {
public:
    static constexpr std::size_t kMaxQueued = 512;

    ThumbnailWorker(const PluginRegistry& registry, EventInbox& inbox);
    ~ThumbnailWorker();  // drops the queue; the thumbnail in hand is finished
    ThumbnailWorker(const ThumbnailWorker&) = delete;
    ThumbnailWorker& operator=(const ThumbnailWorker&) = delete;

    // What to make thumbnails with; called after the plugins are loaded and whenever the library or the
    // settings change. Requests wait until the first call.
    void configure(ThumbnailJobSetup setup);
    // Queues one photo (merged with the same one already queued, which moves to the front).
    void request(const std::string& photo_id, uint32_t size);

private:
    struct Wanted {
        std::string photo_id;
        uint32_t size = 0;
    };
    void run(std::stop_token stop);

    const PluginRegistry& registry_;
    EventInbox& inbox_;
    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::deque<Wanted> queue_;  // newest at the back
    std::optional<ThumbnailJobSetup> setup_;
    uint64_t setup_generation_ = 0;
    std::atomic<bool> stopping_{false};  // the file in hand is given the stop grace period, then dropped
    std::jthread thread_;  // last: started after everything it uses exists
};

}  // namespace lbx::engine::service
