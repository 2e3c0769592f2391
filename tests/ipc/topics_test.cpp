// Topic names of the event socket: the strings protocol.md promises and the prefix rule for jobs.
#include "ipc/message_samples.hpp"

#include "lightbox/ipc/topics.hpp"

#include <catch2/catch.hpp>

using namespace lbx;

TEST_CASE("every event has its documented topic", "[ipc]") {
    const auto events = test::sample_events();
    CHECK(ipc::topic_of(events[0]) == "job/42/progress");
    CHECK(ipc::topic_of(events[1]) == "photo/done");
    CHECK(ipc::topic_of(events[2]) == "photo/failed");
    CHECK(ipc::topic_of(events[3]) == "engine/heartbeat");
    CHECK(ipc::topic_of(events[4]) == "engine/log");
    CHECK(ipc::topic_of(events[5]) == "thumb/ready");
    CHECK(ipc::topic_of(events[6]) == "library/changed");
    CHECK(events.size() == 7);
}

TEST_CASE("job topics: a job's prefix does not match another job's topic", "[ipc]") {
    CHECK(ipc::job_progress_topic(1) == "job/1/progress");
    CHECK(ipc::job_topic_prefix(1) == "job/1/");
    const std::string job12 = ipc::job_progress_topic(12);
    CHECK_FALSE(job12.starts_with(ipc::job_topic_prefix(1)));
    CHECK(job12.starts_with(ipc::job_topic_prefix(12)));
    CHECK(job12.starts_with(ipc::kTopicJobs));
    CHECK(ipc::job_progress_topic(18446744073709551615ull) == "job/18446744073709551615/progress");
}

TEST_CASE("job ids are read back from progress topics only", "[ipc]") {
    CHECK(ipc::job_id_of_topic("job/42/progress") == 42u);
    CHECK(ipc::job_id_of_topic("job/18446744073709551615/progress") == 18446744073709551615ull);
    for (const char* topic : {"job//progress", "job/x/progress", "job/4x/progress", "job/42/", "job/42/progres",
                              "photo/done", "", "job/-1/progress", "job/18446744073709551616/progress"}) {
        INFO("topic '" << topic << "'");
        CHECK_FALSE(ipc::job_id_of_topic(topic));
    }
}
