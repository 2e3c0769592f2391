// The error value that crosses the wire (GStreamer's GError idea): a status for the protocol, a domain
// and a stable code for programs, a message for people and a detail for logs. No exception crosses the
// wire: everything that fails becomes one of these.
#pragma once

#include "lightbox/ipc/status.hpp"
#include "lightbox/ipc/wire_enum.hpp"

#include <string>

namespace lbx::ipc {

struct Error {
    Status status = Status::internal;
    std::string domain;   // "protocol", "auth", "job", "catalog", "config", "plugin", "io", "engine"
    std::string code;     // a stable lower-case word: "truncated", "oversize", "unknown_type", ...
    std::string message;  // lower-case start, no trailing period, concrete values
    std::string detail;   // optional: for logs and bug reports

    template <class Archive>
    void serialize(Archive& ar) {
        detail::wire_enum<kAllStatuses.size()>(ar, status);
        ar(domain, code, message, detail);
    }
    friend bool operator==(const Error&, const Error&) = default;
};

inline Error make_error(Status status, std::string domain, std::string code, std::string message,
                        std::string detail = {}) {
    return Error{status, std::move(domain), std::move(code), std::move(message), std::move(detail)};
}

}  // namespace lbx::ipc
