#include "cli/record_import.hpp"

#include <lightbox/ipc/error_codes.hpp>
#include <lightbox/ipc/json_path.hpp>
#include <lightbox/plugin_api.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>

namespace lbx::engine::cli {

using nlohmann::json;

namespace {

// A record's path: the exact bytes of "KEY_b64" when the path is not UTF-8, else "KEY" itself.
std::optional<std::string> path_field(const json& object, const std::string& key) {
    const auto b64 = object.find(key + "_b64");
    if (b64 != object.end()) return b64->is_string() ? ipc::from_base64(b64->get<std::string>()) : std::nullopt;
    const auto plain = object.find(key);
    if (plain == object.end() || !plain->is_string()) return std::nullopt;
    return plain->get<std::string>();
}

std::string text_or(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double number_or(const json& object, const char* key, double fallback) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

StageFailure failure_of(const json& j) {
    return {text_or(j, "stage"), text_or(j, "stage_id"), text_or(j, "plugin"), text_or(j, "plugin_version"),
            text_or(j, "code"),  text_or(j, "message")};
}

// The EXIF summary back into the metadata's normalized fields (numbers, integers included, as doubles).
Metadata metadata_of(const json& exif) {
    Metadata m;
    if (!exif.is_object()) return m;
    for (const auto& [field, value] : exif.items()) {
        if (value.is_string())
            m.text[field] = value.get<std::string>();
        else if (value.is_number())
            m.numbers[field] = value.get<double>();
    }
    return m;
}

std::vector<float> floats_of(const json& j) {
    std::vector<float> out;
    if (!j.is_array()) return out;
    for (const json& v : j) {
        if (v.is_array()) {  // points: [[x, y], ...]
            for (const json& p : v)
                if (p.is_number()) out.push_back(p.get<float>());
        } else if (v.is_number()) {
            out.push_back(v.get<float>());
        }
    }
    return out;
}

std::optional<Region> region_of(const json& j) {
    if (!j.is_object()) return std::nullopt;
    Region g;
    g.kind = text_or(j, "kind");
    g.label = text_or(j, "label");
    g.confidence = number_or(j, "confidence", 0);
    const auto box = j.find("box");
    if (box == j.end() || !box->is_array() || box->size() != 4) return std::nullopt;
    for (const json& v : *box)
        if (!v.is_number()) return std::nullopt;
    g.x = (*box)[0].get<double>();
    g.y = (*box)[1].get<double>();
    g.width = (*box)[2].get<double>();
    g.height = (*box)[3].get<double>();
    if (const auto points = j.find("points"); points != j.end()) g.points = floats_of(*points);
    g.quality = number_or(j, "quality", 0);
    if (const auto embedding = j.find("embedding"); embedding != j.end()) g.embedding = floats_of(*embedding);
    g.embedding_model = text_or(j, "embedding_model");
    g.source = text_or(j, "source");
    if (g.kind.empty() || g.source.empty()) return std::nullopt;
    // The limits the host holds a plugin's regions to (plugin_api.h): a record is as untrusted as a plugin.
    constexpr double kSlack = 1e-3;
    if (g.x < -kSlack || g.y < -kSlack || g.width <= 0 || g.height <= 0 || g.x + g.width > 1 + kSlack || g.y + g.height > 1 + kSlack)
        return std::nullopt;
    if (g.points.size() > 2u * LBX_MAX_REGION_POINTS || g.embedding.size() > LBX_MAX_EMBEDDING_SIZE) return std::nullopt;
    return g;
}

}  // namespace

ImportedRecord imported_record(const std::string& line) {
    json j;
    try {
        j = json::parse(line);
    } catch (const json::exception& e) {
        std::string reason = e.what();
        // "[json.exception.parse_error.101] parse error at line 1, column 7: ..." reads better without the tag.
        if (const auto close = reason.find("] "); reason.rfind("[json.exception.", 0) == 0 && close != std::string::npos)
            reason.erase(0, close + 2);
        return MalformedRecord{"not JSON: " + reason};
    }
    if (!j.is_object()) return MalformedRecord{"not a JSON object"};
    const std::optional<std::string> path = path_field(j, "path");
    if (!path || path->empty()) return MalformedRecord{"no \"path\" (or a bad \"path_b64\")"};
    const std::string status = text_or(j, "status");

    PhotoResult r;
    r.path = *path;
    r.mtime_ns = -1;
    r.format = text_or(j, "format");
    r.hash = text_or(j, "hash");
    if (const auto size = j.find("size"); size != j.end() && size->is_number_unsigned()) r.file_size = size->get<uint64_t>();

    if (status == ipc::file_state::kFailed) {
        const auto error = j.find("error");
        if (error == j.end() || !error->is_object()) return MalformedRecord{"status \"failed\" without an \"error\" object"};
        r.failure = failure_of(*error);
        return r;  // the failures ledger is keyed by path: no hash needed
    }
    if (status == "unchanged")
        return SkippedRecord{r.path, "\"unchanged\": the run's own catalog has it, the record holds nothing to import"};
    if (status != ipc::file_state::kOk) return MalformedRecord{"\"status\" is not \"ok\", \"failed\" or \"unchanged\""};
    if (r.hash.empty())
        return SkippedRecord{r.path, "no hash, which the catalog keys photos by (run --only metadata without --hash)"};

    r.width = static_cast<uint32_t>(number_or(j, "width", 0));
    r.height = static_cast<uint32_t>(number_or(j, "height", 0));
    if (const auto exif = j.find("exif"); exif != j.end()) r.metadata = metadata_of(*exif);
    // The raw entries (written when the run named the field: `--fields all` or `--fields ...,metadata`);
    // without them the catalog keeps the entries it has.
    r.metadata_entries_known = j.contains("metadata");
    if (const auto entries = j.find("metadata"); entries != j.end()) {
        if (!entries->is_object()) return MalformedRecord{"\"metadata\" is not an object of entries by key"};
        for (const auto& [key, entry] : entries->items()) {
            const auto value = entry.is_object() ? entry.find("value") : entry.end();
            if (key.empty() || !entry.is_object() || value == entry.end() || !value->is_string())
                return MalformedRecord{"a \"metadata\" entry without a \"value\" text"};
            r.metadata.entries.emplace_back(key, value->get<std::string>());
            if (const std::string printed = text_or(entry, "printed"); !printed.empty()) r.metadata.printed[key] = printed;
        }
    }
    if (const auto warnings = j.find("warnings"); warnings != j.end() && warnings->is_array())
        for (const json& w : *warnings)
            if (w.is_object()) r.warnings.push_back(failure_of(w));

    std::set<std::string> sources;
    if (const auto tags = j.find("tags"); tags != j.end() && tags->is_array()) {
        for (const json& t : *tags) {
            if (!t.is_object() || text_or(t, "name").empty()) return MalformedRecord{"a tag without a \"name\""};
            Tag tag{text_or(t, "name"), text_or(t, "category"), number_or(t, "confidence", 1.0), text_or(t, "source")};
            // A user tag (a `query` record imported): never an auto tag; user tags are the catalog's own.
            if (tag.source == "user" || tag.source.empty()) continue;
            sources.insert(tag.source);
            r.tags.push_back(std::move(tag));
        }
    }
    if (const auto regions = j.find("regions"); regions != j.end() && regions->is_array()) {
        for (const json& g : *regions) {
            std::optional<Region> region = region_of(g);
            if (!region)
                return MalformedRecord{"a region without \"kind\", \"box\" [x, y, w, h] in [0, 1] or \"source\", or with more than " +
                                       std::to_string(LBX_MAX_REGION_POINTS) + " points or " +
                                       std::to_string(LBX_MAX_EMBEDDING_SIZE) + " embedding values"};
            if (r.regions.size() >= LBX_MAX_REGIONS)
                return MalformedRecord{"more than " + std::to_string(LBX_MAX_REGIONS) + " regions"};
            sources.insert(region->source);
            r.regions.push_back(std::move(*region));
        }
    }
    // The analysis ledger: the stages that ran on the photo (also those that found nothing), so that a
    // served engine does not analyse an imported photo again with the same plugins.
    if (const auto analysed = j.find("analysed"); analysed != j.end() && analysed->is_array()) {
        for (const json& a : *analysed) {
            if (!a.is_object() || text_or(a, "plugin").empty() || text_or(a, "stage_id").empty())
                return MalformedRecord{"an \"analysed\" entry without \"stage_id\" or \"plugin\""};
            r.analysed.push_back({text_or(a, "stage_id"), text_or(a, "plugin"), text_or(a, "plugin_version"), text_or(a, "error")});
            sources.insert(text_or(a, "plugin"));
        }
    }
    r.tag_sources.assign(sources.begin(), sources.end());
    if (const std::string phash = text_or(j, "phash"); !phash.empty()) {
        uint64_t value = 0;
        const auto [end, ec] = std::from_chars(phash.data(), phash.data() + phash.size(), value, 16);
        if (ec != std::errc() || end != phash.data() + phash.size() || phash.size() != 16)
            return MalformedRecord{"\"phash\" is not 16 hex digits"};
        r.perceptual_hash = value;
    }

    if (const auto thumbnails = j.find("thumbnails"); thumbnails != j.end() && thumbnails->is_array()) {
        for (const json& t : *thumbnails) {
            if (!t.is_object()) continue;
            const std::optional<std::string> thumb_path = path_field(t, "path");
            if (!thumb_path) continue;
            std::error_code ec;
            // A thumbnail made on another machine (a cluster's node) is not here: the catalog makes its own.
            if (!std::filesystem::is_regular_file(*thumb_path, ec)) continue;
            r.thumbnails.push_back({static_cast<uint32_t>(number_or(t, "size", 0)), *thumb_path,
                                    static_cast<uint32_t>(number_or(t, "width", 0)),
                                    static_cast<uint32_t>(number_or(t, "height", 0))});
        }
    }
    return r;
}

}  // namespace lbx::engine::cli
