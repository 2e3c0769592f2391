// Following a job without trusting events (the Clone pattern): JobTracker's rule on its own, then
// follow_job() against a small in-process engine: a CommandServer on its own thread answering JobStatus
// from a snapshot the test controls, and an EventPublisher owned by the test's thread. follow_job runs on
// a third thread with its own Client and EventSubscriber.
#include "ipc/zmq_test_support.hpp"

#include "lightbox/ipc/client.hpp"
#include "lightbox/ipc/event_publisher.hpp"
#include "lightbox/ipc/event_subscriber.hpp"
#include "lightbox/ipc/job_tracker.hpp"
#include "lightbox/ipc/topics.hpp"

#include <catch2/catch.hpp>
#include <zmq.hpp>

#include <atomic>
#include <climits>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace lbx;
using namespace std::chrono_literals;

namespace {

ipc::JobProgress progress(uint64_t job_id, uint64_t sequence, ipc::JobState state = ipc::JobState::running,
                          uint64_t done = 0) {
    ipc::JobProgress p;
    p.job_id = job_id;
    p.state = state;
    p.sequence = sequence;
    p.done = done;
    p.total = 10;
    return p;
}

ipc::JobSnapshot snapshot(uint64_t job_id, uint64_t sequence, ipc::JobState state = ipc::JobState::running,
                          std::optional<ipc::Error> error = std::nullopt) {
    return ipc::JobSnapshot{progress(job_id, sequence, state, sequence), "default", "main", std::move(error)};
}

std::vector<uint64_t> sequences(const std::vector<ipc::JobProgress>& seen) {
    std::vector<uint64_t> out;
    for (const auto& p : seen) out.push_back(p.sequence);
    return out;
}

// The engine's side of a job: JobStatus answers from `set_snapshot`. Calls after `answer_limit` hang (an
// engine that stopped answering) until release().
class FakeEngine {
public:
    ipc::Reply handle(const ipc::RequestEnvelope& request) {
        const auto* status = std::get_if<ipc::JobStatus>(&request.body);
        if (!status) return ipc::ErrorReply{ipc::make_error(ipc::Status::bad_request, "engine", "unexpected", "test engine")};
        const int call = ++status_calls_;
        if (call > answer_limit_) {
            std::unique_lock lock(mutex_);
            released_cv_.wait(lock, [&] { return released_; });
        }
        std::lock_guard lock(mutex_);
        if (status->job_id != snapshot_.progress.job_id) {
            return ipc::ErrorReply{ipc::make_error(ipc::Status::not_found, "job", "no_such_job", "no such job")};
        }
        return ipc::JobStatusReply{snapshot_};
    }
    void set_snapshot(ipc::JobSnapshot snapshot) {
        std::lock_guard lock(mutex_);
        snapshot_ = std::move(snapshot);
    }
    void hang_after(int calls) { answer_limit_ = calls; }
    void release() {
        {
            std::lock_guard lock(mutex_);
            released_ = true;
        }
        released_cv_.notify_all();
    }
    int status_calls() const { return status_calls_; }

private:
    std::mutex mutex_;
    std::condition_variable released_cv_;
    bool released_ = false;
    ipc::JobSnapshot snapshot_;
    std::atomic<int> status_calls_{0};
    std::atomic<int> answer_limit_{INT_MAX};
};

// Releases a hung FakeEngine before the server thread that is stuck in it is joined.
struct ReleaseOnExit {
    FakeEngine& engine;
    ~ReleaseOnExit() { engine.release(); }
};

// follow_job() on its own thread, with its own Client and EventSubscriber; stopped on destruction.
class Follower {
public:
    Follower(zmq::context_t& context, ipc::ClientOptions client_options, std::string event_endpoint, uint64_t job_id,
             ipc::FollowOptions follow_options) {
        follow_options.stop = &stop_;
        thread_ = std::jthread([this, &context, client_options, event_endpoint, job_id, follow_options] {
            ipc::Client client(context, client_options);
            ipc::EventSubscriber events(context, event_endpoint);
            auto result = ipc::follow_job(
                client, events, job_id,
                [this](const ipc::JobProgress& p) {
                    std::lock_guard lock(mutex_);
                    seen_.push_back(p);
                },
                follow_options);
            promise_.set_value(std::move(result));
        });
    }
    ~Follower() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    Follower(const Follower&) = delete;
    Follower& operator=(const Follower&) = delete;

