// How a supervisor of worker processes (`run`, `serve`, `thumbs`) gets its plugins and its pipeline
// without running a plugin's risky code in its own process. GStreamer's gst-plugin-scanner idea: a
// short-lived worker (a probe) loads the plugin libraries first, and later creates the pipeline's stages;
// a library whose constructor or entry point, or a stage whose create(), crashes or hangs there costs that
// probe only. It is named with the phase (load, create), counted in the quarantine ledger once per run,
// and left out of the run; everything else goes on. The supervisor itself then opens only the libraries
// that loaded in the probe (to read their descriptors), and holds a pipeline plan: no stage created, no
// model loaded. With IsolationMode::none everything happens in this process, as before.
#pragma once

#include "pipeline/pipeline.hpp"
#include "workers/isolation.hpp"
#include "workers/quarantine.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lbx::engine {

using Notice = std::function<void(const std::string& message)>;

// Loads the plugins of `dirs` into `registry`, refusing quarantined libraries and, with process isolation,
// those that crashed or hung in the probe (each told to `notice`, and listed in registry.rejected()).
void load_plugins_supervised(PluginRegistry& registry, const std::vector<std::filesystem::path>& dirs, Quarantine* quarantine,
                             const IsolationOptions& isolation, const Notice& notice);

// The pipeline a supervisor holds for `config`. With process isolation: a plan, built after a probe worker
// built the real one; the probe's optional stages left out (a model missing) are left out of the plan, and
// a plugin that crashed or hung there is recorded and its stages are failed stages of the plan (the files
// that need them fail with plugin_not_loaded). make_processor_factory hands those on to the workers.
Expected<std::unique_ptr<Pipeline>> build_supervised_pipeline(const PluginRegistry& registry, const PipelineConfig& config,
                                                              const std::filesystem::path& thumbnail_dir,
                                                              const std::vector<std::filesystem::path>& plugin_dirs,
                                                              Quarantine* quarantine, const IsolationOptions& isolation,
                                                              const Notice& notice);

}  // namespace lbx::engine
