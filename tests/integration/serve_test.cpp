// The engine as a service, end to end: a real `lightbox-engine serve` process, real ipc:// and tcp://
// sockets, the client library of ipc/ and the real lightbox-ctl. Scans run on photos the tests write.
#include "support/child_process.hpp"
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include <lightbox/ipc/client.hpp>
#include <lightbox/ipc/codec.hpp>
#include <lightbox/ipc/endpoint.hpp>
#include <lightbox/ipc/event_subscriber.hpp>
#include <lightbox/ipc/job_tracker.hpp>
#include <lightbox/ipc/token.hpp>
#include <lightbox/ipc/topics.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <set>
#include <thread>

using namespace lbx;
using namespace std::chrono_literals;
using test::ServedEngine;

namespace {

ipc::Hello hello() { return ipc::Hello{ipc::kProtocolVersion, "serve_test"}; }


uint64_t start_scan(ipc::Client& client, const std::filesystem::path& photos) {
    auto started = client.call(ipc::StartScan{{photos.string()}, "", {}, ""});
    INFO((started ? std::string() : started.error().message));
    REQUIRE(started);
    return started->job_id;
}

// Sends one raw frame on a fresh DEALER and collects every reply that arrives within `quiet` after
// the first (there must be exactly one).
std::vector<std::vector<uint8_t>> raw_exchange(zmq::context_t& context, const std::string& endpoint,
                                               const std::vector<uint8_t>& frame) {
    zmq::socket_t dealer(context, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.connect(endpoint);
    dealer.send(zmq::buffer(frame), zmq::send_flags::none);
    std::vector<std::vector<uint8_t>> replies;
    auto wait = std::chrono::milliseconds(10000);  // the first reply (a 100 MB frame takes a moment)
    for (;;) {
        zmq::pollitem_t item{static_cast<void*>(dealer), 0, ZMQ_POLLIN, 0};
        if (zmq::poll(&item, 1, wait) == 0) break;
        zmq::message_t reply;
        REQUIRE(dealer.recv(reply, zmq::recv_flags::none));
        replies.emplace_back(reply.data<uint8_t>(), reply.data<uint8_t>() + reply.size());
        wait = 300ms;
    }
    return replies;
}

std::vector<uint8_t> request_frame(const ipc::Request& request, uint64_t id = 7) {
    ipc::RequestEnvelope envelope;
    envelope.request_id = id;
    envelope.body = request;
    return ipc::encode(envelope);
}

}  // namespace

TEST_CASE("serve prints its endpoints once ready, writes them to the 0700 runtime directory and answers Hello",
          "[integration][serve]") {
    ServedEngine engine;
    CHECK(engine.command_endpoint() == ipc::command_endpoint(engine.runtime_dir()));
    CHECK(engine.event_endpoint() == ipc::event_endpoint(engine.runtime_dir()));
    CHECK(lbx::test::file_mode(engine.runtime_dir()) == 0700);
    auto file = ipc::read_endpoints_file(ipc::endpoints_file(engine.runtime_dir()));
    REQUIRE(file);
    CHECK(file->commands == engine.command_endpoint());
    CHECK(file->events == engine.event_endpoint());

    zmq::context_t context;
    {
        ipc::Client client(context, engine.client_options());
        auto reply = client.call(hello());
        REQUIRE(reply);
        CHECK(reply->ready);
        CHECK(reply->protocol_version == ipc::kProtocolVersion);
        CHECK(reply->event_endpoint == engine.event_endpoint());
        std::set<std::string> formats(reply->capabilities.formats.begin(), reply->capabilities.formats.end());
        CHECK(formats.count("jpeg") == 1);
        CHECK(formats.count("heif") == 1);
        auto plugins = client.call(ipc::ListPlugins{});
        REQUIRE(plugins);
        CHECK(plugins->plugins.size() >= 8);
    }
    auto stopped = engine.stop();
    CHECK(stopped.exit_code == 0);
    CHECK_FALSE(std::filesystem::exists(ipc::endpoints_file(engine.runtime_dir())));
    CHECK_FALSE(std::filesystem::exists(engine.runtime_dir() / "engine.cmd"));
}

TEST_CASE("commands other than Hello get not_ready while the plugins load", "[integration][serve]") {
    ServedEngine engine({}, {"LIGHTBOX_TEST_PLUGIN_LOAD_DELAY_MS=1500"}, false);
    zmq::context_t context;
    ipc::ClientOptions options;
    options.endpoint = ipc::command_endpoint(engine.runtime_dir());
    options.timeout = 3000ms;
    ipc::Client client(context, options);
    // The socket is bound before the plugins load: wait for it, then ask while loading.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!std::filesystem::exists(engine.runtime_dir() / "engine.cmd")) {
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(10ms);
    }
    auto early = client.call(hello());
    REQUIRE(early);
    CHECK_FALSE(early->ready);
    auto plugins = client.call(ipc::ListPlugins{});
    REQUIRE_FALSE(plugins);
    CHECK(plugins.error().status == ipc::Status::not_ready);
    REQUIRE(engine.process().wait_for_stdout_lines(2, 20s));  // printed once ready
    auto later = client.call(hello());
    REQUIRE(later);
    CHECK(later->ready);
    CHECK(client.call(ipc::ListPlugins{}));
}