    // follow_job's result, or nothing if it has not returned within `limit`.
    std::optional<ipc::Expected<ipc::JobSnapshot>> result(std::chrono::milliseconds limit = 10s) {
        if (future_.wait_for(limit) != std::future_status::ready) return std::nullopt;
        return future_.get();
    }
    void stop() { stop_ = true; }
    std::vector<ipc::JobProgress> seen() const {
        std::lock_guard lock(mutex_);
        return seen_;
    }

private:
    std::atomic<bool> stop_{false};
    std::promise<ipc::Expected<ipc::JobSnapshot>> promise_;
    std::future<ipc::Expected<ipc::JobSnapshot>> future_ = promise_.get_future();
    mutable std::mutex mutex_;
    std::vector<ipc::JobProgress> seen_;
    std::jthread thread_;
};

// Waits until the publisher's XPUB socket has received the subscription to `prefix`: from then on every
// event published on it reaches the subscriber (no slow-joiner loss, no sleep).
void wait_for_subscription(ipc::EventPublisher& publisher, const std::string& prefix) {
    const std::string wanted = std::string(1, '\x01') + prefix;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
        auto message = test::recv_within(publisher.socket(), 20ms);
        if (message && message->front().to_string() == wanted) return;
    }
    FAIL("no subscription to '" << prefix << "' reached the publisher");
}

ipc::ClientOptions client_options(const std::string& endpoint, std::chrono::milliseconds timeout = 2s, int retries = 0) {
    ipc::ClientOptions options;
    options.endpoint = endpoint;
    options.timeout = timeout;
    options.retries = retries;
    return options;
}

}  // namespace

TEST_CASE("the tracker applies a snapshot, then only newer events of its job", "[ipc]") {
    ipc::JobTracker tracker(7);
    CHECK(tracker.job_id() == 7);
    CHECK_FALSE(tracker.progress());
    CHECK_FALSE(tracker.finished());

    CHECK(tracker.apply_snapshot(snapshot(7, 5)));
    REQUIRE(tracker.progress());
    CHECK(*tracker.progress() == snapshot(7, 5).progress);

    CHECK_FALSE(tracker.apply_event(progress(7, 4)));  // older than the snapshot
    CHECK_FALSE(tracker.apply_event(progress(7, 5)));  // the snapshot's own state
    CHECK(tracker.progress()->sequence == 5);
    CHECK(tracker.apply_event(progress(7, 6, ipc::JobState::running, 6)));
    CHECK(tracker.progress()->sequence == 6);
    CHECK(tracker.progress()->done == 6);
    CHECK_FALSE(tracker.apply_event(progress(7, 6, ipc::JobState::completed)));  // same sequence: ignored
    CHECK_FALSE(tracker.finished());

    // Other jobs' events and snapshots change nothing, whatever their sequence.
    CHECK_FALSE(tracker.apply_event(progress(8, 100, ipc::JobState::completed)));
    CHECK_FALSE(tracker.apply_event(progress(70, 100)));
    CHECK_FALSE(tracker.apply_snapshot(snapshot(8, 100, ipc::JobState::failed, ipc::make_error(ipc::Status::internal, "job", "x", "y"))));
    CHECK(tracker.progress()->job_id == 7);
    CHECK(tracker.progress()->sequence == 6);
    CHECK_FALSE(tracker.error());

    // A later snapshot at the same sequence keeps the event's state; a newer one replaces it.
    CHECK_FALSE(tracker.apply_snapshot(snapshot(7, 6)));
    CHECK(tracker.apply_snapshot(snapshot(7, 9)));
    CHECK(tracker.progress()->sequence == 9);

    CHECK(tracker.apply_event(progress(7, 10, ipc::JobState::completed)));
    CHECK(tracker.finished());
}

TEST_CASE("an event may come before any snapshot", "[ipc]") {
    ipc::JobTracker tracker(3);
    CHECK(tracker.apply_event(progress(3, 2)));
    CHECK(tracker.progress()->sequence == 2);
    CHECK_FALSE(tracker.apply_snapshot(snapshot(3, 1)));  // older than the event
    CHECK(tracker.progress()->sequence == 2);
}

