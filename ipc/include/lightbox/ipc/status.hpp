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
    unavailable,  // client side only: the engine did not answer (never sent by the engine)
};

inline constexpr std::array kAllStatuses{Status::ok,        Status::bad_request, Status::not_ready,
                                         Status::busy,      Status::not_found,   Status::cancelled,
                                         Status::internal,  Status::version_mismatch,
                                         Status::unauthorized, Status::unavailable};

// "ok", "bad_request", ...: the names used in protocol.md and in `lightbox-ctl --json`.
std::string_view to_string(Status status);
std::optional<Status> status_from_string(std::string_view name);

}  // namespace lbx::ipc
