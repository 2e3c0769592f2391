#include "lightbox/ipc/job_tracker.hpp"

#include "lightbox/ipc/topics.hpp"

namespace lbx::ipc {

bool JobTracker::apply_snapshot(const JobSnapshot& snapshot) {
    if (snapshot.progress.job_id != job_id_) return false;
    if (snapshot.error) error_ = snapshot.error;
    // A snapshot at the same sequence as the last event is the same state: keep the event's.
    if (progress_ && snapshot.progress.sequence <= progress_->sequence) return false;
    progress_ = snapshot.progress;
    return true;
}

bool JobTracker::apply_event(const JobProgress& progress) {
    if (progress.job_id != job_id_) return false;
    if (progress_ && progress.sequence <= progress_->sequence) return false;  // already in the snapshot
    progress_ = progress;
    return true;
}

Expected<JobSnapshot> follow_job(Client& client, EventSubscriber& events, uint64_t job_id,
                                 const std::function<void(const JobProgress&)>& on_progress,
                                 const FollowOptions& options) {
    const std::string prefix = job_topic_prefix(job_id);
    events.subscribe(prefix);  // before the snapshot, so nothing after it is missed once it takes effect
    JobTracker tracker(job_id);
    auto notify = [&](bool changed) {
        if (changed && on_progress) on_progress(*tracker.progress());
    };
    auto snapshot = [&]() -> Expected<void> {
        auto status = client.call(JobStatus{job_id});
        if (!status) return unexpected(status.error());
        notify(tracker.apply_snapshot(status->job));
        return {};
    };

    if (auto ok = snapshot(); !ok) {
        events.unsubscribe(prefix);
        return unexpected(ok.error());
    }
    auto last_event = std::chrono::steady_clock::now();
    while (!tracker.finished() && !(options.stop && options.stop->load())) {
        auto received = events.next(std::chrono::milliseconds(100));
        if (received && *received) {
            if (const auto* progress = std::get_if<JobProgressEvent>(&(*received)->event)) {
                notify(tracker.apply_event(progress->progress));
                last_event = std::chrono::steady_clock::now();
            }
        }
        if (std::chrono::steady_clock::now() - last_event >= options.resync_after) {
            if (auto ok = snapshot(); !ok) {
                events.unsubscribe(prefix);
                return unexpected(ok.error());
            }
            last_event = std::chrono::steady_clock::now();
        }
    }
    events.unsubscribe(prefix);
    // The final event carries no error: the snapshot does, for a failed job.
    JobSnapshot result;
    if (auto status = client.call(JobStatus{job_id})) {
        tracker.apply_snapshot(status->job);
        result = status->job;
    }
    if (tracker.progress()) result.progress = *tracker.progress();
    if (tracker.error()) result.error = tracker.error();
    return result;
}

}  // namespace lbx::ipc
