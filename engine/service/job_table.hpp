// The service's jobs, by id: running and recently finished ones. Used by the command thread only.
#pragma once

#include "service/scan_job.hpp"

#include <lightbox/ipc/error.hpp>
#include <lightbox/ipc/expected.hpp>

#include <map>
#include <memory>
#include <vector>

namespace lbx::engine::service {

class JobTable {
public:
    explicit JobTable(unsigned max_running, std::size_t keep_finished = 100)
        : max_running_(max_running), keep_finished_(keep_finished) {}

    // `busy` when max_running jobs are running already.
    ipc::Expected<uint64_t> start(ScanRequest request, const PluginRegistry& registry, EventInbox& inbox);
    ScanJob* find(uint64_t id);
    std::vector<ipc::JobSnapshot> snapshots() const;
    unsigned running() const;
    void cancel_all();
    // Forgets the oldest finished jobs beyond keep_finished.
    void prune();
    // Cancels and waits for every job (in-flight files are finished).
    void clear() { jobs_.clear(); }

private:
    unsigned max_running_;
    std::size_t keep_finished_;
    uint64_t next_id_ = 1;
    std::map<uint64_t, std::unique_ptr<ScanJob>> jobs_;
};

}  // namespace lbx::engine::service
