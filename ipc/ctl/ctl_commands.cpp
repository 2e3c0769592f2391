#include "ctl_commands.hpp"

#include "ctl_output.hpp"
#include "message_json.hpp"

#include <lightbox/cli/conventions.hpp>
#include <lightbox/ipc/event_subscriber.hpp>
#include <lightbox/ipc/job_tracker.hpp>
#include <lightbox/ipc/topics.hpp>
#include <lightbox/ipc/version.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace lbx::ctl {
namespace {

std::string event_line(const ipc::ReceivedEvent& received) {
    struct Line {
        std::string operator()(const ipc::JobProgressEvent& e) const { return progress_line(e.progress); }
        std::string operator()(const ipc::PhotoDone& e) const { return e.photo_id + " " + e.path; }
        std::string operator()(const ipc::PhotoFailed& e) const {
            return e.path + ": " + e.stage + " (" + e.plugin_id + "): " + e.error.code + ": " + e.error.message;
        }
        std::string operator()(const ipc::Heartbeat& e) const {
            return "uptime " + std::to_string(e.uptime_ms / 1000) + " s, " + std::to_string(e.running_jobs) +
                   " jobs running, load " + std::to_string(e.load);
        }
        std::string operator()(const ipc::Log& e) const {
            return std::string(ipc::to_string(e.level)) + " " + e.source + ": " + e.message;
        }
        std::string operator()(const ipc::ThumbnailReady& e) const {
            return e.photo_id + " " + std::to_string(e.size) + (e.ok ? " ready" : " failed: " + e.error.message);
        }
        std::string operator()(const ipc::LibraryChanged& e) const {
            std::string line = e.change;
            if (!e.folder.empty()) line += " " + e.folder;
            for (const auto& id : e.photo_ids) line += " " + id;
            return line;
        }
    };
    return received.topic + "  " + std::visit(Line{}, received.event);
}

}  // namespace

int hello(CtlContext& ctx) {
    auto reply = ctx.client.call(ipc::Hello{ipc::kProtocolVersion, "lightbox-ctl"});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) {
        print_json(to_json(ipc::Reply{*reply}));
        return kExitOk;
    }
    std::printf("engine %s, protocol %u, %s\n", reply->engine_version.c_str(), reply->protocol_version,
                reply->ready ? "ready" : "starting (plugins loading)");
    std::printf("events %s\n", reply->event_endpoint.c_str());
    std::string formats;
    for (const auto& f : reply->capabilities.formats) formats += (formats.empty() ? "" : " ") + f;
    std::printf("%zu plugins; formats: %s\n", reply->capabilities.plugins.size(), formats.empty() ? "-" : formats.c_str());
    return kExitOk;
}

int plugins(CtlContext& ctx) {
    auto reply = ctx.client.call(ipc::ListPlugins{});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) {
        print_json(to_json(ipc::Reply{*reply}));
        return kExitOk;
    }
    for (const auto& p : reply->plugins) {
        std::string stages;
        for (const auto& s : p.stages) stages += (stages.empty() ? "" : ", ") + s.id + " (" + s.kind + ")";
        std::printf("%-28s %-8s %s\n", p.id.c_str(), p.version.c_str(), stages.c_str());
    }
    for (const auto& r : reply->rejected) std::printf("rejected %s: %s\n", r.path.c_str(), r.error.c_str());
    return kExitOk;
}

int scan(CtlContext& ctx, const ScanOptions& options) {
    ipc::StartScan request;
    for (const std::string& path : options.paths) {
        request.paths.push_back(std::filesystem::absolute(path).lexically_normal().string());
    }
    request.pipeline = options.pipeline;
    if (request.pipeline.find('/') != std::string::npos) request.pipeline = std::filesystem::absolute(request.pipeline).string();
    for (const std::string& o : options.overrides) {
        const auto eq = o.find('=');
        if (eq == std::string::npos || eq == 0) {
            std::fprintf(stderr, "lightbox-ctl: --set '%s': expected KEY=VALUE (e.g. thumbnail.quality=90)\n", o.c_str());
            return kExitUsage;
        }
        request.overrides.push_back({o.substr(0, eq), o.substr(eq + 1)});
    }

    // Subscribe before the job exists, so its first events can arrive; follow_job covers what is missed.
    std::optional<ipc::EventSubscriber> events;
    if (options.wait) {
        auto endpoint = event_endpoint(ctx);
        if (!endpoint) return report(endpoint.error(), ctx.json);
        events.emplace(ctx.zmq, *endpoint);
    }
    auto started = ctx.client.call(request);
    if (!started) return report(started.error(), ctx.json);
    if (!options.wait) {
        if (ctx.json) print_json(to_json(ipc::Reply{*started}));
        else std::printf("job %llu\n", static_cast<unsigned long long>(started->job_id));
        return kExitOk;
    }
    return follow_to_end(ctx, *events, started->job_id);
}

int status(CtlContext& ctx, uint64_t job_id) {
    auto reply = ctx.client.call(ipc::JobStatus{job_id});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) print_json(to_json(reply->job));
    else {
        std::printf("%s\n", progress_line(reply->job.progress).c_str());
        if (reply->job.error) std::printf("error: %s\n", reply->job.error->message.c_str());
    }
    return kExitOk;
}

int cancel(CtlContext& ctx, uint64_t job_id) {
    auto reply = ctx.client.call(ipc::CancelJob{job_id});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) print_json(to_json(ipc::Reply{*reply}));
    else std::printf("job %llu: cancel requested (was %s)\n", static_cast<unsigned long long>(job_id),
                     std::string(ipc::to_string(reply->state)).c_str());
    return kExitOk;
}

