// The settings a client changes while the engine runs (protocol.md, "Settings"): worker threads, the
// default pipeline, thumbnail sizes and the thumbnail cache's budget. Values apply to jobs started after
// the change; an unset optional means "the pipeline's own value".
#pragma once

#include <lightbox/ipc/expected.hpp>
#include <lightbox/ipc/library.hpp>
#include <lightbox/ipc/settings.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lbx::engine::service {

struct EngineSettings {
    unsigned workers = 1;
    std::string pipeline = ipc::settings::kDefaultPipeline;
    std::optional<std::vector<uint32_t>> thumbnail_sizes;
    std::optional<uint64_t> cache_budget_mb;

    // All of `changes` or none: the first bad one is a `bad_request` (`bad_setting`) naming key and value.
    ipc::Expected<EngineSettings> with(const std::vector<ipc::Setting>& changes) const;
    // Every key, with the pipeline's values for unset ones.
    std::vector<ipc::Setting> list(const std::vector<uint32_t>& pipeline_sizes, uint64_t pipeline_budget_bytes) const;
};

std::string sizes_text(const std::vector<uint32_t>& sizes);  // "256,1024"

}  // namespace lbx::engine::service