TEST_CASE("a scan runs while one client polls JobStatus and another watches its progress", "[integration][serve]") {
    ServedEngine engine({"--jobs", "2"});
    test::write_photo_set(engine.home() / "photos", 40);
    zmq::context_t context;

    // The watcher subscribes (and proves the subscription live) before the job starts.
    ipc::EventSubscriber watcher(context, engine.event_endpoint());
    watcher.subscribe(ipc::kTopicJobs);
    watcher.subscribe(ipc::kTopicPhotoDone);
    test::wait_until_subscribed(watcher);

    ipc::Client client(context, engine.client_options());
    const uint64_t job = start_scan(client, engine.home() / "photos");

    // The poller: its own thread, its own context use and its own client (a socket per thread).
    std::atomic<bool> poller_ok{true};
    std::atomic<int> polls{0};
    std::jthread poller([&] {
        ipc::Client own(context, engine.client_options());
        uint64_t last_done = 0, last_sequence = 0;
        for (;;) {
            auto status = own.call(ipc::JobStatus{job});
            if (!status) {
                poller_ok = false;
                return;
            }
            const ipc::JobProgress& p = status->job.progress;
            if (p.done < last_done || p.sequence < last_sequence) poller_ok = false;
            last_done = p.done;
            last_sequence = p.sequence;
            ++polls;
            if (ipc::is_final(p.state)) return;
        }
    });

    std::vector<ipc::JobProgress> progress;
    std::set<std::string> photo_ids;
    int photo_events = 0;
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + 120s;
    while (progress.empty() || !ipc::is_final(progress.back().state)) {
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        auto received = watcher.next(500ms);
        REQUIRE(received);
        if (!*received) continue;
        if (const auto* e = std::get_if<ipc::JobProgressEvent>(&(*received)->event)) {
            CHECK((*received)->topic == ipc::job_progress_topic(job));
            progress.push_back(e->progress);
        } else if (const auto* done = std::get_if<ipc::PhotoDone>(&(*received)->event)) {
            ++photo_events;
            photo_ids.insert(done->photo_id);
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    poller.join();
    CHECK(poller_ok);
    CHECK(polls > 1);

    REQUIRE(progress.size() >= 2);
    CHECK(progress.front().state == ipc::JobState::started);
    const ipc::JobProgress& last = progress.back();
    CHECK(last.state == ipc::JobState::completed);
    CHECK(last.done == 40);
    CHECK(last.total == 40);
    CHECK(last.failed == 0);
    for (std::size_t i = 1; i < progress.size(); ++i) {
        CHECK(progress[i].sequence == progress[i - 1].sequence + 1);  // no progress event was lost here
        CHECK(progress[i].done >= progress[i - 1].done);
    }
    // Throttled to about 10 per second (plus the first and the last).
    CHECK(progress.size() <= static_cast<std::size_t>(seconds * 12) + 3);
    CHECK(photo_events == 40);
    CHECK(photo_ids.size() == 4);  // four distinct pictures, copied

    auto snapshot = client.call(ipc::JobStatus{job});
    REQUIRE(snapshot);
    CHECK(snapshot->job.progress == last);  // the snapshot and the final event agree

    // The photos the job processed: metadata, tags and thumbnail bytes.
    auto photo = client.call(ipc::GetPhoto{*photo_ids.begin()});
    REQUIRE(photo);
    CHECK(photo->photo.format == "jpeg");
    CHECK(photo->photo.width == 800);
    CHECK(photo->photo.thumbnails.size() == 2);
    auto thumb = client.call(ipc::GetThumbnail{*photo_ids.begin(), 200});
    REQUIRE(thumb);
    CHECK(thumb->width == 256);
    CHECK(thumb->mime_type == "image/jpeg");
    REQUIRE(thumb->bytes.size() > 100);
    CHECK(thumb->bytes[0] == 0xFF);
    CHECK(thumb->bytes[1] == 0xD8);
    auto missing = client.call(ipc::GetPhoto{"0123456789abcdef0123456789abcdef"});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().status == ipc::Status::not_found);

    auto jobs = client.call(ipc::ListJobs{});
    REQUIRE(jobs);
    REQUIRE(jobs->jobs.size() == 1);
    CHECK(jobs->jobs[0].progress.job_id == job);
}

TEST_CASE("a job cancelled mid-way ends cancelled and keeps the photos it finished", "[integration][serve]") {
    ServedEngine engine({"--jobs", "1"});
    test::write_photo_set(engine.home() / "photos", 300, 1600, 1200);
    zmq::context_t context;
    ipc::Client client(context, engine.client_options());
    ipc::EventSubscriber events(context, engine.event_endpoint());
    events.subscribe(ipc::kTopicPhotoDone);
    test::wait_until_subscribed(events);
    const uint64_t job = start_scan(client, engine.home() / "photos");

    std::string first_photo;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (first_photo.empty()) {
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        auto received = events.next(500ms);
        REQUIRE(received);
        if (*received) {
            if (const auto* done = std::get_if<ipc::PhotoDone>(&(*received)->event)) first_photo = done->photo_id;
        }
    }
    auto cancelled = client.call(ipc::CancelJob{job});
    REQUIRE(cancelled);
    CHECK_FALSE(ipc::is_final(cancelled->state));

    auto final_job = ipc::follow_job(client, events, job, nullptr);
    REQUIRE(final_job);
    CHECK(final_job->progress.state == ipc::JobState::cancelled);
    CHECK(final_job->progress.done >= 1);
    CHECK(final_job->progress.done < 300);
    CHECK(client.call(ipc::GetPhoto{first_photo}));  // in-flight and finished results are kept

    auto again = client.call(ipc::CancelJob{job});  // cancelling an ended job is harmless
    REQUIRE(again);
    CHECK(again->state == ipc::JobState::cancelled);
    auto unknown = client.call(ipc::CancelJob{job + 100});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().status == ipc::Status::not_found);
}

