// Runs a real program for integration tests: arguments, extra environment, text on stdin, captured
// stdout and stderr, a timeout (the child is killed, never left hanging), and signals mid-run.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lbx::test {

struct ProcessResult {
    int exit_code = -1;    // the exit status, or 128 + signal when killed by one
    bool timed_out = false;
    std::string out;
    std::string err;
};

class ChildProcess {
public:
    // With `run_as`, the child switches to that uid (and gid) before exec: tests running as root use it
    // to act as another user of the machine.
    ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {},
                 const std::string& stdin_text = "", std::optional<uid_t> run_as = std::nullopt);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Reads output until stdout holds at least `lines` newlines or the timeout passes.
    bool wait_for_stdout_lines(std::size_t lines, std::chrono::milliseconds timeout);
    // Reads output until stderr holds `text` or the timeout passes.
    bool wait_for_stderr(const std::string& text, std::chrono::milliseconds timeout);
    void send_signal(int signal);
    pid_t pid() const { return pid_; }
    // What the child printed so far (filled by wait_for_stdout_lines and wait).
    const std::string& out() const { return result_.out; }
    const std::string& err() const { return result_.err; }
    ProcessResult wait(std::chrono::milliseconds timeout = std::chrono::seconds(120));

private:
    bool pump(std::chrono::milliseconds timeout);  // one poll round; false when both pipes closed

    pid_t pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
    ProcessResult result_;
};

ProcessResult run_process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {},
                          const std::string& stdin_text = "");

// The lightbox-engine of this build tree with arguments.
ProcessResult run_engine(const std::vector<std::string>& args, const std::vector<std::string>& extra_env = {},
                         const std::string& stdin_text = "");

}  // namespace lbx::test
