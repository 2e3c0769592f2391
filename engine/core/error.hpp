// The engine's error value: what crosses a boundary (plugin -> engine, engine -> user) is one of these,
// never an exception. Modelled on GStreamer's GError: a domain, a code within it, a message for the
// user and a detail for the developer.
#pragma once

#include <string>

namespace lbx::engine {

struct Error {
    std::string domain;   // "usage", "config", "io", "plugin", "decode", ...
    std::string code;     // a stable lower-case word: "corrupt", "truncated", "too_large", "not_found", ...
    std::string message;  // lower-case start, no trailing period, concrete values
    std::string detail;   // optional: for logs and bug reports
};

inline Error make_error(std::string domain, std::string code, std::string message, std::string detail = {}) {
    return Error{std::move(domain), std::move(code), std::move(message), std::move(detail)};
}

}  // namespace lbx::engine
