// `lightbox-engine thumbs stats|prune|prewarm --catalog FILE`: the thumbnail cache of a catalog.
//   stats    counts thumbnails, their bytes against the budget, files gone and photos without any
//   prune    evicts the least recently used until the files fit the budget
//   prewarm  makes the missing thumbnails (every configured size) of the live photos, newest first,
//            with the config's decode and thumbnail stages only, and stops before the budget is passed
// The result goes to stdout (one JSON object with --json), progress and errors to stderr.
// Exit codes: 0, 1 (some photos could not be read), 2 (usage, config, catalog), 130 (interrupted).
//   lightbox-engine thumbs prewarm --catalog ~/photos.lbx --budget-mb 500 --jobs 4
#include "catalog/catalog.hpp"
#include "catalog/thumbnail_cache.hpp"
#include "cli/commands.hpp"
#include "cli/engine_paths.hpp"
#include "cli/interrupt_guard.hpp"
#include "cli/progress_reporter.hpp"
#include "pipeline/batch_runner.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/pipeline_config.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>
#include <unordered_map>

namespace lbx::engine::cli {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

int fail(const std::string& message, int code = kExitUsage) {
    std::fprintf(stderr, "lightbox-engine: %s\n", message.c_str());
    return code;
}

int stats_action(catalog::ThumbnailCache& cache, bool json) {
    auto s = cache.stats();
    if (!s) return fail(s.error().message);
    if (json) {
        std::cout << nlohmann::json{{"thumbnails", s->thumbnails},       {"bytes", s->bytes},
                                    {"budget_bytes", s->budget_bytes},   {"missing_files", s->missing_files},
                                    {"photos_without", s->photos_without}}
                         .dump()
                  << '\n';
        return kExitOk;
    }
    std::printf("thumbnails: %lld, %.1f MiB of a %.1f MiB budget%s\n", static_cast<long long>(s->thumbnails), s->bytes / kMiB,
                s->budget_bytes / kMiB, s->bytes > s->budget_bytes ? " (over: run 'thumbs prune')" : "");
    std::printf("missing files: %lld\n", static_cast<long long>(s->missing_files));
    std::printf("photos without a thumbnail: %lld\n", static_cast<long long>(s->photos_without));
    return kExitOk;
}

int prune_action(catalog::ThumbnailCache& cache, bool json) {
    auto r = cache.prune();
    if (!r) return fail(r.error().message);
    if (json) {
        std::cout << nlohmann::json{{"removed", r->removed}, {"bytes_freed", r->bytes_freed}, {"bytes_after", r->bytes_after},
                                    {"budget_bytes", cache.budget_bytes()}}
                         .dump()
                  << '\n';
    } else {
        std::printf("removed %lld thumbnails, freed %.1f MiB; %.1f MiB left of a %.1f MiB budget\n",
                    static_cast<long long>(r->removed), r->bytes_freed / kMiB, r->bytes_after / kMiB, cache.budget_bytes() / kMiB);
    }
    return kExitOk;
}

struct PrewarmOutcome {
    int64_t photos_needing = 0;
    int64_t photos_done = 0;
    int64_t thumbnails_made = 0;
    int64_t failed = 0;
    int64_t bytes_added = 0;
    int64_t bytes_after = 0;
    bool budget_reached = false;
    bool interrupted = false;
};

int64_t bytes_of(const std::vector<StoredThumbnail>& thumbs) {
    int64_t total = 0;
    for (const StoredThumbnail& t : thumbs) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(t.path, ec);
        if (!ec) total += static_cast<int64_t>(size);
    }
    return total;
}

void remove_files(const std::vector<StoredThumbnail>& thumbs) {
    for (const StoredThumbnail& t : thumbs) {
        std::error_code ec;
        std::filesystem::remove(t.path, ec);
    }
}

