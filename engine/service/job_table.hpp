// The service's jobs, by id: running and recently finished ones. Used by the command thread only.
#pragma once

#include "catalog/catalog.hpp"
#include "service/scan_job.hpp"

#include <lightbox/ipc/error.hpp>
#include <lightbox/ipc/expected.hpp>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace lbx::engine::service {

class JobTable {
public:
    explicit JobTable(unsigned max_running, std::size_t keep_finished = 100)
        : max_running_(max_running), keep_finished_(keep_finished) {}

    // `busy` when max_running jobs of the request's kind are running already (the analysis phase, one
    // job at most, does not take a scan's place).
    ipc::Expected<uint64_t> start(ScanRequest request, const PluginRegistry& registry, EventInbox& inbox);
    ScanJob* find(uint64_t id);
    // A running or finished job's snapshot, or an interrupted one's.
    std::optional<ipc::JobSnapshot> snapshot_of(uint64_t id) const;
    std::vector<ipc::JobSnapshot> snapshots() const;
    unsigned running() const;
    unsigned running(ipc::JobKind kind) const;
    // The running job of `kind` (the first), or null.
    ScanJob* running_job(ipc::JobKind kind);
    // Stops the running jobs of `kind` and waits for them (their in-flight files are finished and kept).
    void stop_and_wait(ipc::JobKind kind);
    void cancel_all();
    // Forgets the oldest finished jobs beyond keep_finished.
    void prune();
    // Lists the jobs that were running when the previous engine on this catalog died, as `interrupted`
    // with the counts they reached (the catalog marks them so: they are listed once).
    void add_interrupted(catalog::Catalog& catalog);
    // Cancels and waits for every job (in-flight files are finished).
    void clear() { jobs_.clear(); }

private:
    unsigned max_running_;
    std::size_t keep_finished_;
    uint64_t next_id_ = 1;
    std::map<uint64_t, std::unique_ptr<ScanJob>> jobs_;
    std::map<uint64_t, ipc::JobSnapshot> interrupted_;
};

}  // namespace lbx::engine::service
