// How a supervisor of worker processes (`run`, `serve`, `thumbs`) gets its plugins and its pipeline
// without running a plugin's risky code in its own process. GStreamer's gst-plugin-scanner idea: a
// short-lived worker (a probe) loads the plugin libraries first, and later the batch's first worker creates
// the pipeline's stages; a library whose constructor or entry point, or a stage whose create(), crashes or
// hangs there costs that worker only. It is named with the phase (load, create), counted in the quarantine ledger once per run,
// and left out of the run; everything else goes on. The supervisor itself opens no plugin library: the
// probe describes each plugin it loaded (plugin_description.hpp), the supervisor registers those
// descriptions, and it holds a pipeline plan: no library code run, no stage created, no model loaded.
// With IsolationMode::none everything happens in this process, as before.
#pragma once

#include "pipeline/pipeline.hpp"
#include "workers/file_processor.hpp"
#include "workers/isolation.hpp"
#include "workers/quarantine.hpp"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lbx::engine {

using Notice = std::function<void(const std::string& message)>;

// Loads the plugins of `dirs` into `registry`, refusing quarantined libraries and, with process isolation,
// those that crashed or hung in the probe (each told to `notice`, and listed in registry.rejected()). With
// process isolation the plugins are registered from a probe worker's descriptions (or the record of the
// last probe, probe_cache.hpp), never opened in this process.
// `stop` (Ctrl-C): a probe that hangs is ended after the stop grace period instead of its deadline.
void load_plugins_supervised(PluginRegistry& registry, const std::vector<std::filesystem::path>& dirs, Quarantine* quarantine,
                             const IsolationOptions& isolation, const Notice& notice, const std::atomic<bool>* stop = nullptr);

// What a supervisor runs a batch with.
struct SupervisedPipeline {
    std::unique_ptr<Pipeline> pipeline;
    // With process isolation, the batch's first worker, already started: hand it to make_processor_factory
    // (the batch then starts one worker fewer). Null with IsolationMode::none.
    std::unique_ptr<FileProcessor> first_worker;
};

// The pipeline a supervisor holds for `supervision->setup.config`. With process isolation: a plan, built
// after the batch's first worker built the real one; that worker's optional stages left out (a model
// missing) are left out of the plan, and a plugin that crashed or hung there is recorded and its stages
// are failed stages of the plan (the files that need them fail with plugin_not_loaded). Notices go to
// supervision->on_notice. `stop` (Ctrl-C, a job's cancel) ends a first worker whose start hangs after the stop grace
// period (the error's code is then "interrupted") instead of at its deadline.
Expected<SupervisedPipeline> build_supervised_pipeline(const PluginRegistry& registry, const std::shared_ptr<Supervision>& supervision,
                                                       const std::atomic<bool>* stop = nullptr);

}  // namespace lbx::engine