// Photos grouped by the sizes they lack, so that a photo missing only its 1024 is not made at 256
// again: one pipeline per group, the groups in the order their first (newest) photo comes.
std::vector<std::pair<std::vector<uint32_t>, std::vector<catalog::ThumbnailNeed>>> by_sizes(std::vector<catalog::ThumbnailNeed> needs) {
    std::vector<std::pair<std::vector<uint32_t>, std::vector<catalog::ThumbnailNeed>>> groups;
    std::map<std::vector<uint32_t>, std::size_t> index;
    for (catalog::ThumbnailNeed& n : needs) {
        auto [it, added] = index.emplace(n.sizes, groups.size());
        if (added) groups.push_back({n.sizes, {}});
        groups[it->second].second.push_back(std::move(n));
    }
    return groups;
}

int prewarm_action(catalog::Catalog& library, catalog::ThumbnailCache& cache, PipelineConfig config,
                   const std::filesystem::path& thumbs, const ThumbsOptions& options) {
    std::atomic<bool> stop{false};
    std::atomic<bool> user_stop{false};
    InterruptGuard interrupt(stop, [&] {
        user_stop = true;
        std::fputs("\nlightbox-engine: stopping after the files in flight (Ctrl-C again to abort)\n", stderr);
    });
    PluginRegistry registry;
    load_plugins(registry, true, isolation_options(options.isolation));
    Quarantine quarantine(Quarantine::default_file());
    if (auto ok = restrict_to_kinds(config, {"decode", "thumbnail"}); !ok) return fail(ok.error().message);
    for (const std::string& note : skip_quarantined_stages(config, quarantine.active()))
        std::fprintf(stderr, "lightbox-engine: %s\n", note.c_str());

    auto before = cache.stats();
    if (!before) return fail(before.error().message);
    auto needs = cache.missing(config.thumbnail_sizes);
    if (!needs) return fail(needs.error().message);

    PrewarmOutcome out;
    out.photos_needing = static_cast<int64_t>(needs->size());
    out.bytes_after = before->bytes;
    const int64_t budget = static_cast<int64_t>(std::min<uint64_t>(cache.budget_bytes(), INT64_MAX));
    std::fprintf(stderr, "lightbox-engine: %lld photos lack thumbnails; %.1f MiB of a %.1f MiB budget in use\n",
                 static_cast<long long>(out.photos_needing), before->bytes / kMiB, budget / kMiB);
    int catalog_error = 0;
    for (auto& [sizes, group] : by_sizes(std::move(*needs))) {
        if (stop) break;
        config.thumbnail_sizes = sizes;
        auto supervision = make_supervision(isolation_options(options.isolation), options.jobs, config, thumbs,
                                            plugin_search_path(executable_dir()), registry, &quarantine);
        auto pipeline = build_pipeline(registry, supervision);
        if (!pipeline) return fail(pipeline.error().message);
        std::unordered_map<std::string, std::string> hash_of_path;
        std::vector<std::string> paths;
        for (const catalog::ThumbnailNeed& n : group) {
            hash_of_path.emplace(n.path, n.hash);
            paths.push_back(n.path);
        }
        BatchCounts counts;
        ProgressReporter progress(stderr, counts, true);
        BatchCallbacks callbacks;
        callbacks.on_tick = [&] { progress.tick(); };
        callbacks.on_result = [&](const PhotoResult& r) {
            const std::string& expected = hash_of_path[r.path];
            if (!r.ok() || r.hash != expected || r.thumbnails.empty()) {
                ++out.failed;
                progress.clear_line();
                if (!r.ok())
                    std::fprintf(stderr, "FAILED  %s: %s: %s\n", r.path.c_str(), r.failure->code.c_str(), r.failure->message.c_str());
                else if (r.hash != expected)  // its thumbnails are the new content's: the next scan records them
                    std::fprintf(stderr, "FAILED  %s: changed since the last scan (run 'lightbox-engine run --catalog' again)\n", r.path.c_str());
                else
                    std::fprintf(stderr, "FAILED  %s: no thumbnail made\n", r.path.c_str());
                progress.file_done(false);
                return;
            }
            const int64_t added = bytes_of(r.thumbnails);
            if (stop || out.bytes_after + added > budget) {
                // Over the budget (or a result in flight after the stop): these files were never recorded.
                remove_files(r.thumbnails);
                if (!user_stop) out.budget_reached = true;
                stop = true;
                progress.file_done(true);
                return;
            }
            if (auto ok = library.record_thumbnails(r.hash, r.thumbnails, catalog::now_us()); !ok) {
                remove_files(r.thumbnails);
                if (!catalog_error) {
                    progress.clear_line();
                    std::fprintf(stderr, "lightbox-engine: %s\n", ok.error().message.c_str());
                }
                catalog_error = kExitUsage;
                stop = true;
                return;
            }
            out.bytes_after += added;
            out.bytes_added += added;
            out.thumbnails_made += static_cast<int64_t>(r.thumbnails.size());
            ++out.photos_done;
            progress.file_done(true);
        };
        std::istringstream no_list;
        run_batch(make_processor_factory(*pipeline->pipeline, supervision, std::move(pipeline->first_worker)), paths, no_list,
                  options.jobs, stop, counts, callbacks);
        progress.clear_line();
    }
    out.interrupted = user_stop;

    if (options.json) {
        std::cout << nlohmann::json{{"photos_needing", out.photos_needing}, {"photos_done", out.photos_done},
                                    {"thumbnails_made", out.thumbnails_made}, {"failed", out.failed},
                                    {"bytes_added", out.bytes_added},       {"bytes_after", out.bytes_after},
                                    {"budget_bytes", budget},               {"budget_reached", out.budget_reached},
                                    {"interrupted", out.interrupted}}
                         .dump()
                  << '\n';
    } else {
        std::printf("made %lld thumbnails for %lld of %lld photos (%.1f MiB), %lld failed; %.1f MiB of a %.1f MiB budget in use%s\n",
                    static_cast<long long>(out.thumbnails_made), static_cast<long long>(out.photos_done),
                    static_cast<long long>(out.photos_needing), out.bytes_added / kMiB, static_cast<long long>(out.failed),
                    out.bytes_after / kMiB, budget / kMiB, out.budget_reached ? "; stopped at the budget" : "");
    }
    if (catalog_error) return catalog_error;
    if (out.interrupted) return kExitInterrupted;
    return out.failed > 0 ? kExitSomeFailed : kExitOk;
}

}  // namespace

