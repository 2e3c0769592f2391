// The machine-readable forms of the engine's plugin listings (sdk_docs/plugin-api.md, "plugins --json").
// Photo records (run, query) are cli_support's photo_record.hpp, filled by photo_records.hpp. Field
// names here are a contract with scripts: add, never rename.
#pragma once

#include "plugins/param_values.hpp"
#include "plugins/plugin_registry.hpp"

#include <nlohmann/json.hpp>

namespace lbx::engine::cli {

nlohmann::json plugin_json(const LoadedPlugin& plugin, bool full);
nlohmann::json rejected_json(const RejectedPlugin& rejected);
std::string magic_hex(const lbx_format_desc& format);  // "ff d8 ff"

// One JSON line for stdout. Paths are written by ipc::put_path (valid UTF-8, plus "path_b64" with the
// exact bytes when the path is not UTF-8: sdk_docs/run-json.md); any other text that is not valid UTF-8
// (an EXIF string, a message quoting a path) gets U+FFFD for its bad bytes instead of making dump() throw.
std::string json_line(const nlohmann::json& j);

}  // namespace lbx::engine::cli
