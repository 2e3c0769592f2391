#include "service/request_handlers.hpp"

#include "pipeline/pipeline_config.hpp"
#include "pipeline/thumbnail_store.hpp"

#include <lightbox/ipc/version.hpp>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <thread>

namespace lbx::engine::service {
namespace {

ipc::Reply error_reply(ipc::Status status, std::string domain, std::string code, std::string message) {
    return ipc::ErrorReply{ipc::make_error(status, std::move(domain), std::move(code), std::move(message))};
}

ipc::Reply no_such_job(uint64_t id) {
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
    if (o.key == "thumbnails.sizes") {
        const ParamInput value = param_input_of(o.value);
        std::vector<int64_t> sizes;
        if (const auto* one = std::get_if<int64_t>(&value)) sizes = {*one};
        else if (const auto* list = std::get_if<std::vector<int64_t>>(&value)) sizes = *list;
        else return bad("expected sizes like 256,1024");
        config.thumbnail_sizes.clear();
        for (int64_t s : sizes) {
            if (s < 16 || s > 8192) return bad("size " + std::to_string(s) + " is outside 16..8192");
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

// The thumbnail of a photo closest to `wanted`: the smallest at least that large, else the largest.
const ipc::ThumbnailRef* pick_thumbnail(const ipc::PhotoInfo& photo, uint32_t wanted) {
    const ipc::ThumbnailRef* best = nullptr;
    for (const ipc::ThumbnailRef& t : photo.thumbnails) {
        if (wanted == 0) {
            if (!best || t.size > best->size) best = &t;
        } else if (t.size >= wanted) {
            if (!best || best->size < wanted || t.size < best->size) best = &t;
        } else if (!best || (best->size < wanted && t.size > best->size)) {
            best = &t;
        }
    }
    return best;
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
    if (const auto* hello = std::get_if<ipc::Hello>(&envelope.body)) return on(*hello);
    if (state_.stopping || state_.shutdown_requested) {
        return error_reply(ipc::Status::cancelled, "engine", "shutting_down", "the engine is shutting down");
    }
    if (!state_.ready.load(std::memory_order_acquire)) {
        return error_reply(ipc::Status::not_ready, "engine", "loading_plugins",
                           "the engine is still loading its plugins: retry shortly");
    }
    return std::visit([this](const auto& request) { return on(request); }, envelope.body);
}

ipc::Reply RequestHandlers::on(const ipc::Hello&) {
    ipc::HelloReply reply;
    reply.protocol_version = ipc::kProtocolVersion;
    reply.engine_version = state_.options.engine_version;
    reply.ready = state_.ready.load(std::memory_order_acquire);
    if (reply.ready) reply.capabilities = state_.capabilities;
    reply.event_endpoint = state_.event_endpoint;
    return reply;
}

ipc::Reply RequestHandlers::on(const ipc::ListPlugins&) { return state_.plugin_list; }

ipc::Expected<ScanRequest> RequestHandlers::scan_request_of(const ipc::StartScan& request) const {
    auto fail = [](ipc::Status status, std::string domain, std::string code, std::string message) {
        return ipc::unexpected(ipc::make_error(status, std::move(domain), std::move(code), std::move(message)));
    };
    if (request.paths.empty()) return fail(ipc::Status::bad_request, "job", "no_paths", "StartScan needs at least one path");
    for (const std::string& path : request.paths) {
        const std::filesystem::path p(path);
        if (!p.is_absolute()) {
            return fail(ipc::Status::bad_request, "job", "relative_path",
                        "path '" + path + "' is relative: the engine has no working folder of the client's, send absolute paths");
        }
        std::error_code ec;
        if (!std::filesystem::exists(p, ec)) return fail(ipc::Status::not_found, "io", "not_found", "no such file or folder '" + path + "'");
    }
    if (!request.catalog.empty()) {
        return fail(ipc::Status::bad_request, "catalog", "unsupported",
                    "catalog '" + request.catalog + "': this engine keeps no catalog yet (leave the field empty)");
    }

    std::filesystem::path config_file;
    if (request.pipeline.empty()) {
        config_file = state_.options.config_dir / "default.toml";
    } else if (request.pipeline.find('/') != std::string::npos) {
        config_file = request.pipeline;
        if (!config_file.is_absolute()) {
            return fail(ipc::Status::bad_request, "config", "relative_path",
                        "pipeline '" + request.pipeline + "' is a relative path: send an absolute one or a pipeline name");
        }
    } else {
        config_file = state_.options.config_dir / request.pipeline;
        if (config_file.extension() != ".toml") config_file += ".toml";
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(config_file, ec)) {
        return fail(ipc::Status::not_found, "config", "no_such_pipeline",
                    "no pipeline '" + (request.pipeline.empty() ? std::string("default") : request.pipeline) + "' (" +
                        config_file.string() + " does not exist)");
    }
    auto config = load_pipeline_config(config_file);
    if (!config) return fail(ipc::Status::bad_request, "config", config.error().code, config.error().message);
    for (const ipc::ParamOverride& o : request.overrides) {
        if (auto ok = apply_override(*config, o); !ok) return ipc::unexpected(ok.error());
    }

    ScanRequest scan;
    scan.paths = request.paths;
    scan.pipeline_name = request.pipeline.empty() ? "default" : request.pipeline;
    scan.thumbnail_dir = !state_.options.thumbnail_dir.empty() ? state_.options.thumbnail_dir
                         : config->thumbnail_dir                ? *config->thumbnail_dir
                                                                : default_thumbnail_dir();
    scan.config = std::move(*config);
    scan.workers = state_.options.workers ? state_.options.workers : std::max(1u, std::thread::hardware_concurrency());
    scan.worker_nice = state_.options.worker_nice;
    return scan;
}

ipc::Reply RequestHandlers::on(const ipc::StartScan& request) {
    auto scan = scan_request_of(request);
    if (!scan) return ipc::ErrorReply{scan.error()};
    auto id = state_.jobs.start(std::move(*scan), state_.registry, state_.photos, state_.inbox);
    if (!id) return ipc::ErrorReply{id.error()};
    return ipc::ScanStarted{*id};
}

ipc::Reply RequestHandlers::on(const ipc::CancelJob& request) {
    ScanJob* job = state_.jobs.find(request.job_id);
    if (job == nullptr) return no_such_job(request.job_id);
    const ipc::JobState state = job->snapshot().progress.state;
    if (!ipc::is_final(state)) job->cancel();
    return ipc::JobCancelled{request.job_id, state};
}

ipc::Reply RequestHandlers::on(const ipc::JobStatus& request) {
    ScanJob* job = state_.jobs.find(request.job_id);
    if (job == nullptr) return no_such_job(request.job_id);
    return ipc::JobStatusReply{job->snapshot()};
}

ipc::Reply RequestHandlers::on(const ipc::ListJobs&) { return ipc::JobList{state_.jobs.snapshots()}; }

ipc::Reply RequestHandlers::on(const ipc::GetPhoto& request) {
    auto photo = state_.photos.find(request.photo_id);
    if (!photo) {
        return error_reply(ipc::Status::not_found, "catalog", "no_such_photo",
                           "no photo '" + request.photo_id + "' was processed by this engine");
    }
    return ipc::PhotoReply{std::move(*photo)};
}

ipc::Reply RequestHandlers::on(const ipc::GetThumbnail& request) {
    auto photo = state_.photos.find(request.photo_id);
    if (!photo) {
        return error_reply(ipc::Status::not_found, "catalog", "no_such_photo",
                           "no photo '" + request.photo_id + "' was processed by this engine");
    }
    const ipc::ThumbnailRef* thumb = pick_thumbnail(*photo, request.size);
    if (thumb == nullptr) {
        return error_reply(ipc::Status::not_found, "catalog", "no_thumbnail", "photo '" + request.photo_id + "' has no thumbnail");
    }
    std::ifstream in(thumb->path, std::ios::binary);
    std::error_code ec;
    const auto size = std::filesystem::file_size(thumb->path, ec);
    if (!in || ec) {
        return error_reply(ipc::Status::not_found, "io", "thumbnail_missing", "thumbnail file '" + thumb->path + "' is missing");
    }
    if (size > ipc::kMaxFrameSize / 2) {
        return error_reply(ipc::Status::internal, "io", "thumbnail_too_large",
                           "thumbnail file '" + thumb->path + "' is " + std::to_string(size) + " bytes");
    }
    ipc::ThumbnailReply reply{photo->id, thumb->width, thumb->height, "image/jpeg", std::vector<uint8_t>(size)};
    in.read(reinterpret_cast<char*>(reply.bytes.data()), static_cast<std::streamsize>(size));
    if (static_cast<uint64_t>(in.gcount()) != size) {
        return error_reply(ipc::Status::internal, "io", "read_failed", "cannot read thumbnail file '" + thumb->path + "'");
    }
    return reply;
}

ipc::Reply RequestHandlers::on(const ipc::Shutdown&) {
    state_.shutdown_requested = true;  // the loop stops after this reply has been sent
    return ipc::ShutdownReply{};
}

}  // namespace lbx::engine::service
