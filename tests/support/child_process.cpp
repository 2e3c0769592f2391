#include "support/child_process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace lbx::test {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
                           const std::string& stdin_text, std::optional<uid_t> run_as) {
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) || pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC))
        throw std::runtime_error("pipe failed");
    // Build argv and envp before fork: the child only calls async-signal-safe functions.
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> env_storage;
    for (char** e = environ; *e; ++e) env_storage.emplace_back(*e);
    for (const auto& e : extra_env) {
        auto eq = e.find('=');
        std::erase_if(env_storage, [&](const std::string& s) { return s.compare(0, eq + 1, e, 0, eq + 1) == 0; });
        env_storage.push_back(e);
    }
    std::vector<char*> envp;
    for (auto& e : env_storage) envp.push_back(e.data());
    envp.push_back(nullptr);

    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        // A clean signal state: a test runner started in the background inherits SIGINT ignored, and
        // exec keeps ignored signals ignored, which would hide the engine's Ctrl-C handling.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        if (run_as && (setgroups(0, nullptr) != 0 || setgid(*run_as) != 0 || setuid(*run_as) != 0)) _exit(126);
        execve(args[0], args.data(), envp.data());
        _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    // Small inputs only (path lists): written at once, then EOF.
    std::size_t done = 0;
    while (done < stdin_text.size()) {
        ssize_t n = write(in_pipe[1], stdin_text.data() + done, stdin_text.size() - done);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    close(in_pipe[1]);
    out_fd_ = out_pipe[0];
    err_fd_ = err_pipe[0];
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
    if (err_fd_ >= 0) close(err_fd_);
}

bool ChildProcess::pump(std::chrono::milliseconds timeout) {
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    int open_count = (out_fd_ >= 0) + (err_fd_ >= 0);
    if (open_count == 0) return false;
    int ready = poll(fds, 2, static_cast<int>(timeout.count()));
    if (ready <= 0) return true;
    char buffer[65536];
    for (int i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
        if (n > 0) {
            (i == 0 ? result_.out : result_.err).append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            close(fds[i].fd);
            (i == 0 ? out_fd_ : err_fd_) = -1;
        }
    }
    return true;
}

bool ChildProcess::wait_for_stdout_lines(std::size_t lines, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (static_cast<std::size_t>(std::count(result_.out.begin(), result_.out.end(), '\n')) < lines) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        if (!pump(std::chrono::milliseconds(50)) && out_fd_ < 0) return false;
    }
    return true;
}

bool ChildProcess::wait_for_stderr(const std::string& text, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (result_.err.find(text) == std::string::npos) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        if (!pump(std::chrono::milliseconds(50)) && err_fd_ < 0) return false;
    }
    return true;
}

void ChildProcess::send_signal(int signal) {
    if (pid_ > 0) kill(pid_, signal);
}

ProcessResult ChildProcess::wait(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return result_;  // waited for already (waitpid(-1) would reap any child)
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out_fd_ >= 0 || err_fd_ >= 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            result_.timed_out = true;
            kill(pid_, SIGKILL);
            break;
        }
        pump(std::chrono::milliseconds(100));
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result_;
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
                          const std::string& stdin_text) {
    ChildProcess child(argv, extra_env, stdin_text);
    return child.wait();
}

ProcessResult run_engine(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
                         const std::string& stdin_text) {
    std::vector<std::string> argv{LIGHTBOX_TEST_ENGINE_EXE};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, extra_env, stdin_text);
}

}  // namespace lbx::test
