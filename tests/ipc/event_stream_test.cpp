// The event socket over inproc://: EventPublisher (XPUB, no silent drops) and EventSubscriber (SUB with
// topic prefixes). Both live on the test's thread. Subscriptions take effect asynchronously (the slow
// joiner): each case publishes a probe until the subscriber has seen one, instead of sleeping.
#include "ipc/zmq_test_support.hpp"

#include "lightbox/ipc/event_publisher.hpp"
#include "lightbox/ipc/event_subscriber.hpp"
#include "lightbox/ipc/topics.hpp"

#include <catch2/catch.hpp>
#include <zmq.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

using namespace lbx;
using namespace std::chrono_literals;

namespace {

ipc::Event progress_event(uint64_t job_id, uint64_t sequence, ipc::JobState state = ipc::JobState::running,
                          std::string path = {}) {
    ipc::JobProgress progress;
    progress.job_id = job_id;
    progress.state = state;
    progress.sequence = sequence;
    progress.current_path = std::move(path);
    return ipc::JobProgressEvent{progress};
}

bool is_probe(const ipc::Event& event) {
    const auto* progress = std::get_if<ipc::JobProgressEvent>(&event);
    return progress != nullptr && progress->progress.current_path == "probe";
}

// Publishes `probe` until `subscriber` receives it (its subscription has reached the publisher), then
// drains the probes still on their way.
void wait_for_subscription(ipc::EventPublisher& publisher, ipc::EventSubscriber& subscriber, const ipc::Event& probe) {
    REQUIRE(is_probe(probe));
    bool seen = false;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!seen && std::chrono::steady_clock::now() < deadline) {
        publisher.read_subscriptions();
        publisher.publish(probe);
        auto received = subscriber.next(5ms);
        REQUIRE(received);
        seen = received->has_value() && is_probe((*received)->event);
    }
    REQUIRE(seen);
    for (;;) {  // probes published before the first one arrived are all delivered by now or soon
        auto received = subscriber.next(50ms);
        REQUIRE(received);
        if (!received->has_value()) break;
        REQUIRE(is_probe((*received)->event));
    }
}

// Everything that arrives within `quiet` of the last one.
std::vector<ipc::ReceivedEvent> drain(ipc::EventSubscriber& subscriber, std::chrono::milliseconds quiet = 150ms) {
    std::vector<ipc::ReceivedEvent> events;
    for (;;) {
        auto received = subscriber.next(quiet);
        REQUIRE(received);
        if (!received->has_value()) return events;
        events.push_back(std::move(**received));
    }
}

}  // namespace

TEST_CASE("a subscriber gets the events of its topic prefixes only", "[ipc]") {
    zmq::context_t context;
    auto bound = ipc::EventPublisher::bind(context, "inproc://events-prefix");
    REQUIRE(bound);
    ipc::EventPublisher& publisher = **bound;
    CHECK(publisher.endpoint() == "inproc://events-prefix");

    ipc::EventSubscriber job1(context, publisher.endpoint());
    job1.subscribe(ipc::job_topic_prefix(1));  // "job/1/"
    ipc::EventSubscriber loose(context, publisher.endpoint());
    loose.subscribe("job/1");  // without the slash: job 12 matches too
    ipc::EventSubscriber logs(context, publisher.endpoint());
    logs.subscribe(ipc::kTopicLog);

    wait_for_subscription(publisher, job1, progress_event(1, 0, ipc::JobState::running, "probe"));
    wait_for_subscription(publisher, loose, progress_event(1, 0, ipc::JobState::running, "probe"));
    drain(job1);  // the second probe round reached job1 too
    const ipc::Event log_probe = ipc::Log{ipc::LogLevel::debug, "test", "probe"};
    {
        bool seen = false;
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (!seen && std::chrono::steady_clock::now() < deadline) {
            publisher.read_subscriptions();
            publisher.publish(log_probe);
            auto received = logs.next(5ms);
            REQUIRE(received);
            seen = received->has_value();
        }
        REQUIRE(seen);
        drain(logs);
    }

    publisher.publish(progress_event(12, 1));
    publisher.publish(ipc::PhotoDone{1, "hash", "/a.jpg"});
    publisher.publish(progress_event(1, 7));
    publisher.publish(ipc::Log{ipc::LogLevel::info, "engine", "hello"});
    publisher.publish(progress_event(123, 2));
    publisher.read_subscriptions();

    const auto got1 = drain(job1);
    REQUIRE(got1.size() == 1);
    CHECK(got1[0].topic == "job/1/progress");
    REQUIRE(std::holds_alternative<ipc::JobProgressEvent>(got1[0].event));
    CHECK(std::get<ipc::JobProgressEvent>(got1[0].event).progress.job_id == 1);
    CHECK(std::get<ipc::JobProgressEvent>(got1[0].event).progress.sequence == 7);

    const auto got_loose = drain(loose);
    std::vector<std::string> topics;
    for (const auto& e : got_loose) topics.push_back(e.topic);
    CHECK(topics == std::vector<std::string>{"job/12/progress", "job/1/progress", "job/123/progress"});

    const auto got_logs = drain(logs);
    REQUIRE(got_logs.size() == 1);
    CHECK(got_logs[0].topic == "engine/log");
    CHECK(std::get<ipc::Log>(got_logs[0].event) == ipc::Log{ipc::LogLevel::info, "engine", "hello"});

    // After unsubscribing, nothing more of that prefix arrives (checked with a probe round on another topic).
    job1.unsubscribe(ipc::job_topic_prefix(1));
    job1.subscribe(ipc::kTopicHeartbeat);
    bool heartbeat = false;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!heartbeat && std::chrono::steady_clock::now() < deadline) {
        publisher.read_subscriptions();
        publisher.publish(ipc::Heartbeat{1, 0.5, 0, 1});
        auto received = job1.next(5ms);
        REQUIRE(received);
        heartbeat = received->has_value() && std::holds_alternative<ipc::Heartbeat>((*received)->event);
    }
    REQUIRE(heartbeat);
    drain(job1);
    publisher.publish(progress_event(1, 8));
    publisher.publish(ipc::Heartbeat{2, 0.5, 0, 2});
    const auto last = drain(job1);
    REQUIRE(last.size() == 1);
    CHECK(last[0].topic == "engine/heartbeat");
}