TEST_CASE("a client reports an engine killed mid-job within its timeout", "[integration][serve][timing]") {
    ServedEngine engine({"--jobs", "1"});
    test::write_photo_set(engine.home() / "photos", 300, 1600, 1200);
    zmq::context_t context;
    ipc::Client client(context, engine.client_options(400ms, 1));
    const uint64_t job = start_scan(client, engine.home() / "photos");
    REQUIRE(client.call(ipc::JobStatus{job}));

    engine.process().send_signal(SIGKILL);
    engine.process().wait();
    const auto before = std::chrono::steady_clock::now();
    auto status = client.call(ipc::JobStatus{job});
    const auto elapsed = std::chrono::steady_clock::now() - before;
    REQUIRE_FALSE(status);
    CHECK(status.error().status == ipc::Status::unavailable);
    CHECK(status.error().message.find("engine not responding") != std::string::npos);
    CHECK(elapsed < 2 * 400ms + 2s);  // two attempts of 400 ms, never a hang (2 s for a loaded machine)

    // lightbox-ctl says the same, with its own exit code.
    auto ctl = test::run_ctl({"--endpoint", engine.command_endpoint(), "--timeout", "300", "--retries", "0", "status",
                              std::to_string(job)});
    CHECK(ctl.exit_code == 3);
    CHECK(ctl.err.find("engine not responding") != std::string::npos);

    // The killed engine left its socket files: a new engine removes them and serves.
    CHECK(std::filesystem::exists(engine.runtime_dir() / "engine.cmd"));
    test::ChildProcess second({LIGHTBOX_TEST_ENGINE_EXE, "serve", "--runtime-dir", engine.runtime_dir().string()},
                              engine.env());
    REQUIRE(second.wait_for_stdout_lines(2, 30s));
    ipc::Client fresh(context, engine.client_options());
    CHECK(fresh.call(hello()));
    second.send_signal(SIGTERM);
    CHECK(second.wait().exit_code == 0);
}

