// What the caller of Pipeline::process hands in for one file besides the file: how to tell a stage to stop,
// where plugin messages go, and who wants to know which stage runs. Isolation uses it: a worker process
// records the running stage where its supervisor can read it after a crash, and turns the supervisor's stop
// request into the plugin API's stop check. Every member is optional; the default runs the file plainly.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace lbx::engine {

struct LoadedStage;

struct ProcessContext {
    // Called with the stage about to be called, and with nullptr when the call has returned.
    std::function<void(const LoadedStage*)> on_stage;
    // True when the file's work should end early (a stop request or a deadline): long stages poll it through
    // the plugin API's host services (API 1.1).
    std::function<bool()> should_stop;
    // A message a plugin wrote through the host services' log callback (API 1.1); level as lbx_log_level.
    std::function<void(const LoadedStage& stage, int level, std::string_view message)> log;
    // How many threads a stage may use for one file (API 1.1 threads hint); 0: the stage decides.
    uint32_t threads_hint = 0;
};

}  // namespace lbx::engine
