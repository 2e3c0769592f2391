// The status of a reply (sdk_docs/protocol.md, "Status codes and errors"). The numeric values go over the
// wire: append new statuses at the end, never reorder.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace lbx::ipc {

enum class Status : uint8_t {
    ok,
    bad_request,
    not_ready,
    busy,
    not_found,
    cancelled,
    internal,
    version_mismatch,
    unauthorized,
};

inline constexpr std::array kAllStatuses{Status::ok,        Status::bad_request, Status::not_ready,
                                         Status::busy,      Status::not_found,   Status::cancelled,
                                         Status::internal,  Status::version_mismatch,
                                         Status::unauthorized};

// "ok", "bad_request", ...: the names used in protocol.md and in `lightbox-ctl --json`.
std::string_view to_string(Status status);
std::optional<Status> status_from_string(std::string_view name);

}  // namespace lbx::ipc