TEST_CASE("a second engine on the same endpoint is refused with exit code 2", "[integration][serve]") {
    ServedEngine engine;
    auto second = test::run_process({LIGHTBOX_TEST_ENGINE_EXE, "serve", "--runtime-dir", engine.runtime_dir().string()},
                                    engine.env());
    CHECK(second.exit_code == 2);
    CHECK(second.err.find("another engine") != std::string::npos);
    CHECK(second.err.find("already serving") != std::string::npos);
    // The first engine still serves, and its endpoints file is untouched.
    zmq::context_t context;
    ipc::Client client(context, engine.client_options());
    CHECK(client.call(hello()));
    CHECK(std::filesystem::exists(ipc::endpoints_file(engine.runtime_dir())));

    auto bad = test::run_process({LIGHTBOX_TEST_ENGINE_EXE, "serve", "--endpoint", "tcp://0.0.0.0:5555"}, engine.env());
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("not a loopback address") != std::string::npos);
}

TEST_CASE("malformed frames each get exactly one error reply and the engine keeps serving", "[integration][serve]") {
    ServedEngine engine;
    zmq::context_t context;

    std::vector<uint8_t> valid = request_frame(hello(), 7);
    std::vector<uint8_t> truncated(valid.begin(), valid.begin() + static_cast<long>(valid.size() / 2));
    std::vector<uint8_t> trailing = valid;
    trailing.push_back(0);
    std::vector<uint8_t> unknown_type = valid;
    // Token length (8 bytes, 0) ends at byte 22, then the uint16 type index.
    unknown_type[22] = 0xEE;
    unknown_type[23] = 0x00;
    std::vector<uint8_t> wrong_version = valid;
    wrong_version[1] = static_cast<uint8_t>(ipc::kProtocolVersion + 1);
    ipc::ReplyEnvelope reply_envelope;
    reply_envelope.request_id = 7;
    reply_envelope.body = ipc::ShutdownReply{};
    std::vector<uint8_t> reply_kind = ipc::encode(reply_envelope);
    std::mt19937 rng(42);
    std::vector<uint8_t> random_bytes(4096);
    for (auto& b : random_bytes) b = static_cast<uint8_t>(rng());
    std::vector<uint8_t> huge(100u * 1024 * 1024, 0x01);

    const std::vector<std::pair<std::string, std::vector<uint8_t>>> cases = {
        {"empty", {}},
        {"truncated", truncated},
        {"trailing_bytes", trailing},
        {"unknown_type", unknown_type},
        {"version", wrong_version},
        {"wrong_kind", reply_kind},
        {"malformed", random_bytes},
        {"oversize", huge},
    };
    for (const auto& [code, frame] : cases) {
        INFO("case " << code);
        auto replies = raw_exchange(context, engine.command_endpoint(), frame);
        REQUIRE(replies.size() == 1);
        auto decoded = ipc::decode_reply(replies[0]);
        REQUIRE(decoded);
        const auto* error = std::get_if<ipc::ErrorReply>(&decoded->body);
        REQUIRE(error != nullptr);
        if (code == "malformed") {
            // Random bytes fail at whatever check they reach first.
            CHECK((error->error.status == ipc::Status::bad_request || error->error.status == ipc::Status::version_mismatch));
        } else {
            CHECK(error->error.code == code);
            CHECK(error->error.status == (code == "version" ? ipc::Status::version_mismatch : ipc::Status::bad_request));
        }
        if (code == "truncated" || code == "trailing_bytes" || code == "unknown_type") CHECK(decoded->request_id == 7);
    }

    // A REQ peer (its frames carry an empty delimiter part) is answered too.
    zmq::socket_t req(context, zmq::socket_type::req);
    req.set(zmq::sockopt::linger, 0);
    req.connect(engine.command_endpoint());
    req.send(zmq::buffer(valid), zmq::send_flags::none);
    zmq::message_t answer;
    zmq::pollitem_t item{static_cast<void*>(req), 0, ZMQ_POLLIN, 0};
    REQUIRE(zmq::poll(&item, 1, 5000ms) == 1);
    REQUIRE(req.recv(answer, zmq::recv_flags::none));
    auto decoded = ipc::decode_reply(std::span<const uint8_t>(answer.data<uint8_t>(), answer.size()));
    REQUIRE(decoded);
    CHECK(std::holds_alternative<ipc::HelloReply>(decoded->body));

    ipc::Client client(context, engine.client_options());
    CHECK(client.call(hello()));
    CHECK(::kill(engine.process().pid(), 0) == 0);  // the process is still there after all of it
}

