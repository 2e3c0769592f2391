#include "plugins/param_values.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

namespace lbx::engine {

namespace {

Unexpected param_error(const lbx_stage_desc* stage, const std::string& name, const std::string& what) {
    std::string where = stage ? "parameter '" + name + "' of stage '" + stage->id + "'" : "parameter '" + name + "'";
    return unexpected(make_error("config", "invalid_param", where + ": " + what));
}

std::string trim(std::string s) {
    auto b = s.find_first_not_of(" \t");
    auto e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::optional<int64_t> parse_int(const std::string& text) {
    std::string t = trim(text);
    int64_t v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size() || t.empty()) return std::nullopt;
    return v;
}

std::optional<double> parse_double(const std::string& text) {
    std::string t = trim(text);
    if (t.empty()) return std::nullopt;
    std::istringstream in(t);
    in.imbue(std::locale::classic());
    double v = 0;
    in >> v;
    if (in.fail() || !in.eof() || !std::isfinite(v)) return std::nullopt;
    return v;
}

bool has_range(const lbx_param_desc& d) { return d.min <= d.max; }

std::string range_text(const lbx_param_desc& d) {
    std::ostringstream s;
    s << d.min << ".." << d.max;
    return s.str();
}

// Converts one input to the declared type, checking its range. PATH is resolved against base_dir.
Expected<ParamValue> convert(const lbx_stage_desc* stage, const lbx_param_desc& d, const ParamInput& in,
                             const std::filesystem::path& base_dir) {
    ParamValue v;
    v.name = d.name;
    v.type = d.type;
    auto type_error = [&](const char* want) { return param_error(stage, d.name, std::string("expected ") + want); };
    switch (d.type) {
        case LBX_PARAM_BOOL:
            if (auto* b = std::get_if<bool>(&in)) v.bool_value = *b;
            else return type_error("true or false");
            break;
        case LBX_PARAM_INT:
            if (auto* i = std::get_if<int64_t>(&in)) v.int_value = *i;
            else return type_error("an integer");
            if (has_range(d) && (v.int_value < d.min || v.int_value > d.max))
                return param_error(stage, d.name, std::to_string(v.int_value) + " is out of range " + range_text(d));
            break;
        case LBX_PARAM_DOUBLE:
            if (auto* x = std::get_if<double>(&in)) v.double_value = *x;
            else if (auto* i = std::get_if<int64_t>(&in)) v.double_value = static_cast<double>(*i);
            else return type_error("a number");
            if (has_range(d) && (v.double_value < d.min || v.double_value > d.max)) {
                std::ostringstream s;
                s << v.double_value << " is out of range " << range_text(d);
                return param_error(stage, d.name, s.str());
            }
            break;
        case LBX_PARAM_STRING:
        case LBX_PARAM_PATH:
            if (auto* s = std::get_if<std::string>(&in)) v.string_value = *s;
            else return type_error("a string");
            if (d.type == LBX_PARAM_PATH && !v.string_value.empty()) {
                std::filesystem::path p(v.string_value);
                if (p.is_relative()) p = base_dir / p;
                v.string_value = p.lexically_normal().string();
            }
            break;
        case LBX_PARAM_INT_LIST:
            if (auto* l = std::get_if<std::vector<int64_t>>(&in)) v.int_list = *l;
            else if (auto* i = std::get_if<int64_t>(&in)) v.int_list = {*i};
            else return type_error("a list of integers");
            for (int64_t x : v.int_list)
                if (has_range(d) && (x < d.min || x > d.max))
                    return param_error(stage, d.name, std::to_string(x) + " is out of range " + range_text(d));
            break;
    }
    return v;
}

Expected<ParamInput> parse_text(const lbx_stage_desc* stage, const lbx_param_desc& d, const std::string& text) {
    switch (d.type) {
        case LBX_PARAM_BOOL: {
            std::string t = trim(text);
            if (t == "true" || t == "1" || t == "yes") return ParamInput(true);
            if (t == "false" || t == "0" || t == "no") return ParamInput(false);
            return param_error(stage, d.name, "'" + text + "' is not true or false");
        }
        case LBX_PARAM_INT:
            if (auto i = parse_int(text)) return ParamInput(*i);
            return param_error(stage, d.name, "'" + text + "' is not an integer");
        case LBX_PARAM_DOUBLE:
            if (auto x = parse_double(text)) return ParamInput(*x);
            return param_error(stage, d.name, "'" + text + "' is not a number");
        case LBX_PARAM_STRING:
        case LBX_PARAM_PATH:
            return ParamInput(text);
        case LBX_PARAM_INT_LIST: {
            std::vector<int64_t> list;
            std::stringstream in(text);
            std::string item;
            while (std::getline(in, item, ',')) {
                auto i = parse_int(item);
                if (!i) return param_error(stage, d.name, "'" + text + "' is not a comma-separated list of integers");
                list.push_back(*i);
            }
            return ParamInput(std::move(list));
        }
    }
    return param_error(stage, d.name, "unknown parameter type");
}

}  // namespace

Expected<ParamValue> parse_param_text(const lbx_param_desc& desc, const std::string& text,
                                      const std::filesystem::path& base_dir) {
    auto input = parse_text(nullptr, desc, text);
    if (!input) return unexpected(input.error());
    return convert(nullptr, desc, *input, base_dir);
}

Expected<std::vector<ParamValue>> resolve_params(const lbx_stage_desc& stage,
                                                 const std::map<std::string, ParamInput>& overrides,
                                                 const std::filesystem::path& base_dir) {
    for (const auto& [name, value] : overrides) {
        bool known = false;
        for (uint32_t i = 0; i < stage.param_count; ++i) known = known || name == stage.params[i].name;
        if (!known) {
            std::string names;
            for (uint32_t i = 0; i < stage.param_count; ++i) names += (i ? ", " : "") + std::string(stage.params[i].name);
            return param_error(&stage, name, "unknown (known: " + (names.empty() ? std::string("none") : names) + ")");
        }
    }
    std::vector<ParamValue> values;
    for (uint32_t i = 0; i < stage.param_count; ++i) {
        const lbx_param_desc& d = stage.params[i];
        auto it = overrides.find(d.name);
        Expected<ParamInput> input = it != overrides.end() ? Expected<ParamInput>(it->second)
                                                           : parse_text(&stage, d, d.default_value);
        if (!input) return unexpected(input.error());
        auto value = convert(&stage, d, *input, base_dir);
        if (!value) return unexpected(value.error());
        values.push_back(std::move(*value));
    }
    return values;
}

std::string format_param_value(const ParamValue& v) {
    switch (v.type) {
        case LBX_PARAM_BOOL: return v.bool_value ? "true" : "false";
        case LBX_PARAM_INT: return std::to_string(v.int_value);
        case LBX_PARAM_DOUBLE: {
            std::ostringstream s;
            s << v.double_value;
            return s.str();
        }
        case LBX_PARAM_STRING:
        case LBX_PARAM_PATH: return v.string_value;
        case LBX_PARAM_INT_LIST: {
            std::string s;
            for (std::size_t i = 0; i < v.int_list.size(); ++i) s += (i ? "," : "") + std::to_string(v.int_list[i]);
            return s;
        }
    }
    return "";
}

}  // namespace lbx::engine
