// The closed set of events the engine publishes (sdk_docs/protocol.md, "Events"). The message type on the
// wire is the index in `Event`: append new events at the end, never reorder. Events are hints: a client
// re-reads the truth with a command.
#pragma once

#include "lightbox/ipc/error.hpp"
#include "lightbox/ipc/job.hpp"
#include "lightbox/ipc/wire_enum.hpp"

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lbx::ipc {

// Topic `job/<id>/progress`.
struct JobProgressEvent {
    static constexpr std::string_view name = "JobProgress";
    JobProgress progress;

    template <class Archive>
    void serialize(Archive& ar) { ar(progress); }
    friend bool operator==(const JobProgressEvent&, const JobProgressEvent&) = default;
};

// Topic `photo/done`.
struct PhotoDone {
    static constexpr std::string_view name = "PhotoDone";
    uint64_t job_id = 0;
    std::string photo_id;
    std::string path;

    template <class Archive>
    void serialize(Archive& ar) { ar(job_id, photo_id, path); }
    friend bool operator==(const PhotoDone&, const PhotoDone&) = default;
};

// Topic `photo/failed`.
struct PhotoFailed {
    static constexpr std::string_view name = "PhotoFailed";
    uint64_t job_id = 0;
    std::string path;
    std::string stage;  // "decode", "metadata", ...
    std::string plugin_id;
    std::string plugin_version;
    Error error;

    template <class Archive>
    void serialize(Archive& ar) { ar(job_id, path, stage, plugin_id, plugin_version, error); }
    friend bool operator==(const PhotoFailed&, const PhotoFailed&) = default;
};

// Topic `engine/heartbeat`, about once a second.
struct Heartbeat {
    static constexpr std::string_view name = "Heartbeat";
    uint64_t uptime_ms = 0;
    double load = 0.0;  // 1-minute load average of the machine
    uint32_t running_jobs = 0;
    uint64_t sequence = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(uptime_ms, load, running_jobs, sequence); }
    friend bool operator==(const Heartbeat&, const Heartbeat&) = default;
};

// Wire values: append only.
enum class LogLevel : uint8_t { debug, info, warning, error };
inline constexpr std::array kAllLogLevels{LogLevel::debug, LogLevel::info, LogLevel::warning, LogLevel::error};
std::string_view to_string(LogLevel level);

// Topic `engine/log`.
struct Log {
    static constexpr std::string_view name = "Log";
    LogLevel level = LogLevel::info;
    std::string source;  // "engine", a plugin id, ...
    std::string message;

    template <class Archive>
    void serialize(Archive& ar) {
        detail::wire_enum<kAllLogLevels.size()>(ar, level);
        ar(source, message);
    }
    friend bool operator==(const Log&, const Log&) = default;
};

// Topic `thumb/ready`: a thumbnail GetThumbnail answered `not_ready` for is made (ok) or cannot be
// (error set); ask GetThumbnail again.
struct ThumbnailReady {
    static constexpr std::string_view name = "ThumbnailReady";
    std::string photo_id;
    uint32_t size = 0;  // as asked
    bool ok = false;
    Error error;

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id, size, ok, error); }
    friend bool operator==(const ThumbnailReady&, const ThumbnailReady&) = default;
};

// What LibraryChanged says changed (its `change`), named once.
namespace changes {
inline constexpr char kFolderRemoved[] = "folder_removed";  // RemoveFolder: `folder` and its photos left the library
inline constexpr char kPhotosRemoved[] = "photos_removed";  // RemovePhotos
inline constexpr char kUserTags[] = "user_tags";            // SetUserTags
inline constexpr char kTagsRejected[] = "tags_rejected";    // RejectTags
inline constexpr char kRotation[] = "rotation";             // SetRotation
inline constexpr char kPeople[] = "people";                 // RenamePerson, MergePersons, RemoveFace
// Another engine sharing the library (PostgreSQL) changed it: anything may have changed, photos added or
// removed included. Announced at most twice a second, however much it writes.
inline constexpr char kOtherEngine[] = "other_engine";
}  // namespace changes

// Topic `library/changed` (protocol 9): a client changed the library outside any job (a job's changes
// come with its progress), or another engine sharing the library changed it. Every client showing the library, the one that asked included, reads what it
// shows again: results, facets, folders, people, the open photo.
struct LibraryChanged {
    static constexpr std::string_view name = "LibraryChanged";
    std::string change;                  // one of `changes`
    std::vector<std::string> photo_ids;  // the photos it was about, when it names them
    std::string folder;                  // folder_removed: the folder

    template <class Archive>
    void serialize(Archive& ar) { ar(change, photo_ids, folder); }
    friend bool operator==(const LibraryChanged&, const LibraryChanged&) = default;
};

using Event = std::variant<JobProgressEvent, PhotoDone, PhotoFailed, Heartbeat, Log, ThumbnailReady, LibraryChanged>;

inline std::string_view name_of(const Event& event) {
    return std::visit([](const auto& e) -> std::string_view { return e.name; }, event);
}

}  // namespace lbx::ipc
