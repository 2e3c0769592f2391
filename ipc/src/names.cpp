// Names of the protocol's enums, as written in sdk_docs/protocol.md and in `lightbox-ctl --json`.
#include "lightbox/ipc/events.hpp"
#include "lightbox/ipc/job.hpp"
#include "lightbox/ipc/library.hpp"
#include "lightbox/ipc/status.hpp"

namespace lbx::ipc {

std::string_view to_string(Status status) {
    switch (status) {
        case Status::ok: return "ok";
        case Status::bad_request: return "bad_request";
        case Status::not_ready: return "not_ready";
        case Status::busy: return "busy";
        case Status::not_found: return "not_found";
        case Status::cancelled: return "cancelled";
        case Status::internal: return "internal";
        case Status::version_mismatch: return "version_mismatch";
        case Status::unauthorized: return "unauthorized";
        case Status::unavailable: return "unavailable";
    }
    return "unknown";
}

std::optional<Status> status_from_string(std::string_view name) {
    for (Status status : kAllStatuses) {
        if (to_string(status) == name) return status;
    }
    return std::nullopt;
}

std::string_view to_string(JobState state) {
    switch (state) {
        case JobState::started: return "started";
        case JobState::running: return "running";
        case JobState::completed: return "completed";
        case JobState::cancelled: return "cancelled";
        case JobState::failed: return "failed";
        case JobState::interrupted: return "interrupted";
        case JobState::paused: return "paused";
    }
    return "unknown";
}

std::string_view to_string(JobKind kind) {
    switch (kind) {
        case JobKind::scan: return "scan";
        case JobKind::analysis: return "analysis";
    }
    return "unknown";
}

std::string_view to_string(QuerySort sort) {
    switch (sort) {
        case QuerySort::taken: return "taken";
        case QuerySort::path: return "path";
        case QuerySort::added: return "added";
    }
    return "unknown";
}

std::string_view to_string(LogLevel level) {
    switch (level) {
        case LogLevel::debug: return "debug";
        case LogLevel::info: return "info";
        case LogLevel::warning: return "warning";
        case LogLevel::error: return "error";
    }
    return "unknown";
}

}  // namespace lbx::ipc
