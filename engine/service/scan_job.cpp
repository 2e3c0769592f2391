#include "service/scan_job.hpp"

#include "catalog/analysis_ledger.hpp"
#include "catalog/catalog.hpp"
#include "catalog/people.hpp"
#include "catalog/scan_filter.hpp"
#include "catalog/thumbnail_cache.hpp"
#include "pipeline/batch_runner.hpp"
#include "pipeline/pipeline.hpp"
#include "workers/plugin_probe.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <sstream>
#include <unordered_map>

namespace lbx::engine::service {
namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(100);
// How often the analysis job stores what it has and groups the new faces into persons while it runs,
// so that persons appear as the analysis goes (a grouping pass over a few new faces takes milliseconds).
constexpr auto kGroupingInterval = std::chrono::seconds(2);

// Linux keeps a nice value per thread, and threads inherit it from the thread that creates them: the
// walker and the workers of run_batch all run at this priority.
void lower_this_thread_priority(int increment) {
    if (increment <= 0) return;
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, tid);
    if (errno == 0) ::setpriority(PRIO_PROCESS, tid, std::min(19, current + increment));
}

ipc::Status status_of_photo_failure(const std::string& code) {
    if (code == "not_found") return ipc::Status::not_found;
    if (code == "io" || code == "no_memory") return ipc::Status::internal;
    return ipc::Status::bad_request;  // the file's content: truncated, corrupt, unsupported, too large
}

}  // namespace

ScanJob::ScanJob(uint64_t id, ScanRequest request, const PluginRegistry& registry, EventInbox& inbox)
    : id_(id), request_(std::move(request)), registry_(registry), inbox_(inbox),
      start_(std::chrono::steady_clock::now()) {
    snapshot_.progress.job_id = id_;
    snapshot_.progress.state = ipc::JobState::started;
    snapshot_.progress.kind = request_.kind;
    snapshot_.pipeline = request_.pipeline_name;
    snapshot_.catalog = request_.catalog_file.string();
    thread_ = std::jthread([this] { run(); });
}

ScanJob::~ScanJob() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
}

std::vector<std::string> ScanJob::unavailable_stages() const {
    std::lock_guard lock(mutex_);
    return unavailable_;
}

ipc::JobSnapshot ScanJob::snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

void ScanJob::report(ipc::JobState state, bool force) {
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_report_ < kProgressInterval) return;
    last_report_ = now;
    ipc::JobProgress progress;
    progress.job_id = id_;
    progress.kind = request_.kind;
    progress.state = state;
    progress.done = done_.load();
    progress.total = std::max(total_.load(), progress.done);
    progress.failed = failed_.load();
    progress.current_path = current_path_;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    progress.rate = elapsed > 0 ? progress.done / elapsed : 0.0;
    if (!ipc::is_final(state) && progress.rate > 0 && progress.total > progress.done) {
        progress.eta_seconds = (progress.total - progress.done) / progress.rate;
    } else if (ipc::is_final(state)) {
        progress.eta_seconds = 0.0;
    }
    {
        std::lock_guard lock(mutex_);
        progress.sequence = snapshot_.progress.sequence + 1;
        snapshot_.progress = progress;
    }
    inbox_.post(ipc::JobProgressEvent{progress});
}

void ScanJob::fail(const std::string& domain, const std::string& message) {
    const bool catalog = domain == "catalog";
    fail(ipc::make_error(catalog ? ipc::Status::internal : ipc::Status::bad_request, domain,
                         catalog ? ipc::codes::kCatalogError : ipc::codes::kBadPipeline, message));
}

void ScanJob::fail(ipc::Error error) {
    const std::string log_line = "job " + std::to_string(id_) + " failed: " + error.message;
    {
        std::lock_guard lock(mutex_);
        snapshot_.error = std::move(error);  // as detected: its status and code are what clients act on
    }
    inbox_.post(ipc::Log{ipc::LogLevel::error, "engine", log_line});
    // Finished before the final state is visible: a client that sees it may at once do what running jobs
    // forbid (OpenLibrary).
    finished_.store(true);
    report(ipc::JobState::failed, true);
}