TEST_CASE("StartScan checks its paths, pipeline and overrides before a job starts", "[integration][serve]") {
    ServedEngine engine({"--max-jobs", "1", "--jobs", "1"});
    test::write_photo_set(engine.home() / "photos", 200, 1600, 1200);
    zmq::context_t context;
    ipc::Client client(context, engine.client_options());
    const std::string photos = (engine.home() / "photos").string();
    auto status_of = [&](const ipc::StartScan& request) {
        auto reply = client.call(request);
        return reply ? ipc::Status::ok : reply.error().status;
    };
    CHECK(status_of({{}, "", {}, ""}) == ipc::Status::bad_request);
    CHECK(status_of({{"relative/dir"}, "", {}, ""}) == ipc::Status::bad_request);
    CHECK(status_of({{photos + "/missing"}, "", {}, ""}) == ipc::Status::not_found);
    CHECK(status_of({{photos}, "no-such-pipeline", {}, ""}) == ipc::Status::not_found);
    CHECK(status_of({{photos}, "", {{"nostage.quality", "90"}}, ""}) == ipc::Status::bad_request);
    CHECK(status_of({{photos}, "", {{"thumbnails.sizes", "5"}}, ""}) == ipc::Status::bad_request);
    CHECK(status_of({{photos}, "", {}, "holiday"}) == ipc::Status::bad_request);

    // An override the stage's schema refuses fails the job, with the reason in its snapshot.
    auto bad_quality = client.call(ipc::StartScan{{photos}, "", {{"thumbnail.quality", "500"}}, ""});
    REQUIRE(bad_quality);
    ipc::JobSnapshot failed = test::wait_for_job(client, bad_quality->job_id);
    CHECK(failed.progress.state == ipc::JobState::failed);
    REQUIRE(failed.error);
    CHECK(failed.error->message.find("quality") != std::string::npos);

    // One job at a time here: a second one while the first runs is `busy`.
    auto first = client.call(ipc::StartScan{{photos}, "", {{"thumbnails.sizes", "128"}}, ""});
    REQUIRE(first);
    auto second = client.call(ipc::StartScan{{photos}, "", {}, ""});
    REQUIRE_FALSE(second);
    CHECK(second.error().status == ipc::Status::busy);
    REQUIRE(client.call(ipc::CancelJob{first->job_id}));
    CHECK(test::wait_for_job(client, first->job_id).progress.state == ipc::JobState::cancelled);
}

