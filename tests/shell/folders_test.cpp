// The Library > Folders window's model: its list read when it opens and after every change, a folder
// removed (one request at a time, then the grid, the counts and the list read again), a folder scanned
// again, and errors kept for the window to show.
#include "model/reducer.hpp"
#include "reducer_fixtures.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <catch2/catch.hpp>

using namespace lbx;
using namespace lbx::shell;
using namespace lbx::shell::test_fixtures;

namespace {

ipc::FolderList two_folders() {
    return ipc::FolderList{{{"/p/garden", 4, true}, {"/p/trip", 6, true}}};
}

ipc::JobProgress final_scan(uint64_t id) {
    ipc::JobProgress p;
    p.job_id = id;
    p.state = ipc::JobState::completed;
    p.done = 10;
    p.total = 10;
    p.sequence = 5;
    return p;
}

}  // namespace

TEST_CASE("the folders window reads the list when it opens, after a scan ends and from a new engine", "[shell]") {
    State s = with_results(10);
    s.outbox.clear();
    s = reduce(std::move(s), ShowFolders{true});
    REQUIRE(commands_of<ipc::ListFolders>(s).size() == 1);
    CHECK_FALSE(s.folders.list);
    s = reduce(std::move(s), ReplyArrived{ipc::ListFolders{}, 0, ipc::Reply{two_folders()}});
    REQUIRE(s.folders.list);
    CHECK(*s.folders.list == two_folders().folders);

    // A scan's end changes the counts (and may add a folder): read again, once.
    s.outbox.clear();
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{final_scan(3)}}});
    CHECK(commands_of<ipc::ListFolders>(s).size() == 1);
    // A new engine: read again.
    s.outbox.clear();
    s = reduce(std::move(s), EngineConnected{"0.1.0", 9});
    CHECK(commands_of<ipc::ListFolders>(s).size() == 1);

    // Closed: nothing read any more.
    s = reduce(std::move(s), ShowFolders{false});
    s.outbox.clear();
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{final_scan(4)}}});
    CHECK(commands_of<ipc::ListFolders>(s).empty());
}

TEST_CASE("a folder removed is sent once, then the grid, the library, the failures and the list are read again",
          "[shell]") {
    State s = with_results(10);
    s = reduce(std::move(s), ShowFolders{true});
    s = reduce(std::move(s), ReplyArrived{ipc::ListFolders{}, 0, ipc::Reply{two_folders()}});
    s = reduce(std::move(s), FocusIndex{4});
    s.outbox.clear();
    const uint64_t generation = s.results.generation;

    s = reduce(std::move(s), RemoveFolderConfirmed{"/p/trip"});
    auto removes = commands_of<ipc::RemoveFolder>(s);
    REQUIRE(removes.size() == 1);
    CHECK(std::get<ipc::RemoveFolder>(removes[0].request).path == "/p/trip");
    CHECK(s.folders.removing == std::set<std::string>{"/p/trip"});
    s = reduce(std::move(s), RemoveFolderConfirmed{"/p/trip"});  // clicked again while on its way
    CHECK(commands_of<ipc::RemoveFolder>(s).size() == 1);

    s.outbox.clear();
    s = reduce(std::move(s), ReplyArrived{removes[0].request, 0, ipc::Reply{ipc::FolderRemoved{"/p/trip", 6, 6}}});
    CHECK(s.folders.removing.empty());
    CHECK(s.folders.notice == "removed /p/trip: 6 photos left the library; the files stay on disk");
    // The grid starts again from the engine's truth: the folder's photos are gone from it.
    CHECK(s.results.generation == generation + 1);
    CHECK_FALSE(s.focused);
    CHECK(commands_of<ipc::Query>(s).size() == 1);
    CHECK(commands_of<ipc::Facets>(s).size() == 1);
    CHECK(commands_of<ipc::LibraryInfo>(s).size() == 1);
    CHECK(commands_of<ipc::ListFailures>(s).size() == 1);
    CHECK(commands_of<ipc::ListFolders>(s).size() == 1);
}

TEST_CASE("a folder removal refused keeps the window's message, and a rescan of one folder scans it alone", "[shell]") {
    State s = with_results(10);
    s = reduce(std::move(s), ShowFolders{true});
    s = reduce(std::move(s), RemoveFolderConfirmed{"/p/trip"});
    const auto error = ipc::make_error(ipc::Status::busy, "catalog", ipc::codes::kJobsRunning,
                                       "1 scan is running: cancel it or wait before removing a folder");
    s = reduce(std::move(s), ReplyArrived{ipc::RemoveFolder{"/p/trip"}, 0, ipc::unexpected(error)});
    CHECK(s.folders.removing.empty());  // the button works again
    REQUIRE(s.folders.error);
    CHECK(s.folders.error->find("scan is running") != std::string::npos);

    s.outbox.clear();
    s = reduce(std::move(s), RescanFolder{"/p/garden"});
    auto scans = commands_of<ipc::StartScan>(s);
    REQUIRE(scans.size() == 1);
    CHECK(std::get<ipc::StartScan>(scans[0].request).paths == std::vector<std::string>{"/p/garden"});
    CHECK_FALSE(s.folders.error);

    // Not connected: nothing is sent, and nothing is waited for.
    s = reduce(std::move(s), EngineStatusChanged{EngineStatus::not_responding, "no heartbeat"});
    s.outbox.clear();
    s = reduce(std::move(s), RemoveFolderConfirmed{"/p/garden"});
    CHECK(s.outbox.empty());
    CHECK(s.folders.removing.empty());
}
