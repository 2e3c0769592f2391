#include "service/pipeline_defaults.hpp"

#include "pipeline/thumbnail_store.hpp"

namespace lbx::engine::service {

ipc::Expected<PipelineConfig> load_named_pipeline(const ServiceState& state, const std::string& name) {
    auto fail = [](ipc::Status status, std::string code, std::string message) {
        return ipc::unexpected(ipc::make_error(status, "config", std::move(code), std::move(message)));
    };
    std::filesystem::path file;
    if (name.empty() || name == "default") {
        file = state.options.config_dir / "default.toml";
    } else if (name.find('/') != std::string::npos) {
        file = name;
        if (!file.is_absolute()) {
            return fail(ipc::Status::bad_request, "relative_path",
                        "pipeline '" + name + "' is a relative path: send an absolute one or a pipeline name");
        }
    } else {
        file = state.options.config_dir / name;
        if (file.extension() != ".toml") file += ".toml";
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        return fail(ipc::Status::not_found, "no_such_pipeline",
                    "no pipeline '" + (name.empty() ? std::string("default") : name) + "' (" + file.string() +
                        " does not exist)");
    }
    auto config = load_pipeline_config(file);
    if (!config) return fail(ipc::Status::bad_request, config.error().code, config.error().message);
    if (state.settings.thumbnail_sizes) config->thumbnail_sizes = *state.settings.thumbnail_sizes;
    if (!state.options.analysis) drop_analysis_stages(*config);
    return std::move(*config);
}

std::filesystem::path thumbnail_dir_of(const ServiceState& state, const PipelineConfig& config) {
    if (!state.options.thumbnail_dir.empty()) return state.options.thumbnail_dir;
    if (config.thumbnail_dir) return *config.thumbnail_dir;
    return default_thumbnail_dir();
}

ipc::Expected<void> refresh_defaults(ServiceState& state) {
    auto config = load_named_pipeline(state, state.settings.pipeline);
    if (!config) return ipc::unexpected(config.error());
    state.thumbnail_budget_bytes = state.settings.cache_budget_mb ? *state.settings.cache_budget_mb * 1024 * 1024
                                                                  : config->thumbnail_budget_bytes;
    state.thumbnails = std::make_unique<catalog::ThumbnailCache>(*state.catalog, state.thumbnail_budget_bytes);
    state.worker.configure({state.catalog_file, *config, thumbnail_dir_of(state, *config), state.thumbnail_budget_bytes,
                            state.options.isolation, state.options.plugin_dirs, &state.quarantine});
    state.default_pipeline = std::move(*config);
    return {};
}

}  // namespace lbx::engine::service
