// The machine-readable forms of the engine's results, documented in sdk_docs/run-json.md and
// sdk_docs/plugin-api.md ("plugins --json"). Field names here are a contract with scripts: add, never rename.
#pragma once

#include "pipeline/photo_result.hpp"
#include "plugins/param_values.hpp"
#include "plugins/plugin_registry.hpp"

#include <nlohmann/json.hpp>

namespace lbx::engine::cli {

nlohmann::json photo_json(const PhotoResult& result);
// {"path", "status": "unchanged", "hash", "size"}: a file the catalog already has, not read again.
nlohmann::json unchanged_json(const PhotoResult& result);
nlohmann::json failure_json(const StageFailure& failure);  // error and warnings entries
nlohmann::json exif_summary_json(const Metadata& metadata);
nlohmann::json plugin_json(const LoadedPlugin& plugin, bool full);
nlohmann::json rejected_json(const RejectedPlugin& rejected);
std::string magic_hex(const lbx_format_desc& format);  // "ff d8 ff"

}  // namespace lbx::engine::cli
