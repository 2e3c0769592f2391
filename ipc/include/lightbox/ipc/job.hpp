// A job's state and progress: the payload of `job/<id>/progress` events and of JobStatus snapshots.
#pragma once

#include "lightbox/ipc/error.hpp"
#include "lightbox/ipc/wire_enum.hpp"

#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lbx::ipc {

// Wire values: append only.
// interrupted: the engine died while the job ran (shown by the next engine; a Rescan finishes it).
// paused: an analysis job stopped by PauseAnalysis (protocol 5); ResumeAnalysis starts a new one that
// goes on with the photos still to analyse.
enum class JobState : uint8_t { started, running, completed, cancelled, failed, interrupted, paused };
inline constexpr std::array kAllJobStates{JobState::started, JobState::running, JobState::completed,
                                          JobState::cancelled, JobState::failed, JobState::interrupted,
                                          JobState::paused};

// What a job does (protocol 5): `scan` is the first phase (the library becomes browsable: metadata,
// hash, thumbnails, rule tags); `analysis` the second (objects, faces, identities), at a lower priority.
enum class JobKind : uint8_t { scan, analysis };
inline constexpr std::array kAllJobKinds{JobKind::scan, JobKind::analysis};
std::string_view to_string(JobKind kind);
std::string_view to_string(JobState state);
// completed, cancelled, failed, interrupted or paused: no event follows.
inline bool is_final(JobState state) {
    return state == JobState::completed || state == JobState::cancelled || state == JobState::failed ||
           state == JobState::interrupted || state == JobState::paused;
}

struct JobProgress {
    uint64_t job_id = 0;
    JobState state = JobState::started;
    uint64_t done = 0;    // photos finished (succeeded or failed)
    uint64_t total = 0;   // photos found so far (grows while the scan walks directories)
    uint64_t failed = 0;  // photos that failed
    std::string current_path;
    double rate = 0.0;                 // photos per second
    std::optional<double> eta_seconds; // absent when unknown
    uint64_t sequence = 0;             // per job, increases by one per progress event
    JobKind kind = JobKind::scan;

    template <class Archive>
    void serialize(Archive& ar) {
        ar(job_id);
        detail::wire_enum<kAllJobStates.size()>(ar, state);
        ar(done, total, failed, current_path, rate, eta_seconds, sequence);
        detail::wire_enum<kAllJobKinds.size()>(ar, kind);
    }
    friend bool operator==(const JobProgress&, const JobProgress&) = default;
};

// What JobStatus and ListJobs return: the last progress (its sequence is that of the last event sent)
// and, for a failed job, why.
struct JobSnapshot {
    JobProgress progress;
    std::string pipeline;
    std::string catalog;
    std::optional<Error> error;

    template <class Archive>
    void serialize(Archive& ar) { ar(progress, pipeline, catalog, error); }
    friend bool operator==(const JobSnapshot&, const JobSnapshot&) = default;
};

}  // namespace lbx::ipc
