// The machine-readable forms of the engine's results, documented in sdk_docs/run-json.md and
// sdk_docs/plugin-api.md ("plugins --json"). Field names here are a contract with scripts: add, never rename.
#pragma once

#include "pipeline/photo_result.hpp"
#include "plugins/param_values.hpp"
#include "plugins/plugin_registry.hpp"

#include <nlohmann/json.hpp>

namespace lbx::engine::cli {

nlohmann::json photo_json(const PhotoResult& result);
// {"path", "status": "unchanged", "hash", "size"}: a file the catalog already has, not read again; for
// one that failed before, {"path", "status": "failed", "unchanged": true, "size", "error"}.
nlohmann::json unchanged_json(const PhotoResult& result);
nlohmann::json failure_json(const StageFailure& failure);  // error and warnings entries
// {"kind", "label"?, "confidence", "box": [x, y, w, h], "points"?, "quality"?, "embedding_model"?,
// "embedding"?, "source"}: fractions of the upright image (sdk_docs/run-json.md).
nlohmann::json region_json(const Region& region);
nlohmann::json exif_summary_json(const Metadata& metadata);
nlohmann::json plugin_json(const LoadedPlugin& plugin, bool full);
nlohmann::json rejected_json(const RejectedPlugin& rejected);
std::string magic_hex(const lbx_format_desc& format);  // "ff d8 ff"

// One JSON line for stdout. Paths are written by ipc::put_path (valid UTF-8, plus "path_b64" with the
// exact bytes when the path is not UTF-8: sdk_docs/run-json.md); any other text that is not valid UTF-8
// (an EXIF string, a message quoting a path) gets U+FFFD for its bad bytes instead of making dump() throw.
std::string json_line(const nlohmann::json& j);

}  // namespace lbx::engine::cli
