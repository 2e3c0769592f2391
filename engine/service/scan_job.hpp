// One StartScan or Rescan: a thread that builds the pipeline, runs the batch over the paths at a lower
// CPU priority than the command thread (so a scan never delays JobStatus), records every result in the
// catalog through a connection of its own (files unchanged since the last scan are not read), and posts
// progress (throttled, the final one always) and photo events to the inbox.
// The same class runs the analysis phase (kind `analysis`): the photos of the library that today's
// analysis stages have not seen (the analysis ledger), at the lowest priority; it stores their tags,
// regions and ledger marks only, groups the new faces into persons as it goes (every 2 s and at the end:
// catalog/people.hpp), and can be paused (a later job goes on with what is left).
#pragma once

#include "pipeline/photo_result.hpp"
#include "pipeline/pipeline_config.hpp"
#include "plugins/plugin_registry.hpp"
#include "service/event_inbox.hpp"
#include "workers/isolation.hpp"
#include "workers/quarantine.hpp"

#include <lightbox/ipc/job.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lbx::engine::service {

struct ScanRequest {
    ipc::JobKind kind = ipc::JobKind::scan;
    std::vector<std::string> paths;  // absolute; for an analysis job: unused (the ledger says which photos)
    PipelineConfig config;           // overrides applied
    std::string pipeline_name;       // as the client gave it, for snapshots
    std::filesystem::path thumbnail_dir;
    unsigned workers = 1;
    int worker_nice = 10;            // added to the job threads' nice value
    std::filesystem::path catalog_file;
    bool retry_failed = false;       // read files that failed before even when unchanged
    uint64_t thumbnail_budget_bytes = 0;  // enforced when the job ends; 0: not enforced
    IsolationOptions isolation;
    std::vector<std::filesystem::path> plugin_dirs;  // what the workers load
    Quarantine* quarantine = nullptr;                // faults are recorded there; quarantined stages skipped
};

// The analysis-phase stages of `config` with the plugin version each would run at, from the loaded
// plugins alone (no stage is created, no model loaded).
std::vector<AnalysisMark> configured_analysis_stages(const PipelineConfig& config, const PluginRegistry& registry);

class ScanJob {
public:
    ScanJob(uint64_t id, ScanRequest request, const PluginRegistry& registry, EventInbox& inbox);
    ~ScanJob();  // cancels and waits: in-flight files are finished and kept
    ScanJob(const ScanJob&) = delete;
    ScanJob& operator=(const ScanJob&) = delete;

    uint64_t id() const { return id_; }
    void cancel() { stop_.store(true); }
    // Stops like cancel(), and ends as `paused` (analysis jobs).
    void pause() {
        paused_.store(true);
        stop_.store(true);
    }
    ipc::JobKind kind() const { return request_.kind; }
    // Blocks until the job's thread has ended (after cancel() or pause(): the files in flight finish).
    void wait() {
        if (thread_.joinable()) thread_.join();
    }
    // Analysis jobs: the stages the pipeline left out, each "id: why" (a model missing); set once built.
    std::vector<std::string> unavailable_stages() const;
    bool finished() const { return finished_.load(); }
    // An analysis job that found nothing to analyse: it ended without an event and is not listed.
    bool silent() const { return silent_.load(); }
    // Whether the job has sent its first event. An analysis job does so only once it knows it has photos
    // to analyse; until then it may still end silently, so it is neither listed nor named by GetAnalysis
    // (a client told of it would wait for events that never come).
    bool announced() const;
    ipc::JobSnapshot snapshot() const;

private:
    void run();
    void run_analysis();
    void end_silently();  // an analysis job that found nothing to do
    // Cancelled or paused while the batch's first worker started (a stage's create() may hang): the
    // pipeline gave up after the stop grace period; no file was touched.
    void end_before_first_file();
    // Ends the job as failed with `error` as given (status, domain, code, message, detail): clients see
    // the error where it was detected ("crashed", "timeout", a catalog's code), never a rewritten one.
    void fail(ipc::Error error);
    // The job's own setup failures, named by where they came from: `domain` "config" (the pipeline does
    // not build: bad_request, bad_pipeline) or "catalog" (internal, catalog_error).
    void fail(const std::string& domain, const std::string& message);
    // Updates the snapshot and posts an event: always when `force`, else at most every 100 ms.
    void report(ipc::JobState state, bool force);

    const uint64_t id_;
    ScanRequest request_;
    const PluginRegistry& registry_;
    EventInbox& inbox_;

    std::atomic<bool> stop_{false};
    std::atomic<bool> paused_{false};
    std::atomic<bool> silent_{false};
    std::atomic<bool> finished_{false};
    std::atomic<uint64_t> done_{0};
    std::atomic<uint64_t> total_{0};
    std::atomic<uint64_t> failed_{0};
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_report_{};
    std::string current_path_;  // the job's own thread and its batch's callbacks, which never run at once

    mutable std::mutex mutex_;
    ipc::JobSnapshot snapshot_;
    std::vector<std::string> unavailable_;

    std::jthread thread_;  // last: started after everything it uses exists
};

}  // namespace lbx::engine::service