void ScanJob::run() {
    lower_this_thread_priority(request_.worker_nice);
    if (request_.kind == ipc::JobKind::analysis) return run_analysis();
    report(ipc::JobState::started, true);
    inbox_.post(ipc::Log{ipc::LogLevel::info, "engine", "job " + std::to_string(id_) + " started"});

    if (request_.quarantine != nullptr) {
        for (const std::string& note : skip_quarantined_stages(request_.config, request_.quarantine->active()))
            inbox_.post(ipc::Log{ipc::LogLevel::warning, "engine", "job " + std::to_string(id_) + ": " + note});
    }
    // A plan, built after the batch's first worker built the real pipeline: no stage is created (no model
    // loaded) in the service itself.
    auto supervision = make_supervision(request_.isolation, request_.workers, request_.config, request_.thumbnail_dir,
                                        request_.plugin_dirs, registry_, request_.quarantine);
    supervision->on_notice = [this](const std::string& message) {
        inbox_.post(ipc::Log{ipc::LogLevel::warning, "engine", message});
    };
    auto pipeline = build_supervised_pipeline(registry_, supervision, &stop_);
    if (!pipeline && pipeline.error().code == ipc::codes::kInterrupted) return end_before_first_file();
    if (!pipeline) return fail("config", pipeline.error().message);

    // The job's own connection: SQLite connections are not shared between threads, and the command
    // thread keeps reading (WAL lets it while this one writes).
    auto opened = catalog::Catalog::open_location(request_.catalog_file.string());
    if (!opened) return fail("catalog", opened.error().message);
    catalog::Catalog& library = **opened;
    auto known = library.file_states();
    if (!known) return fail("catalog", known.error().message);
    const catalog::ScanFilter filter(std::move(*known), request_.retry_failed);
    const int64_t scan_id = catalog::now_us();
    if (auto ok = library.add_roots(request_.paths, scan_id); !ok) return fail("catalog", ok.error().message);
    auto job_row = library.begin_job(request_.paths, scan_id);
    if (!job_row) return fail("catalog", job_row.error().message);

    BatchCounts counts;
    BatchCallbacks callbacks;
    std::optional<Error> catalog_error;
    auto refresh_counts = [&] {
        done_.store(counts.processed.load());
        const uint64_t total = counts.expected_final.load() ? counts.expected.load()
                                                            : std::max(counts.expected.load(), counts.discovered.load());
        total_.store(total);
    };
    callbacks.precheck = [&](const InputFile& f) { return filter.precheck(f); };
    callbacks.on_result = [&](const PhotoResult& r) {
        current_path_ = r.path;
        if (!catalog_error) {
            if (auto ok = library.record(r, scan_id); !ok) {
                catalog_error = ok.error();
                stop_.store(true);  // nothing more could be stored: stop rather than read files in vain
            }
        }
        if (r.unchanged) return;  // counted in done; nothing new to announce
        if (r.ok()) {
            inbox_.post(ipc::PhotoDone{id_, r.hash, r.path});
        } else {
            failed_.fetch_add(1);
            const StageFailure& f = *r.failure;
            inbox_.post(ipc::PhotoFailed{id_, r.path, f.stage, f.plugin, f.plugin_version,
                                         ipc::make_error(status_of_photo_failure(f.code), f.stage, f.code, f.message)});
        }
    };
    auto last_saved = std::chrono::steady_clock::now();
    callbacks.on_tick = [&] {
        refresh_counts();
        report(ipc::JobState::running, false);
        // The job's counts reach the catalog now and then: if this engine dies, the next one shows them.
        if (std::chrono::steady_clock::now() - last_saved > std::chrono::seconds(1)) {
            last_saved = std::chrono::steady_clock::now();
            (void)library.update_job_progress(*job_row, static_cast<int64_t>(done_.load()), static_cast<int64_t>(failed_.load()));
        }
    };
    std::istringstream no_stdin;
    const BatchSummary summary =
        run_batch(make_processor_factory(*pipeline->pipeline, supervision, std::move(pipeline->first_worker)), request_.paths,
                  no_stdin, request_.workers, stop_, counts, callbacks);
    refresh_counts();

    int64_t missing = 0;
    if (!catalog_error) {
        // Only a complete walk may call what it did not see missing.
        if (!summary.interrupted) {
            auto marked = library.mark_missing(request_.paths, scan_id);
            if (marked) missing = *marked;
            else catalog_error = marked.error();
        }
        if (auto ok = library.update_statistics(); !ok && !catalog_error) catalog_error = ok.error();
    }
    const char* state_name = catalog_error ? "failed" : summary.interrupted ? "cancelled" : "completed";
    (void)library.end_job(*job_row, state_name, static_cast<int64_t>(done_.load()), static_cast<int64_t>(failed_.load()),
                          catalog::now_us());
    if (catalog_error) return fail("catalog", "cannot store results in " + catalog::location_label(request_.catalog_file.string()) + ": " + catalog_error->message);
    if (request_.thumbnail_budget_bytes > 0) {
        catalog::ThumbnailCache cache(library, request_.thumbnail_budget_bytes);
        if (auto pruned = cache.prune(); pruned && pruned->removed > 0) {
            inbox_.post(ipc::Log{ipc::LogLevel::info, "engine",
                                 "thumbnail cache over budget: " + std::to_string(pruned->removed) +
                                     " least recently used thumbnails removed"});
        }
    }

    std::string line = "job " + std::to_string(id_) + (summary.interrupted ? " cancelled: " : " completed: ") +
                       std::to_string(summary.ok) + " ok, " + std::to_string(summary.failed) + " failed, " +
                       std::to_string(summary.unchanged) + " unchanged";
    if (missing > 0) line += ", " + std::to_string(missing) + " no longer found (marked missing)";
    inbox_.post(ipc::Log{ipc::LogLevel::info, "engine", line});
    finished_.store(true);  // before the final state, as in fail()
    report(summary.interrupted ? ipc::JobState::cancelled : ipc::JobState::completed, true);
}

}  // namespace lbx::engine::service

