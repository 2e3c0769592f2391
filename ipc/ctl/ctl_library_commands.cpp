// lightbox-ctl's library subcommands: query, facets, tag, rotate, failures, rescan, remove, library, settings.
#include "ctl_commands.hpp"

#include "ctl_output.hpp"
#include "ctl_records.hpp"
#include "message_json.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <cstdio>
#include <filesystem>
#include <map>

namespace lbx::ctl {

namespace {

std::vector<cli::FacetGroup> facet_groups(const ipc::FacetsReply& r) {
    const std::pair<const char*, const std::vector<ipc::FacetCount>*> groups[] = {
        {"tags", &r.tags},     {"cameras", &r.cameras}, {"years", &r.years},   {"months", &r.months},
        {"places", &r.places}, {"groups", &r.groups},   {"labels", &r.labels}, {"people", &r.people}};
    std::vector<cli::FacetGroup> out;
    for (const auto& [name, counts] : groups) {
        cli::FacetGroup group{name, {}};
        for (const auto& c : *counts) group.counts.emplace_back(c.value, c.count);
        out.push_back(std::move(group));
    }
    return out;
}

}  // namespace

int query(CtlContext& ctx, const QueryOptions& options) {
    ipc::Query request{options.query, ipc::QuerySort::taken, options.descending, options.offset, options.limit};
    if (options.sort == "path") request.sort = ipc::QuerySort::path;
    else if (options.sort == "added") request.sort = ipc::QuerySort::added;
    auto reply = ctx.client.call(request);
    if (!reply) return report(reply.error(), ctx.json);
    if (options.output.format) {
        // The records need more than QueryReply holds only for some fields: then one GetPhoto per photo.
        const bool details_wanted =
            options.output.fields.wants_any({"size", "exif", "tags", "regions", "people", "thumbnails", "metadata"});
        cli::RecordWriter records(stdout, *options.output.format, options.output.fields);
        // A failed file's error is in the failures ledger (ListFailures), read once when a failed one is listed.
        std::optional<std::map<std::string, cli::RecordFailure>> errors;
        const auto error_of = [&](const std::string& path) -> ipc::Expected<std::optional<cli::RecordFailure>> {
            if (!errors) {
                errors.emplace();
                for (uint64_t offset = 0;;) {
                    auto page = ctx.client.call(ipc::ListFailures{offset, 0});
                    if (!page) return ipc::unexpected(page.error());
                    for (const ipc::FailureEntry& f : page->failures)
                        errors->emplace(f.path, cli::RecordFailure{f.stage, "", f.plugin_id, f.plugin_version, f.code, f.message});
                    offset += page->failures.size();
                    if (page->failures.empty() || offset >= page->total) break;
                }
            }
            const auto it = errors->find(path);
            return it == errors->end() ? std::nullopt : std::optional<cli::RecordFailure>(it->second);
        };
        for (const auto& p : reply->photos) {
            std::optional<ipc::PhotoInfo> details;
            if (details_wanted && !p.id.empty()) {
                auto photo = ctx.client.call(ipc::GetPhoto{p.id});
                // A photo removed since the query answered is written with what the query said.
                if (photo) details = std::move(photo->photo);
                else if (photo.error().status != ipc::Status::not_found) return report(photo.error(), ctx.json);
            }
            cli::PhotoRecord record = query_record(p, details ? &*details : nullptr, options.output.fields.names_field("metadata"));
            if (p.status == ipc::file_state::kFailed && options.output.fields.wants_any({"error"})) {
                auto error = error_of(p.path);
                if (!error) return report(error.error(), ctx.json);
                record.error = std::move(*error);
            }
            records.write(record);
        }
        cli::DocumentTail tail{reply->total, reply->offset, std::nullopt};
        if (options.facets) {
            auto facets = ctx.client.call(ipc::Facets{options.query, 0});
            if (!facets) return report(facets.error(), ctx.json);
            tail.facets = cli::facets_json(facet_groups(*facets));
        }
        records.finish(tail);
    } else {
        for (const auto& p : reply->photos) {
            if (options.print0) {
                std::fwrite(p.path.data(), 1, p.path.size(), stdout);  // a path never holds a NUL: NUL ends it
                std::fputc('\0', stdout);
                continue;
            }
            std::printf("%s  %-19s  %-24s  %s%s%s\n", p.id.empty() ? "(failed)" : p.id.c_str(), p.taken_at.c_str(),
                        p.camera.c_str(), p.path.c_str(), p.matched.empty() ? "" : "  matched ", p.matched.c_str());
        }
    }
    std::fflush(stdout);
    std::fprintf(stderr, "%zu of %llu photos (from %llu)\n", reply->photos.size(),
                 static_cast<unsigned long long>(reply->total), static_cast<unsigned long long>(reply->offset));
    return kExitOk;
}

int facets(CtlContext& ctx, const std::string& query_text) {
    auto reply = ctx.client.call(ipc::Facets{query_text, 0});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) {  // the shape of "facets" in a query's json document (cli::facets_json)
        print_json(cli::facets_json(facet_groups(*reply)));
        return kExitOk;
    }
    auto print = [](const char* name, const std::vector<ipc::FacetCount>& counts) {
        std::printf("%s:", name);
        for (const auto& c : counts) std::printf(" %s (%llu)", c.value.c_str(), static_cast<unsigned long long>(c.count));
        std::printf("\n");
    };
    print("tags", reply->tags);
    print("cameras", reply->cameras);
    print("years", reply->years);
    print("months", reply->months);
    print("places", reply->places);
    print("groups", reply->groups);
    print("labels", reply->labels);
    print("people", reply->people);
    return kExitOk;
}

