#include "support/served_engine.hpp"

#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"

#include <lightbox/ipc/topics.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <thread>
#include <sstream>

namespace lbx::test {

ServedEngine::ServedEngine(std::vector<std::string> args, std::vector<std::string> env, bool wait_ready) {
    env_ = {"XDG_RUNTIME_DIR=" + dir_.path().string(), "XDG_CACHE_HOME=" + (dir_.path() / "cache").string(),
            "XDG_DATA_HOME=" + (dir_.path() / "data").string()};
    env_.insert(env_.end(), env.begin(), env.end());
    std::vector<std::string> argv{LIGHTBOX_TEST_ENGINE_EXE, "serve", "--thumbs", thumbs_dir().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    child_ = std::make_unique<ChildProcess>(argv, env_);
    if (!wait_ready) return;
    const bool ready = child_->wait_for_stdout_lines(2, std::chrono::seconds(30));
    INFO("engine stdout: " << child_->out() << "\nengine stderr: " << child_->err());
    REQUIRE(ready);
    std::istringstream lines(child_->out());
    std::string key, value;
    while (lines >> key >> value) {
        if (key == "command") command_ = value;
        else if (key == "events") events_ = value;
        else if (key == "token-file") token_file_ = value;
    }
    REQUIRE_FALSE(command_.empty());
    REQUIRE_FALSE(events_.empty());
}

ipc::ClientOptions ServedEngine::client_options(std::chrono::milliseconds timeout, int retries) const {
    ipc::ClientOptions options;
    options.endpoint = command_;
    options.timeout = timeout;
    options.retries = retries;
    return options;
}

ProcessResult ServedEngine::stop(int signal, std::chrono::milliseconds timeout) {
    child_->send_signal(signal);
    return child_->wait(timeout);
}

void write_photo_set(const std::filesystem::path& dir, int count, uint32_t width, uint32_t height) {
    std::filesystem::create_directories(dir);
    std::vector<std::vector<uint8_t>> pictures;
    for (uint32_t seed = 1; seed <= 4; ++seed) pictures.push_back(sample::encode_jpeg(sample::make_scene(width, height, seed)));
    for (int i = 0; i < count; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "photo-%04d.jpg", i);
        write_file(dir / name, pictures[static_cast<std::size_t>(i) % pictures.size()]);
    }
}

ProcessResult run_ctl(const std::vector<std::string>& args, const std::vector<std::string>& extra_env) {
    std::vector<std::string> argv{LIGHTBOX_TEST_CTL_EXE};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, extra_env);
}

ipc::JobSnapshot wait_for_job(ipc::Client& client, uint64_t job_id, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        auto status = client.call(ipc::JobStatus{job_id});
        REQUIRE(status);
        if (ipc::is_final(status->job.progress.state)) return status->job;
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling interval, not a race dodge
    }
}

void wait_until_subscribed(ipc::EventSubscriber& events) {
    events.subscribe(ipc::kTopicHeartbeat);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        auto received = events.next(std::chrono::milliseconds(200));
        if (received && *received && std::holds_alternative<ipc::Heartbeat>((*received)->event)) return;
    }
    FAIL("no heartbeat within 10 s");
}

}  // namespace lbx::test
