// A created stage: the host side of one stage's calls across the plugin ABI. It builds the C sinks and
// views, calls the plugin, and turns its status into an Error value naming the stage and the plugin.
// Each call also hands the stage the host services of plugin API 1.1, taken from the ProcessContext: the
// log (the context's, or a line on stderr prefixed with the plugin id), the stop check and the threads hint.
#pragma once

#include "core/expected.hpp"
#include "pipeline/process_context.hpp"
#include "plugins/param_values.hpp"
#include "plugins/plugin_registry.hpp"
#include "plugins/stage_io.hpp"

#include <span>
#include <vector>

namespace lbx::engine {

class StageInstance {
public:
    static Expected<StageInstance> create(const LoadedStage& stage, std::vector<ParamValue> params);
    // The stage with its checked parameters, not created (its create() is not called): for a pipeline
    // that is only a plan and never calls a stage.
    static StageInstance plan(const LoadedStage& stage, std::vector<ParamValue> params);

    StageInstance(StageInstance&& other) noexcept;
    StageInstance& operator=(StageInstance&& other) noexcept;
    StageInstance(const StageInstance&) = delete;
    StageInstance& operator=(const StageInstance&) = delete;
    ~StageInstance();

    const LoadedStage& stage() const { return *stage_; }
    const std::vector<ParamValue>& params() const { return params_; }

    // Every call below is thread-safe: stages keep their instances immutable (see plugin_api.h).
    Expected<Image> decode(const Source& source, uint32_t min_long_edge, const DecodeLimits& limits,
                           const ProcessContext& context = {}) const;
    // `entries_wanted` false: the sink asks for the summary alone (LBX_METADATA_SUMMARY_ONLY) and drops
    // the raw entries and printed values a stage gives anyway.
    Expected<void> read_metadata(const Source& source, Metadata& metadata, const ProcessContext& context = {},
                                 bool entries_wanted = true) const;
    // `orientation` is what still turns `image` upright; `regions` (optional) holds what earlier stages
    // found in this file: the stage sees them, may attach embeddings to them, and its own are appended.
    Expected<std::vector<Tag>> tag(const Source& source, const Image* image, const Metadata& metadata,
                                   const ProcessContext& context = {}, uint32_t orientation = 1,
                                   std::vector<Region>* regions = nullptr) const;
    Expected<std::vector<EncodedThumbnail>> thumbnail(const Source& source, const Image& image,
                                                      const Metadata& metadata, uint32_t orientation,
                                                      std::span<const uint32_t> sizes,
                                                      const ProcessContext& context = {}) const;

    // True for a metadata stage that reads the raw blocks decoders hand over (API 1.1 read_metadata_block).
    bool reads_metadata_blocks() const;
    // Reads one such block into `metadata`; `source` is the file it came from (for messages).
    Expected<void> read_metadata_block(const Source& source, const MetadataBlock& block, Metadata& metadata,
                                       const ProcessContext& context = {}, bool entries_wanted = true) const;

private:
    StageInstance(const LoadedStage& stage, void* instance, std::vector<ParamValue> params);
    Error stage_error(const lbx_error& error, int32_t status) const;

    const LoadedStage* stage_ = nullptr;
    void* instance_ = nullptr;
    std::vector<ParamValue> params_;
};

}  // namespace lbx::engine
