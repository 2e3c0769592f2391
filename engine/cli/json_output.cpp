#include "cli/json_output.hpp"

#include <lightbox/ipc/error_codes.hpp>
#include <lightbox/ipc/json_path.hpp>

#include <cmath>

namespace lbx::engine::cli {

using nlohmann::json;

std::string json_line(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

namespace {

json param_json(const lbx_param_desc& p) {
    json j{{"name", p.name}, {"type", param_type_name(p.type)}, {"default", p.default_value}};
    if (p.min <= p.max && (p.type == LBX_PARAM_INT || p.type == LBX_PARAM_DOUBLE || p.type == LBX_PARAM_INT_LIST)) {
        j["min"] = p.min;
        j["max"] = p.max;
    }
    j["description"] = p.description ? p.description : "";
    return j;
}

}  // namespace

json plugin_json(const LoadedPlugin& p, bool full) {
    json j{{"id", p.id},
           {"name", p.name},
           {"version", p.version},
           {"license", p.license},
           {"description", p.description},
           {"file", p.file.string()},
           {"api_version", std::to_string(p.api_major) + "." + std::to_string(p.api_minor)}};
    json stages = json::array();
    for (const LoadedStage& s : p.stages) {
        json st{{"id", s.id}, {"kind", stage_kind_name(s.kind)}};
        json formats = json::array();
        for (uint32_t i = 0; i < s.desc->format_count; ++i) {
            const lbx_format_desc& f = s.desc->formats[i];
            if (full) {
                formats.push_back({{"name", f.name},
                                   {"mime_type", f.mime_type ? f.mime_type : ""},
                                   {"extensions", f.extensions ? f.extensions : ""},
                                   {"magic_offset", f.magic_offset},
                                   {"magic", magic_hex(f)}});
            } else if (std::find(formats.begin(), formats.end(), f.name) == formats.end()) {
                formats.push_back(f.name);
            }
        }
        st["formats"] = std::move(formats);
        if (full) {
            st["description"] = s.desc->description ? s.desc->description : "";
            st["priority"] = s.desc->priority;
            json params = json::array();
            for (uint32_t i = 0; i < s.desc->param_count; ++i) params.push_back(param_json(s.desc->params[i]));
            st["params"] = std::move(params);
            json models = json::array();
            for (const lbx_model_desc* m : stage_models(s)) {
                models.push_back({{"name", m->name ? m->name : ""},
                                  {"file", m->file ? m->file : ""},
                                  {"source", m->source ? m->source : ""},
                                  {"license", m->license ? m->license : ""},
                                  {"sha256", m->sha256 ? m->sha256 : ""}});
            }
            st["models"] = std::move(models);
        }
        stages.push_back(std::move(st));
    }
    j["stages"] = std::move(stages);
    return j;
}

std::string magic_hex(const lbx_format_desc& f) {
    std::string out;
    static const char* digits = "0123456789abcdef";
    for (uint32_t i = 0; i < f.magic_size; ++i) {
        if (i) out += ' ';
        out += digits[f.magic[i] >> 4];
        out += digits[f.magic[i] & 15];
    }
    return out;
}

json rejected_json(const RejectedPlugin& r) { return {{"file", r.file.string()}, {"reason", r.reason}}; }

}  // namespace lbx::engine::cli