TEST_CASE("a stalled subscriber loses ordinary events but still gets a job's final progress", "[ipc]") {
    zmq::context_t context;
    auto bound = ipc::EventPublisher::bind(context, "inproc://events-hwm");
    REQUIRE(bound);
    ipc::EventPublisher& publisher = **bound;
    ipc::EventSubscriber subscriber(context, publisher.endpoint());
    subscriber.subscribe("");
    wait_for_subscription(publisher, subscriber, progress_event(9, 0, ipc::JobState::running, "probe"));
    const uint64_t published_before = publisher.published();
    REQUIRE(publisher.dropped() == 0);

    // The subscriber reads nothing while more events than the high-water marks allow are published.
    constexpr uint64_t kLimit = 1'000'000;  // far above the queue the module sets up (about 120 000 events)
    uint64_t photos = 0;
    while (publisher.dropped() < 1000 && photos < kLimit) {
        publisher.publish(ipc::PhotoDone{9, std::to_string(photos), "/p.jpg"});
        ++photos;
    }
    REQUIRE(publisher.dropped() == 1000);
    const uint64_t photos_sent = publisher.published() - published_before;
    CHECK(photos_sent + publisher.dropped() == photos);
    INFO("photo events sent before the queue filled: " << photos_sent);

    // A final event that cannot go out is kept, but not for ever: after keep_for it is given up.
    publisher.publish(progress_event(8, 3, ipc::JobState::failed));
    CHECK(publisher.pending() == 1);
    publisher.send_pending(10s);  // still young: kept
    CHECK(publisher.pending() == 1);
    CHECK(test::wait_until(
        [&] {
            publisher.send_pending(20ms);
            return publisher.pending() == 0;
        },
        5s));
    CHECK(publisher.dropped() == 1001);

    // The final progress event of job 9 cannot go out now either, so it is kept; ordinary ones are still
    // dropped.
    publisher.publish(progress_event(9, 42, ipc::JobState::completed));
    CHECK(publisher.pending() == 1);
    publisher.publish(ipc::PhotoDone{9, "late", "/late.jpg"});
    CHECK(publisher.dropped() == 1002);
    CHECK(publisher.pending() == 1);

    // The subscriber drains its queue while the engine loop calls send_pending(): the final event arrives,
    // after every photo event that was sent (order kept), and none that was counted as dropped.
    uint64_t photos_received = 0;
    uint64_t errors = 0;
    std::vector<ipc::JobProgress> progress_received;
    bool photo_after_final = false;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (progress_received.empty() && std::chrono::steady_clock::now() < deadline) {
        publisher.send_pending();
        for (int i = 0; i < 1000; ++i) {
            auto received = subscriber.next(1ms);
            if (!received) {
                ++errors;
                continue;
            }
            if (!received->has_value()) break;
            const ipc::Event& event = (*received)->event;
            if (std::holds_alternative<ipc::PhotoDone>(event)) {
                if (!progress_received.empty()) photo_after_final = true;
                ++photos_received;
            } else if (const auto* progress = std::get_if<ipc::JobProgressEvent>(&event)) {
                if (is_probe(event)) continue;
                progress_received.push_back(progress->progress);
                break;
            }
        }
    }
    CHECK(errors == 0);
    REQUIRE(progress_received.size() == 1);
    CHECK(progress_received[0].job_id == 9);  // job 8's expired final never went out
    CHECK(progress_received[0].state == ipc::JobState::completed);
    CHECK(progress_received[0].sequence == 42);
    CHECK(publisher.pending() == 0);
    CHECK(photos_received == photos_sent);
    CHECK_FALSE(photo_after_final);
    CHECK(drain(subscriber, 100ms).empty());
}
