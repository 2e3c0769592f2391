// The shell's view of its engine connection, shown in the status bar.
#pragma once

#include <string_view>

namespace lbx::shell {

enum class EngineStatus {
    starting,        // launching or attaching, waiting for Hello to say ready
    connected,       // heartbeats arrive
    not_responding,  // no heartbeat for the watch period, or a request got no reply
    restarting,      // starting a new engine (or attaching again) after not_responding
    failed,          // the engine cannot be started (missing executable, bad catalog); retried slowly
};

std::string_view to_string(EngineStatus status);  // "starting", "connected", "not responding", ...

}  // namespace lbx::shell
