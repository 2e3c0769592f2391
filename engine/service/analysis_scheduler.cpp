#include "service/analysis_scheduler.hpp"

#include "catalog/analysis_ledger.hpp"
#include "service/pipeline_defaults.hpp"

#include <algorithm>

namespace lbx::engine::service {
namespace {

constexpr char kPausedKey[] = "analysis_paused";
// Analysis runs below the scans (worker_nice) and the command thread: the lowest priority there is.
constexpr int kAnalysisNice = 19;

ipc::Error catalog_ipc_error(const Error& e) {
    return ipc::make_error(ipc::Status::internal, "catalog", e.code, e.message, e.detail);
}

bool is_paused(ServiceState& state) {
    auto value = state.catalog->state_value(kPausedKey);
    return value && *value && **value == "1";
}

bool left_out(const ServiceState& state, const std::string& stage_id) {
    return std::any_of(state.analysis_unavailable.begin(), state.analysis_unavailable.end(),
                       [&](const std::string& why) { return why.rfind(stage_id + ":", 0) == 0; });
}

}  // namespace

std::vector<AnalysisMark> configured_analysis_stages(const ServiceState& state) {
    std::vector<AnalysisMark> out;
    if (!state.options.analysis || !state.default_pipeline) return out;
    for (AnalysisMark& mark : configured_analysis_stages(*state.default_pipeline, state.registry))
        if (!left_out(state, mark.stage_id)) out.push_back(std::move(mark));
    return out;
}

void schedule_analysis(ServiceState& state) {
    if (!state.analysis_due || state.stopping || !state.ready.load(std::memory_order_acquire)) return;
    if (state.jobs.running(ipc::JobKind::scan) > 0 || state.jobs.running(ipc::JobKind::analysis) > 0) return;
    state.analysis_due = false;
    if (configured_analysis_stages(state).empty() || is_paused(state)) return;

    auto config = load_named_pipeline(state, state.settings.pipeline);
    if (!config) {
        state.inbox.post(ipc::Log{ipc::LogLevel::error, "engine", "analysis: " + config.error().message});
        return;
    }
    keep_analysis_phase(*config);
    ScanRequest request;
    request.kind = ipc::JobKind::analysis;
    request.pipeline_name = state.settings.pipeline;
    request.thumbnail_dir = thumbnail_dir_of(state, *config);
    request.config = std::move(*config);
    request.workers = state.settings.workers;
    request.worker_nice = kAnalysisNice;
    request.catalog_file = state.catalog_file;
    request.isolation = state.options.isolation;
    request.plugin_dirs = state.options.plugin_dirs;
    request.quarantine = &state.quarantine;
    auto id = state.jobs.start(std::move(request), state.registry, state.inbox);
    if (!id) {
        state.inbox.post(ipc::Log{ipc::LogLevel::error, "engine", "analysis: " + id.error().message});
        return;
    }
    state.analysis_job = *id;
}

void yield_analysis_to_scan(ServiceState& state) {
    state.analysis_due = true;
    if (ScanJob* job = state.jobs.running_job(ipc::JobKind::analysis)) job->cancel();
}

ipc::Expected<ipc::AnalysisReply> analysis_state(ServiceState& state) {
    ipc::AnalysisReply reply;
    if (state.analysis_job != 0) {
        if (ScanJob* job = state.jobs.find(state.analysis_job)) state.analysis_unavailable = job->unavailable_stages();
    }
    const std::vector<AnalysisMark> stages = configured_analysis_stages(state);
    reply.enabled = !stages.empty();
    reply.paused = is_paused(state);
    for (const AnalysisMark& s : stages) reply.stages.push_back(s.stage_id);
    reply.unavailable = state.analysis_unavailable;
    if (ScanJob* job = state.jobs.running_job(ipc::JobKind::analysis); job != nullptr && job->announced())
        reply.job_id = job->id();
    auto pending = catalog::pending_analysis(*state.catalog, stages);
    if (!pending) return ipc::unexpected(catalog_ipc_error(pending.error()));
    reply.pending = pending->size();
    return reply;
}

ipc::Expected<ipc::AnalysisReply> set_analysis_paused(ServiceState& state, bool paused) {
    if (auto ok = state.catalog->set_state_value(kPausedKey, paused ? "1" : "0"); !ok)
        return ipc::unexpected(catalog_ipc_error(ok.error()));
    if (paused) {
        if (ScanJob* job = state.jobs.running_job(ipc::JobKind::analysis)) job->pause();
        return analysis_state(state);
    }
    auto reply = analysis_state(state);
    if (!reply || reply->pending == 0) return reply;  // nothing to resume: no job
    state.analysis_due = true;
    schedule_analysis(state);
    if (ScanJob* job = state.jobs.running_job(ipc::JobKind::analysis)) reply->job_id = job->id();
    return reply;
}

}  // namespace lbx::engine::service