namespace lbx::engine::service {

std::vector<AnalysisMark> configured_analysis_stages(const PipelineConfig& config, const PluginRegistry& registry) {
    std::vector<AnalysisMark> out;
    for (const StageConfig& sc : config.stages) {
        if (!sc.analysis || sc.kind != LBX_STAGE_TAG || sc.use.empty()) continue;
        if (const LoadedStage* stage = registry.find_stage(sc.use))
            out.push_back(AnalysisMark{stage->id, stage->plugin->id, stage->plugin->version, {}});
    }
    return out;
}

bool ScanJob::announced() const {
    std::lock_guard lock(mutex_);
    return snapshot_.progress.sequence > 0;
}

void ScanJob::end_before_first_file() {
    const bool paused = paused_.load();
    inbox_.post(ipc::Log{ipc::LogLevel::info, "engine",
                         "job " + std::to_string(id_) + (paused ? " paused" : " cancelled") + " while its first worker started"});
    finished_.store(true);
    report(paused ? ipc::JobState::paused : ipc::JobState::cancelled, true);
}

void ScanJob::end_silently() {
    silent_.store(true);
    finished_.store(true);
}

void ScanJob::run_analysis() {
    auto opened = catalog::Catalog::open_location(request_.catalog_file.string());
    if (!opened) return fail("catalog", opened.error().message);
    catalog::Catalog& library = **opened;
    // Faces stored but never grouped (an engine stopped between the two, a catalog of schema 5) first.
    auto grouped = catalog::group_new_faces(library);
    if (!grouped) return fail("catalog", "cannot group faces into persons in " + catalog::location_label(request_.catalog_file.string()) + ": " + grouped.error().message);
    // Nothing to do is the common case (every scan ends by asking): then the job stays silent, with no
    // event and no entry in ListJobs, and no model is loaded to find that out.
    auto pending = catalog::pending_analysis(library, configured_analysis_stages(request_.config, registry_));
    if (!pending) return fail("catalog", pending.error().message);
    if (pending->empty()) return end_silently();
    // A plan, built after the batch's first worker built the real pipeline: no stage is created (no model
    // loaded) in the service itself.
    auto supervision = make_supervision(request_.isolation, request_.workers, request_.config, request_.thumbnail_dir,
                                        request_.plugin_dirs, registry_, request_.quarantine);
    supervision->on_notice = [this](const std::string& message) {
        inbox_.post(ipc::Log{ipc::LogLevel::warning, "engine", message});
    };
    auto pipeline = build_supervised_pipeline(registry_, supervision, &stop_);
    if (!pipeline && pipeline.error().code == ipc::codes::kInterrupted) return end_before_first_file();
    if (!pipeline) return fail("config", pipeline.error().message);
    const std::vector<AnalysisMark> stages = pipeline->pipeline->analysis_stages();
    if (!pipeline->pipeline->unavailable_stages().empty()) {  // a stage left out (a model missing): what is left for the others?
        pending = catalog::pending_analysis(library, stages);
        if (!pending) return fail("catalog", pending.error().message);
    }
    {
        std::lock_guard lock(mutex_);
        for (const Pipeline::UnavailableStage& s : pipeline->pipeline->unavailable_stages()) unavailable_.push_back(s.stage_id + ": " + s.message);
    }
    if (pending->empty()) return end_silently();
    report(ipc::JobState::started, true);
    for (const std::string& why : unavailable_stages())
        inbox_.post(ipc::Log{ipc::LogLevel::warning, "engine", "analysis: stage left out: " + why});
    total_.store(pending->size());
    inbox_.post(ipc::Log{ipc::LogLevel::info, "engine",
                         "job " + std::to_string(id_) + ": analysing " + std::to_string(pending->size()) + " photos"});
    std::unordered_map<std::string, std::string> expected_hash;  // by path
    std::vector<std::string> paths;
    for (catalog::PendingPhoto& p : *pending) {
        paths.push_back(p.path);
        expected_hash.emplace(std::move(p.path), std::move(p.hash));
    }

    BatchSummary summary;
    std::optional<Error> catalog_error;
    if (!paths.empty()) {
        BatchCounts counts;
        BatchCallbacks callbacks;
        callbacks.on_result = [&](const PhotoResult& r) {
            current_path_ = r.path;
            done_.fetch_add(1);
            auto it = expected_hash.find(r.path);
            if (it == expected_hash.end() || catalog_error) return;
            std::optional<PhotoResult> result = catalog::analysis_result(r, it->second, stages);
            if (!result) return;
            const bool stage_failed = !result->ok() || std::any_of(result->analysed.begin(), result->analysed.end(),
                                                                   [](const AnalysisMark& m) { return !m.error.empty(); });
            if (stage_failed) failed_.fetch_add(1);
            if (auto ok = library.record(*result, catalog::now_us()); !ok) {
                catalog_error = ok.error();
                stop_.store(true);
                return;
            }
            // photo/updated: the photo's labels and faces changed (PhotoDone, as for a scan).
            inbox_.post(ipc::PhotoDone{id_, result->hash, result->path});
        };
        auto last_grouped = std::chrono::steady_clock::now();
        callbacks.on_tick = [&] {
            report(ipc::JobState::running, false);
            if (catalog_error || std::chrono::steady_clock::now() - last_grouped < kGroupingInterval) return;
            last_grouped = std::chrono::steady_clock::now();
            if (auto ok = catalog::group_new_faces(library); !ok) {  // flushes first
                catalog_error = ok.error();
                stop_.store(true);
            }
        };
        std::istringstream no_stdin;
        summary = run_batch(make_processor_factory(*pipeline->pipeline, supervision, std::move(pipeline->first_worker)), paths,
                            no_stdin, request_.workers, stop_, counts, callbacks);
        if (!catalog_error) {
            if (auto ok = catalog::group_new_faces(library); !ok) catalog_error = ok.error();
        }
    }
    if (catalog_error) return fail("catalog", "cannot store analysis results in " + catalog::location_label(request_.catalog_file.string()) + ": " + catalog_error->message);
    (void)library.update_statistics();
    const bool paused = paused_.load() && summary.interrupted;
    inbox_.post(ipc::Log{ipc::LogLevel::info, "engine",
                         "job " + std::to_string(id_) + (paused ? " paused: " : summary.interrupted ? " cancelled: " : " completed: ") +
                             std::to_string(done_.load()) + " of " + std::to_string(paths.size()) + " photos analysed, " +
                             std::to_string(failed_.load()) + " with a failed stage"});
    finished_.store(true);
    report(paused ? ipc::JobState::paused : summary.interrupted ? ipc::JobState::cancelled : ipc::JobState::completed, true);
}

}  // namespace lbx::engine::service
