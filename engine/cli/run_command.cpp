// `lightbox-engine run`: the headless batch. Results on stdout (a photo record per file with --json or
// --format: sdk_docs/run-json.md),
// progress and the summary on stderr, exit code 0 / 1 (some files failed, now or unchanged since an
// earlier scan) / 2 (usage, config) / 3 (results could not be stored in the catalog) / 130.
#include "catalog/analysis_ledger.hpp"
#include "catalog/catalog.hpp"
#include "catalog/people.hpp"
#include "catalog/scan_filter.hpp"
#include "pipeline/shard.hpp"
#include "cli/commands.hpp"
#include "cli/engine_paths.hpp"
#include "cli/interrupt_guard.hpp"
#include "cli/photo_records.hpp"
#include "cli/progress_reporter.hpp"
#include "pipeline/batch_runner.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/pipeline_config.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <unordered_map>
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
        // A failure recalled from the catalog (unchanged since) knows its plugin, not its stage id.
        const std::string& where = f.stage_id.empty() ? f.plugin : f.stage_id;
        std::printf("FAILED  %s: %s (%s): %s: %s%s\n", r.path.c_str(), f.stage.c_str(), where.c_str(), f.code.c_str(),
                    f.message.c_str(), r.unchanged ? " (unchanged since an earlier scan)" : "");
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

// The second phase for photos the catalog already had: those unchanged since an earlier scan that
// today's analysis stages have not seen (scanned with `--analysis off`, or by an older plugin version).
// New and changed files were analysed on their first pass. Returns false when it stopped early (Ctrl-C)
// or could not store its results.
struct CatchUp {
    uint64_t analysed = 0;
    uint64_t failed = 0;  // a stage failed on it (recorded; not retried until the plugin changes)
    bool interrupted = false;
    bool not_stored = false;
};

CatchUp analyse_earlier_photos(const RunOptions& options, const PipelineConfig& full_config, const Pipeline& full_pipeline,
                               const PluginRegistry& registry, Quarantine& quarantine, const std::filesystem::path& thumbs,
                               catalog::Catalog& library, const std::vector<std::string>& roots, std::atomic<bool>& stop) {
    CatchUp outcome;
    const std::vector<AnalysisMark> stages = full_pipeline.analysis_stages();
    auto pending = catalog::pending_analysis(library, stages, roots);
    if (!pending) {
        std::fprintf(stderr, "lightbox-engine: cannot list the photos still to analyse: %s\n", pending.error().message.c_str());
        outcome.not_stored = true;
        return outcome;
    }
    if (pending->empty()) return outcome;
    std::fprintf(stderr, "lightbox-engine: analysing %zu photos scanned earlier without today's analysis stages\n",
                 pending->size());
    PipelineConfig config = full_config;
    keep_analysis_phase(config);
    auto supervision = make_supervision(isolation_options(options.isolation), options.jobs, config, thumbs,
                                        plugin_search_path(executable_dir()), registry, &quarantine);
    auto pipeline = build_pipeline(registry, supervision);
    if (!pipeline) {
        std::fprintf(stderr, "lightbox-engine: %s\n", pipeline.error().message.c_str());
        outcome.not_stored = true;
        return outcome;
    }
    std::unordered_map<std::string, std::string> expected_hash;  // by path
    std::vector<std::string> paths;
    for (catalog::PendingPhoto& p : *pending) {
        paths.push_back(p.path);
        expected_hash.emplace(std::move(p.path), std::move(p.hash));
    }
    BatchCounts counts;
    ProgressReporter progress(stderr, counts, options.progress);
    BatchCallbacks callbacks;
    callbacks.on_result = [&](const PhotoResult& r) {
        progress.file_done(r.ok());
        auto it = expected_hash.find(r.path);
        if (it == expected_hash.end() || outcome.not_stored) return;
        std::optional<PhotoResult> result = catalog::analysis_result(r, it->second, stages);
        if (!result) return;
        ++outcome.analysed;
        const bool stage_failed = !result->ok() || std::any_of(result->analysed.begin(), result->analysed.end(),
                                                               [](const AnalysisMark& m) { return !m.error.empty(); });
        if (stage_failed) ++outcome.failed;
        if (auto ok = library.record(*result, catalog::now_us()); !ok) {
            outcome.not_stored = true;
            stop.store(true);
            progress.clear_line();
            std::fprintf(stderr, "lightbox-engine: cannot store analysis results: %s\n", ok.error().message.c_str());
        }
    };
    callbacks.on_tick = [&] { progress.tick(); };
    std::istringstream no_list;
    const BatchSummary summary = run_batch(make_processor_factory(*pipeline->pipeline, supervision, std::move(pipeline->first_worker)),
                                           paths, no_list, options.jobs, stop, counts, callbacks);
    progress.clear_line();
    if (auto ok = library.flush(); !ok && !outcome.not_stored) {
        outcome.not_stored = true;
        std::fprintf(stderr, "lightbox-engine: cannot store analysis results: %s\n", ok.error().message.c_str());
    }
    outcome.interrupted = summary.interrupted;
    std::fprintf(stderr, "lightbox-engine: analysed %llu earlier photos in %.1f s%s%s\n",
                 static_cast<unsigned long long>(outcome.analysed), summary.seconds,
                 outcome.failed > 0 ? (", an analysis stage failed on " + std::to_string(outcome.failed)).c_str() : "",
                 summary.interrupted ? " (stopped: the rest is analysed by the next run)" : "");
    return outcome;
}

