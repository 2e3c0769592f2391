// A built pipeline: the configured stages resolved against the loaded plugins and created once, then
// applied to one file at a time (read once, hash, sniff, then each stage in config order). process() is
// thread-safe: several workers share one Pipeline.
#pragma once

#include "core/expected.hpp"
#include "pipeline/file_walker.hpp"
#include "pipeline/format_sniffer.hpp"
#include "pipeline/photo_result.hpp"
#include "pipeline/process_context.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/thumbnail_store.hpp"
#include "plugins/plugin_registry.hpp"
#include "plugins/stage_instance.hpp"

#include <atomic>
#include <functional>
#include <optional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lbx::engine {

// An optional stage (StageConfig::optional) a pipeline left out, and why: a model file missing, say.
struct UnavailableStage {
    std::string stage_id;
    std::string where;    // "default.toml:40"
    std::string message;  // the stage's own error: names the file and the checksum expected
};

// A stage that cannot be used in this run: its plugin crashed or hung while a worker loaded it or created
// this stage. A step that `use`s it fails the files that reach it with `failure` (code plugin_not_loaded,
// naming the plugin and the phase); a step without `use` goes on with the other stages of its kind.
struct FailedStage {
    std::string stage_id;
    StageFailure failure;
};

struct PipelineBuildOptions {
    // False: every step is resolved and its parameters checked, but no stage's create() is called. Such a
    // pipeline is a plan: it processes no file. The supervisor of worker processes holds one, so that a
    // stage's model is loaded only in the workers and a create() that crashes or hangs costs a worker.
    bool create_stages = true;
    // Told just before each stage's create() (a worker names the stage in its stage marker).
    std::function<void(const LoadedStage& stage)> before_create;
    std::vector<FailedStage> failed;
    // Optional stages that a worker, which did create them, left out: a plan leaves them out too.
    std::vector<UnavailableStage> unavailable;
    // Plugin files that crashed or hung while a worker loaded them: only carried, for the plan's workers.
    std::vector<std::string> failed_plugin_files;
};

class Pipeline {
public:
    static Expected<std::unique_ptr<Pipeline>> build(const PluginRegistry& registry, const PipelineConfig& config,
                                                     std::filesystem::path thumbnail_dir, const PipelineBuildOptions& options = {});

    // A plan (create_stages false) fails every file with code `internal`: workers process them.
    PhotoResult process(const InputFile& file, const ProcessContext& context = {}) const;
    bool is_plan() const { return plan_; }

    const PipelineConfig& config() const { return config_; }
    const ThumbnailStore& thumbnails() const { return store_; }
    bool makes_thumbnails() const;

    // How many times each stage id has run (tests use it to prove work is not repeated).
    std::map<std::string, uint64_t> stage_invocations() const;

    // Optional stages (StageConfig::optional) the pipeline left out, and why.
    using UnavailableStage = lbx::engine::UnavailableStage;
    const std::vector<UnavailableStage>& unavailable_stages() const { return unavailable_; }
    const std::vector<FailedStage>& failed_stages() const { return failed_; }
    const std::vector<std::string>& failed_plugin_files() const { return failed_files_; }

    // The analysis-phase stages the pipeline runs, with their plugin and version (no error): what the
    // analysis ledger compares against to find photos still to analyse.
    std::vector<AnalysisMark> analysis_stages() const;

    // Use build(); public only so that std::make_unique can reach it.
    struct Token {};
    Pipeline(Token, const PipelineConfig& config, const PluginRegistry& registry, std::filesystem::path thumbnail_dir);

private:
    // One configured step. For decode and metadata without `use`, `by_format` picks the stage per file.
    struct Step {
        lbx_stage_kind kind{};
        bool analysis = false;  // an analysis-phase stage: its failure is a warning, its run a ledger mark
        const StageInstance* fixed = nullptr;
        std::map<std::string, const StageInstance*> by_format;
        std::optional<StageFailure> failed;  // a `use`d stage whose plugin failed at start-up in this run
        // Without `use`: the formats of such stages, for the files that no other stage of the kind takes.
        std::map<std::string, StageFailure> failed_by_format;
    };

    const StageInstance* stage_for(const Step& step, const std::string& format) const;
    void count(const StageInstance& stage) const;

    PipelineConfig config_;
    FormatSniffer sniffer_;
    ThumbnailStore store_;
    std::vector<std::unique_ptr<StageInstance>> instances_;
    std::vector<Step> steps_;
    std::vector<UnavailableStage> unavailable_;
    std::vector<FailedStage> failed_;
    std::vector<std::string> failed_files_;
    bool plan_ = false;
    uint32_t decode_long_edge_ = 0;
    bool decodes_ = false;
    bool headers_only_ = false;  // metadata stages only and no content hash: a JPEG's headers suffice
    std::vector<uint32_t> sizes_desc_;
    mutable std::map<const StageInstance*, std::unique_ptr<std::atomic<uint64_t>>> invocations_;
};

}  // namespace lbx::engine