int tag(CtlContext& ctx, const TagOptions& options) {
    const bool rejects = !options.reject.empty() || !options.restore.empty();
    if (!rejects || !options.add.empty() || !options.remove.empty()) {
        auto reply = ctx.client.call(ipc::SetUserTags{options.photo_id, options.add, options.remove});
        if (!reply) return report(reply.error(), ctx.json);
        if (ctx.json) print_json(to_json(ipc::Reply{*reply}));
        else {
            std::printf("%s:", reply->photo_id.c_str());
            for (const auto& t : reply->user_tags) std::printf(" %s", t.c_str());
            std::printf("\n");
        }
    }
    if (rejects) {
        auto reply = ctx.client.call(ipc::RejectTags{options.photo_id, options.reject, options.restore});
        if (!reply) return report(reply.error(), ctx.json);
        if (ctx.json) print_json(to_json(ipc::Reply{*reply}));
        else {
            std::printf("%s: removed %llu auto tags; rejected:", reply->photo_id.c_str(), static_cast<unsigned long long>(reply->removed));
            for (const auto& t : reply->rejected) std::printf(" %s", t.c_str());
            std::printf("\n");
        }
    }
    return kExitOk;
}

int rotate(CtlContext& ctx, const std::string& photo_id, uint32_t quarter_turns) {
    auto reply = ctx.client.call(ipc::SetRotation{photo_id, quarter_turns});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) print_json(to_json(ipc::Reply{*reply}));
    else std::printf("%s: %u degrees clockwise\n", reply->photo_id.c_str(), reply->quarter_turns * 90);
    return kExitOk;
}

int failures(CtlContext& ctx) {
    auto reply = ctx.client.call(ipc::ListFailures{0, 0});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) {
        print_json(to_json(ipc::Reply{*reply}));
        return kExitOk;
    }
    for (const auto& f : reply->failures) {
        std::printf("%s: %s (%s %s): %s: %s\n", f.path.c_str(), f.stage.c_str(), f.plugin_id.c_str(),
                    f.plugin_version.c_str(), f.code.c_str(), f.message.c_str());
    }
    std::fprintf(stderr, "%llu failed files\n", static_cast<unsigned long long>(reply->total));
    return kExitOk;
}

int rescan(CtlContext& ctx, bool retry_failed, bool wait) {
    std::optional<ipc::EventSubscriber> events;
    if (wait) {
        auto endpoint = event_endpoint(ctx);
        if (!endpoint) return report(endpoint.error(), ctx.json);
        events.emplace(ctx.zmq, *endpoint);
    }
    auto started = ctx.client.call(ipc::Rescan{retry_failed});
    if (!started) return report(started.error(), ctx.json);
    if (wait) return follow_to_end(ctx, *events, started->job_id);
    if (ctx.json) print_json(to_json(ipc::Reply{*started}));
    else std::printf("job %llu\n", static_cast<unsigned long long>(started->job_id));
    return kExitOk;
}

