// A pipeline is data: a TOML file lists the stages in order with their parameters, plus limits and
// thumbnail sizes. This file only parses and checks the file's shape; stage ids and parameters are
// checked against the loaded plugins when the pipeline is built (pipeline.cpp).
#pragma once

#include "core/expected.hpp"
#include "plugins/param_values.hpp"

#include <lightbox/ipc/settings.hpp>
#include <lightbox/plugin_api.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lbx::engine {

struct StageConfig {
    lbx_stage_kind kind{};
    std::string use;                           // a stage id; empty: chosen per file by format (decode, metadata)
    std::map<std::string, ParamInput> params;  // overrides of the stage's declared defaults
    std::string where;                         // "config/default.toml:12", for error messages
};

struct PipelineConfig {
    std::filesystem::path file;      // the config file, for messages
    std::filesystem::path base_dir;  // PATH parameters are relative to it
    std::vector<StageConfig> stages;
    std::vector<uint32_t> thumbnail_sizes{ipc::settings::kDefaultThumbnailSizes.begin(), ipc::settings::kDefaultThumbnailSizes.end()};
    std::optional<std::filesystem::path> thumbnail_dir;
    // What the thumbnail files may hold on disk; `lightbox-engine thumbs prune` and the service evict the
    // least recently used beyond it.
    uint64_t thumbnail_budget_bytes = ipc::settings::kDefaultCacheBudgetMb * ipc::settings::kMebibyte;
    uint64_t max_pixels = 250'000'000;
    uint64_t max_file_bytes = uint64_t(1024) * 1024 * 1024;
};

// Errors name the file, the line and the key: "default.toml:14: stage[2].kind: unknown kind 'tags'".
Expected<PipelineConfig> load_pipeline_config(const std::filesystem::path& file);
Expected<PipelineConfig> parse_pipeline_config(const std::string& text, const std::filesystem::path& file);

// Keeps only the stages of the named kinds ("metadata", "decode", ...), for `run --only`.
Expected<void> restrict_to_kinds(PipelineConfig& config, const std::vector<std::string>& kinds);

}  // namespace lbx::engine