int thumbs_command(const ThumbsOptions& options) {
    const std::string location = options.catalog.empty() ? catalog::default_catalog_file().string() : options.catalog;
    const std::filesystem::path file(location);
    std::error_code ec;
    if (!catalog::is_postgres_location(location) && !std::filesystem::is_regular_file(file, ec)) {
        return fail("no catalog at '" + file.string() + "' (make one with: lightbox-engine run --catalog FILE PATH...)");
    }
    const std::filesystem::path config_file = options.config.empty() ? default_config_file() : std::filesystem::path(options.config);
    auto config = load_pipeline_config(config_file);
    if (!config) return fail(config.error().message);
    const uint64_t budget = options.budget_mb > 0 ? static_cast<uint64_t>(options.budget_mb) * 1024 * 1024 : config->thumbnail_budget_bytes;

    // `stats` only reads: it works on a catalog this user may not write (OpenMode::read_only).
    auto opened = options.action == "stats" ? catalog::Catalog::open_location_read_only(location)
                                            : catalog::Catalog::open_location(location);
    if (!opened) return fail(opened.error().message);
    catalog::ThumbnailCache cache(**opened, budget);
    if (options.action == "stats") return stats_action(cache, options.json);
    if (options.action == "prune") return prune_action(cache, options.json);
    std::filesystem::path thumbs = !options.thumbs.empty() ? std::filesystem::path(options.thumbs)
                                   : config->thumbnail_dir ? *config->thumbnail_dir
                                                           : default_thumbnail_dir();
    thumbs = std::filesystem::absolute(thumbs).lexically_normal();
    return prewarm_action(**opened, cache, std::move(*config), thumbs, options);
}

}  // namespace lbx::engine::cli