TEST_CASE("the tracker is finished on every final state and only on those", "[ipc]") {
    for (ipc::JobState state : ipc::kAllJobStates) {
        ipc::JobTracker tracker(1);
        REQUIRE(tracker.apply_event(progress(1, 1, state)));
        INFO(ipc::to_string(state));
        CHECK(tracker.finished() == (state == ipc::JobState::completed || state == ipc::JobState::cancelled ||
                                     state == ipc::JobState::failed || state == ipc::JobState::interrupted ||
                                     state == ipc::JobState::paused));
    }
}

TEST_CASE("the error of a failed job comes from the snapshot and is kept", "[ipc]") {
    const ipc::Error why = ipc::make_error(ipc::Status::internal, "plugin", "crashed", "the decoder crashed", "signal 11");
    ipc::JobTracker tracker(4);
    // The final event carries no error...
    CHECK(tracker.apply_event(progress(4, 12, ipc::JobState::failed)));
    CHECK(tracker.finished());
    CHECK_FALSE(tracker.error());
    // ...the snapshot taken afterwards does, even though its progress is not newer.
    CHECK_FALSE(tracker.apply_snapshot(snapshot(4, 12, ipc::JobState::failed, why)));
    REQUIRE(tracker.error());
    CHECK(*tracker.error() == why);
    // A snapshot without an error does not clear it.
    CHECK_FALSE(tracker.apply_snapshot(snapshot(4, 12, ipc::JobState::failed)));
    REQUIRE(tracker.error());
    CHECK(*tracker.error() == why);
}

TEST_CASE("follow_job returns the final state when the final event arrives", "[ipc]") {
    zmq::context_t context;
    FakeEngine engine;
    engine.set_snapshot(snapshot(7, 3));
    auto publisher = ipc::EventPublisher::bind(context, "inproc://follow-events.events");
    REQUIRE(publisher);
    test::ServerThread server(context, "inproc://follow-events", [&](const ipc::RequestEnvelope& r) { return engine.handle(r); });
    REQUIRE(server.bind_error().empty());
    ReleaseOnExit release{engine};

    ipc::FollowOptions options;
    options.resync_after = 5s;  // long: this case must finish by events alone
    Follower follower(context, client_options("inproc://follow-events"), (*publisher)->endpoint(), 7, options);

    wait_for_subscription(**publisher, ipc::job_topic_prefix(7));
    REQUIRE(test::wait_until([&] { return engine.status_calls() >= 1; }));
    (*publisher)->publish(ipc::JobProgressEvent{progress(7, 2)});  // older than the snapshot: ignored
    (*publisher)->publish(ipc::JobProgressEvent{progress(12, 50, ipc::JobState::completed)});  // another job
    (*publisher)->publish(ipc::JobProgressEvent{progress(7, 4, ipc::JobState::running, 4)});
    (*publisher)->publish(ipc::PhotoDone{7, "hash", "/a.jpg"});
    (*publisher)->publish(ipc::JobProgressEvent{progress(7, 5, ipc::JobState::completed, 10)});

    auto result = follower.result();
    REQUIRE(result);
    REQUIRE(*result);
    const ipc::JobSnapshot& job = **result;
    CHECK(job.progress.job_id == 7);
    CHECK(job.progress.state == ipc::JobState::completed);
    CHECK(job.progress.sequence == 5);
    CHECK(job.progress.done == 10);
    CHECK(job.pipeline == "default");  // the rest of the snapshot comes from the last JobStatus
    CHECK_FALSE(job.error);
    CHECK(sequences(follower.seen()) == std::vector<uint64_t>{3, 4, 5});
    CHECK(engine.status_calls() == 2);  // the first snapshot and the last one: no resync was needed
}

