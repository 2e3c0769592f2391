#include "model/engine_status.hpp"

namespace lbx::shell {

std::string_view to_string(EngineStatus status) {
    switch (status) {
        case EngineStatus::starting: return "starting";
        case EngineStatus::connected: return "connected";
        case EngineStatus::not_responding: return "not responding";
        case EngineStatus::restarting: return "restarting";
        case EngineStatus::failed: return "failed";
    }
    return "unknown";
}

}  // namespace lbx::shell