TEST_CASE("Shutdown and SIGTERM cancel running jobs, publish their final event and exit 0", "[integration][serve]") {
    const bool by_request = GENERATE(true, false);
    INFO((by_request ? "Shutdown request" : "SIGTERM"));
    ServedEngine engine({"--jobs", "1"});
    test::write_photo_set(engine.home() / "photos", 300, 1600, 1200);
    zmq::context_t context;
    ipc::Client client(context, engine.client_options());
    ipc::EventSubscriber events(context, engine.event_endpoint());
    events.subscribe(ipc::kTopicJobs);
    test::wait_until_subscribed(events);
    const uint64_t job = start_scan(client, engine.home() / "photos");
    // Wait until it really runs.
    for (;;) {
        auto status = client.call(ipc::JobStatus{job});
        REQUIRE(status);
        if (status->job.progress.done > 0) break;
        std::this_thread::sleep_for(20ms);
    }

    if (by_request) {
        REQUIRE(client.call(ipc::Shutdown{}));
    } else {
        engine.process().send_signal(SIGTERM);
    }
    std::optional<ipc::JobProgress> final_event;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!final_event && std::chrono::steady_clock::now() < deadline) {
        auto received = events.next(200ms);
        if (!received || !*received) continue;
        if (const auto* e = std::get_if<ipc::JobProgressEvent>(&(*received)->event)) {
            if (ipc::is_final(e->progress.state)) final_event = e->progress;
        }
    }
    REQUIRE(final_event);
    CHECK(final_event->state == ipc::JobState::cancelled);
    CHECK(final_event->done < 300);
    auto result = engine.process().wait(30s);
    CHECK(result.exit_code == 0);
    CHECK_FALSE(result.timed_out);
}

TEST_CASE("a TCP endpoint requires the engine's token in every request", "[integration][serve]") {
    ServedEngine engine({"--endpoint", "tcp://127.0.0.1:*"});
    REQUIRE(engine.command_endpoint().starts_with("tcp://127.0.0.1:"));
    REQUIRE(engine.event_endpoint().starts_with("tcp://127.0.0.1:"));
    REQUIRE_FALSE(engine.token_file().empty());
    CHECK(lbx::test::file_mode(engine.token_file()) == 0600);
    auto token = ipc::read_token_file(engine.token_file());
    REQUIRE(token);
    CHECK(token->size() == 64);

    zmq::context_t context;
    auto options = engine.client_options();
    {
        ipc::Client anonymous(context, options);
        auto reply = anonymous.call(hello());
        REQUIRE_FALSE(reply);
        CHECK(reply.error().status == ipc::Status::unauthorized);
        CHECK(reply.error().code == "missing_token");
    }
    {
        options.token = std::string(64, '0');
        ipc::Client wrong(context, options);
        auto reply = wrong.call(ipc::ListJobs{});
        REQUIRE_FALSE(reply);
        CHECK(reply.error().code == "bad_token");
    }
    options.token = *token;
    ipc::Client right(context, options);
    CHECK(right.call(hello()));
    CHECK(right.call(ipc::ListJobs{}));

    auto ctl = test::run_ctl({"--endpoint", engine.command_endpoint(), "--token-file", engine.token_file(), "hello"});
    CHECK(ctl.exit_code == 0);
    auto ctl_without = test::run_ctl({"--endpoint", engine.command_endpoint(), "--token-file", "/nonexistent", "hello"});
    CHECK(ctl_without.exit_code == 2);
}