int remove(CtlContext& ctx, const std::vector<std::string>& photo_ids) {
    auto reply = ctx.client.call(ipc::RemovePhotos{photo_ids});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) print_json(to_json(ipc::Reply{*reply}));
    else std::printf("%llu photos removed from the library (files on disk untouched)\n",
                     static_cast<unsigned long long>(reply->removed));
    return kExitOk;
}

int library(CtlContext& ctx, const std::string& open) {
    auto reply = open.empty() ? ctx.client.call(ipc::LibraryInfo{})
                              : ctx.client.call(ipc::OpenLibrary{std::filesystem::absolute(open).lexically_normal().string()});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) {
        print_json(to_json(ipc::Reply{*reply}));
        return kExitOk;
    }
    std::printf("catalog    %s\nphotos     %llu\nfailed     %llu\nmissing    %llu\nthumbnails %.1f of %.1f MiB\n",
                reply->catalog.c_str(), static_cast<unsigned long long>(reply->photos),
                static_cast<unsigned long long>(reply->files_failed), static_cast<unsigned long long>(reply->files_missing),
                reply->thumbnail_bytes / 1048576.0, reply->thumbnail_budget_bytes / 1048576.0);
    for (const auto& root : reply->roots) std::printf("folder     %s\n", root.c_str());
    return kExitOk;
}

int folders(CtlContext& ctx) {
    auto reply = ctx.client.call(ipc::ListFolders{});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) {
        print_json(to_json(ipc::Reply{*reply}));
        return kExitOk;
    }
    for (const ipc::LibraryFolder& f : reply->folders) {
        std::printf("%8llu photos  %s%s\n", static_cast<unsigned long long>(f.photos), f.path.c_str(), f.exists ? "" : "  (missing)");
    }
    return kExitOk;
}

int folder_remove(CtlContext& ctx, const std::string& path) {
    // The engine wants the folder as the library stores it: absolute, normalised.
    const std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
    auto reply = ctx.client.call(ipc::RemoveFolder{absolute});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) print_json(to_json(ipc::Reply{*reply}));
    else std::printf("%s: %llu photos and %llu files left the library (files on disk untouched)\n", reply->path.c_str(),
                     static_cast<unsigned long long>(reply->photos_removed), static_cast<unsigned long long>(reply->files_removed));
    return kExitOk;
}

int settings(CtlContext& ctx, const std::vector<std::string>& changes) {
    ipc::SetSettings request;
    for (const std::string& c : changes) {
        const auto eq = c.find('=');
        if (eq == std::string::npos || eq == 0) {
            std::fprintf(stderr, "lightbox-ctl: '%s': expected KEY=VALUE (e.g. workers=4)\n", c.c_str());
            return kExitUsage;
        }
        request.settings.push_back({c.substr(0, eq), c.substr(eq + 1)});
    }
    auto reply = changes.empty() ? ctx.client.call(ipc::GetSettings{}) : ctx.client.call(request);
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) print_json(to_json(ipc::Reply{*reply}));
    else
        for (const auto& s : reply->settings) std::printf("%s = %s\n", s.key.c_str(), s.value.c_str());
    return kExitOk;
}

int analysis(CtlContext& ctx, const std::string& action) {
    auto reply = action.empty() ? ctx.client.call(ipc::GetAnalysis{}) : ctx.client.call(ipc::SetAnalysisPaused{action == "pause"});
    if (!reply) return report(reply.error(), ctx.json);
    if (ctx.json) {
        print_json(to_json(ipc::Reply{*reply}));
        return kExitOk;
    }
    const char* state = !reply->enabled ? "off" : reply->paused ? "paused" : reply->job_id != 0 ? "running" : "idle";
    std::printf("analysis   %s\npending    %llu photos\n", state, static_cast<unsigned long long>(reply->pending));
    if (reply->job_id != 0) std::printf("job        %llu\n", static_cast<unsigned long long>(reply->job_id));
    std::string stages;
    for (const std::string& s : reply->stages) stages += (stages.empty() ? "" : ", ") + s;
    std::printf("stages     %s\n", stages.empty() ? "none" : stages.c_str());
    for (const std::string& why : reply->unavailable) std::printf("left out   %s\n", why.c_str());
    return kExitOk;
}

}  // namespace lbx::ctl