TEST_CASE("follow_job resyncs by JobStatus when the final event never comes", "[ipc]") {
    zmq::context_t context;
    FakeEngine engine;
    engine.set_snapshot(snapshot(7, 3));
    auto publisher = ipc::EventPublisher::bind(context, "inproc://follow-lost.events");
    REQUIRE(publisher);
    test::ServerThread server(context, "inproc://follow-lost", [&](const ipc::RequestEnvelope& r) { return engine.handle(r); });
    REQUIRE(server.bind_error().empty());
    ReleaseOnExit release{engine};

    ipc::FollowOptions options;
    options.resync_after = 100ms;
    const auto start = std::chrono::steady_clock::now();
    Follower follower(context, client_options("inproc://follow-lost"), (*publisher)->endpoint(), 7, options);

    REQUIRE(test::wait_until([&] { return engine.status_calls() >= 1; }));
    // The job fails; its final event is lost (never published). Only a snapshot can tell.
    const ipc::Error why = ipc::make_error(ipc::Status::internal, "plugin", "crashed", "the decoder crashed");
    engine.set_snapshot(snapshot(7, 9, ipc::JobState::failed, why));

    auto result = follower.result();
    REQUIRE(result);
    REQUIRE(*result);
    const ipc::JobSnapshot& job = **result;
    CHECK(job.progress.state == ipc::JobState::failed);
    CHECK(job.progress.sequence == 9);
    REQUIRE(job.error);
    CHECK(*job.error == why);
    const auto seen = sequences(follower.seen());
    REQUIRE(seen.size() == 2);
    CHECK(seen.front() == 3);
    CHECK(seen.back() == 9);
    CHECK(engine.status_calls() >= 3);  // first snapshot, at least one resync, the last one
    CHECK(test::elapsed_since(start) < 5s);
}

TEST_CASE("follow_job returns unavailable when the engine stops answering", "[ipc]") {
    zmq::context_t context;
    FakeEngine engine;
    engine.set_snapshot(snapshot(7, 3));
    engine.hang_after(1);  // answers the first JobStatus, then hangs
    auto publisher = ipc::EventPublisher::bind(context, "inproc://follow-hung.events");
    REQUIRE(publisher);
    test::ServerThread server(context, "inproc://follow-hung", [&](const ipc::RequestEnvelope& r) { return engine.handle(r); });
    REQUIRE(server.bind_error().empty());
    ReleaseOnExit release{engine};

    ipc::FollowOptions options;
    options.resync_after = 100ms;
    const auto start = std::chrono::steady_clock::now();
    Follower follower(context, client_options("inproc://follow-hung", 200ms, 0), (*publisher)->endpoint(), 7, options);

    auto result = follower.result();
    REQUIRE(result);
    REQUIRE_FALSE(*result);
    CHECK(result->error().status == ipc::Status::unavailable);
    CHECK(result->error().code == "not_responding");
    CHECK(engine.status_calls() == 2);
    CHECK(sequences(follower.seen()) == std::vector<uint64_t>{3});
    CHECK(test::elapsed_since(start) < 5s);
}

TEST_CASE("follow_job for a job the engine does not know returns its not_found error", "[ipc]") {
    zmq::context_t context;
    FakeEngine engine;
    engine.set_snapshot(snapshot(7, 3));
    auto publisher = ipc::EventPublisher::bind(context, "inproc://follow-unknown.events");
    REQUIRE(publisher);
    test::ServerThread server(context, "inproc://follow-unknown", [&](const ipc::RequestEnvelope& r) { return engine.handle(r); });
    REQUIRE(server.bind_error().empty());
    ReleaseOnExit release{engine};

    Follower follower(context, client_options("inproc://follow-unknown"), (*publisher)->endpoint(), 99, {});
    auto result = follower.result();
    REQUIRE(result);
    REQUIRE_FALSE(*result);
    CHECK(result->error().status == ipc::Status::not_found);
    CHECK(follower.seen().empty());
}

TEST_CASE("follow_job returns what it knows when stopped", "[ipc]") {
    zmq::context_t context;
    FakeEngine engine;
    engine.set_snapshot(snapshot(7, 3));
    auto publisher = ipc::EventPublisher::bind(context, "inproc://follow-stop.events");
    REQUIRE(publisher);
    test::ServerThread server(context, "inproc://follow-stop", [&](const ipc::RequestEnvelope& r) { return engine.handle(r); });
    REQUIRE(server.bind_error().empty());
    ReleaseOnExit release{engine};

    ipc::FollowOptions options;
    options.resync_after = 5s;
    Follower follower(context, client_options("inproc://follow-stop"), (*publisher)->endpoint(), 7, options);
    wait_for_subscription(**publisher, ipc::job_topic_prefix(7));
    REQUIRE(test::wait_until([&] { return engine.status_calls() >= 1; }));
    (*publisher)->publish(ipc::JobProgressEvent{progress(7, 4, ipc::JobState::running, 4)});
    REQUIRE(test::wait_until([&] { return follower.seen().size() == 2; }));
    follower.stop();

    auto result = follower.result();
    REQUIRE(result);
    REQUIRE(*result);
    CHECK((*result)->progress.state == ipc::JobState::running);
    CHECK((*result)->progress.sequence == 4);
}
