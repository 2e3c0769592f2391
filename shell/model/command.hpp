// A command for the engine session: one request and the tag its reply comes back with (the reducer
// uses the tag to drop replies that are out of date, e.g. a page of a query typed over since).
#pragma once

#include <lightbox/ipc/requests.hpp>

#include <cstdint>

namespace lbx::shell {

struct Command {
    ipc::Request request;
    uint64_t tag = 0;
};

}  // namespace lbx::shell
