// What the service's parts share: options, the plugins (read-only once `ready`), the library (the
// command thread's catalog connection), settings, jobs, the thumbnail worker and the event inbox.
// Everything but `registry` loading, the inbox and the worker's queue is touched by the command thread only.
#pragma once

#include "catalog/catalog.hpp"
#include "catalog/thumbnail_cache.hpp"
#include "pipeline/pipeline_config.hpp"
#include "plugins/plugin_registry.hpp"
#include "service/engine_settings.hpp"
#include "service/event_inbox.hpp"
#include "service/job_table.hpp"
#include "service/service_options.hpp"
#include "service/thumbnail_worker.hpp"
#include "workers/quarantine.hpp"

#include <lightbox/ipc/replies.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>

namespace lbx::engine::service {

struct ServiceState {
    explicit ServiceState(ServiceOptions o)
        : options(std::move(o)), worker(registry, inbox), jobs(options.max_jobs) {}

    // Plugins that crashed or hung on 3 files: not loaded, their stages skipped (shared with `run`).
    Quarantine quarantine{Quarantine::default_file()};

    ServiceOptions options;
    std::string event_endpoint;

    // Loaded on a thread of its own at start; read by others only after `ready` is set.
    PluginRegistry registry;
    ipc::Capabilities capabilities;
    ipc::PluginList plugin_list;
    std::atomic<bool> ready{false};

    bool shutdown_requested = false;  // a Shutdown request was answered
    bool stopping = false;            // jobs are being cancelled; new requests get `cancelled`

    std::filesystem::path catalog_file;
    std::unique_ptr<catalog::Catalog> catalog;  // the command thread's connection; jobs open their own
    EngineSettings settings;
    // The `pipeline` setting's config with the settings applied: what Rescan, the thumbnail worker and
    // the cache budget use. Set when the plugins are loaded and on every settings change.
    std::optional<PipelineConfig> default_pipeline;
    uint64_t thumbnail_budget_bytes = catalog::kDefaultThumbnailBudget;
    std::unique_ptr<catalog::ThumbnailCache> thumbnails;  // over `catalog`, with the budget; never null once created

    // The analysis phase (analysis_scheduler.hpp): due when photos may be waiting for it (the engine
    // started, a scan began, analysis was resumed, the library or pipeline changed); the running or last
    // analysis job, and the stages its pipeline left out (a model missing), each "id: why".
    bool analysis_due = true;
    uint64_t analysis_job = 0;
    std::vector<std::string> analysis_unavailable;

    EventInbox inbox;
    ThumbnailWorker worker;
    JobTable jobs;  // last: destroyed first, since jobs use the members above
};

}  // namespace lbx::engine::service
