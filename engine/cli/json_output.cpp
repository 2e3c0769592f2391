#include "cli/json_output.hpp"

#include <lightbox/ipc/error_codes.hpp>
#include <lightbox/ipc/json_path.hpp>

#include <cmath>

namespace lbx::engine::cli {

using nlohmann::json;

json exif_summary_json(const Metadata& m) {
    json exif = json::object();
    for (const char* field : {LBX_FIELD_TAKEN_AT, LBX_FIELD_MAKE, LBX_FIELD_MODEL, LBX_FIELD_LENS})
        if (auto v = m.get_text(field)) exif[field] = *v;
    for (const char* field : {LBX_FIELD_EXPOSURE_TIME, LBX_FIELD_F_NUMBER, LBX_FIELD_FOCAL_LENGTH, LBX_FIELD_GPS_LAT,
                              LBX_FIELD_GPS_LON, LBX_FIELD_GPS_ALT})
        if (auto v = m.get_number(field)) exif[field] = *v;
    // Counts and codes are integers in JSON, not 400.0.
    for (const char* field : {LBX_FIELD_ISO, LBX_FIELD_ORIENTATION, LBX_FIELD_WIDTH, LBX_FIELD_HEIGHT})
        if (auto v = m.get_number(field)) exif[field] = static_cast<int64_t>(std::llround(*v));
    return exif;
}

json failure_json(const StageFailure& f) {
    json j{{"stage", f.stage}, {"stage_id", f.stage_id}, {"plugin", f.plugin}, {"code", f.code}, {"message", f.message}};
    if (!f.plugin_version.empty()) j["plugin_version"] = f.plugin_version;
    return j;
}

namespace {

// Four decimals: a tenth of a pixel on a 10 000-pixel photo, and no 0.30000000000000004 in the output.
double rounded(double v) { return std::round(v * 1e4) / 1e4; }

}  // namespace

json region_json(const Region& g) {
    json j{{"kind", g.kind},
           {"confidence", rounded(g.confidence)},
           {"box", {rounded(g.x), rounded(g.y), rounded(g.width), rounded(g.height)}},
           {"source", g.source}};
    if (!g.label.empty()) j["label"] = g.label;
    if (!g.points.empty()) {
        json points = json::array();
        for (std::size_t i = 0; i + 1 < g.points.size(); i += 2) points.push_back({rounded(g.points[i]), rounded(g.points[i + 1])});
        j["points"] = std::move(points);
    }
    if (g.quality > 0) j["quality"] = rounded(g.quality);
    if (!g.embedding.empty()) {
        j["embedding_model"] = g.embedding_model;
        j["embedding"] = g.embedding;
    }
    return j;
}

json photo_json(const PhotoResult& r) {
    json j;
    ipc::put_path(j, "path", r.path);
    j["status"] = r.ok() ? ipc::file_state::kOk : ipc::file_state::kFailed;
    if (r.failure) j["error"] = failure_json(*r.failure);
    if (!r.warnings.empty()) {
        json warnings = json::array();
        for (const StageFailure& w : r.warnings) warnings.push_back(failure_json(w));
        j["warnings"] = std::move(warnings);
    }
    if (!r.format.empty()) j["format"] = r.format;
    if (r.file_size) j["size"] = r.file_size;
    if (r.width && r.height) {
        j["width"] = r.width;
        j["height"] = r.height;
    }
    if (!r.hash.empty()) j["hash"] = r.hash;
    j["exif"] = exif_summary_json(r.metadata);
    json tags = json::array();
    for (const Tag& t : r.tags)
        tags.push_back({{"name", t.name}, {"category", t.category}, {"confidence", t.confidence}, {"source", t.source}});
    j["tags"] = std::move(tags);
    json regions = json::array();
    for (const Region& g : r.regions) regions.push_back(region_json(g));
    j["regions"] = std::move(regions);
    json thumbs = json::array();
    for (const StoredThumbnail& t : r.thumbnails) {
        json thumb{{"size", t.size}, {"width", t.width}, {"height", t.height}};
        ipc::put_path(thumb, "path", t.path);
        thumbs.push_back(std::move(thumb));
    }
    j["thumbnails"] = std::move(thumbs);
    j["seconds"] = std::round(r.seconds * 1e4) / 1e4;
    return j;
}

json unchanged_json(const PhotoResult& r) {
    json j{{"status", "unchanged"}, {"hash", r.hash}, {"size", r.file_size}};
    if (r.failure) {  // failed in an earlier scan and not changed since: still failed
        j = json{{"status", "failed"}, {"unchanged", true}, {"size", r.file_size}, {"error", failure_json(*r.failure)}};
    }
    ipc::put_path(j, "path", r.path);
    return j;
}

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