int jobs(CtlContext& ctx) {
    auto reply = ctx.client.call(ipc::ListJobs{});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) {
        print_json(to_json(ipc::Reply{*reply}));
        return kExitOk;
    }
    if (reply->jobs.empty()) std::printf("no jobs\n");
    for (const auto& job : reply->jobs) std::printf("%s\n", progress_line(job.progress).c_str());
    return kExitOk;
}

int photo(CtlContext& ctx, const std::string& photo_id) {
    auto reply = ctx.client.call(ipc::GetPhoto{photo_id});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) {
        print_json(to_json(reply->photo));
        return kExitOk;
    }
    const ipc::PhotoInfo& p = reply->photo;
    std::printf("%s\n  path    %s\n  format  %s, %ux%u, %llu bytes\n", p.id.c_str(), p.path.c_str(), p.format.c_str(),
                p.width, p.height, static_cast<unsigned long long>(p.file_size));
    for (const auto& t : p.tags) std::printf("  tag     %s (%s, %.2f, %s)\n", t.name.c_str(), t.category.c_str(), t.confidence, t.source.c_str());
    for (const auto& t : p.thumbnails) std::printf("  thumb   %u: %ux%u %s\n", t.size, t.width, t.height, t.path.c_str());
    // Source and index name a region (face-remove takes them).
    for (const auto& g : p.regions) {
        std::printf("  region  %s %u %s%s%s (%.2f) [%.3f %.3f %.3f %.3f]", g.source.c_str(), g.index, g.kind.c_str(),
                    g.label.empty() ? "" : " ", g.label.c_str(), g.confidence, g.x, g.y, g.width, g.height);
        if (g.person_id != 0)
            std::printf(" person %llu %s", static_cast<unsigned long long>(g.person_id), g.person_name.empty() ? "(unnamed)" : g.person_name.c_str());
        std::printf("\n");
    }
    for (const auto& m : p.metadata) {
        std::printf("  %-30s %s%s%s%s\n", m.key.c_str(), m.value.c_str(), m.printed.empty() ? "" : "  (",
                    m.printed.c_str(), m.printed.empty() ? "" : ")");
    }
    return kExitOk;
}

int thumbnail(CtlContext& ctx, const std::string& photo_id, uint32_t size, const std::string& output) {
    auto reply = ctx.client.call(ipc::GetThumbnail{photo_id, size});
    if (!reply) return report(reply.error(), ctx.json);
    const std::string_view bytes(reinterpret_cast<const char*>(reply->bytes.data()), reply->bytes.size());
    if (std::string error = cli::write_output(output, bytes); !error.empty()) {
        std::fprintf(stderr, "lightbox-ctl: %s\n", error.c_str());
        return kExitError;
    }
    // With "-" stdout holds the image, so what was written is said on stderr.
    if (output == "-") {
        std::fprintf(stderr, "-: %ux%u %s, %zu bytes\n", reply->width, reply->height, reply->mime_type.c_str(), reply->bytes.size());
    } else if (ctx.json) {
        print_json(to_json(ipc::Reply{*reply}));
    } else {
        std::printf("%s: %ux%u %s, %zu bytes\n", output.c_str(), reply->width, reply->height, reply->mime_type.c_str(),
                    reply->bytes.size());
    }
    return kExitOk;
}

int watch(CtlContext& ctx, const WatchOptions& options) {
    auto endpoint = event_endpoint(ctx);
    if (!endpoint) return report(endpoint.error(), ctx.json);
    ipc::EventSubscriber events(ctx.zmq, *endpoint);
    if (options.topics.empty()) events.subscribe("");
    for (const std::string& topic : options.topics) events.subscribe(topic);
    // Heartbeats always, to notice an engine that went away; shown only when asked for.
    const bool show_heartbeats = options.topics.empty() ||
                                 std::any_of(options.topics.begin(), options.topics.end(), [](const std::string& t) {
                                     return std::string(ipc::kTopicHeartbeat).starts_with(t);
                                 });
    events.subscribe(ipc::kTopicHeartbeat);

    const auto start = std::chrono::steady_clock::now();
    auto last_heard = start;
    unsigned shown = 0;
    for (;;) {
        const auto now = std::chrono::steady_clock::now();
        if (options.seconds > 0 && now - start >= std::chrono::duration<double>(options.seconds)) return kExitOk;
        if (now - last_heard > std::chrono::seconds(3)) {  // three heartbeats missed
            return report(ipc::make_error(ipc::Status::unavailable, "client", "not_responding",
                                          "engine not responding: no heartbeat on " + *endpoint + " for 3 s"),
                          ctx.json);
        }
        auto received = events.next(std::chrono::milliseconds(200));
        if (!received) {
            std::fprintf(stderr, "lightbox-ctl: skipped an event: %s\n", received.error().message.c_str());
            continue;
        }
        if (!*received) continue;
        last_heard = std::chrono::steady_clock::now();
        if (std::holds_alternative<ipc::Heartbeat>((*received)->event) && !show_heartbeats) continue;
        if (ctx.json) print_json(to_json((*received)->event));
        else {
            std::printf("%s\n", event_line(**received).c_str());
            std::fflush(stdout);
        }
        if (options.count > 0 && ++shown >= options.count) return kExitOk;
    }
}

int shutdown(CtlContext& ctx) {
    auto reply = ctx.client.call(ipc::Shutdown{});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) print_json(to_json(ipc::Reply{*reply}));
    else std::printf("engine shutting down\n");
    return kExitOk;
}

}  // namespace lbx::ctl
