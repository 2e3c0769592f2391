// Following a job without trusting events to arrive (zguide ch. 5, the Clone pattern): take a JobStatus
// snapshot, then apply only progress events with a higher sequence number; take a snapshot again when
// events stop coming. JobTracker is the rule (no sockets, unit-tested); follow_job() drives it with a
// Client and an EventSubscriber.
#pragma once

#include "lightbox/ipc/client.hpp"
#include "lightbox/ipc/event_subscriber.hpp"
#include "lightbox/ipc/job.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>

namespace lbx::ipc {

class JobTracker {
public:
    explicit JobTracker(uint64_t job_id) : job_id_(job_id) {}

    // Each returns true when the job's known progress changed (a newer sequence number).
    bool apply_snapshot(const JobSnapshot& snapshot);
    bool apply_event(const JobProgress& progress);

    uint64_t job_id() const { return job_id_; }
    const std::optional<JobProgress>& progress() const { return progress_; }
    const std::optional<Error>& error() const { return error_; }
    bool finished() const { return progress_ && is_final(progress_->state); }

private:
    uint64_t job_id_;
    std::optional<JobProgress> progress_;
    std::optional<Error> error_;
};

struct FollowOptions {
    // Without an event of the job for this long, ask for a snapshot (a lost event, a dead engine).
    std::chrono::milliseconds resync_after{1000};
    const std::atomic<bool>* stop = nullptr;  // set: return what is known so far
};

// Follows job `job_id` until it ends (or `stop`). `events` must be connected to the engine's event
// endpoint; follow_job subscribes it to the job's topics. Calls `on_progress` for every change. Returns
// the final snapshot, or the client's error (`unavailable` when the engine stopped answering).
Expected<JobSnapshot> follow_job(Client& client, EventSubscriber& events, uint64_t job_id,
                                 const std::function<void(const JobProgress&)>& on_progress,
                                 const FollowOptions& options = {});

}  // namespace lbx::ipc
