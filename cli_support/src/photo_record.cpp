#include <lightbox/cli/photo_record.hpp>

#include <lightbox/ipc/json_path.hpp>

#include <algorithm>
#include <cmath>

namespace lbx::cli {

using nlohmann::json;

namespace {

// Four decimals: a tenth of a pixel on a 10 000-pixel photo, and no 0.30000000000000004 in the output.
double rounded(double v) {
    return std::round(v * 1e4) / 1e4;
}

void put_path(json& object, const std::string& key, const std::string& path, PathText paths) {
    if (paths == PathText::raw)
        object[key] = path;
    else
        ipc::put_path(object, key, path);
}

json exif_json(const RecordExif& exif) {
    json j = json::object();
    for (const auto& [name, value] : exif.text) j[name] = value;
    for (const auto& [name, value] : exif.numbers) {
        // Degrees from EXIF's degree-minute-second rationals carry binary noise (46.94799999999999):
        // seven decimals are a centimetre, and the same value in run's, query's and ctl's records.
        j[name] = name.rfind("gps_", 0) == 0 ? std::round(value * 1e7) / 1e7 : value;
    }
    for (const auto& [name, value] : exif.counts) j[name] = value;
    return j;
}

}  // namespace

json failure_json(const RecordFailure& f) {
    json j{
        {"stage", f.stage}, {"stage_id", f.stage_id}, {"plugin", f.plugin}, {"code", f.code}, {"message", f.message}};
    if (!f.plugin_version.empty()) j["plugin_version"] = f.plugin_version;
    return j;
}

json region_json(const RecordRegion& g) {
    json j{{"kind", g.kind},
           {"confidence", rounded(g.confidence)},
           {"box", {rounded(g.x), rounded(g.y), rounded(g.width), rounded(g.height)}},
           {"source", g.source}};
    if (!g.label.empty()) j["label"] = g.label;
    if (!g.person.empty()) j["person"] = g.person;
    if (!g.points.empty()) {
        json points = json::array();
        for (std::size_t i = 0; i + 1 < g.points.size(); i += 2)
            points.push_back({rounded(g.points[i]), rounded(g.points[i + 1])});
        j["points"] = std::move(points);
    }
    if (g.quality > 0) j["quality"] = rounded(g.quality);
    if (!g.embedding.empty()) {
        j["embedding_model"] = g.embedding_model;
        j["embedding"] = g.embedding;
    }
    return j;
}

std::vector<std::string> people_of(const std::vector<RecordRegion>& regions) {
    std::vector<std::string> names;
    for (const RecordRegion& g : regions)
        if (!g.person.empty()) names.push_back(g.person);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

json record_json(const PhotoRecord& r, PathText paths) {
    json j = json::object();
    put_path(j, "path", r.path, paths);
    j["status"] = r.status;
    if (r.error) j["error"] = failure_json(*r.error);
    if (!r.warnings.empty()) {
        json warnings = json::array();
        for (const RecordFailure& w : r.warnings) warnings.push_back(failure_json(w));
        j["warnings"] = std::move(warnings);
    }
    if (r.unchanged) j["unchanged"] = true;
    if (!r.format.empty()) j["format"] = r.format;
    if (r.size) j["size"] = *r.size;
    if (r.width && r.height) {
        j["width"] = r.width;
        j["height"] = r.height;
    }
    if (!r.hash.empty()) j["hash"] = r.hash;
    if (r.exif) j["exif"] = exif_json(*r.exif);
    if (r.tags) {
        json tags = json::array();
        for (const RecordTag& t : *r.tags)
            tags.push_back(
                {{"name", t.name}, {"category", t.category}, {"confidence", t.confidence}, {"source", t.source}});
        j["tags"] = std::move(tags);
    }
    if (r.regions) {
        json regions = json::array();
        for (const RecordRegion& g : *r.regions) regions.push_back(region_json(g));
        j["regions"] = std::move(regions);
    }
    if (r.people) j["people"] = *r.people;
    if (r.thumbnails) {
        json thumbs = json::array();
        for (const RecordThumbnail& t : *r.thumbnails) {
            json thumb{{"size", t.size}, {"width", t.width}, {"height", t.height}};
            put_path(thumb, "path", t.path, paths);
            thumbs.push_back(std::move(thumb));
        }
        j["thumbnails"] = std::move(thumbs);
    }
    if (r.metadata) {
        json entries = json::object();  // by key; a key given twice keeps its last value, as the catalog does
        for (const RecordMetadataEntry& e : *r.metadata) {
            json entry{{"value", e.value}};
            if (!e.printed.empty()) entry["printed"] = e.printed;
            entries[e.key] = std::move(entry);
        }
        j["metadata"] = std::move(entries);
    }
    if (!r.phash.empty()) j["phash"] = r.phash;
    if (r.analysed) {
        json analysed = json::array();
        for (const RecordAnalysis& a : *r.analysed) {
            json mark{{"stage_id", a.stage_id}, {"plugin", a.plugin}, {"plugin_version", a.plugin_version}};
            if (!a.error.empty()) mark["error"] = a.error;
            analysed.push_back(std::move(mark));
        }
        j["analysed"] = std::move(analysed);
    }
    if (!r.matched.empty()) j["matched"] = r.matched;
    if (r.seconds) j["seconds"] = std::round(*r.seconds * 1e4) / 1e4;
    return j;
}

const std::vector<RecordFieldInfo>& record_fields() {
    static const std::vector<RecordFieldInfo> fields{
        {"path", "the file's path (with path_b64 when it is not UTF-8)"},
        {"status", "ok, failed, unchanged (run --catalog) or missing"},
        {"error", "what failed, where: an object (error.stage, error.code, error.message, ...)"},
        {"warnings", "stage failures that did not fail the photo"},
        {"unchanged", "true on a failed file not read again"},
        {"format", "the sniffed format: jpeg, heif, png, ..."},
        {"size", "file size in bytes"},
        {"width", "stored pixel width, before orientation"},
        {"height", "stored pixel height, before orientation"},
        {"hash", "content hash (the photo id of lightbox-ctl)"},
        {"exif", "the EXIF summary: an object (exif.taken_at, exif.gps_lat, ...)"},
        {"tags", "tags: name, category, confidence, source"},
        {"regions", "objects and faces, with the person of a named face"},
        {"people", "names of the persons in the photo"},
        {"thumbnails", "thumbnails: size, width, height, path"},
        {"metadata", "raw metadata entries by key (Exif.Photo.FNumber): value, printed; only when named (or --fields all)"},
        {"phash", "run: the perceptual hash, 16 hex digits (similar: queries)"},
        {"analysed", "run: the analysis stages that ran: stage_id, plugin, plugin_version, error"},
        {"matched", "query: where the query's words matched"},
        {"seconds", "run: wall time spent on the file"},
    };
    return fields;
}

bool written_by_default(std::string_view field) { return field != "metadata"; }

const std::vector<std::string_view>& exif_field_names() {
    static const std::vector<std::string_view> names{
        "taken_at",     "make",        "model",   "lens",    "exposure_time", "f_number", "iso",
        "focal_length", "orientation", "gps_lat", "gps_lon", "gps_alt",       "width",    "height"};
    return names;
}

const std::vector<std::string_view>& failure_field_names() {
    static const std::vector<std::string_view> names{"stage",          "stage_id", "plugin",
                                                     "plugin_version", "code",     "message"};
    return names;
}

}  // namespace lbx::cli
