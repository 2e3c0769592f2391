#include "message_json.hpp"

#include <lightbox/ipc/json_path.hpp>
#include <lightbox/ipc/topics.hpp>

namespace lbx::ctl {

using nlohmann::json;

json to_json(const ipc::Error& e) {
    json j{{"status", ipc::to_string(e.status)}, {"domain", e.domain}, {"code", e.code}, {"message", e.message}};
    if (!e.detail.empty()) j["detail"] = e.detail;
    return j;
}

json to_json(const ipc::JobProgress& p) {
    json j{{"job_id", p.job_id}, {"state", ipc::to_string(p.state)}, {"done", p.done},   {"total", p.total},
           {"failed", p.failed}, {"rate", p.rate},                   {"sequence", p.sequence},
           {"kind", ipc::to_string(p.kind)}};
    ipc::put_path(j, "current_path", p.current_path);
    j["eta_seconds"] = p.eta_seconds ? json(*p.eta_seconds) : json(nullptr);
    return j;
}

json to_json(const ipc::JobSnapshot& s) {
    json j = to_json(s.progress);
    j["pipeline"] = s.pipeline;
    j["catalog"] = s.catalog;
    if (s.error) j["error"] = to_json(*s.error);
    return j;
}

json to_json(const ipc::PluginInfo& p) {
    json stages = json::array();
    for (const auto& s : p.stages) stages.push_back({{"id", s.id}, {"kind", s.kind}});
    return {{"id", p.id},     {"name", p.name},     {"version", p.version}, {"license", p.license},
            {"path", p.path}, {"stages", stages}, {"formats", p.formats}};
}

json to_json(const ipc::PhotoInfo& p) {
    json metadata = json::object();
    json printed = json::object();  // protocol 6: how people read the values that need it
    for (const auto& m : p.metadata) {
        metadata[m.key] = m.value;
        if (!m.printed.empty()) printed[m.key] = m.printed;
    }
    json tags = json::array();
    for (const auto& t : p.tags) {
        tags.push_back({{"name", t.name}, {"category", t.category}, {"confidence", t.confidence}, {"source", t.source}});
    }
    json thumbs = json::array();
    for (const auto& t : p.thumbnails) {
        json thumb{{"size", t.size}, {"width", t.width}, {"height", t.height}};
        ipc::put_path(thumb, "path", t.path);
        thumbs.push_back(std::move(thumb));
    }
    json regions = json::array();
    for (const auto& g : p.regions) {
        json region{{"source", g.source}, {"index", g.index},   {"kind", g.kind},
                    {"confidence", g.confidence}, {"box", {g.x, g.y, g.width, g.height}}};
        if (!g.label.empty()) region["label"] = g.label;
        if (g.kind == "face") {
            region["quality"] = g.quality;
            region["has_embedding"] = g.has_embedding;
        }
        if (g.person_id != 0) region["person"] = {{"id", g.person_id}, {"name", g.person_name}};
        regions.push_back(std::move(region));
    }
    json j{{"id", p.id},       {"format", p.format}, {"size", p.file_size}, {"width", p.width},
           {"height", p.height}, {"metadata", metadata}, {"tags", tags},       {"thumbnails", thumbs},
           {"regions", regions}};
    if (!printed.empty()) j["printed"] = printed;
    json capture = json::object();
    const auto put = [&](const char* name, const auto& value) {
        if (value) capture[name] = *value;
    };
    put("taken_at", p.capture.taken_at);
    put("make", p.capture.make);
    put("model", p.capture.model);
    put("lens", p.capture.lens);
    put("exposure_time", p.capture.exposure_time);
    put("f_number", p.capture.f_number);
    put("iso", p.capture.iso);
    put("focal_length", p.capture.focal_length);
    put("gps_lat", p.capture.gps_lat);
    put("gps_lon", p.capture.gps_lon);
    j["capture"] = capture;
    j["rotation"] = p.rotation;  // protocol 8: the user's, clockwise quarter turns
    j["rejected_tags"] = p.rejected_tags;
    ipc::put_path(j, "path", p.path);
    return j;
}

json to_json(const ipc::Person& p) {
    return {{"id", p.id},
            {"name", p.name},
            {"faces", p.faces},
            {"photos", p.photos},
            {"cover", {{"photo_id", p.cover_photo_id}, {"box", {p.cover_x, p.cover_y, p.cover_width, p.cover_height}}}}};
}

namespace {

struct ReplyJson {
    json operator()(const ipc::ErrorReply& r) const { return {{"error", to_json(r.error)}}; }
    json operator()(const ipc::HelloReply& r) const {
        json plugins = json::array();
        for (const auto& p : r.capabilities.plugins) plugins.push_back(to_json(p));
        return {{"protocol_version", r.protocol_version}, {"engine_version", r.engine_version}, {"ready", r.ready},
                {"plugins", plugins}, {"formats", r.capabilities.formats}, {"event_endpoint", r.event_endpoint}};
    }
    json operator()(const ipc::PluginList& r) const {
        json plugins = json::array();
        for (const auto& p : r.plugins) plugins.push_back(to_json(p));
        json rejected = json::array();
        for (const auto& p : r.rejected) rejected.push_back({{"path", p.path}, {"error", p.error}});
        return {{"plugins", plugins}, {"rejected", rejected}};
    }
    json operator()(const ipc::ScanStarted& r) const { return {{"job_id", r.job_id}}; }
    json operator()(const ipc::JobCancelled& r) const {
        return {{"job_id", r.job_id}, {"state", ipc::to_string(r.state)}};
    }
    json operator()(const ipc::JobStatusReply& r) const { return {{"job", to_json(r.job)}}; }
    json operator()(const ipc::JobList& r) const {
        json jobs = json::array();
        for (const auto& j : r.jobs) jobs.push_back(to_json(j));
        return {{"jobs", jobs}};
    }
    json operator()(const ipc::PhotoReply& r) const { return {{"photo", to_json(r.photo)}}; }
    json operator()(const ipc::ThumbnailReply& r) const {
        return {{"photo_id", r.photo_id}, {"width", r.width}, {"height", r.height}, {"mime_type", r.mime_type},
                {"bytes", r.bytes.size()}};
    }
    json operator()(const ipc::ShutdownReply&) const { return json::object(); }
    json operator()(const ipc::QueryReply& r) const {
        json photos = json::array();
        for (const auto& p : r.photos) {
            json photo{{"id", p.id},           {"format", p.format}, {"width", p.width}, {"height", p.height},
                       {"taken_at", p.taken_at}, {"camera", p.camera}, {"status", p.status}};
            if (!p.matched.empty()) photo["matched"] = p.matched;
            if (p.rotation != 0) photo["rotation"] = p.rotation;
            ipc::put_path(photo, "path", p.path);
            photos.push_back(std::move(photo));
        }
        return {{"photos", photos}, {"total", r.total}, {"offset", r.offset}};
    }
    json operator()(const ipc::FacetsReply& r) const {
        auto counts = [](const std::vector<ipc::FacetCount>& facet) {
            json out = json::array();
            for (const auto& c : facet) out.push_back({{"value", c.value}, {"count", c.count}});
            return out;
        };
        return {{"tags", counts(r.tags)}, {"cameras", counts(r.cameras)}, {"years", counts(r.years)}, {"months", counts(r.months)},
                {"places", counts(r.places)}, {"groups", counts(r.groups)}, {"labels", counts(r.labels)},
                {"people", counts(r.people)}};
    }
    json operator()(const ipc::UserTagsReply& r) const {
        return {{"photo_id", r.photo_id}, {"user_tags", r.user_tags}};
    }
    json operator()(const ipc::FailureList& r) const {
        json failures = json::array();
        for (const auto& f : r.failures) {
            json failure{{"stage", f.stage},     {"plugin_id", f.plugin_id},         {"plugin_version", f.plugin_version},
                         {"code", f.code},       {"message", f.message},             {"first_seen_us", f.first_seen_us},
                         {"last_seen_us", f.last_seen_us}};
            ipc::put_path(failure, "path", f.path);
            failures.push_back(std::move(failure));
        }
        return {{"failures", failures}, {"total", r.total}};
    }
    json operator()(const ipc::PhotosRemoved& r) const { return {{"removed", r.removed}}; }
    json operator()(const ipc::LibraryInfoReply& r) const {
        return {{"catalog", r.catalog},
                {"roots", r.roots},
                {"photos", r.photos},
                {"files_failed", r.files_failed},
                {"files_missing", r.files_missing},
                {"thumbnail_bytes", r.thumbnail_bytes},
                {"thumbnail_budget_bytes", r.thumbnail_budget_bytes}};
    }
    json operator()(const ipc::FolderList& r) const {
        json folders = json::array();
        for (const auto& f : r.folders) {
            json folder{{"photos", f.photos}, {"exists", f.exists}};
            ipc::put_path(folder, "path", f.path);
            folders.push_back(std::move(folder));
        }
        return {{"folders", folders}};
    }
    json operator()(const ipc::FolderRemoved& r) const {
        json j{{"photos_removed", r.photos_removed}, {"files_removed", r.files_removed}};
        ipc::put_path(j, "path", r.path);
        return j;
    }
    json operator()(const ipc::SettingsReply& r) const {
        json settings = json::object();
        for (const auto& s : r.settings) settings[s.key] = s.value;
        return {{"settings", settings}};
    }
    json operator()(const ipc::AnalysisReply& r) const {
        return {{"enabled", r.enabled}, {"paused", r.paused}, {"pending", r.pending},
                {"job_id", r.job_id},   {"stages", r.stages}, {"unavailable", r.unavailable}};
    }
    json operator()(const ipc::PersonList& r) const {
        json persons = json::array();
        for (const auto& p : r.persons) persons.push_back(to_json(p));
        return {{"persons", persons}, {"total", r.total}};
    }
    json operator()(const ipc::PersonReply& r) const { return {{"person", to_json(r.person)}}; }
    json operator()(const ipc::MapClustersReply& r) const {
        json clusters = json::array();
        for (const auto& c : r.clusters) {
            clusters.push_back({{"lat", c.lat},     {"lon", c.lon},   {"count", c.count}, {"south", c.south},
                                {"west", c.west},   {"north", c.north}, {"east", c.east}, {"sample_photo_id", c.sample_photo_id}});
        }
        return {{"clusters", clusters}, {"photos", r.photos}, {"truncated", r.truncated}};
    }
    json operator()(const ipc::SimilarGroups& r) const {
        json groups = json::array();
        for (const auto& g : r.groups) {
            json photos = json::array();
            for (const auto& p : g.photos) {
                json paths = json::array();
                for (const auto& path : p.paths) {
                    json one = json::object();
                    ipc::put_path(one, "path", path);
                    paths.push_back(one["path"]);
                }
                photos.push_back({{"photo_id", p.photo_id}, {"paths", paths}, {"perceptual_hash", p.perceptual_hash},
                                  {"distance", p.distance}, {"format", p.format}, {"width", p.width}, {"height", p.height},
                                  {"file_size", p.file_size}, {"taken_at", p.taken_at}});
            }
            groups.push_back({{"photos", photos}});
        }
        return {{"groups", groups}, {"total", r.total}, {"distance", r.distance}};
    }
    json operator()(const ipc::TagsRejected& r) const {
        return {{"photo_id", r.photo_id}, {"removed", r.removed}, {"rejected", r.rejected}};
    }
    json operator()(const ipc::RotationSet& r) const { return {{"photo_id", r.photo_id}, {"quarter_turns", r.quarter_turns}}; }
};

struct EventJson {
    json operator()(const ipc::JobProgressEvent& e) const { return {{"progress", to_json(e.progress)}}; }
    json operator()(const ipc::PhotoDone& e) const {
        json j{{"job_id", e.job_id}, {"photo_id", e.photo_id}};
        ipc::put_path(j, "path", e.path);
        return j;
    }
    json operator()(const ipc::PhotoFailed& e) const {
        json j{{"job_id", e.job_id},                 {"stage", e.stage}, {"plugin_id", e.plugin_id},
               {"plugin_version", e.plugin_version}, {"error", to_json(e.error)}};
        ipc::put_path(j, "path", e.path);
        return j;
    }
    json operator()(const ipc::Heartbeat& e) const {
        return {{"uptime_ms", e.uptime_ms}, {"load", e.load}, {"running_jobs", e.running_jobs}, {"sequence", e.sequence}};
    }
    json operator()(const ipc::Log& e) const {
        return {{"level", ipc::to_string(e.level)}, {"source", e.source}, {"message", e.message}};
    }
    json operator()(const ipc::ThumbnailReady& e) const {
        json j{{"photo_id", e.photo_id}, {"size", e.size}, {"ok", e.ok}};
        if (!e.ok) j["error"] = to_json(e.error);
        return j;
    }
    json operator()(const ipc::LibraryChanged& e) const {
        return {{"change", e.change}, {"photo_ids", e.photo_ids}, {"folder", e.folder}};
    }
};

}  // namespace

json to_json(const ipc::Reply& reply) {
    json j = std::visit(ReplyJson{}, reply);
    j["reply"] = ipc::name_of(reply);
    return j;
}

json to_json(const ipc::Event& event) {
    json j = std::visit(EventJson{}, event);
    j["event"] = ipc::name_of(event);
    j["topic"] = ipc::topic_of(event);
    return j;
}

}  // namespace lbx::ctl
