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
    // A stage the pipeline can do without: when its plugin is not loaded or it cannot be created (a model
    // file missing or damaged), the pipeline leaves it out with one warning instead of refusing to run.
    bool optional = false;
    // Which scan phase the stage belongs to: the first makes the library browsable (metadata, hash,
    // thumbnails, rule tags); "analysis" stages (neural networks) are heavy and can be switched off
    // (`--analysis off`) or, in the service, run after the first phase.
    bool analysis = false;
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
    // The full-content hash (the catalog's key). A metadata-only run without a catalog can do without it
    // (`run --only metadata` without `--hash`): then only the headers of a JPEG are read.
    bool content_hash = true;
    // Whether anything keeps the raw metadata entries (a catalog, records with the field "metadata", a
    // stage after the metadata readers, which may look them up). False: the metadata stages are asked for
    // the summary fields alone (plugin API 1.4, LBX_METADATA_SUMMARY_ONLY) and the entries are dropped.
    bool metadata_entries = true;
};

// Errors name the file, the line and the key: "default.toml:14: stage[2].kind: unknown kind 'tags'".
Expected<PipelineConfig> load_pipeline_config(const std::filesystem::path& file);
Expected<PipelineConfig> parse_pipeline_config(const std::string& text, const std::filesystem::path& file);

// Keeps only the stages of the named kinds ("metadata", "decode", ...) or stage ids ("objects"), for
// `run --only`.
Expected<void> restrict_to_kinds(PipelineConfig& config, const std::vector<std::string>& kinds);

// Leaves out the analysis-phase stages (`--analysis off`, and the service's first phase).
void drop_analysis_stages(PipelineConfig& config);
// What the analysis phase runs on a photo already in the catalog: the metadata stages (the EXIF
// orientation the boxes are upright by), the decoders, the analysis stages, and the thumbnail stages for
// the sizes above the smallest (keep_grid_thumbnails left them to this phase: it decodes at that size
// anyway); no rule tags.
void keep_analysis_phase(PipelineConfig& config);
// The service's first phase when an analysis phase follows: the smallest thumbnail size only (the grid's),
// so that the library is browsable sooner; the larger previews come with the analysis phase, or on demand
// when a client asks for one first.
void keep_grid_thumbnails(PipelineConfig& config);

// The default of `--analysis`: on, unless the environment variable LIGHTBOX_ANALYSIS says "off" (the test
// suite sets it, so that only the tests about analysis pay for neural networks). Anything else but "on"
// in it is an error (nullopt).
std::optional<bool> analysis_default();

}  // namespace lbx::engine
