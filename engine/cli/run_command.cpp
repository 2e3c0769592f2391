// `lightbox-engine run`: the headless batch. Results on stdout (one JSON object per file with --json),
// progress and the summary on stderr, exit code 0 / 1 (some files failed) / 2 (usage, config) / 130.
#include "catalog/catalog.hpp"
#include "catalog/scan_filter.hpp"
#include "cli/commands.hpp"
#include "cli/engine_paths.hpp"
#include "cli/interrupt_guard.hpp"
#include "cli/json_output.hpp"
#include "cli/progress_reporter.hpp"
#include "pipeline/batch_runner.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/pipeline_config.hpp"

#include <cstdio>
#include <iostream>

namespace lbx::engine::cli {

namespace {

int usage_error(const std::string& message) {
    std::fprintf(stderr, "lightbox-engine: %s\n", message.c_str());
    return kExitUsage;
}

void print_human(const PhotoResult& r) {
    if (!r.ok()) {
        const StageFailure& f = *r.failure;
        std::printf("FAILED  %s: %s (%s): %s: %s\n", r.path.c_str(), f.stage.c_str(), f.stage_id.c_str(), f.code.c_str(),
                    f.message.c_str());
        return;
    }
    std::string taken = r.metadata.get_text(LBX_FIELD_TAKEN_AT).value_or("-");
    std::string camera = r.metadata.get_text(LBX_FIELD_MODEL).value_or("");
    std::printf("ok      %s  %s %ux%u  %s  %s  %zu tags", r.path.c_str(), r.format.c_str(), r.width, r.height, taken.c_str(),
                camera.empty() ? "-" : camera.c_str(), r.tags.size());
    if (!r.tags.empty()) {
        std::string names;
        for (std::size_t i = 0; i < r.tags.size() && i < 8; ++i) names += (i ? ", " : "") + r.tags[i].name;
        std::printf(" [%s%s]", names.c_str(), r.tags.size() > 8 ? ", ..." : "");
    }
    if (!r.thumbnails.empty()) std::printf("  thumbnail %s", r.thumbnails.back().path.c_str());
    std::printf("\n");
}

}  // namespace

int run_command(const RunOptions& options) {
    std::atomic<bool> stop{false};
    // Before any thread starts, so that every thread inherits the blocked signals.
    InterruptGuard interrupt(stop, [] {
        std::fputs("\nlightbox-engine: stopping after the files in flight (Ctrl-C again to abort)\n", stderr);
    });

    PluginRegistry registry;
    load_plugins(registry, true);

    const std::filesystem::path config_file = options.config.empty() ? default_config_file() : std::filesystem::path(options.config);
    auto config = load_pipeline_config(config_file);
    if (!config) return usage_error(config.error().message);
    if (!options.only.empty()) {
        if (auto ok = restrict_to_kinds(*config, options.only); !ok) return usage_error(ok.error().message);
    }
    if (!options.sizes.empty()) config->thumbnail_sizes.assign(options.sizes.begin(), options.sizes.end());
    std::filesystem::path thumbs = !options.thumbs.empty() ? std::filesystem::path(options.thumbs)
                                   : config->thumbnail_dir ? *config->thumbnail_dir
                                                           : default_thumbnail_dir();
    thumbs = std::filesystem::absolute(thumbs).lexically_normal();

    auto pipeline = Pipeline::build(registry, *config, thumbs);
    if (!pipeline) return usage_error(pipeline.error().message);

    std::unique_ptr<catalog::Catalog> library;
    std::optional<catalog::ScanFilter> filter;
    const int64_t scan_id = catalog::now_us();
    if (!options.catalog.empty()) {
        auto opened = catalog::Catalog::open(options.catalog);
        if (!opened) return usage_error(opened.error().message);
        library = std::move(*opened);
        auto known = library->file_states();
        if (!known) return usage_error(known.error().message);
        filter.emplace(std::move(*known), options.retry_failed);
    }
    std::vector<std::string> roots = options.paths;
    if (library) {  // the catalog stores absolute paths, so a rescan from another folder finds them
        for (std::string& p : roots)
            if (p != "-") p = std::filesystem::absolute(p).lexically_normal().string();
    }

    BatchCounts counts;
    ProgressReporter progress(stderr, counts, options.progress);
    BatchCallbacks callbacks;
    bool catalog_failed = false;
    if (filter) callbacks.precheck = [&](const InputFile& f) { return filter->precheck(f); };
    callbacks.on_result = [&](const PhotoResult& r) {
        if (library && !catalog_failed) {
            if (auto ok = library->record(r, scan_id); !ok) {
                catalog_failed = true;  // reported once; the run goes on without storing
                progress.clear_line();
                std::fprintf(stderr, "lightbox-engine: %s\n", ok.error().message.c_str());
            }
        }
        if (r.unchanged) {
            if (options.json) std::cout << unchanged_json(r).dump() << '\n' << std::flush;
            progress.file_done(true);
            return;
        }
        progress.clear_line();
        if (options.json) std::cout << photo_json(r).dump() << '\n' << std::flush;
        else {
            print_human(r);
            std::fflush(stdout);
        }
        progress.file_done(r.ok());
    };
    callbacks.on_skipped = [&](const PhotoResult& r) {
        progress.clear_line();
        std::fprintf(stderr, "skipped %s: %s\n", r.path.c_str(), r.skip_reason.c_str());
    };
    callbacks.on_tick = [&] { progress.tick(); };

    BatchSummary summary = run_batch(**pipeline, roots, std::cin, options.jobs, stop, counts, callbacks);
    if (library && !catalog_failed) {
        // Only a complete walk may call what it did not see missing (not an interrupted one, nor stdin lists).
        const bool complete = !summary.interrupted && std::find(roots.begin(), roots.end(), "-") == roots.end();
        auto missing = complete ? library->mark_missing(roots, scan_id) : Expected<int64_t>(int64_t{0});
        if (auto ok = library->update_statistics(); !ok || !missing) {
            std::fprintf(stderr, "lightbox-engine: %s\n", (!ok ? ok.error() : missing.error()).message.c_str());
            catalog_failed = true;
        } else if (*missing > 0) {
            std::fprintf(stderr, "lightbox-engine: %lld files no longer found, marked missing in the catalog\n",
                         static_cast<long long>(*missing));
        }
    }
    progress.finish(summary, (*pipeline)->makes_thumbnails() && summary.ok > 0 ? thumbs.string() : std::string());
    if (summary.interrupted) return kExitInterrupted;
    if (summary.ok + summary.failed + summary.unchanged == 0) std::fputs("lightbox-engine: no photo files found\n", stderr);
    return summary.failed > 0 || catalog_failed ? kExitSomeFailed : kExitOk;
}

}  // namespace lbx::engine::cli
