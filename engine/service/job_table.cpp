#include "service/job_table.hpp"

namespace lbx::engine::service {

ipc::Expected<uint64_t> JobTable::start(ScanRequest request, const PluginRegistry& registry, EventInbox& inbox) {
    if (running() >= max_running_) {
        return ipc::unexpected(ipc::make_error(ipc::Status::busy, "job", "too_many_jobs",
                                               std::to_string(running()) + " jobs are running, the limit is " +
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

std::vector<ipc::JobSnapshot> JobTable::snapshots() const {
    std::vector<ipc::JobSnapshot> out;
    out.reserve(jobs_.size());
    for (const auto& [id, job] : jobs_) out.push_back(job->snapshot());
    return out;
}

unsigned JobTable::running() const {
    unsigned n = 0;
    for (const auto& [id, job] : jobs_) n += job->finished() ? 0 : 1;
    return n;
}

void JobTable::cancel_all() {
    for (auto& [id, job] : jobs_) job->cancel();
}

void JobTable::prune() {
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
