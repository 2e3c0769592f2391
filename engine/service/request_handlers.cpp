#include "service/request_handlers.hpp"

#include "catalog/catalog_query.hpp"
#include "catalog/map_clusters.hpp"
#include "catalog/people.hpp"
#include "catalog/thumbnail_cache.hpp"
#include "pipeline/pipeline_config.hpp"
#include "service/analysis_scheduler.hpp"
#include "service/pipeline_defaults.hpp"

#include <lightbox/ipc/error_codes.hpp>
#include <lightbox/ipc/settings.hpp>
#include <lightbox/ipc/version.hpp>

#include <algorithm>
#include <map>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <set>
#include <thread>
#include <type_traits>

namespace lbx::engine::service {
namespace {

static_assert(ipc::kFullResolution == kFullResolutionSize, "the protocol's size key is the cache's");

// The largest image file a ThumbnailReply carries: the frame limit less room for the envelope.
constexpr std::uintmax_t kMaxImageBytes = ipc::kMaxFrameSize - 64 * 1024;

// An error for a handler to return: it converts to any handler's result.
ipc::Unexpected<ipc::Error> error_reply(ipc::Status status, std::string domain, std::string code, std::string message) {
    return ipc::unexpected(ipc::make_error(status, std::move(domain), std::move(code), std::move(message)));
}

// A handler's result as the one reply on the wire: its success reply, or an ErrorReply.
template <class Success>
ipc::Reply to_reply(ipc::Expected<Success> result) {
    if (!result) return ipc::ErrorReply{result.error()};
    return std::move(*result);
}

ipc::Unexpected<ipc::Error> no_such_job(uint64_t id) {
    return error_reply(ipc::Status::not_found, "job", "no_such_job", "no job " + std::to_string(id));
}

// "85" -> 85, "0.5" -> 0.5, "true" -> true, "256,1024" -> [256, 1024], anything else a string; the
// stage's declared type then decides whether the value is acceptable (resolve_params).
ParamInput param_input_of(const std::string& text) {
    if (text == "true") return true;
    if (text == "false") return false;
    int64_t i = 0;
    auto [iend, iec] = std::from_chars(text.data(), text.data() + text.size(), i);
    if (iec == std::errc{} && iend == text.data() + text.size() && !text.empty()) return i;
    double d = 0;
    auto [dend, dec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (dec == std::errc{} && dend == text.data() + text.size() && !text.empty()) return d;
    if (text.find(',') != std::string::npos) {
        std::vector<int64_t> list;
        std::size_t start = 0;
        while (start <= text.size()) {
            const std::size_t comma = std::min(text.find(',', start), text.size());
            int64_t v = 0;
            auto [end, ec] = std::from_chars(text.data() + start, text.data() + comma, v);
            if (ec != std::errc{} || end != text.data() + comma) return text;
            list.push_back(v);
            start = comma + 1;
        }
        return list;
    }
    return text;
}

ipc::Expected<void> apply_override(PipelineConfig& config, const ipc::ParamOverride& o) {
    auto bad = [&](std::string why) {
        return ipc::unexpected(ipc::make_error(ipc::Status::bad_request, "config", "bad_override",
                                               "override '" + o.key + "=" + o.value + "': " + why));
    };
    if (o.key == ipc::settings::kThumbnailSizes) {
        const ParamInput value = param_input_of(o.value);
        std::vector<int64_t> sizes;
        if (const auto* one = std::get_if<int64_t>(&value)) sizes = {*one};
        else if (const auto* list = std::get_if<std::vector<int64_t>>(&value)) sizes = *list;
        else return bad("expected sizes like 256,1024");
        config.thumbnail_sizes.clear();
        for (int64_t s : sizes) {
            if (!ipc::settings::is_thumbnail_size(s)) {
                return bad("size " + std::to_string(s) + " is outside " + ipc::settings::thumbnail_size_range());
            }
            config.thumbnail_sizes.push_back(static_cast<uint32_t>(s));
        }
        return {};
    }
    const auto dot = o.key.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == o.key.size()) {
        return bad("expected STAGE.PARAM (a stage id of the pipeline) or thumbnails.sizes");
    }
    const std::string stage = o.key.substr(0, dot);
    const std::string param = o.key.substr(dot + 1);
    std::string known;
    for (StageConfig& sc : config.stages) {
        if (sc.use == stage) {
            sc.params[param] = param_input_of(o.value);  // checked against the stage's schema at build
            return {};
        }
        if (!sc.use.empty()) known += (known.empty() ? "" : ", ") + sc.use;
    }
    return bad("the pipeline has no stage '" + stage + "' (named stages: " + (known.empty() ? "none" : known) + ")");
}

// An engine error (the catalog's) as a protocol error: a bad query is the client's, the rest the engine's.
ipc::Error to_ipc(const Error& e) {
    const ipc::Status status = e.code == ipc::codes::kBadQuery ? ipc::Status::bad_request : ipc::Status::internal;
    return ipc::make_error(status, e.domain, e.code, e.message, e.detail);
}

ipc::Unexpected<ipc::Error> catalog_error(const Error& e) { return ipc::unexpected(to_ipc(e)); }

uint32_t page_limit(uint32_t asked) { return asked == 0 || asked > ipc::kMaxQueryPage ? ipc::kMaxQueryPage : asked; }

ipc::Unexpected<ipc::Error> no_such_photo(const std::string& id) {
    return error_reply(ipc::Status::not_found, "catalog", ipc::codes::kNoSuchPhoto, "no photo '" + id + "' in the library");
}

// Tags as users type them: trimmed, 1..100 characters.
std::optional<std::string> clean_tag(const std::string& raw) {
    const auto first = raw.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return std::nullopt;
    const auto last = raw.find_last_not_of(" \t\r\n");
    std::string tag = raw.substr(first, last - first + 1);
    if (tag.size() > 100) return std::nullopt;
    return tag;
}

// Each tag of `raw` cleaned (clean_tag), or the bad_tag error naming the first that is not a tag.
ipc::Expected<std::vector<std::string>> clean_tags(const std::vector<std::string>& raw) {
    std::vector<std::string> out;
    for (const std::string& one : raw) {
        auto tag = clean_tag(one);
        if (!tag) {
            return error_reply(ipc::Status::bad_request, "catalog", ipc::codes::kBadTag,
                               "tag '" + one.substr(0, 120) + "' is empty or longer than 100 characters");
        }
        out.push_back(std::move(*tag));
    }
    return out;
}

// `persons`: the persons of the photo's faces (catalog::persons_of_photo).
ipc::PhotoInfo photo_info_of(const catalog::PhotoDetails& d, const std::vector<catalog::FacePerson>& persons) {
    ipc::PhotoInfo info;
    info.id = d.hash;
    info.path = d.path;
    info.format = d.format;
    info.file_size = d.file_size;
    info.width = d.width;
    info.height = d.height;
    for (const catalog::StoredEntry& m : d.metadata) info.metadata.push_back({m.key, m.value, m.printed});
    const auto text = [&](const char* field) {
        auto it = d.summary_text.find(field);
        return it == d.summary_text.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    const auto number = [&](const char* field) {
        auto it = d.summary_numbers.find(field);
        return it == d.summary_numbers.end() ? std::nullopt : std::optional<double>(it->second);
    };
    info.capture = {text(LBX_FIELD_TAKEN_AT), text(LBX_FIELD_MAKE), text(LBX_FIELD_MODEL), text(LBX_FIELD_LENS),
                    number(LBX_FIELD_EXPOSURE_TIME), number(LBX_FIELD_F_NUMBER), number(LBX_FIELD_ISO),
                    number(LBX_FIELD_FOCAL_LENGTH), number(LBX_FIELD_GPS_LAT), number(LBX_FIELD_GPS_LON)};
    for (const Tag& t : d.auto_tags) info.tags.push_back({t.name, t.category, t.confidence, t.source});
    for (const std::string& t : d.user_tags) info.tags.push_back({t, "user", 1.0, "user"});
    info.rotation = static_cast<uint32_t>(d.rotation);
    info.rejected_tags = d.rejected_tags;
    for (const StoredThumbnail& t : d.thumbnails) info.thumbnails.push_back({t.size, t.width, t.height, t.path});
    std::map<std::string, uint32_t> next_index;  // per source: the catalog lists them by source, then index
    for (const Region& g : d.regions) {
        ipc::PhotoRegion region;
        region.source = g.source;
        region.index = next_index[g.source]++;
        region.kind = g.kind;
        region.label = g.label;
        region.confidence = g.confidence;
        region.x = g.x;
        region.y = g.y;
        region.width = g.width;
        region.height = g.height;
        region.quality = g.quality;
        region.has_embedding = !g.embedding.empty();
        for (const catalog::FacePerson& p : persons) {
            if (p.source == region.source && p.index == static_cast<int64_t>(region.index)) {
                region.person_id = static_cast<uint64_t>(p.person_id);
                region.person_name = p.name;
            }
        }
        info.regions.push_back(std::move(region));
    }
    return info;
}

}  // namespace

ipc::Capabilities capabilities_of(const PluginRegistry& registry) {
    ipc::Capabilities caps;
    std::set<std::string> decode_formats;
    for (const auto& plugin : registry.plugins()) {
        ipc::PluginInfo info{plugin->id, plugin->name, plugin->version, plugin->license, plugin->file.string(), {}, {}};
        std::set<std::string> formats;
        for (const LoadedStage& stage : plugin->stages) {
            info.stages.push_back({stage.id, stage_kind_name(stage.kind)});
            for (uint32_t i = 0; i < stage.desc->format_count; ++i) {
                formats.insert(stage.desc->formats[i].name);
                if (stage.kind == LBX_STAGE_DECODE) decode_formats.insert(stage.desc->formats[i].name);
            }
        }
        info.formats.assign(formats.begin(), formats.end());
        caps.plugins.push_back(std::move(info));
    }
    caps.formats.assign(decode_formats.begin(), decode_formats.end());
    return caps;
}

ipc::PluginList plugin_list_of(const PluginRegistry& registry) {
    ipc::PluginList list;
    list.plugins = capabilities_of(registry).plugins;
    for (const RejectedPlugin& r : registry.rejected()) list.rejected.push_back({r.file.string(), r.reason});
    return list;
}

ipc::Reply RequestHandlers::handle(const ipc::RequestEnvelope& envelope) {
    if (const auto* hello = std::get_if<ipc::Hello>(&envelope.body)) return to_reply(on(*hello));
    if (state_.stopping || state_.shutdown_requested) {
        return ipc::ErrorReply{ipc::make_error(ipc::Status::cancelled, "engine", "shutting_down", "the engine is shutting down")};
    }
    if (!state_.ready.load(std::memory_order_acquire)) {
        return ipc::ErrorReply{ipc::make_error(ipc::Status::not_ready, "engine", "loading_plugins",
                                               "the engine is still loading its plugins: retry shortly")};
    }
    return std::visit(
        [this](const auto& request) -> ipc::Reply {
            using Req = std::decay_t<decltype(request)>;
            auto result = on(request);
            // The handler chosen for `Req` answers with ReplyOf<Req> (replies.hpp pairs them): a handler
            // declared with another reply, or a request without its own handler, does not compile.
            static_assert(std::is_same_v<decltype(result), Result<Req>>, "the handler of a request returns its ReplyOf");
            return to_reply(std::move(result));
        },
        envelope.body);
}

RequestHandlers::Result<ipc::Hello> RequestHandlers::on(const ipc::Hello&) {
    ipc::HelloReply reply;
    reply.protocol_version = ipc::kProtocolVersion;
    reply.engine_version = state_.options.engine_version;
    reply.ready = state_.ready.load(std::memory_order_acquire);
    if (reply.ready) reply.capabilities = state_.capabilities;
    reply.event_endpoint = state_.event_endpoint;
    return reply;
}

RequestHandlers::Result<ipc::ListPlugins> RequestHandlers::on(const ipc::ListPlugins&) {
    // A plugin quarantined since the plugins were loaded (by a scan of this engine or another) is still
    // loaded here, but its stages are skipped from now on: the list says so with the reason and last file.
    ipc::PluginList list = state_.plugin_list;
    for (const QuarantineEntry& q : state_.quarantine.active()) {
        const bool listed = std::any_of(list.rejected.begin(), list.rejected.end(),
                                        [&](const auto& r) { return r.path == q.library.string(); });
        if (!listed) list.rejected.push_back({q.library.string(), quarantine_message(q)});
    }
    return list;
}

ipc::Expected<ScanRequest> RequestHandlers::scan_request_of(const std::vector<std::string>& paths,
                                                           const std::string& pipeline,
                                                           const std::vector<ipc::ParamOverride>& overrides) const {
    auto config = load_named_pipeline(state_, pipeline.empty() ? state_.settings.pipeline : pipeline);
    if (!config) return ipc::unexpected(config.error());
    for (const ipc::ParamOverride& o : overrides) {
        if (auto ok = apply_override(*config, o); !ok) return ipc::unexpected(ok.error());
    }
    // The first phase only: the analysis phase follows as a job of its own (analysis_scheduler.hpp).
    drop_analysis_stages(*config);
    // And, when that phase will run with this pipeline's sizes, only the grid's thumbnails: the analysis
    // phase makes the larger previews as it decodes at that size anyway (keep_analysis_phase).
    const bool sizes_asked = std::any_of(overrides.begin(), overrides.end(),
                                         [](const ipc::ParamOverride& o) { return o.key == ipc::settings::kThumbnailSizes; });
    const bool default_pipeline = pipeline.empty() || pipeline == state_.settings.pipeline;
    if (default_pipeline && !sizes_asked && !configured_analysis_stages(state_).empty()) keep_grid_thumbnails(*config);
    ScanRequest scan;
    scan.paths = paths;
    scan.pipeline_name = pipeline.empty() ? state_.settings.pipeline : pipeline;
    scan.thumbnail_dir = thumbnail_dir_of(state_, *config);
    scan.config = std::move(*config);
    scan.workers = state_.settings.workers;
    scan.worker_nice = state_.options.worker_nice;
    scan.catalog_file = state_.catalog_file;
    scan.thumbnail_budget_bytes = state_.thumbnail_budget_bytes;
    scan.isolation = state_.options.isolation;
    scan.plugin_dirs = state_.options.plugin_dirs;
    scan.quarantine = &state_.quarantine;
    return scan;
}

ipc::Expected<ipc::ScanStarted> RequestHandlers::start(ipc::Expected<ScanRequest> scan) {
    if (!scan) return ipc::unexpected(scan.error());
    yield_analysis_to_scan(state_);
    auto id = state_.jobs.start(std::move(*scan), state_.registry, state_.inbox);
    if (!id) return ipc::unexpected(id.error());
    return ipc::ScanStarted{*id};
}

RequestHandlers::Result<ipc::StartScan> RequestHandlers::on(const ipc::StartScan& request) {
    if (request.paths.empty()) return error_reply(ipc::Status::bad_request, "job", "no_paths", "StartScan needs at least one path");
    std::vector<std::string> paths;
    for (const std::string& path : request.paths) {
        const std::filesystem::path p(path);
        if (!p.is_absolute()) {
            return error_reply(ipc::Status::bad_request, "job", "relative_path",
                               "path '" + path + "' is relative: the engine has no working folder of the client's, send absolute paths");
        }
        std::error_code ec;
        if (!std::filesystem::exists(p, ec)) return error_reply(ipc::Status::not_found, "io", ipc::codes::kNotFound, "no such file or folder '" + path + "'");
        const std::string normal = p.lexically_normal().string();
        const std::string trimmed = normal.size() > 1 && normal.back() == '/' ? normal.substr(0, normal.size() - 1) : normal;
        paths.push_back(trimmed);
    }
    if (!request.catalog.empty() && std::filesystem::path(request.catalog) != state_.catalog_file) {
        return error_reply(ipc::Status::bad_request, "catalog", "other_catalog",
                           "this engine serves the catalog " + state_.catalog_file.string() + ", not '" + request.catalog +
                               "': send OpenLibrary first, or leave the field empty");
    }
    return start(scan_request_of(paths, request.pipeline, request.overrides));
}

RequestHandlers::Result<ipc::Rescan> RequestHandlers::on(const ipc::Rescan& request) {
    auto roots = state_.catalog->roots();
    if (!roots) return catalog_error(roots.error());
    if (roots->empty()) {
        return error_reply(ipc::Status::bad_request, "catalog", "no_folders",
                           "the library has no folders yet: StartScan adds them");
    }
    std::vector<std::string> present;
    for (const std::string& root : *roots) {
        std::error_code ec;
        if (std::filesystem::exists(root, ec)) present.push_back(root);
    }
    if (present.empty()) {
        return error_reply(ipc::Status::not_found, "catalog", "folders_missing",
                           "none of the library's " + std::to_string(roots->size()) + " folders exists now (first: " +
                               roots->front() + ")");
    }
    auto scan = scan_request_of(present, {}, {});
    if (scan) scan->retry_failed = request.retry_failed;
    return start(std::move(scan));
}

RequestHandlers::Result<ipc::CancelJob> RequestHandlers::on(const ipc::CancelJob& request) {
    ScanJob* job = state_.jobs.find(request.job_id);
    if (job == nullptr) {
        if (auto gone = state_.jobs.snapshot_of(request.job_id)) return ipc::JobCancelled{request.job_id, gone->progress.state};
        return no_such_job(request.job_id);
    }
    const ipc::JobState state = job->snapshot().progress.state;
    if (!ipc::is_final(state)) job->cancel();
    return ipc::JobCancelled{request.job_id, state};
}

RequestHandlers::Result<ipc::JobStatus> RequestHandlers::on(const ipc::JobStatus& request) {
    if (auto snapshot = state_.jobs.snapshot_of(request.job_id)) return ipc::JobStatusReply{*snapshot};
    return no_such_job(request.job_id);
}

RequestHandlers::Result<ipc::ListJobs> RequestHandlers::on(const ipc::ListJobs&) { return ipc::JobList{state_.jobs.snapshots()}; }

RequestHandlers::Result<ipc::GetPhoto> RequestHandlers::on(const ipc::GetPhoto& request) {
    auto photo = state_.catalog->photo(request.photo_id);
    if (!photo) return catalog_error(photo.error());
    if (!*photo) return no_such_photo(request.photo_id);
    auto persons = catalog::persons_of_photo(*state_.catalog, request.photo_id);
    if (!persons) return catalog_error(persons.error());
    return ipc::PhotoReply{photo_info_of(**photo, *persons)};
}

RequestHandlers::Result<ipc::GetThumbnail> RequestHandlers::on(const ipc::GetThumbnail& request) {
    auto found = state_.thumbnails->find(request.photo_id, request.size, catalog::now_us());
    if (!found) return catalog_error(found.error());
    if (!*found) {
        // Not in the cache (evicted, or its file deleted): make it again if the photo's file is there.
        auto photo = state_.catalog->photo(request.photo_id);
        if (!photo) return catalog_error(photo.error());
        if (!*photo) return no_such_photo(request.photo_id);
        if ((*photo)->status != ipc::file_state::kOk) {
            return error_reply(ipc::Status::not_found, "thumbnail", ipc::codes::kFileMissing,
                               "the file of photo '" + request.photo_id + "' (" + (*photo)->path + ") is missing");
        }
        state_.worker.request(request.photo_id, request.size);
        return error_reply(ipc::Status::not_ready, "thumbnail", ipc::codes::kThumbnailPending,
                           "the thumbnail of '" + request.photo_id + "' is being made: thumb/ready follows");
    }
    const StoredThumbnail& thumb = **found;
    std::ifstream in(thumb.path, std::ios::binary);
    std::error_code ec;
    const auto size = std::filesystem::file_size(thumb.path, ec);
    if (!in || ec) {
        return error_reply(ipc::Status::not_found, "io", "thumbnail_missing", "thumbnail file '" + thumb.path + "' is missing");
    }
    if (size > kMaxImageBytes) {
        // Possible for the full-resolution image of a very large photo; the client shows a thumbnail.
        return error_reply(ipc::Status::bad_request, "thumbnail", "too_large",
                           "the image '" + thumb.path + "' is " + std::to_string(size / 1'000'000) +
                               " MB, more than one reply carries (" + std::to_string(kMaxImageBytes / 1'000'000) + " MB)");
    }
    ipc::ThumbnailReply reply{request.photo_id, thumb.width, thumb.height, "image/jpeg", std::vector<uint8_t>(size)};
    in.read(reinterpret_cast<char*>(reply.bytes.data()), static_cast<std::streamsize>(size));
    if (static_cast<uint64_t>(in.gcount()) != size) {
        return error_reply(ipc::Status::internal, "io", "read_failed", "cannot read thumbnail file '" + thumb.path + "'");
    }
    return reply;
}

RequestHandlers::Result<ipc::Shutdown> RequestHandlers::on(const ipc::Shutdown&) {
    state_.shutdown_requested = true;  // the loop stops after this reply has been sent
    return ipc::ShutdownReply{};
}

RequestHandlers::Result<ipc::Query> RequestHandlers::on(const ipc::Query& request) {
    catalog::QueryOptions options;
    options.sort = request.sort == ipc::QuerySort::path    ? catalog::SortOrder::path
                   : request.sort == ipc::QuerySort::added ? catalog::SortOrder::added
                                                           : catalog::SortOrder::taken;
    options.descending = request.descending;
    options.offset = static_cast<int64_t>(std::min<uint64_t>(request.offset, INT64_MAX));
    options.limit = page_limit(request.limit);
    auto rows = catalog::run_query(*state_.catalog, request.query, options);
    if (!rows) return catalog_error(rows.error());
    auto total = catalog::count_query(*state_.catalog, request.query);  // the matches run_query just listed
    if (!total) return catalog_error(total.error());
    ipc::QueryReply reply;
    reply.total = static_cast<uint64_t>(*total);
    reply.offset = request.offset;
    reply.photos.reserve(rows->size());
    for (catalog::PhotoRow& r : *rows) {
        reply.photos.push_back({std::move(r.hash), std::move(r.path), std::move(r.format), r.width, r.height,
                                std::move(r.taken_at), std::move(r.camera), std::move(r.status), std::move(r.matched),
                                static_cast<uint32_t>(r.rotation)});
    }
    return reply;
}

RequestHandlers::Result<ipc::Facets> RequestHandlers::on(const ipc::Facets& request) {
    auto facets = catalog::facets_of(*state_.catalog, request.query, request.per_facet == 0 ? 50 : request.per_facet);
    if (!facets) return catalog_error(facets.error());
    auto convert = [](const std::vector<catalog::FacetCount>& in) {
        std::vector<ipc::FacetCount> out;
        out.reserve(in.size());
        for (const auto& c : in) out.push_back({c.value, static_cast<uint64_t>(c.count)});
        return out;
    };
    return ipc::FacetsReply{convert(facets->tags),   convert(facets->cameras), convert(facets->years),
                            convert(facets->places), convert(facets->months),  convert(facets->groups),
                            convert(facets->labels), convert(facets->people)};
}

RequestHandlers::Result<ipc::GetMapClusters> RequestHandlers::on(const ipc::GetMapClusters& request) {
    // The box comes from the client: NaN compares false with everything, so each test is written to fail on it.
    const auto in = [](double v, double low, double high) { return v >= low && v <= high; };
    if (!in(request.south, -90, 90) || !in(request.north, -90, 90) || !in(request.west, -180, 180) || !in(request.east, -180, 180) ||
        !(request.south <= request.north) || request.zoom > ipc::kMaxMapZoom) {
        char text[200];
        std::snprintf(text, sizeof text, "box south %g west %g north %g east %g at zoom %u is out of range (latitudes -90..90, south "
                      "below north, longitudes -180..180, zoom 0..%u)",
                      request.south, request.west, request.north, request.east, request.zoom, ipc::kMaxMapZoom);
        return error_reply(ipc::Status::bad_request, "map", ipc::codes::kBadBox, text);
    }
    const uint32_t limit = request.limit == 0 || request.limit > ipc::kMaxMapClusters ? ipc::kMaxMapClusters : request.limit;
    auto found = catalog::map_clusters(*state_.catalog, request.query, {request.south, request.west, request.north, request.east},
                                       static_cast<int>(request.zoom), limit);
    if (!found) return catalog_error(found.error());
    ipc::MapClustersReply reply;
    reply.photos = static_cast<uint64_t>(found->photos);
    reply.truncated = found->truncated;
    reply.clusters.reserve(found->clusters.size());
    for (catalog::MapCluster& c : found->clusters) {
        reply.clusters.push_back({c.lat, c.lon, static_cast<uint64_t>(c.count), c.bounds.south, c.bounds.west, c.bounds.north,
                                  c.bounds.east, std::move(c.sample_hash)});
    }
    return reply;
}

RequestHandlers::Result<ipc::SetUserTags> RequestHandlers::on(const ipc::SetUserTags& request) {
    auto photo = state_.catalog->photo(request.photo_id);
    if (!photo) return catalog_error(photo.error());
    if (!*photo) return no_such_photo(request.photo_id);
    auto add = clean_tags(request.add);
    if (!add) return ipc::unexpected(add.error());
    auto remove = clean_tags(request.remove);
    if (!remove) return ipc::unexpected(remove.error());
    for (const std::string& tag : *add) {
        if (auto ok = state_.catalog->add_user_tag(request.photo_id, tag); !ok) return catalog_error(ok.error());
    }
    for (const std::string& tag : *remove) {
        if (auto ok = state_.catalog->remove_user_tag(request.photo_id, tag); !ok) return catalog_error(ok.error());
    }
    auto tags = state_.catalog->user_tags(request.photo_id);
    if (!tags) return catalog_error(tags.error());
    std::sort(tags->begin(), tags->end());
    if (!add->empty() || !remove->empty()) announce(ipc::changes::kUserTags, {request.photo_id});
    return ipc::UserTagsReply{request.photo_id, std::move(*tags)};
}

RequestHandlers::Result<ipc::RejectTags> RequestHandlers::on(const ipc::RejectTags& request) {
    auto reject = clean_tags(request.reject);
    if (!reject) return ipc::unexpected(reject.error());
    auto restore = clean_tags(request.restore);
    if (!restore) return ipc::unexpected(restore.error());
    auto photo = state_.catalog->photo(request.photo_id);
    if (!photo) return catalog_error(photo.error());
    if (!*photo) return no_such_photo(request.photo_id);
    if (auto ok = state_.catalog->restore_auto_tags(request.photo_id, *restore); !ok) return catalog_error(ok.error());
    auto removed = state_.catalog->reject_auto_tags(request.photo_id, *reject);
    if (!removed) return catalog_error(removed.error());
    auto rejected = state_.catalog->rejected_tags(request.photo_id);
    if (!rejected) return catalog_error(rejected.error());
    if (!reject->empty() || !restore->empty()) announce(ipc::changes::kTagsRejected, {request.photo_id});
    return ipc::TagsRejected{request.photo_id, static_cast<uint64_t>(*removed), std::move(*rejected)};
}

RequestHandlers::Result<ipc::SetRotation> RequestHandlers::on(const ipc::SetRotation& request) {
    if (request.quarter_turns > ipc::kMaxQuarterTurns) {
        return error_reply(ipc::Status::bad_request, "catalog", ipc::codes::kBadRotation,
                           "a rotation is 0 to " + std::to_string(ipc::kMaxQuarterTurns) + " quarter turns, not " +
                               std::to_string(request.quarter_turns));
    }
    auto found = state_.catalog->set_rotation(request.photo_id, static_cast<int>(request.quarter_turns));
    if (!found) return catalog_error(found.error());
    if (!*found) return no_such_photo(request.photo_id);
    announce(ipc::changes::kRotation, {request.photo_id});
    return ipc::RotationSet{request.photo_id, request.quarter_turns};
}

RequestHandlers::Result<ipc::ListFailures> RequestHandlers::on(const ipc::ListFailures& request) {
    auto failures = state_.catalog->failures(static_cast<int64_t>(std::min<uint64_t>(request.offset, INT64_MAX)),
                                             page_limit(request.limit));
    if (!failures) return catalog_error(failures.error());
    auto total = state_.catalog->failure_count();
    if (!total) return catalog_error(total.error());
    ipc::FailureList reply;
    reply.total = static_cast<uint64_t>(*total);
    for (catalog::FailureRecord& f : *failures) {
        reply.failures.push_back({std::move(f.path), std::move(f.stage), std::move(f.plugin), std::move(f.plugin_version),
                                  std::move(f.code), std::move(f.message), f.first_seen, f.last_seen});
    }
    return reply;
}

RequestHandlers::Result<ipc::RemovePhotos> RequestHandlers::on(const ipc::RemovePhotos& request) {
    auto removed = state_.catalog->remove_photos(request.photo_ids);
    if (!removed) return catalog_error(removed.error());
    if (*removed > 0) announce(ipc::changes::kPhotosRemoved, request.photo_ids);
    return ipc::PhotosRemoved{static_cast<uint64_t>(*removed)};
}

ipc::Expected<ipc::LibraryInfoReply> RequestHandlers::library_info() {
    auto stats = state_.catalog->stats();
    if (!stats) return catalog_error(stats.error());
    auto roots = state_.catalog->roots();
    if (!roots) return catalog_error(roots.error());
    auto thumbnail_bytes = state_.thumbnails->recorded_bytes();  // not stats(): the shell asks this on every connect
    if (!thumbnail_bytes) return catalog_error(thumbnail_bytes.error());
    ipc::LibraryInfoReply reply;
    reply.catalog = state_.catalog_file.string();
    reply.roots = std::move(*roots);
    reply.photos = static_cast<uint64_t>(stats->photos);
    reply.files_failed = static_cast<uint64_t>(stats->files_failed);
    reply.files_missing = static_cast<uint64_t>(stats->files_missing);
    reply.thumbnail_bytes = static_cast<uint64_t>(*thumbnail_bytes);
    reply.thumbnail_budget_bytes = state_.thumbnail_budget_bytes;
    return reply;
}

RequestHandlers::Result<ipc::LibraryInfo> RequestHandlers::on(const ipc::LibraryInfo&) { return library_info(); }

RequestHandlers::Result<ipc::OpenLibrary> RequestHandlers::on(const ipc::OpenLibrary& request) {
    const std::filesystem::path file(request.catalog);
    const bool on_server = catalog::is_postgres_location(request.catalog);
    if (!on_server && !file.is_absolute()) {
        return error_reply(ipc::Status::bad_request, "catalog", "relative_path",
                           "catalog '" + request.catalog + "' is a relative path: send an absolute one");
    }
    if (file == state_.catalog_file) return library_info();
    if (state_.jobs.running(ipc::JobKind::scan) > 0) {
        return error_reply(ipc::Status::busy, "catalog", ipc::codes::kJobsRunning,
                           std::to_string(state_.jobs.running(ipc::JobKind::scan)) +
                               " jobs are running on the current library: cancel them or wait");
    }
    // The background analysis does not hold the library: it stops (its files in flight are kept) and
    // starts again on the library opened.
    state_.jobs.stop_and_wait(ipc::JobKind::analysis);
    std::error_code ec;
    if (!on_server) std::filesystem::create_directories(file.parent_path(), ec);
    auto opened = catalog::Catalog::open_location(request.catalog);
    if (!opened) return error_reply(ipc::Status::bad_request, "catalog", opened.error().code, opened.error().message);
    (void)catalog::warm_up(**opened);
    state_.thumbnails.reset();  // it points at the old connection
    state_.catalog = std::move(*opened);
    state_.catalog_file = file;
    state_.jobs.add_interrupted(*state_.catalog);
    state_.thumbnails = std::make_unique<catalog::ThumbnailCache>(*state_.catalog, state_.thumbnail_budget_bytes);
    state_.analysis_due = true;
    state_.analysis_job = 0;
    state_.analysis_unavailable.clear();
    if (auto ok = refresh_defaults(state_); !ok) return ipc::unexpected(ok.error());
    return library_info();
}

void RequestHandlers::announce(const char* change, std::vector<std::string> photo_ids, std::string folder) {
    state_.inbox.post(ipc::LibraryChanged{change, std::move(photo_ids), std::move(folder)});
}

ipc::SettingsReply RequestHandlers::settings_reply() const {
    const std::vector<uint32_t> sizes = state_.default_pipeline ? state_.default_pipeline->thumbnail_sizes : std::vector<uint32_t>{};
    return ipc::SettingsReply{state_.settings.list(sizes, state_.thumbnail_budget_bytes)};
}

RequestHandlers::Result<ipc::GetSettings> RequestHandlers::on(const ipc::GetSettings&) { return settings_reply(); }

RequestHandlers::Result<ipc::SetSettings> RequestHandlers::on(const ipc::SetSettings& request) {
    auto next = state_.settings.with(request.settings);
    if (!next) return ipc::unexpected(next.error());
    const EngineSettings previous = state_.settings;
    const uint64_t previous_budget = state_.thumbnail_budget_bytes;
    state_.settings = std::move(*next);
    if (auto ok = refresh_defaults(state_); !ok) {
        state_.settings = previous;  // all or none: the new pipeline does not load
        (void)refresh_defaults(state_);
        return ipc::unexpected(ipc::make_error(ipc::Status::bad_request, "config", "bad_setting", ok.error().message));
    }
    if (state_.thumbnail_budget_bytes < previous_budget) {
        if (auto pruned = state_.thumbnails->prune(); !pruned) return catalog_error(pruned.error());
    }
    state_.analysis_due = true;  // another pipeline may analyse with other stages
    return settings_reply();
}

}  // namespace lbx::engine::service
