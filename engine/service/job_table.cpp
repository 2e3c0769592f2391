#include "service/job_table.hpp"

namespace lbx::engine::service {

ipc::Expected<uint64_t> JobTable::start(ScanRequest request, const PluginRegistry& registry, EventInbox& inbox) {
    if (running(request.kind) >= max_running_) {
        return ipc::unexpected(ipc::make_error(ipc::Status::busy, "job", "too_many_jobs",
                                               std::to_string(running(request.kind)) + " jobs are running, the limit is " +
                                                   std::to_string(max_running_) + ": retry when one has ended"));
    }
    const uint64_t id = next_id_++;
    jobs_.emplace(id, std::make_unique<ScanJob>(id, std::move(request), registry, inbox));
    prune();
    return id;
}

ScanJob* JobTable::find(uint64_t id) {
    auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second.get();
}

std::optional<ipc::JobSnapshot> JobTable::snapshot_of(uint64_t id) const {
    if (auto it = jobs_.find(id); it != jobs_.end() && !it->second->silent()) return it->second->snapshot();
    if (auto it = interrupted_.find(id); it != interrupted_.end()) return it->second;
    return std::nullopt;
}

void JobTable::add_interrupted(catalog::Catalog& catalog) {  // called once, when a library is opened
    auto jobs = catalog.interrupt_running_jobs(catalog::now_us());
    if (!jobs) return;  // the catalog's own error shows on the next command that reads it
    for (const catalog::Catalog::InterruptedJob& j : *jobs) {
        ipc::JobSnapshot s;
        s.progress.job_id = next_id_++;
        s.progress.state = ipc::JobState::interrupted;
        s.progress.done = static_cast<uint64_t>(j.done);
        s.progress.total = s.progress.done;
        s.progress.failed = static_cast<uint64_t>(j.failed);
        s.progress.current_path = j.paths.empty() ? std::string() : j.paths.front();
        s.progress.eta_seconds = 0.0;
        s.error = ipc::make_error(ipc::Status::internal, "job", "interrupted",
                                  "the engine stopped while this scan ran (" + std::to_string(j.done) +
                                      " photos done): rescan the library to finish it");
        interrupted_.emplace(s.progress.job_id, std::move(s));
    }
}

std::vector<ipc::JobSnapshot> JobTable::snapshots() const {
    std::vector<ipc::JobSnapshot> out;
    out.reserve(jobs_.size() + interrupted_.size());
    for (const auto& [id, s] : interrupted_) out.push_back(s);
    for (const auto& [id, job] : jobs_) {
        const bool quiet = job->silent() || (job->kind() == ipc::JobKind::analysis && !job->announced());
        if (!quiet) out.push_back(job->snapshot());
    }
    return out;
}

unsigned JobTable::running() const {
    unsigned n = 0;
    for (const auto& [id, job] : jobs_) n += job->finished() ? 0 : 1;
    return n;
}

unsigned JobTable::running(ipc::JobKind kind) const {
    unsigned n = 0;
    for (const auto& [id, job] : jobs_) n += !job->finished() && job->kind() == kind ? 1 : 0;
    return n;
}

ScanJob* JobTable::running_job(ipc::JobKind kind) {
    for (const auto& [id, job] : jobs_)
        if (!job->finished() && job->kind() == kind) return job.get();
    return nullptr;
}

void JobTable::stop_and_wait(ipc::JobKind kind) {
    for (auto& [id, job] : jobs_) {
        if (job->finished() || job->kind() != kind) continue;
        job->cancel();
        job->wait();
    }
}

void JobTable::cancel_all() {
    for (auto& [id, job] : jobs_) job->cancel();
}

void JobTable::prune() {
    std::erase_if(jobs_, [](const auto& entry) { return entry.second->silent(); });
    std::size_t finished = jobs_.size() - running();
    for (auto it = jobs_.begin(); it != jobs_.end() && finished > keep_finished_;) {
        if (it->second->finished()) {
            it = jobs_.erase(it);
            --finished;
        } else {
            ++it;
        }
    }
}

}  // namespace lbx::engine::service
