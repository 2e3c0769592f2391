// One page of memory shared by a worker process and its supervisor (a memfd both map). The worker writes
// which stage it is about to call before each call, so that after a crash, a deadline or a memory kill the
// supervisor can still name the stage and the plugin; the supervisor writes a stop request that the
// stages' stop check (plugin API 1.1) reads. While a worker starts, it also writes which plugin library it
// is loading and which stage it is creating, so that a plugin that crashes or hangs there is named too.
// Nothing else crosses through it.
#pragma once

#include "core/expected.hpp"

#include <atomic>
#include <cstdint>
#include <string>

namespace lbx::engine {

struct RunningStage {
    std::string kind;  // "decode", "metadata", "tag", "thumbnail"; empty when no stage was running
    std::string stage_id;
    std::string plugin;
    std::string plugin_version;
    // While the worker starts: "load" (opening the library, its entry point and descriptor) or "create"
    // (a stage's create()); empty while a file is processed. `library` is the plugin file then.
    std::string phase;
    std::string library;
};

class StageMarker {
public:
    // The supervisor's side: a new page, its file descriptor to hand to the worker.
    static Expected<StageMarker> create();
    // The worker's side: the page behind an inherited descriptor.
    static Expected<StageMarker> attach(int fd);

    StageMarker(StageMarker&& other) noexcept;
    StageMarker& operator=(StageMarker&& other) noexcept;
    StageMarker(const StageMarker&) = delete;
    StageMarker& operator=(const StageMarker&) = delete;
    ~StageMarker();

    int fd() const { return fd_; }

    // Worker: the stage about to be called, or none (`clear`).
    void set(const char* kind, const std::string& stage_id, const std::string& plugin, const std::string& version);
    void clear();
    // Worker, while it starts: the plugin file about to be loaded, or the stage about to be created.
    void set_loading(const std::string& library);
    void set_creating(const char* kind, const std::string& stage_id, const std::string& plugin, const std::string& version,
                      const std::string& library);
    bool stop_requested() const;
    // Worker, from its fatal-signal handler (async-signal-safe): its resident memory when it died.
    void set_size_at_death(uint64_t bytes);
    // The page itself, for that handler, which can reach nothing else.
    void* page() const { return page_; }

    // Supervisor: read after the worker died or was killed; reset before each file.
    RunningStage running() const;
    uint64_t size_at_death() const;  // 0 when the worker did not die of a signal it could see
    // How many times the worker has set the marker: a start-up step that does not move on is timed by it.
    uint64_t steps() const;
    void request_stop();
    void reset();

private:
    struct Page;
    StageMarker(int fd, Page* page) : fd_(fd), page_(page) {}
    int fd_ = -1;
    Page* page_ = nullptr;
};

}  // namespace lbx::engine