TEST_CASE("another user of the machine cannot connect to the default endpoint", "[integration][serve]") {
    if (::geteuid() != 0) {
        WARN("skipped: needs root to act as a second user (uid 65534 is used, no account is created)");
        return;
    }
    const uid_t other = 65534;  // "nobody": any uid other than the engine's does
    // That user runs a copy of lightbox-ctl from a folder anyone may read: the build tree may lie under a
    // home directory it cannot enter (root's is 0700), and then exec fails (127) whatever the engine does.
    // lightbox-ctl links lightbox_ipc statically and only system libraries besides (ldd), so the binary
    // is all it needs.
    test::TempDir readable;
    using std::filesystem::perms;
    const perms everyone_reads = perms::owner_all | perms::group_read | perms::group_exec | perms::others_read | perms::others_exec;
    std::filesystem::permissions(readable.path(), everyone_reads);
    const std::filesystem::path ctl = readable / "lightbox-ctl";
    std::filesystem::copy_file(LIGHTBOX_TEST_CTL_EXE, ctl);
    std::filesystem::permissions(ctl, everyone_reads);
    auto probe = test::ChildProcess({ctl.string(), "--help"}, {}, "", other).wait(30s);
    if (probe.exit_code == 127) {
        // The temporary folder itself is out of that user's reach ($TMPDIR under a private directory).
        WARN("skipped: uid 65534 cannot run " << ctl << " (exit 127: is $TMPDIR private?): " << probe.err);
        return;
    }
    REQUIRE(probe.exit_code == 0);

    ServedEngine engine;
    // The default timeout and retries: three attempts of 1.5 s, were a permission error retried.
    const auto before = std::chrono::steady_clock::now();
    test::ChildProcess intruder({ctl.string(), "--endpoint", engine.command_endpoint(), "hello"}, {}, "", other);
    auto result = intruder.wait(30s);
    CHECK(std::chrono::steady_clock::now() - before < 1s);  // said at once: waiting cannot heal it
    INFO("stderr: " << result.err);
    REQUIRE(result.exit_code != 126);  // could not switch user
    REQUIRE(result.exit_code != 127);  // could not run lightbox-ctl as that user
    CHECK(result.exit_code == 3);
    CHECK(result.err.find("engine not responding") != std::string::npos);
    CHECK(result.err.find("Permission denied") != std::string::npos);
    // The engine's own user still gets in.
    zmq::context_t context;
    ipc::Client client(context, engine.client_options());
    CHECK(client.call(hello()));
}

