// A served engine on a PostgreSQL library hears what another engine writes into it (LISTEN/NOTIFY turned
// into LibraryChanged "other_engine"), so a desktop app attached to it shows photos scanned on another
// machine; its own scans and edits go on as on SQLite. A real PostgreSQL 15 (support/postgres_server.hpp)
// and real engines.
#include "support/child_process.hpp"
#include "support/postgres_server.hpp"
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include <lightbox/ipc/client.hpp>
#include <lightbox/ipc/event_subscriber.hpp>
#include <lightbox/ipc/topics.hpp>

#include <catch2/catch.hpp>

#include <chrono>

using namespace lbx;
using namespace std::chrono_literals;

namespace {

// The next LibraryChanged event, or the next of kind `kind` when one is named: the other engine commits
// in several transactions, each heard as a change of its own, and the last of them may come after the
// first change the test makes itself.
std::optional<ipc::LibraryChanged> next_change(ipc::EventSubscriber& events, const std::string& kind = {}) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
        auto received = events.next(200ms);
        if (!received || !*received) continue;
        const auto* change = std::get_if<ipc::LibraryChanged>(&(*received)->event);
        if (change && (kind.empty() || change->change == kind)) return *change;
    }
    return std::nullopt;
}

uint64_t live_photos(ipc::Client& client) {
    auto reply = client.call(ipc::Query{"", ipc::QuerySort::path, false, 0, 0});
    INFO((reply ? std::string() : reply.error().message));
    REQUIRE(reply);
    return reply->total;
}

}  // namespace

TEST_CASE("a served engine on a PostgreSQL library announces the photos another engine adds, and scans and edits as on SQLite",
          "[postgres][service]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    const std::string uri = server->create_database();
    test::TempDir dir;
    const auto mine = dir.path() / "mine", theirs = dir.path() / "theirs";
    test::write_photo_set(mine, 4);
    REQUIRE(test::run_engine({"sample", theirs.string()}).exit_code == 0);

    zmq::context_t context;
    test::ServedEngine engine({"--catalog", uri});
    ipc::Client client(context, engine.client_options());
    auto started = client.call(ipc::StartScan{{mine.string()}, "", {}, ""});
    INFO((started ? std::string() : started.error().message));
    REQUIRE(started);
    REQUIRE(test::wait_for_job(client, started->job_id).progress.state == ipc::JobState::completed);
    const uint64_t own = live_photos(client);
    CHECK(own >= 1);

    ipc::EventSubscriber events(context, engine.event_endpoint());
    events.subscribe(ipc::kTopicLibraryChanged);
    test::wait_until_subscribed(events);
    // Another engine (another machine's, as far as this one knows) scans into the same library.
    auto other = test::run_engine({"run", "--no-progress", "--analysis", "off", "--catalog", uri, theirs.string()});
    INFO(other.err);
    REQUIRE(other.exit_code <= 1);
    const auto change = next_change(events);
    if (!change) FAIL("no LibraryChanged within 30 s; the served engine said:\n" << engine.stop().err);
    CHECK(change->change == ipc::changes::kOtherEngine);
    CHECK(live_photos(client) > own);

    // An edit through this engine: its own clients hear of it as before, and the change is stored.
    auto all = client.call(ipc::Query{"", ipc::QuerySort::path, false, 0, 0});
    REQUIRE(all);
    REQUIRE_FALSE(all->photos.empty());
    const std::string id = all->photos.front().id;
    REQUIRE(client.call(ipc::SetUserTags{id, {"grandma"}, {}}));
    const auto edited = next_change(events, ipc::changes::kUserTags);
    REQUIRE(edited);  // heard within 30 s
    auto tagged = client.call(ipc::Query{"tag:grandma", ipc::QuerySort::path, false, 0, 0});
    REQUIRE(tagged);
    CHECK(tagged->total == 1);
}
