// Topic names of the event socket (sdk_docs/protocol.md, "Events").
#include "lightbox/ipc/topics.hpp"

#include <charconv>

namespace lbx::ipc {

std::string job_topic_prefix(uint64_t job_id) { return "job/" + std::to_string(job_id) + "/"; }

std::string job_progress_topic(uint64_t job_id) { return job_topic_prefix(job_id) + "progress"; }

std::optional<uint64_t> job_id_of_topic(std::string_view topic) {
    constexpr std::string_view prefix = "job/";
    constexpr std::string_view suffix = "/progress";
    if (topic.size() <= prefix.size() + suffix.size() || !topic.starts_with(prefix) || !topic.ends_with(suffix)) {
        return std::nullopt;
    }
    const std::string_view digits = topic.substr(prefix.size(), topic.size() - prefix.size() - suffix.size());
    uint64_t id = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
    return id;
}

std::string topic_of(const Event& event) {
    struct Visitor {
        std::string operator()(const JobProgressEvent& e) const { return job_progress_topic(e.progress.job_id); }
        std::string operator()(const PhotoDone&) const { return std::string(kTopicPhotoDone); }
        std::string operator()(const PhotoFailed&) const { return std::string(kTopicPhotoFailed); }
        std::string operator()(const Heartbeat&) const { return std::string(kTopicHeartbeat); }
        std::string operator()(const Log&) const { return std::string(kTopicLog); }
        std::string operator()(const ThumbnailReady&) const { return std::string(kTopicThumbnailReady); }
        std::string operator()(const LibraryChanged&) const { return std::string(kTopicLibraryChanged); }
    };
    return std::visit(Visitor{}, event);
}

}  // namespace lbx::ipc