TEST_CASE("lightbox-ctl drives the engine: hello, scan --wait, status, jobs, photo, thumbnail, watch", "[integration][serve]") {
    ServedEngine engine({"--jobs", "2"});
    test::write_photo_set(engine.home() / "photos", 12);
    const std::vector<std::string> to{"--endpoint", engine.command_endpoint()};
    auto ctl = [&](std::vector<std::string> args) {
        args.insert(args.begin(), to.begin(), to.end());
        return test::run_ctl(args);
    };

    auto hello_out = ctl({"hello"});
    CHECK(hello_out.exit_code == 0);
    CHECK(hello_out.out.find("ready") != std::string::npos);

    // A watcher started first (its first heartbeat line proves it subscribed) sees the job's events.
    test::ChildProcess watcher({LIGHTBOX_TEST_CTL_EXE, "--endpoint", engine.command_endpoint(), "--json", "watch",
                                "job/", "photo/done", "engine/heartbeat", "--for", "60"});
    REQUIRE(watcher.wait_for_stdout_lines(1, 10s));

    auto scan = ctl({"--json", "scan", (engine.home() / "photos").string(), "--wait"});
    INFO("scan stderr: " << scan.err);
    REQUIRE(scan.exit_code == 0);
    auto final_job = nlohmann::json::parse(scan.out);
    CHECK(final_job["state"] == "completed");
    CHECK(final_job["done"] == 12);
    const std::string job = std::to_string(final_job["job_id"].get<uint64_t>());
    CHECK(scan.err.find("completed") != std::string::npos);  // progress lines on stderr

    auto status = ctl({"status", job});
    CHECK(status.exit_code == 0);
    CHECK(status.out.find("completed: 12/12 done") != std::string::npos);
    auto jobs = ctl({"--json", "jobs"});
    CHECK(nlohmann::json::parse(jobs.out)["jobs"].size() == 1);

    // The watcher's lines: every one JSON, the job's final event and the photos among them.
    std::string photo_id;
    bool saw_final = false;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    for (std::size_t lines = 2; !saw_final && std::chrono::steady_clock::now() < deadline; ++lines) {
        if (!watcher.wait_for_stdout_lines(lines, 1s)) continue;
        saw_final = false;
        photo_id.clear();
        std::istringstream in(watcher.out());
        for (std::string line; std::getline(in, line);) {
            auto event = nlohmann::json::parse(line);
            if (event["event"] == "JobProgress" && event["progress"]["state"] == "completed") saw_final = true;
            if (event["event"] == "PhotoDone") photo_id = event["photo_id"];
        }
    }
    watcher.send_signal(SIGTERM);
    watcher.wait();
    CHECK(saw_final);
    REQUIRE_FALSE(photo_id.empty());

    auto photo = ctl({"--json", "photo", photo_id});
    REQUIRE(photo.exit_code == 0);
    auto photo_json = nlohmann::json::parse(photo.out);
    CHECK(photo_json["id"] == photo_id);
    CHECK(photo_json["format"] == "jpeg");
    const auto thumb_file = engine.home() / "thumb.jpg";
    auto thumb = ctl({"thumbnail", photo_id, "--size", "256", "-o", thumb_file.string()});
    CHECK(thumb.exit_code == 0);
    const auto thumb_bytes = test::read_file(thumb_file);
    REQUIRE(thumb_bytes.size() > 2);
    CHECK(thumb_bytes[0] == 0xFF);
    // "-o -" is stdout (a file named '-' before): the bytes there, what was written said on stderr.
    auto piped = ctl({"thumbnail", photo_id, "--size", "256", "-o", "-"});
    CHECK(piped.exit_code == 0);
    CHECK(piped.out == std::string(thumb_bytes.begin(), thumb_bytes.end()));
    CHECK(piped.err.find("-: 256x") != std::string::npos);

    // Query words that start with '-' are the query's, and --print0 prints the paths alone. The 12 files
    // are 4 pictures, copied: a query lists each photo (content) once.
    auto negated = ctl({"query", "-path:no-such-name", "--limit", "3"});
    CHECK(negated.exit_code == 0);
    CHECK(negated.err.find("3 of 4 photos") != std::string::npos);
    auto typo = ctl({"query", "--limt", "3"});
    CHECK(typo.exit_code == 2);
    auto paths = ctl({"query", "--print0"});
    CHECK(paths.exit_code == 0);
    CHECK(std::count(paths.out.begin(), paths.out.end(), '\0') == 4);
    CHECK(paths.out.find('\n') == std::string::npos);

    auto missing = ctl({"photo", "ffffffffffffffffffffffffffffffff"});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("no photo") != std::string::npos);
    auto bad_path = ctl({"scan", "/nonexistent/photos"});
    CHECK(bad_path.exit_code == 1);
    CHECK(bad_path.err.find("no such file or folder") != std::string::npos);
    auto bad_set = ctl({"scan", (engine.home() / "photos").string(), "--set", "novalue"});
    CHECK(bad_set.exit_code == 2);

    CHECK(ctl({"shutdown"}).exit_code == 0);
    CHECK(engine.process().wait(30s).exit_code == 0);
    auto gone = ctl({"--timeout", "200", "--retries", "0", "hello"});
    CHECK(gone.exit_code == 3);
}
