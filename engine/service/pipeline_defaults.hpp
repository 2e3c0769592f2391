// Where named pipelines come from and what the `pipeline` and thumbnail settings make of them: shared by
// StartScan, Rescan, SetSettings and the thumbnail worker's setup.
#pragma once

#include "service/service_state.hpp"

#include <lightbox/ipc/expected.hpp>

#include <string>

namespace lbx::engine::service {

// `fast` -> <config dir>/fast.toml, `default` or empty -> default.toml, `/abs/x.toml` as it is.
// not_found when the file does not exist, bad_request for a relative path or a config error.
ipc::Expected<PipelineConfig> load_named_pipeline(const ServiceState& state, const std::string& name);

// Reloads `default_pipeline` and the cache budget from the settings and hands the thumbnail worker its
// new setup. Called when the plugins are loaded and whenever the library or the settings change.
ipc::Expected<void> refresh_defaults(ServiceState& state);

// The thumbnail folder: `serve --thumbs`, else the pipeline's, else $XDG_CACHE_HOME/lightbox/thumbs.
std::filesystem::path thumbnail_dir_of(const ServiceState& state, const PipelineConfig& config);

}  // namespace lbx::engine::service
