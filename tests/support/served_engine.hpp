// A real `lightbox-engine serve` process for integration tests: its own runtime, cache and data folders
// (XDG_RUNTIME_DIR and friends point into a temporary directory), started and waited for until it
// prints its endpoints, killed at the end of the test if it is still running.
#pragma once

#include "support/child_process.hpp"
#include "support/test_files.hpp"

#include <lightbox/ipc/client.hpp>
#include <lightbox/ipc/event_subscriber.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace lbx::test {

class ServedEngine {
public:
    // `args` go after `serve`; `env` adds to the test environment. With `wait_ready`, returns once the
    // engine printed its endpoints (fails the test after 30 s).
    explicit ServedEngine(std::vector<std::string> args = {}, std::vector<std::string> env = {}, bool wait_ready = true);

    const std::filesystem::path& home() const { return dir_.path(); }           // the temporary directory
    std::filesystem::path runtime_dir() const { return dir_.path() / "lightbox"; }  // $XDG_RUNTIME_DIR/lightbox
    std::filesystem::path thumbs_dir() const { return dir_.path() / "thumbs"; }
    const std::string& command_endpoint() const { return command_; }  // as printed
    const std::string& event_endpoint() const { return events_; }
    std::string token_file() const { return token_file_; }            // TCP only
    std::vector<std::string> env() const { return env_; }            // the engine's environment additions

    ipc::ClientOptions client_options(std::chrono::milliseconds timeout = std::chrono::milliseconds(3000),
                                      int retries = 1) const;
    ChildProcess& process() { return *child_; }
    ProcessResult stop(int signal = SIGTERM, std::chrono::milliseconds timeout = std::chrono::seconds(30));

private:
    TempDir dir_;
    std::vector<std::string> env_;
    std::unique_ptr<ChildProcess> child_;
    std::string command_;
    std::string events_;
    std::string token_file_;
};

// Asks JobStatus every 20 ms until the job is final and returns its snapshot; fails the test after `limit`.
ipc::JobSnapshot wait_for_job(ipc::Client& client, uint64_t job_id, std::chrono::seconds limit = std::chrono::seconds(120));

// `count` JPEG files of width x height in `dir` (a few distinct pictures, copied), named photo-NNNN.jpg.
void write_photo_set(const std::filesystem::path& dir, int count, uint32_t width = 800, uint32_t height = 600);

// Returns once a heartbeat arrived on `events` (subscribed here): a ZeroMQ subscription takes effect
// asynchronously, and events published before it are lost. Fails the test after 10 s.
void wait_until_subscribed(ipc::EventSubscriber& events);

// The lightbox-ctl of this build tree.
ProcessResult run_ctl(const std::vector<std::string>& args, const std::vector<std::string>& extra_env = {});

}  // namespace lbx::test
