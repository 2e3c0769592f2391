// Starting `lightbox-engine serve` as a child process, or finding the one already serving this user's
// runtime directory (sdk_docs/protocol.md, "One engine per endpoint"). No wx, no sockets.
#pragma once

#include <lightbox/ipc/endpoint.hpp>
#include <lightbox/ipc/expected.hpp>

#include <chrono>
#include <memory>
#include <filesystem>
#include <functional>
#include <string>
#include <sys/types.h>

namespace lbx::shell {

struct LaunchOptions {
    std::filesystem::path engine_exe;   // lightbox-engine
    std::filesystem::path runtime_dir;  // --runtime-dir
    std::string catalog;                // --catalog; empty: the engine's default library
    std::chrono::milliseconds ready_timeout{30000};
    std::function<bool()> cancelled;    // checked while waiting: the app is closing
};

// A child engine. The destructor stops it (SIGTERM, then SIGKILL after 3 s) and reaps it.
class EngineProcess {
public:
    EngineProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}
    ~EngineProcess();
    EngineProcess(const EngineProcess&) = delete;
    EngineProcess& operator=(const EngineProcess&) = delete;

    pid_t pid() const { return pid_; }
    bool running();                // false once it exited (reaped)
    void kill_now();               // SIGKILL and reap: a hung engine is not waited for
    void drain_stdout();           // the engine may print later; keep its pipe from filling
    int stdout_fd() const { return stdout_fd_; }

private:
    pid_t pid_;
    int stdout_fd_;
    bool reaped_ = false;
};

struct Launched {
    ipc::EndpointPair endpoints;
    std::unique_ptr<EngineProcess> process;  // null: attached to an engine another program started
};

// Starts the engine and waits until it prints its endpoints; when another engine already serves the
// runtime directory (exit code 2), attaches to it by reading DIR/endpoints.
ipc::Expected<Launched> launch_or_attach(const LaunchOptions& options);

// `lightbox-engine` next to `self_exe`, unless LIGHTBOX_ENGINE_EXE names one.
std::filesystem::path find_engine_exe(const std::filesystem::path& self_exe);

}  // namespace lbx::shell