// Groups the faces just stored into persons (catalog/people.hpp), so that a run leaves its persons made.
// False when the catalog could not be written: the run then exits like any write that failed.
bool group_faces(catalog::Catalog& library) {
    auto grouped = catalog::group_new_faces(library);
    if (!grouped) {
        std::fprintf(stderr, "lightbox-engine: cannot group faces into persons: %s\n", grouped.error().message.c_str());
        return false;
    }
    if (grouped->joined + grouped->new_persons > 0) {
        std::fprintf(stderr, "lightbox-engine: %lld faces grouped: %lld joined a person, %lld started one\n",
                     static_cast<long long>(grouped->joined + grouped->new_persons), static_cast<long long>(grouped->joined),
                     static_cast<long long>(grouped->new_persons));
    }
    return true;
}

}  // namespace

std::optional<bool> analysis_enabled(const std::string& flag) {
    if (!flag.empty()) return flag == "on";
    const std::optional<bool> from_environment = analysis_default();
    if (!from_environment)
        std::fprintf(stderr, "lightbox-engine: LIGHTBOX_ANALYSIS must be 'on' or 'off', not '%s'\n", std::getenv("LIGHTBOX_ANALYSIS"));
    return from_environment;
}

int run_command(const RunOptions& options) {
    std::atomic<bool> stop{false};
    // Before any thread starts, so that every thread inherits the blocked signals.
    InterruptGuard interrupt(stop, [] {
        std::fputs("\nlightbox-engine: stopping after the files in flight (Ctrl-C again to abort)\n", stderr);
    });

    PluginRegistry registry;
    load_plugins(registry, true, isolation_options(options.isolation), &stop);
    if (stop.load()) return kExitInterrupted;
    Quarantine quarantine(Quarantine::default_file());

    const std::filesystem::path config_file = options.config.empty() ? default_config_file() : std::filesystem::path(options.config);
    auto config = load_pipeline_config(config_file);
    if (!config) return usage_error(config.error().message);
    const std::optional<bool> analysis = analysis_enabled(options.analysis);
    if (!analysis) return kExitUsage;
    if (!*analysis) drop_analysis_stages(*config);
    if (!options.only.empty()) {
        if (auto ok = restrict_to_kinds(*config, options.only); !ok) return usage_error(ok.error().message);
    }
    if (!options.sizes.empty()) config->thumbnail_sizes.assign(options.sizes.begin(), options.sizes.end());
    // The catalog keys photos by it; otherwise only `--hash` asks for it when nothing else needs every byte.
    config->content_hash = options.hash || !options.catalog.empty();
    // The raw entries only where something keeps them: the catalog, records naming the field "metadata",
    // or a stage after the metadata readers (which may look entries up). A plain `--only metadata`
    // asks its stages for the summary alone, which is most of the work of a metadata-only run.
    const bool stages_after_metadata = std::any_of(config->stages.begin(), config->stages.end(),
                                                   [](const StageConfig& s) { return s.kind != LBX_STAGE_METADATA; });
    config->metadata_entries = !options.catalog.empty() || stages_after_metadata ||
                               (options.output.format && options.output.fields.names_field("metadata"));
    for (const std::string& note : skip_quarantined_stages(*config, quarantine.active()))
        std::fprintf(stderr, "lightbox-engine: %s\n", note.c_str());
    std::filesystem::path thumbs = !options.thumbs.empty() ? std::filesystem::path(options.thumbs)
                                   : config->thumbnail_dir ? *config->thumbnail_dir
                                                           : default_thumbnail_dir();
    thumbs = std::filesystem::absolute(thumbs).lexically_normal();

    auto supervision = make_supervision(isolation_options(options.isolation), options.jobs, *config, thumbs,
                                        plugin_search_path(executable_dir()), registry, &quarantine);
    auto pipeline = build_pipeline(registry, supervision, &stop);
    if (!pipeline && pipeline.error().code == ipc::codes::kInterrupted) return kExitInterrupted;
    if (!pipeline) return usage_error(pipeline.error().message);
    for (const Pipeline::UnavailableStage& left_out : pipeline->pipeline->unavailable_stages())
        std::fprintf(stderr, "lightbox-engine: warning: stage '%s' left out (%s): %s\n", left_out.stage_id.c_str(),
                     left_out.where.c_str(), left_out.message.c_str());

    std::optional<Shard> shard;
    if (!options.shard.empty()) {
        std::string error;
        shard = parse_shard(options.shard, error);
        if (!shard) return usage_error("--shard: " + error);
    }

    std::unique_ptr<catalog::Catalog> library;
    std::optional<catalog::ScanFilter> filter;
    const int64_t scan_id = catalog::now_us();
    if (!options.catalog.empty()) {
        auto opened = catalog::Catalog::open_location(options.catalog);
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

    std::optional<lbx::cli::RecordWriter> records;  // none: one human-readable line per file
    if (options.output.format) records.emplace(stdout, *options.output.format, options.output.fields);
    BatchCounts counts;
    ProgressReporter progress(stderr, counts, options.progress);
    BatchCallbacks callbacks;
    bool catalog_failed = false;      // results could not be stored
    bool statistics_failed = false;
    uint64_t still_failed = 0;          // failed in an earlier scan and unchanged since: failed again
    std::vector<std::string> unlisted;  // folders that could not be listed
    // A write that failed (a full disk) loses the queued results and every later one: name them, and
    // stop, since whatever is read from here on could not be stored either.
    auto catalog_write_failed = [&](const Error& error) {
        catalog_failed = true;
        stop.store(true);
        progress.clear_line();
        std::fprintf(stderr, "lightbox-engine: cannot store results in catalog %s: %s; stopping\n",
                     catalog::location_label(options.catalog).c_str(),
                     error.message.c_str());
        for (const std::string& path : library->drop_pending())
            std::fprintf(stderr, "lightbox-engine: not stored in the catalog: %s\n", path.c_str());
    };
    if (filter) callbacks.precheck = [&](const InputFile& f) { return filter->precheck(f); };
    if (shard) callbacks.select = [&](const InputFile& f) { return in_shard(*shard, f.path); };
    callbacks.on_result = [&](const PhotoResult& r) {
        if (library && !catalog_failed) {
            if (auto ok = library->record(r, scan_id); !ok) catalog_write_failed(ok.error());
        } else if (library) {
            progress.clear_line();
            std::fprintf(stderr, "lightbox-engine: not stored in the catalog: %s\n", r.path.c_str());
        }
        if (!r.ok() && r.failure->code == kCodeUnreadableFolder) unlisted.push_back(r.path);
        if (r.unchanged && !r.ok()) ++still_failed;
        progress.clear_line();
        if (r.unchanged) {
            if (records) records->write(unchanged_record(r));
            else if (!r.ok()) {
                print_human(r);
                std::fflush(stdout);
            }
            progress.file_done(r.ok());
            return;
        }
        if (records) records->write(photo_record(r, options.output.fields.names_field("metadata")));
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

    // Notices come from the batch's threads; they are printed on this one, between progress lines.
    std::mutex notices_mutex;
    std::vector<std::string> notices;
    supervision->on_notice = [&](const std::string& message) {
        std::lock_guard lock(notices_mutex);
        notices.push_back(message);
    };
    auto print_notices = [&] {
        std::lock_guard lock(notices_mutex);
        for (const std::string& n : notices) {
            progress.clear_line();
            std::fprintf(stderr, "lightbox-engine: %s\n", n.c_str());
        }
        notices.clear();
    };
    callbacks.on_tick = [&] {
        print_notices();
        progress.tick();
    };
    PathList stdin_paths(std::cin, options.null_separated);
    BatchSummary summary = run_batch(make_processor_factory(*pipeline->pipeline, supervision, std::move(pipeline->first_worker)),
                                     roots, stdin_paths, options.jobs, stop, counts, callbacks);
    if (!stdin_paths.error.empty()) {
        progress.clear_line();
        std::fprintf(stderr, "lightbox-engine: %s\n", stdin_paths.error.c_str());
    }
    if (library && !catalog_failed) {
        // Only a complete walk may call what it did not see missing (not an interrupted one, nor stdin
        // lists, nor one shard: the other shards' files were not looked at); files below a folder it could
        // not list are kept as they were (Catalog::mark_missing).
        const bool complete = !summary.interrupted && !shard && std::find(roots.begin(), roots.end(), "-") == roots.end();
        auto missing = complete ? library->mark_missing(roots, scan_id) : Expected<int64_t>(int64_t{0});
        if (!missing) {
            catalog_write_failed(missing.error());  // it writes what is still queued first
        } else {
            if (*missing > 0) {
                std::fprintf(stderr, "lightbox-engine: %lld files no longer found, marked missing in the catalog\n",
                             static_cast<long long>(*missing));
            }
            // The query planner's statistics only: every result is stored, so this is reported, not fatal.
            if (auto ok = library->update_statistics(); !ok) {
                std::fprintf(stderr, "lightbox-engine: %s\n", ok.error().message.c_str());
                statistics_failed = true;
            }
        }
        for (const std::string& folder : unlisted) {
            std::fprintf(stderr, "lightbox-engine: warning: cannot list folder '%s': the catalog keeps its files as they were\n",
                         folder.c_str());
        }
    }
    if (records) records->finish();  // a json document ends here; the summary on stderr says the rest
    print_notices();
    if (summary.interrupted_files > 0) {
        std::fprintf(stderr, "lightbox-engine: %llu files in flight did not finish within the stop grace period (not stored)\n",
                     static_cast<unsigned long long>(summary.interrupted_files));
    }
    progress.finish(summary, pipeline->pipeline->makes_thumbnails() && summary.ok > 0 ? thumbs.string() : std::string());
    // Persons are made after each phase: those of the new photos first, then those of the catch-up.
    bool grouping_failed = library && !catalog_failed && !group_faces(*library);
    CatchUp catch_up;
    const bool from_stdin = std::find(roots.begin(), roots.end(), "-") != roots.end();
    // The catch-up analyses earlier photos below the roots: one shard would do every shard's share.
    if (library && !catalog_failed && !grouping_failed && !summary.interrupted && !from_stdin && !shard &&
        !pipeline->pipeline->analysis_stages().empty()) {
        catch_up = analyse_earlier_photos(options, *config, *pipeline->pipeline, registry, quarantine, thumbs, *library, roots, stop);
        if (catch_up.analysed > 0 && !catch_up.not_stored) grouping_failed = !group_faces(*library);
    }
    if (still_failed > 0) {
        std::fprintf(stderr, "lightbox-engine: %llu unchanged files are still failed (--retry-failed reads them again)\n",
                     static_cast<unsigned long long>(still_failed));
    }
    if (catalog_failed || catch_up.not_stored || grouping_failed) return kExitNotStored;
    if (!stdin_paths.error.empty()) return kExitUsage;  // the rest of the list was not read
    if (summary.interrupted || catch_up.interrupted) return kExitInterrupted;
    if (summary.ok + summary.failed + summary.unchanged == 0) std::fputs("lightbox-engine: no photo files found\n", stderr);
    return summary.failed > 0 || still_failed > 0 || statistics_failed ? kExitSomeFailed : kExitOk;
}

}  // namespace lbx::engine::cli
