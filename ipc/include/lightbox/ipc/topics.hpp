// Event topic names (sdk_docs/protocol.md, "Events"). Subscriptions match by prefix (ZeroMQ's rule):
// subscribe to `job_topic_prefix(1)` = "job/1/" so that job 1 does not also match job 12.
#pragma once

#include "lightbox/ipc/events.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lbx::ipc {

inline constexpr std::string_view kTopicPhotoDone = "photo/done";
inline constexpr std::string_view kTopicPhotoFailed = "photo/failed";
inline constexpr std::string_view kTopicHeartbeat = "engine/heartbeat";
inline constexpr std::string_view kTopicLog = "engine/log";
inline constexpr std::string_view kTopicThumbnailReady = "thumb/ready";
inline constexpr std::string_view kTopicLibraryChanged = "library/changed";
inline constexpr std::string_view kTopicJobs = "job/";  // every job's progress

std::string job_progress_topic(uint64_t job_id);  // "job/<id>/progress"
std::string job_topic_prefix(uint64_t job_id);    // "job/<id>/"
// The job id of a "job/<id>/progress" topic; nothing for any other topic.
std::optional<uint64_t> job_id_of_topic(std::string_view topic);

// The topic an event is published on.
std::string topic_of(const Event& event);

}  // namespace lbx::ipc
