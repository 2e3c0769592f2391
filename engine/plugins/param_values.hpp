// Stage parameters on the host side: parsing, validation against a stage's declared schema, defaults.
// A stage only ever receives well-typed values within its declared ranges.
#pragma once

#include "core/expected.hpp"

#include <lightbox/plugin_api.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace lbx::engine {

struct ParamValue {
    std::string name;
    lbx_param_type type{};
    bool bool_value = false;
    int64_t int_value = 0;
    double double_value = 0;
    std::string string_value;
    std::vector<int64_t> int_list;
};

// A value as written in a config file or on the command line, before it is checked against the schema.
using ParamInput = std::variant<bool, int64_t, double, std::string, std::vector<int64_t>>;

// Parses a textual value ("85", "true", "256,1024") for a declared parameter; used for defaults.
Expected<ParamValue> parse_param_text(const lbx_param_desc& desc, const std::string& text,
                                      const std::filesystem::path& base_dir);

// Builds the full parameter list of a stage: every declared parameter, its default unless overridden.
// Unknown names, wrong types and out-of-range values are errors naming the parameter and the stage.
// PATH values are resolved against base_dir (the config file's folder).
Expected<std::vector<ParamValue>> resolve_params(const lbx_stage_desc& stage,
                                                 const std::map<std::string, ParamInput>& overrides,
                                                 const std::filesystem::path& base_dir);

std::string format_param_value(const ParamValue& value);

}  // namespace lbx::engine
