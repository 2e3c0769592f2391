#include "model/engine_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace lbx::shell {
namespace {

ipc::Error launch_error(std::string code, std::string message) {
    return ipc::make_error(ipc::Status::unavailable, "engine", std::move(code), std::move(message));
}

// A pipe whose ends are closed when it goes out of scope, unless released.
struct Pipe {
    int fd[2] = {-1, -1};
    ~Pipe() {
        for (int f : fd) if (f >= 0) ::close(f);
    }
};

}  // namespace

EngineProcess::~EngineProcess() {
    if (!reaped_ && pid_ > 0) {
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 300 && running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (!reaped_) kill_now();
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

bool EngineProcess::running() {
    if (reaped_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) reaped_ = true;
    return !reaped_;
}

void EngineProcess::kill_now() {
    if (reaped_) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
}

void EngineProcess::drain_stdout() {
    char buffer[4096];
    while (stdout_fd_ >= 0 && ::read(stdout_fd_, buffer, sizeof buffer) > 0) {}
}

std::filesystem::path find_engine_exe(const std::filesystem::path& self_exe) {
    if (const char* env = std::getenv("LIGHTBOX_ENGINE_EXE"); env && *env) return env;
    return self_exe.parent_path() / "lightbox-engine";
}

ipc::Expected<Launched> launch_or_attach(const LaunchOptions& options) {
    if (!std::filesystem::exists(options.engine_exe)) {
        return ipc::unexpected(launch_error("no_engine", "engine executable not found: " + options.engine_exe.string() +
                                                             " (set LIGHTBOX_ENGINE_EXE)"));
    }
    std::vector<std::string> args{options.engine_exe.string(), "serve", "--runtime-dir", options.runtime_dir.string()};
    if (!options.catalog.empty()) {
        args.push_back("--catalog");
        args.push_back(options.catalog);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    Pipe out;
    if (::pipe2(out.fd, O_CLOEXEC) != 0) return ipc::unexpected(launch_error("pipe", std::strerror(errno)));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out.fd[1], STDOUT_FILENO);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return ipc::unexpected(launch_error("spawn", "cannot start " + args[0] + ": " + std::strerror(rc)));
    ::close(std::exchange(out.fd[1], -1));
    auto process = std::make_unique<EngineProcess>(pid, std::exchange(out.fd[0], -1));

    // Read its stdout until both endpoint lines came, it exited, or the timeout passed.
    std::string text;
    ipc::EndpointPair endpoints;
    const auto deadline = std::chrono::steady_clock::now() + options.ready_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (options.cancelled && options.cancelled()) {
            process->kill_now();
            return ipc::unexpected(launch_error("cancelled", "the engine start was cancelled"));
        }
        pollfd p{process->stdout_fd(), POLLIN, 0};
        if (::poll(&p, 1, 50) > 0) {
            char buffer[1024];
            const ssize_t n = ::read(process->stdout_fd(), buffer, sizeof buffer);
            if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
        }
        std::istringstream lines(text);
        std::string key, value;
        while (lines >> key >> value) {
            if (key == "command") endpoints.commands = value;
            if (key == "events") endpoints.events = value;
        }
        if (!endpoints.commands.empty() && !endpoints.events.empty() && text.back() == '\n') {
            ::fcntl(process->stdout_fd(), F_SETFL, O_NONBLOCK);
            return Launched{endpoints, std::move(process)};
        }
        if (!process->running()) {
            // Exit code 2: another engine holds the runtime directory's lock. Attach to it.
            auto attached = ipc::read_endpoints_file(ipc::endpoints_file(options.runtime_dir));
            if (attached) return Launched{*attached, nullptr};
            return ipc::unexpected(launch_error("exited", "the engine exited before it was ready (" + args[0] +
                                                              "); " + attached.error().message));
        }
    }
    process->kill_now();
    return ipc::unexpected(launch_error("timeout", "the engine did not get ready in time"));
}

}  // namespace lbx::shell
