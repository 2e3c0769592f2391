// The shell's reducer: actions in, state and the commands it decides on out (no engine, no window).
#include "model/reducer.hpp"
#include "reducer_fixtures.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <catch2/catch.hpp>

using namespace lbx;
using namespace lbx::shell;
using namespace lbx::shell::test_fixtures;

TEST_CASE("connecting re-reads library, jobs, settings, failures and the query", "[shell]") {
    State s;
    s = reduce(std::move(s), AddFolders{{"/photos"}});
    CHECK(s.outbox.empty());  // not connected yet: kept for later
    s = reduce(std::move(s), EngineConnected{"0.1.0", 99});
    CHECK(s.engine.status == EngineStatus::connected);
    CHECK(s.engine.pid == 99);
    CHECK(commands_of<ipc::LibraryInfo>(s).size() == 1);
    CHECK(commands_of<ipc::ListJobs>(s).size() == 1);
    CHECK(commands_of<ipc::GetSettings>(s).size() == 1);
    CHECK(commands_of<ipc::Query>(s).size() == 1);
    CHECK(commands_of<ipc::Facets>(s).size() == 1);
    auto scans = commands_of<ipc::StartScan>(s);
    REQUIRE(scans.size() == 1);
    CHECK(std::get<ipc::StartScan>(scans[0].request).paths == std::vector<std::string>{"/photos"});
    CHECK(s.pending_scans.empty());
}

TEST_CASE("a query typed with an error shows the engine's message inline, the next good one clears it", "[shell]") {
    State s = connected_state();
    s = reduce(std::move(s), QueryEdited{"tag:a (b"});
    auto queries = commands_of<ipc::Query>(s);
    REQUIRE(queries.size() == 1);
    CHECK(std::get<ipc::Query>(queries[0].request).query == "tag:a (b");
    s.outbox.clear();
    auto error = ipc::make_error(ipc::Status::bad_request, "catalog", "bad_query",
                                 "query error at position 9: expected ')' to close the '(' at position 7");
    s = reduce(std::move(s), ReplyArrived{queries[0].request, queries[0].tag, ipc::unexpected(error)});
    REQUIRE(s.query.error);
    CHECK(s.query.error->find("position 9") != std::string::npos);
    CHECK(s.results.count() == 0);
    CHECK(s.last_error.empty());  // shown under the box, not as a command failure

    s = reduce(std::move(s), QueryEdited{"tag:a"});
    queries = commands_of<ipc::Query>(s);
    REQUIRE(queries.size() == 1);
    s = reduce(std::move(s), query_reply(queries[0], 3));
    CHECK_FALSE(s.query.error);
    CHECK(s.results.count() == 3);
}

TEST_CASE("replies of a query typed over are dropped", "[shell]") {
    State s = connected_state();
    s = reduce(std::move(s), QueryEdited{"a"});
    auto old_query = commands_of<ipc::Query>(s).at(0);
    s = reduce(std::move(s), QueryEdited{"ab"});
    auto new_query = commands_of<ipc::Query>(s).back();
    CHECK(new_query.tag != old_query.tag);
    s = reduce(std::move(s), query_reply(new_query, 2));
    s = reduce(std::move(s), query_reply(old_query, 50));
    CHECK(s.results.count() == 2);
}

TEST_CASE("results arrive page by page as the grid needs them", "[shell]") {
    State s = with_results(1200);
    CHECK(s.results.count() == 1200);
    CHECK(s.results.at(0)->id == "id0");
    CHECK(s.results.at(499)->id == "id499");
    CHECK(s.results.at(500) == nullptr);  // page 1 not loaded
    s = reduce(std::move(s), PageNeeded{2});
    auto queries = commands_of<ipc::Query>(s);
    REQUIRE(queries.size() == 1);
    CHECK(std::get<ipc::Query>(queries[0].request).offset == 1000);
    CHECK(std::get<ipc::Query>(queries[0].request).limit == ResultPages::kPageSize);
    s = reduce(std::move(s), PageNeeded{2});  // asked already: not again
    CHECK(commands_of<ipc::Query>(s).size() == 1);
    s = reduce(std::move(s), query_reply(queries[0], 1200));
    CHECK(s.results.at(1199)->id == "id1199");
    CHECK(s.results.at(1200) == nullptr);
}

TEST_CASE("keyboard moves the focus and stops at the edges", "[shell]") {
    // 23 cells, 5 per row, 2 rows a page: rows 0-4, 5-9, ..., 20-22.
    const auto move = [](std::optional<uint64_t> f, NavKey k) { return move_focus(f, 23, k, 5, 2); };
    CHECK(move(std::nullopt, NavKey::right) == 0u);
    CHECK(move(0, NavKey::left) == 0u);
    CHECK(move(0, NavKey::up) == 0u);
    CHECK(move(4, NavKey::right) == 5u);
    CHECK(move(7, NavKey::up) == 2u);
    CHECK(move(7, NavKey::down) == 12u);
    CHECK(move(18, NavKey::down) == 22u);  // the short last row: its last cell
    CHECK(move(21, NavKey::down) == 21u);  // already on the last row
    CHECK(move(22, NavKey::right) == 22u);
    CHECK(move(3, NavKey::page_down) == 13u);
    CHECK(move(17, NavKey::page_down) == 22u);
    CHECK(move(22, NavKey::page_down) == 22u);
    CHECK(move(13, NavKey::page_up) == 3u);
    CHECK(move(8, NavKey::page_up) == 3u);  // less than a page from the top: same column, first row
    CHECK(move(12, NavKey::home) == 0u);
    CHECK(move(12, NavKey::end) == 22u);
    CHECK(move_focus(std::nullopt, 0, NavKey::down, 5, 2) == std::nullopt);
    CHECK(move_focus(5, 1, NavKey::down, 5, 2) == 0u);  // the results shrank under the focus

    State s = with_results(1200);
    s = reduce(std::move(s), MoveFocus{NavKey::end, 6, 3});
    CHECK(s.focused == 1199u);
    // The page of the focused cell is not loaded: it is asked for.
    auto queries = commands_of<ipc::Query>(s);
    REQUIRE(queries.size() == 1);
    CHECK(std::get<ipc::Query>(queries[0].request).offset == 1000);
    s = reduce(std::move(s), MoveFocus{NavKey::home, 6, 3});
    CHECK(s.focused == 0u);
}

TEST_CASE("enter opens the focused photo, steps stay inside the results, user tags come back sorted", "[shell]") {
    State s = with_results(3);
    s = reduce(std::move(s), FocusIndex{1});
    s = reduce(std::move(s), OpenFocused{});
    REQUIRE(s.open_photo);
    CHECK(s.open_photo->id == "id1");
    auto gets = commands_of<ipc::GetPhoto>(s);
    REQUIRE(gets.size() == 1);
    s.outbox.clear();

    ipc::PhotoInfo info;
    info.id = "id1";
    info.tags = {{"beach", "scene", 0.9, "org.lightbox.autotag"}, {"mine", "user", 1.0, "user"}};
    s = reduce(std::move(s), ReplyArrived{gets[0].request, 0, ipc::Reply{ipc::PhotoReply{info}}});
    CHECK(s.open_photo->user_tags == std::vector<std::string>{"mine"});

    s = reduce(std::move(s), EditUserTags{{"zebra", "apple"}, {"mine"}});
    auto sets = commands_of<ipc::SetUserTags>(s);
    REQUIRE(sets.size() == 1);
    CHECK(std::get<ipc::SetUserTags>(sets[0].request).photo_id == "id1");
    s = reduce(std::move(s), ReplyArrived{sets[0].request, 0, ipc::Reply{ipc::UserTagsReply{"id1", {"apple", "zebra"}}}});
    CHECK(s.open_photo->user_tags == std::vector<std::string>{"apple", "zebra"});
    CHECK(s.open_photo->info->tags.size() == 3);  // the auto tag and the two user tags

    s = reduce(std::move(s), StepPhoto{+1});
    CHECK(s.open_photo->id == "id2");
    s = reduce(std::move(s), StepPhoto{+1});
    CHECK(s.open_photo->id == "id2");  // the last one
    // A late GetPhoto reply for the photo stepped away from is dropped.
    s = reduce(std::move(s), ReplyArrived{gets[0].request, 0, ipc::Reply{ipc::PhotoReply{info}}});
    CHECK_FALSE(s.open_photo->info);
    s = reduce(std::move(s), ClosePhoto{});
    CHECK_FALSE(s.open_photo);
}

TEST_CASE("space previews the focused photo over the grid, the preview follows the focus", "[shell]") {
    State s = with_results(3);
    s = reduce(std::move(s), TogglePreview{});
    CHECK_FALSE(s.previewing);  // nothing focused: nothing to preview
    s = reduce(std::move(s), FocusIndex{0});
    s = reduce(std::move(s), TogglePreview{});
    CHECK(s.previewing);
    CHECK_FALSE(s.open_photo);  // not the photo view
    CHECK(commands_of<ipc::GetPhoto>(s).empty());
    s = reduce(std::move(s), MoveFocus{NavKey::right, 3, 1});
    CHECK(s.previewing);
    CHECK(focused_photo(s)->id == "id1");
    s = reduce(std::move(s), TogglePreview{});
    CHECK_FALSE(s.previewing);
    s = reduce(std::move(s), TogglePreview{});
    s = reduce(std::move(s), OpenFocused{});  // Enter from the preview opens the photo view
    CHECK_FALSE(s.previewing);
    REQUIRE(s.open_photo);
    CHECK(s.open_photo->id == "id1");
    s = reduce(std::move(s), ClosePhoto{});
    s = reduce(std::move(s), TogglePreview{});
    s = reduce(std::move(s), QueryEdited{"beach"});  // another query: the focus and the preview go
    CHECK_FALSE(s.previewing);
}

TEST_CASE("job progress applies newer sequence numbers only, the final one re-reads the library", "[shell]") {
    State s = with_results(0);
    s.outbox.clear();
    ipc::JobProgress p{5, ipc::JobState::running, 10, 40, 1, "/a.jpg", 20.0, 1.5, 3};
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{p}}});
    REQUIRE(s.jobs.count(5));
    CHECK(s.jobs[5].progress.done == 10);
    CHECK(running_jobs(s).size() == 1);
    CHECK(commands_of<ipc::Query>(s).size() == 1);  // photos came in: the grid is read again

    ipc::JobProgress older = p;
    older.sequence = 2;
    older.done = 5;
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{older}}});
    CHECK(s.jobs[5].progress.done == 10);

    s.outbox.clear();
    ipc::JobProgress final_p = p;
    final_p.state = ipc::JobState::completed;
    final_p.done = 40;
    final_p.sequence = 9;
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{final_p}}});
    CHECK(running_jobs(s).empty());
    CHECK(commands_of<ipc::LibraryInfo>(s).size() == 1);
    CHECK(commands_of<ipc::Facets>(s).size() == 1);
    CHECK(commands_of<ipc::ListFailures>(s).size() == 1);

    s = reduce(std::move(s), CancelJobRequested{5});
    CHECK(commands_of<ipc::CancelJob>(s).size() == 1);
}

TEST_CASE("engine down and up: status follows, nothing is sent while down, everything re-read after", "[shell]") {
    State s = with_results(10);
    s = reduce(std::move(s), FocusIndex{4});
    const uint64_t generation = s.results.generation;
    s = reduce(std::move(s), PageNeeded{1});  // beyond the end, but asked
    s.outbox.clear();
    s = reduce(std::move(s), EngineStatusChanged{EngineStatus::not_responding, "no heartbeat for 3 s"});
    CHECK(s.engine.status == EngineStatus::not_responding);
    CHECK(s.results.requested.empty());  // those replies will not come
    s = reduce(std::move(s), RescanRequested{});
    s = reduce(std::move(s), RefreshFailures{});
    CHECK(s.outbox.empty());
    s = reduce(std::move(s), EngineStatusChanged{EngineStatus::restarting, ""});
    CHECK(s.engine.restarts == 1);
    s = reduce(std::move(s), EngineConnected{"0.1.0", 456});
    CHECK(s.engine.status == EngineStatus::connected);
    CHECK(s.engine.pid == 456);
    CHECK(commands_of<ipc::ListJobs>(s).size() == 1);
    CHECK(commands_of<ipc::Facets>(s).size() == 1);
    // The grid keeps its photos and focus while the pages are read again (it does not flash empty).
    CHECK(s.results.total == 10u);
    CHECK(s.results.at(4) != nullptr);
    CHECK(s.focused == 4u);
    auto queries = commands_of<ipc::Query>(s);
    REQUIRE(queries.size() == 1);
    CHECK(queries[0].tag == generation);
    s = reduce(std::move(s), query_reply(queries[0], 12));  // the scan went on meanwhile
    CHECK(s.results.total == 12u);
    CHECK(s.focused == 4u);
    CHECK_FALSE(s.refresh_in_flight);
}

TEST_CASE("a scan of an engine killed mid-scan shows as interrupted once the new engine answers, and Resume rescans and it goes", "[shell]") {
    State s = with_results(10);
    s.outbox.clear();
    // Job 1 of the first engine, 158 of 1468 done, when the engine is killed.
    ipc::JobProgress p{1, ipc::JobState::running, 158, 1468, 0, "/photos/a.jpg", 20.0, 60.0, 40};
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{p}}});
    REQUIRE(running_jobs(s, ipc::JobKind::scan).size() == 1);
    s = reduce(std::move(s), EngineStatusChanged{EngineStatus::not_responding, "no heartbeat for 3 s"});
    s = reduce(std::move(s), ResumeInterruptedScans{});  // nothing to resume yet, and no engine
    s = reduce(std::move(s), EngineStatusChanged{EngineStatus::restarting, ""});
    s.outbox.clear();

    // The new engine: the dead engine's job is forgotten at once (its id is the new engine's to give).
    s = reduce(std::move(s), EngineConnected{"0.1.0", 456});
    CHECK(s.jobs.empty());
    CHECK(running_jobs(s).empty());
    auto list = commands_of<ipc::ListJobs>(s);
    REQUIRE(list.size() == 1);
    s.outbox.clear();
    // Its ListJobs: the scan as interrupted, under an id of its own (1 again), at an earlier sequence.
    ipc::JobSnapshot interrupted;
    interrupted.progress = ipc::JobProgress{1, ipc::JobState::interrupted, 158, 158, 0, "/photos", 0.0, 0.0, 0};
    interrupted.error = ipc::make_error(ipc::Status::internal, "job", "interrupted", "the engine stopped while this scan ran");
    s = reduce(std::move(s), ReplyArrived{list[0].request, 0, ipc::Reply{ipc::JobList{{interrupted}}}});
    CHECK(running_jobs(s).empty());  // the bar no longer shows it running
    REQUIRE(interrupted_scans(s).size() == 1);
    CHECK(interrupted_scans(s).front()->progress.done == 158);
    CHECK(commands_of<ipc::LibraryInfo>(s).size() == 1);  // it ended: what it did is read again

    // Resume: one Rescan, the button waits for its answer.
    s.outbox.clear();
    s = reduce(std::move(s), ResumeInterruptedScans{});
    auto rescans = commands_of<ipc::Rescan>(s);
    REQUIRE(rescans.size() == 1);
    CHECK(s.resume_sent);
    s = reduce(std::move(s), ResumeInterruptedScans{});
    CHECK(commands_of<ipc::Rescan>(s).size() == 1);  // not twice
    // Refused (the folders are gone): the error shows and Resume can be clicked again.
    s = reduce(std::move(s), ReplyArrived{rescans[0].request, 0,
                                          ipc::unexpected(ipc::make_error(ipc::Status::not_found, "catalog", "folders_missing", "none of the library's 1 folders exists now (first: /photos)"))});
    CHECK_FALSE(s.resume_sent);
    CHECK(s.last_error.find("folders_missing") == std::string::npos);
    CHECK(s.last_error.find("none of the library") != std::string::npos);
    REQUIRE(interrupted_scans(s).size() == 1);
    s.outbox.clear();
    s = reduce(std::move(s), ResumeInterruptedScans{});
    rescans = commands_of<ipc::Rescan>(s);
    REQUIRE(rescans.size() == 1);
    // Started: the rescan takes the interrupted scan's place in the bar, until it completes.
    s = reduce(std::move(s), ReplyArrived{rescans[0].request, 0, ipc::Reply{ipc::ScanStarted{2}}});
    CHECK_FALSE(s.resume_sent);
    CHECK(interrupted_scans(s).empty());
    CHECK(running_jobs(s, ipc::JobKind::scan).size() == 1);
    ipc::JobProgress done{2, ipc::JobState::completed, 1468, 1468, 0, "", 0.0, 0.0, 30};
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{done}}});
    CHECK(running_jobs(s).empty());
    CHECK(interrupted_scans(s).empty());
}

TEST_CASE("full screen is state the views render: on and off, the open photo kept", "[shell]") {
    State s = with_results(10);
    s = reduce(std::move(s), FocusIndex{2});
    s = reduce(std::move(s), OpenFocused{});
    REQUIRE(s.open_photo);
    s.outbox.clear();
    s = reduce(std::move(s), SetFullScreen{true});
    CHECK(s.full_screen);
    CHECK(s.open_photo);
    CHECK(s.outbox.empty());  // nothing for the engine
    s = reduce(std::move(s), SetFullScreen{false});  // Esc leaves full screen first ...
    CHECK_FALSE(s.full_screen);
    CHECK(s.open_photo);                             // ... the photo stays open
}

TEST_CASE("the status bar's count makes sense during a scan, and an empty grid says why", "[shell]") {
    State s = connected_state();
    CHECK(photo_count_line(s).empty());        // nothing answered yet
    CHECK_FALSE(empty_results_message(s));
    s = reduce(std::move(s), QueryEdited{""});
    auto queries = commands_of<ipc::Query>(s);
    REQUIRE(queries.size() == 1);
    s = reduce(std::move(s), query_reply(queries[0], 0));
    REQUIRE(empty_results_message(s));
    CHECK(empty_results_message(s)->find("No photos yet. Add a folder") == 0);
    ipc::LibraryInfoReply library;
    library.photos = 0;
    s = reduce(std::move(s), ReplyArrived{ipc::LibraryInfo{}, 0, ipc::Reply{library}});

    // A first scan: photos arrive, the library's count (read at the scan's end) is still 0.
    ipc::JobProgress p{1, ipc::JobState::running, 0, 300, 0, "", 0.0, std::nullopt, 1};
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{p}}});
    CHECK(empty_results_message(s)->find("the scan has just started") != std::string::npos);
    s.outbox.clear();
    p.done = 22;
    p.sequence = 2;
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{p}}});
    queries = commands_of<ipc::Query>(s);
    REQUIRE(queries.size() == 1);
    s = reduce(std::move(s), query_reply(queries[0], 22));
    CHECK(photo_count_line(s) == "22 photos");  // not "22 photos of 0"
    CHECK_FALSE(empty_results_message(s));

    // A search during the scan: how many match so far; nothing matched says so with the query.
    s.outbox.clear();
    s = reduce(std::move(s), QueryEdited{"tag:beach"});
    queries = commands_of<ipc::Query>(s);
    REQUIRE(queries.size() == 1);
    s = reduce(std::move(s), query_reply(queries[0], 1));
    CHECK(photo_count_line(s) == "1 photo matches so far");
    s.outbox.clear();
    s = reduce(std::move(s), QueryEdited{"tag:zebra"});
    queries = commands_of<ipc::Query>(s);
    s = reduce(std::move(s), query_reply(queries[0], 0));
    CHECK(*empty_results_message(s) == "Nothing matched \xe2\x80\x9ctag:zebra\xe2\x80\x9d yet: the scan goes on");

    // The scan ends and the library is read again: "N of M".
    p.state = ipc::JobState::completed;
    p.done = 300;
    p.sequence = 3;
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{p}}});
    library.photos = 300;
    s = reduce(std::move(s), ReplyArrived{ipc::LibraryInfo{}, 0, ipc::Reply{library}});
    CHECK(*empty_results_message(s) == "Nothing matched \xe2\x80\x9ctag:zebra\xe2\x80\x9d. Empty the search to see every photo.");
    s.outbox.clear();
    s = reduce(std::move(s), QueryEdited{"tag:beach"});
    queries = commands_of<ipc::Query>(s);
    s = reduce(std::move(s), query_reply(queries[0], 40));
    CHECK(photo_count_line(s) == "40 of 300 photos");
}

TEST_CASE("photos a scan adds before the focused and the open one do not move the focus to another photo", "[shell]") {
    State s = with_results(10);
    s = reduce(std::move(s), FocusIndex{4});
    s = reduce(std::move(s), OpenFocused{});
    REQUIRE(s.open_photo);
    CHECK(s.open_photo->id == "id4");
    s.outbox.clear();
    ipc::JobProgress p{1, ipc::JobState::running, 12, 300, 0, "", 0.0, std::nullopt, 1};
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{p}}});
    auto queries = commands_of<ipc::Query>(s);
    REQUIRE(queries.size() == 1);
    // Two photos taken earlier came in first: every photo moved two places on.
    ipc::QueryReply r;
    r.total = 12;
    r.photos = {photo(100), photo(101)};
    for (uint64_t i = 0; i < 10; ++i) r.photos.push_back(photo(i));
    s = reduce(std::move(s), ReplyArrived{queries[0].request, queries[0].tag, ipc::Reply{r}});
    REQUIRE(s.focused);
    CHECK(*s.focused == 6);
    CHECK(focused_photo(s)->id == "id4");
    CHECK(s.open_photo->index == 6);
    s = reduce(std::move(s), StepPhoto{+1});
    CHECK(s.open_photo->id == "id5");  // the next photo is the one after it, as shown
}

TEST_CASE("a camera's make is said once when its model starts with it, and the query term keeps the engine's value", "[shell]") {
    CHECK(camera_label("Canon Canon EOS 7D") == "Canon EOS 7D");
    CHECK(camera_label("Canon Canon") == "Canon");
    CHECK(camera_label("SONY ILCE-7M3") == "SONY ILCE-7M3");
    CHECK(camera_label("Apple iPhone 12") == "Apple iPhone 12");
    CHECK(camera_label("Canonical Canon X") == "Canonical Canon X");
    CHECK(camera_label("Canon CanonX 1") == "Canon CanonX 1");  // a whole word only
    CHECK(camera_label("") == "");
    CHECK(facet_term(FacetKind::camera, "Canon Canon EOS 7D") == "camera:\"Canon Canon EOS 7D\"");
}

TEST_CASE("facets add terms to the query once", "[shell]") {
    CHECK(with_facet("", FacetKind::tag, "beach") == "tag:beach");
    CHECK(with_facet("sea ", FacetKind::tag, "black and white") == "sea tag:\"black and white\"");
    CHECK(with_facet("tag:beach", FacetKind::tag, "beach") == "tag:beach");
    CHECK(with_facet("x", FacetKind::year, "2019") == "x year:2019");
    CHECK(with_facet("x", FacetKind::month, "2019-05") == "x date:2019-05");
    CHECK(with_facet("x", FacetKind::camera, "EOS R6") == "x camera:\"EOS R6\"");
    State s = connected_state();
    s = reduce(std::move(s), FacetChosen{FacetKind::place, "paris"});
    CHECK(s.query.text == "place:paris");
    CHECK(commands_of<ipc::Query>(s).size() == 1);
}

TEST_CASE("remove, rescan, settings and an attached engine serving another library", "[shell]") {
    State s = with_results(3);
    s.outbox.clear();
    s = reduce(std::move(s), RemoveSelectedConfirmed{});
    CHECK(s.outbox.empty());  // nothing focused
    s = reduce(std::move(s), FocusIndex{2});
    s = reduce(std::move(s), RemoveSelectedConfirmed{});
    auto removes = commands_of<ipc::RemovePhotos>(s);
    REQUIRE(removes.size() == 1);
    CHECK(std::get<ipc::RemovePhotos>(removes[0].request).photo_ids == std::vector<std::string>{"id2"});

    s = reduce(std::move(s), ApplySettings{{{"workers", "3"}}});
    CHECK(commands_of<ipc::SetSettings>(s).size() == 1);
    auto error = ipc::make_error(ipc::Status::bad_request, "config", "bad_setting", "unknown setting 'x'");
    s = reduce(std::move(s), ReplyArrived{ipc::SetSettings{}, 0, ipc::unexpected(error)});
    CHECK(s.last_error.find("unknown setting") != std::string::npos);

    s.outbox.clear();
    s.wanted_catalog = "/mine.lbx";
    ipc::LibraryInfoReply other;
    other.catalog = "/theirs.lbx";
    s = reduce(std::move(s), ReplyArrived{ipc::LibraryInfo{}, 0, ipc::Reply{other}});
    auto opens = commands_of<ipc::OpenLibrary>(s);
    REQUIRE(opens.size() == 1);
    CHECK(std::get<ipc::OpenLibrary>(opens[0].request).catalog == "/mine.lbx");
    s = reduce(std::move(s), ReplyArrived{ipc::LibraryInfo{}, 0, ipc::Reply{other}});
    CHECK(commands_of<ipc::OpenLibrary>(s).size() == 1);  // asked once
}

TEST_CASE("thumbnails that cannot be had are remembered for the placeholder", "[shell]") {
    State s;
    s = reduce(std::move(s), ThumbnailArrived{{"x", 256}, nullptr});
    CHECK(s.missing_thumbnails.count("x"));
    s = reduce(std::move(s), ThumbnailArrived{{"x", 256}, std::make_shared<DecodedThumbnail>()});
    CHECK_FALSE(s.missing_thumbnails.count("x"));
}

TEST_CASE("the open photo's full resolution: its failure is shown, and the grid's thumbnail is not missing", "[shell]") {
    State s = with_results(3);
    s = reduce(std::move(s), FocusIndex{1});
    s = reduce(std::move(s), OpenFocused{});
    s = reduce(std::move(s), ToggleZoom{});
    REQUIRE(s.open_photo);
    CHECK(s.open_photo->zoom == 1.0);
    s = reduce(std::move(s), ThumbnailArrived{{"id1", ipc::kFullResolution}, nullptr, "the image is 20 MB, more than one reply carries"});
    REQUIRE(s.open_photo->full_resolution_error);
    CHECK(s.open_photo->full_resolution_error->find("20 MB") != std::string::npos);
    CHECK_FALSE(s.missing_thumbnails.count("id1"));  // the grid still shows its thumbnail
    // An answer for a photo no longer open changes nothing.
    s = reduce(std::move(s), StepPhoto{+1});
    CHECK_FALSE(s.open_photo->full_resolution_error);
    s = reduce(std::move(s), ThumbnailArrived{{"id1", ipc::kFullResolution}, nullptr, "late"});
    CHECK_FALSE(s.open_photo->full_resolution_error);
    s = reduce(std::move(s), ThumbnailArrived{{"id2", ipc::kFullResolution}, nullptr, ""});
    CHECK(s.open_photo->full_resolution_error == std::string("not available"));
    s = reduce(std::move(s), ThumbnailArrived{{"id2", ipc::kFullResolution}, std::make_shared<DecodedThumbnail>(), ""});
    CHECK_FALSE(s.open_photo->full_resolution_error);
}

TEST_CASE("an application that could not be started is reported in the status bar, and nothing else changes", "[shell]") {
    State s = with_results(3);
    s = reduce(std::move(s), FocusIndex{1});
    s = reduce(std::move(s), OpenFocused{});
    const auto before = s.outbox.size();
    s = reduce(std::move(s), DesktopLaunchFailed{"cannot start 'viewer.desktop' on /p/a.jpg: no such file"});
    CHECK(s.last_error == "cannot start 'viewer.desktop' on /p/a.jpg: no such file");
    CHECK(s.outbox.size() == before);  // no command for the engine
    REQUIRE(s.open_photo);
    CHECK(s.open_photo->id == "id1");
}

TEST_CASE("Ctrl+click and Shift+click choose several photos, and Delete removes them all", "[shell]") {
    State s = with_results(10);
    s = reduce(std::move(s), FocusIndex{1});
    CHECK(selected_ids(s) == std::vector<std::string>{"id1"});  // a plain click: the focused photo alone
    CHECK(s.selection.ids.empty());

    // Ctrl+click adds to the focused one, a second Ctrl+click on it takes it out again.
    s = reduce(std::move(s), FocusIndex{4, SelectMode::toggle});
    CHECK(s.selection.ids == std::set<std::string>{"id1", "id4"});
    s = reduce(std::move(s), FocusIndex{6, SelectMode::toggle});
    s = reduce(std::move(s), FocusIndex{4, SelectMode::toggle});
    CHECK(s.selection.ids == std::set<std::string>{"id1", "id6"});
    CHECK(*s.focused == 4);

    // Shift+click: from the last clicked photo to this one, either direction.
    s = reduce(std::move(s), FocusIndex{2});
    s = reduce(std::move(s), FocusIndex{5, SelectMode::extend});
    CHECK(s.selection.ids == std::set<std::string>{"id2", "id3", "id4", "id5"});
    s = reduce(std::move(s), FocusIndex{0, SelectMode::extend});
    CHECK(s.selection.ids == std::set<std::string>{"id0", "id1", "id2"});
    // Shift+arrows grow it from the same anchor; a plain arrow goes back to the focused photo alone.
    s = reduce(std::move(s), MoveFocus{NavKey::right, 5, 2, true});
    CHECK(s.selection.ids == std::set<std::string>{"id1", "id2"});
    s = reduce(std::move(s), MoveFocus{NavKey::down, 5, 2, true});
    CHECK(s.selection.ids == std::set<std::string>{"id2", "id3", "id4", "id5", "id6"});

    s.outbox.clear();
    s = reduce(std::move(s), RemoveSelectedConfirmed{});
    auto removes = commands_of<ipc::RemovePhotos>(s);
    REQUIRE(removes.size() == 1);
    CHECK(std::get<ipc::RemovePhotos>(removes[0].request).photo_ids ==
          std::vector<std::string>{"id2", "id3", "id4", "id5", "id6"});
    CHECK(s.selection.ids.empty());  // removed: nothing stays chosen

    s = reduce(std::move(s), FocusIndex{1, SelectMode::toggle});
    s = reduce(std::move(s), MoveFocus{NavKey::left, 5, 2, false});
    CHECK(s.selection.ids.empty());
    // A new query forgets the selection (its indices and photos are another set).
    s = reduce(std::move(s), FocusIndex{3, SelectMode::toggle});
    REQUIRE_FALSE(s.selection.ids.empty());
    s = reduce(std::move(s), QueryEdited{"tag:beach"});
    CHECK(s.selection.ids.empty());
    CHECK_FALSE(s.selection.anchor);
}

TEST_CASE("a Shift range over pages not loaded asks for them and is chosen when they arrive", "[shell]") {
    State s = with_results(2000);  // page 0 loaded; pages 1-3 not
    s = reduce(std::move(s), FocusIndex{10});
    s = reduce(std::move(s), FocusIndex{1600, SelectMode::extend});
    REQUIRE(s.selection.pending_range);
    CHECK(selected_ids(s).empty());  // Delete waits: nothing half-chosen is removed
    auto queries = commands_of<ipc::Query>(s);
    std::set<uint64_t> offsets;
    for (const auto& q : queries) offsets.insert(std::get<ipc::Query>(q.request).offset);
    CHECK(offsets == std::set<uint64_t>{500, 1000, 1500});
    s.outbox.clear();
    s = reduce(std::move(s), RemoveSelectedConfirmed{});
    CHECK(commands_of<ipc::RemovePhotos>(s).empty());

    for (std::size_t i = 0; i < queries.size(); ++i) {
        s = reduce(std::move(s), query_reply(queries[i], 2000));
        CHECK(s.selection.pending_range.has_value() == (i + 1 < queries.size()));
    }
    CHECK(s.selection.ids.size() == 1591);  // 10 .. 1600
    CHECK(s.selection.ids.count("id10"));
    CHECK(s.selection.ids.count("id1600"));
    CHECK_FALSE(s.selection.ids.count("id1601"));
    CHECK(selected_ids(s).size() == 1591);
}

namespace {

ipc::Person person(uint64_t id, std::string name, uint64_t faces) {
    ipc::Person p;
    p.id = id;
    p.name = std::move(name);
    p.faces = faces;
    p.photos = faces;
    p.cover_photo_id = "cover" + std::to_string(id);
    return p;
}

// The reply to a ListPersons command: `persons` from its offset, out of `total`.
ReplyArrived persons_reply(const Command& command, std::vector<ipc::Person> persons, uint64_t total) {
    return ReplyArrived{command.request, command.tag, ipc::Reply{ipc::PersonList{std::move(persons), total}}};
}

// Connected, the People page shown and its first page answered with Anna, an unnamed person and Ben.
State with_people() {
    State s = with_results(3);
    s.outbox.clear();
    s = reduce(std::move(s), ShowPeople{true});
    auto lists = commands_of<ipc::ListPersons>(s);
    REQUIRE(lists.size() == 1);
    s.outbox.clear();
    return reduce(std::move(s), persons_reply(lists[0], {person(1, "Anna", 40), person(5, "", 9), person(2, "Ben Ali", 3)}, 3));
}

ipc::JobProgress analysis_progress(uint64_t id, ipc::JobState state, uint64_t done, uint64_t total, uint64_t sequence) {
    ipc::JobProgress p;
    p.job_id = id;
    p.kind = ipc::JobKind::analysis;
    p.state = state;
    p.done = done;
    p.total = total;
    p.sequence = sequence;
    return p;
}

ReplyArrived analysis_reply(const ipc::Request& request, bool paused, uint64_t pending, uint64_t job_id) {
    ipc::AnalysisReply r;
    r.enabled = true;
    r.paused = paused;
    r.pending = pending;
    r.job_id = job_id;
    return ReplyArrived{request, 0, ipc::Reply{r}};
}

}  // namespace

TEST_CASE("group, label and person facets add their terms, quoted when they hold a blank, and a second click takes them out", "[shell]") {
    CHECK(facet_term(FacetKind::group, "animals") == "group:animals");
    CHECK(facet_term(FacetKind::label, "sports ball") == "label:\"sports ball\"");
    CHECK(facet_term(FacetKind::person, "Anna") == "person:Anna");
    CHECK(facet_term(FacetKind::person, "Chloé Martin") == "person:\"Chloé Martin\"");
    CHECK(with_facet("beach", FacetKind::label, "dog") == "beach label:dog");
    CHECK(has_facet("beach label:dog year:2019", FacetKind::label, "dog"));
    CHECK_FALSE(has_facet("beach label:doggy", FacetKind::label, "dog"));
    CHECK(without_facet("beach label:dog year:2019", FacetKind::label, "dog") == "beach year:2019");
    CHECK(without_facet("label:dog", FacetKind::label, "dog").empty());
    CHECK(without_facet("person:\"Ben Ali\" beach", FacetKind::person, "Ben Ali") == "beach");
    CHECK(without_facet("label:doggy", FacetKind::label, "dog") == "label:doggy");  // not a whole term

    State s = connected_state();
    s = reduce(std::move(s), QueryEdited{"beach"});
    s.outbox.clear();
    s = reduce(std::move(s), FacetChosen{FacetKind::group, "animals"});
    CHECK(s.query.text == "beach group:animals");
    s = reduce(std::move(s), FacetChosen{FacetKind::person, "Ben Ali"});
    CHECK(s.query.text == "beach group:animals person:\"Ben Ali\"");
    s.outbox.clear();
    s = reduce(std::move(s), FacetChosen{FacetKind::group, "animals"});  // chosen again: out
    CHECK(s.query.text == "beach person:\"Ben Ali\"");
    const auto queries = commands_of<ipc::Query>(s);
    REQUIRE(queries.size() == 1);
    CHECK(std::get<ipc::Query>(queries[0].request).query == "beach person:\"Ben Ali\"");
    CHECK(commands_of<ipc::Facets>(s).size() == 1);
}

TEST_CASE("B shows and hides the boxes over the photo", "[shell]") {
    State s = with_results(3);
    CHECK_FALSE(s.show_regions);
    s = reduce(std::move(s), ToggleRegions{});
    CHECK(s.show_regions);
    s = reduce(std::move(s), ToggleRegions{});
    CHECK_FALSE(s.show_regions);
    CHECK(s.outbox.empty());  // a view option: nothing for the engine

    // With a photo open, showing the boxes reads its regions again (analysis may have reached it since).
    s = reduce(std::move(s), FocusIndex{2});
    s = reduce(std::move(s), OpenFocused{});
    s.outbox.clear();
    s = reduce(std::move(s), ToggleRegions{});
    auto gets = commands_of<ipc::GetPhoto>(s);
    REQUIRE(gets.size() == 1);
    CHECK(std::get<ipc::GetPhoto>(gets[0].request).photo_id == "id2");
    s.outbox.clear();
    s = reduce(std::move(s), ToggleRegions{});
    CHECK(s.outbox.empty());

    // An analysis job that ends reads the open photo again too.
    ipc::JobProgress done;
    done.job_id = 3;
    done.kind = ipc::JobKind::analysis;
    done.state = ipc::JobState::completed;
    done.sequence = 1;
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{done}}});
    CHECK(commands_of<ipc::GetPhoto>(s).size() == 1);
}

TEST_CASE("the analysis state is asked for on connecting, on a new analysis job and when one ends, Pause and Resume wait for the answer", "[shell]") {
    State s;
    s = reduce(std::move(s), EngineConnected{"0.1.0", 1});
    auto gets = commands_of<ipc::GetAnalysis>(s);
    REQUIRE(gets.size() == 1);
    s.outbox.clear();
    s = reduce(std::move(s), analysis_reply(gets[0].request, false, 718, 0));
    REQUIRE(s.analysis);
    CHECK(s.analysis->pending == 718);

    // A new analysis job: asked once; its progress events after that do not ask again.
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{analysis_progress(9, ipc::JobState::running, 1, 718, 1)}}});
    CHECK(commands_of<ipc::GetAnalysis>(s).size() == 1);
    CHECK(running_jobs(s, ipc::JobKind::analysis).size() == 1);
    CHECK(running_jobs(s, ipc::JobKind::scan).empty());
    s.outbox.clear();
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{analysis_progress(9, ipc::JobState::running, 2, 718, 2)}}});
    CHECK(commands_of<ipc::GetAnalysis>(s).empty());
    CHECK(commands_of<ipc::Query>(s).empty());  // one photo analysed: nothing read again yet

    // Pause: one request until it is answered (a second click is not sent twice).
    s = reduce(std::move(s), PauseAnalysisRequested{true});
    auto pauses = commands_of<ipc::SetAnalysisPaused>(s);
    REQUIRE(pauses.size() == 1);
    CHECK(std::get<ipc::SetAnalysisPaused>(pauses[0].request).paused);
    CHECK(s.analysis_pause_sent);
    s.outbox.clear();
    s = reduce(std::move(s), PauseAnalysisRequested{true});
    CHECK(s.outbox.empty());
    s = reduce(std::move(s), analysis_reply(pauses[0].request, true, 716, 0));
    CHECK_FALSE(s.analysis_pause_sent);
    CHECK(s.analysis->paused);
    // The job ends as paused: the state is asked for again, and the results and facets are read again.
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{analysis_progress(9, ipc::JobState::paused, 2, 718, 3)}}});
    CHECK(running_jobs(s).empty());
    CHECK(commands_of<ipc::GetAnalysis>(s).size() == 1);
    CHECK(commands_of<ipc::Facets>(s).size() == 1);

    // Resume; a failed answer frees the button again and is reported.
    s.outbox.clear();
    s = reduce(std::move(s), PauseAnalysisRequested{false});
    pauses = commands_of<ipc::SetAnalysisPaused>(s);
    REQUIRE(pauses.size() == 1);
    CHECK_FALSE(std::get<ipc::SetAnalysisPaused>(pauses[0].request).paused);
    s = reduce(std::move(s), ReplyArrived{pauses[0].request, 0, ipc::unexpected(ipc::make_error(ipc::Status::internal, "engine", "internal", "boom"))});
    CHECK_FALSE(s.analysis_pause_sent);
    CHECK(s.last_error.find("boom") != std::string::npos);
    CHECK(s.analysis->paused);  // what the engine said last

    // Disconnected: the button does nothing and a request in flight is forgotten.
    s = reduce(std::move(s), PauseAnalysisRequested{false});
    CHECK(s.analysis_pause_sent);
    s = reduce(std::move(s), EngineStatusChanged{EngineStatus::not_responding, ""});
    CHECK_FALSE(s.analysis_pause_sent);
    s.outbox.clear();
    s = reduce(std::move(s), PauseAnalysisRequested{false});
    CHECK(s.outbox.empty());
}

TEST_CASE("a scan's end asks for the analysis state too, once for every job of a ListJobs", "[shell]") {
    State s = with_results(0);
    s.outbox.clear();
    ipc::JobList list;
    for (uint64_t id : {1, 2, 3}) {
        ipc::JobSnapshot job;
        job.progress = ipc::JobProgress{id, ipc::JobState::completed, 5, 5, 0, "", 0, std::nullopt, 4};
        list.jobs.push_back(job);
    }
    s = reduce(std::move(s), ReplyArrived{ipc::ListJobs{}, 0, ipc::Reply{list}});
    CHECK(commands_of<ipc::GetAnalysis>(s).size() == 1);
    CHECK(commands_of<ipc::LibraryInfo>(s).size() == 1);
    CHECK(commands_of<ipc::ListFailures>(s).size() == 1);
}

TEST_CASE("analysis progress reads the results, facets and people again every twentieth of the job", "[shell]") {
    State s = with_people();
    uint64_t sequence = 1;
    const auto progress = [&](uint64_t done) {
        s.outbox.clear();
        s = reduce(std::move(s), EventArrived{ipc::Event{ipc::JobProgressEvent{analysis_progress(4, ipc::JobState::running, done, 1000, sequence++)}}});
    };
    progress(10);
    CHECK(commands_of<ipc::ListPersons>(s).empty());
    progress(49);
    CHECK(commands_of<ipc::ListPersons>(s).empty());
    progress(50);  // 1000 / 20
    REQUIRE(commands_of<ipc::ListPersons>(s).size() == 1);
    CHECK(commands_of<ipc::Facets>(s).size() == 1);
    CHECK(commands_of<ipc::Query>(s).size() == 1);
    const auto list = commands_of<ipc::ListPersons>(s)[0];
    progress(99);
    CHECK(commands_of<ipc::ListPersons>(s).empty());
    CHECK(commands_of<ipc::Facets>(s).empty());
    s = reduce(std::move(s), persons_reply(list, {person(1, "Anna", 41)}, 1));
    progress(100);
    CHECK(commands_of<ipc::ListPersons>(s).size() == 1);

    // The page hidden: people are not read; the results and facets still are.
    s = reduce(std::move(s), ShowPeople{false});
    s.people.requested.clear();
    progress(150);
    CHECK(commands_of<ipc::ListPersons>(s).empty());
    CHECK(commands_of<ipc::Facets>(s).size() == 1);
}

TEST_CASE("the People page lists persons when shown, page by page, and the engine restarting reads them again", "[shell]") {
    State s = with_results(3);
    s.outbox.clear();
    s = reduce(std::move(s), FocusIndex{1});
    s = reduce(std::move(s), OpenFocused{});
    s.outbox.clear();
    s = reduce(std::move(s), ShowPeople{true});
    CHECK(s.people.shown);
    CHECK_FALSE(s.open_photo);  // the page replaces the photo
    auto lists = commands_of<ipc::ListPersons>(s);
    REQUIRE(lists.size() == 1);
    CHECK(std::get<ipc::ListPersons>(lists[0].request).offset == 0);
    CHECK(std::get<ipc::ListPersons>(lists[0].request).limit == PeopleState::kPageSize);
    s.outbox.clear();
    s = reduce(std::move(s), ShowPeople{true});  // asked already: not again
    CHECK(commands_of<ipc::ListPersons>(s).empty());

    std::vector<ipc::Person> first;
    for (uint64_t i = 0; i < PeopleState::kPageSize; ++i) first.push_back(person(i + 1, "", 300 - i));
    s = reduce(std::move(s), persons_reply(lists[0], first, 250));
    CHECK(s.people.count() == 250);
    CHECK(s.people.at(0)->id == 1);
    CHECK(s.people.at(PeopleState::kPageSize) == nullptr);
    s = reduce(std::move(s), PersonsPageNeeded{1});
    lists = commands_of<ipc::ListPersons>(s);
    REQUIRE(lists.size() == 1);
    CHECK(std::get<ipc::ListPersons>(lists[0].request).offset == PeopleState::kPageSize);
    s = reduce(std::move(s), persons_reply(lists[0], {person(900, "Zoe", 1)}, 250));
    CHECK(s.people.find(900)->name == "Zoe");

    // A restarted engine: both loaded pages again.
    s.outbox.clear();
    s = reduce(std::move(s), EngineStatusChanged{EngineStatus::not_responding, ""});
    s = reduce(std::move(s), EngineConnected{"0.1.0", 2});
    CHECK(commands_of<ipc::ListPersons>(s).size() == 2);

    // Hidden, then the engine restarts: nothing is listed until the page shows again.
    s = reduce(std::move(s), ShowPeople{false});
    s.outbox.clear();
    s = reduce(std::move(s), EngineConnected{"0.1.0", 3});
    CHECK(commands_of<ipc::ListPersons>(s).empty());
}

TEST_CASE("an engine that cannot group people makes the page say so, not the status bar", "[shell]") {
    State s = with_results(3);
    s = reduce(std::move(s), ShowPeople{true});
    auto lists = commands_of<ipc::ListPersons>(s);
    REQUIRE(lists.size() == 1);
    const auto unsupported = ipc::make_error(ipc::Status::bad_request, "engine", ipc::codes::kUnsupported,
                                             "ListPersons: people are not grouped by this engine yet");
    s = reduce(std::move(s), ReplyArrived{lists[0].request, 0, ipc::unexpected(unsupported)});
    REQUIRE(s.people.unsupported);
    CHECK(s.people.unsupported->find("not grouped") != std::string::npos);
    CHECK(s.last_error.empty());
    CHECK(s.people.requested.empty());  // Refresh may ask again (an engine updated meanwhile)
    s.outbox.clear();
    s = reduce(std::move(s), RefreshPersons{});
    lists = commands_of<ipc::ListPersons>(s);
    REQUIRE(lists.size() == 1);
    s = reduce(std::move(s), persons_reply(lists[0], {}, 0));
    CHECK_FALSE(s.people.unsupported);

    // Another failure is an error of the page and of the status bar.
    s = reduce(std::move(s), RenamePersonRequested{4, "Dora"});
    const auto renames = commands_of<ipc::RenamePerson>(s);
    REQUIRE(renames.size() == 1);
    s = reduce(std::move(s), ReplyArrived{renames[0].request, 0, ipc::unexpected(ipc::make_error(ipc::Status::not_found, "catalog", "not_found", "no person 4"))});
    CHECK(s.people.error == "no person 4");
    CHECK(s.last_error.find("no person 4") != std::string::npos);
}

TEST_CASE("a click on a named person shows their photos, an unnamed one is chosen to be named", "[shell]") {
    State s = with_people();
    s = reduce(std::move(s), ShowPersonPhotos{5});  // unnamed: no query can find them
    CHECK(s.people.shown);
    CHECK(s.outbox.empty());
    s = reduce(std::move(s), ChoosePerson{5});
    CHECK(s.people.selected == std::set<uint64_t>{5});

    s = reduce(std::move(s), ShowPersonPhotos{2});
    CHECK_FALSE(s.people.shown);  // the grid again
    CHECK(s.query.text == "person:\"Ben Ali\"");
    const auto queries = commands_of<ipc::Query>(s);
    REQUIRE(queries.size() == 1);
    CHECK(std::get<ipc::Query>(queries[0].request).query == "person:\"Ben Ali\"");

    CHECK(person_query(person(1, "Anna", 1)) == "person:Anna");
    CHECK_FALSE(person_query(person(1, "", 1)));
    CHECK_FALSE(person_query(person(1, "The \"Boss\"", 1)));  // the query language cannot hold it
}

TEST_CASE("rename sends the trimmed name and reads the people, the facets and the open photo again", "[shell]") {
    State s = with_people();
    s = reduce(std::move(s), ChoosePerson{5});
    s = reduce(std::move(s), RenamePersonRequested{5, "  Dora  "});
    auto renames = commands_of<ipc::RenamePerson>(s);
    REQUIRE(renames.size() == 1);
    CHECK(std::get<ipc::RenamePerson>(renames[0].request).person_id == 5);
    CHECK(std::get<ipc::RenamePerson>(renames[0].request).new_name == "Dora");
    s.outbox.clear();
    s.open_photo = OpenPhoto{};  // a photo open meanwhile: its faces' names change
    s.open_photo->id = "id0";
    ipc::Person dora = person(5, "Dora", 9);
    s = reduce(std::move(s), ReplyArrived{renames[0].request, 0, ipc::Reply{ipc::PersonReply{dora}}});
    CHECK(commands_of<ipc::ListPersons>(s).size() == 1);
    CHECK(commands_of<ipc::Facets>(s).size() == 1);
    CHECK(commands_of<ipc::GetPhoto>(s).size() == 1);
    CHECK(s.people.selected == std::set<uint64_t>{5});  // still chosen

    // A name with a double quote is refused before it is sent.
    s.outbox.clear();
    s = reduce(std::move(s), RenamePersonRequested{5, "The \"Boss\""});
    CHECK(s.outbox.empty());
    REQUIRE(s.people.error);
    CHECK(s.people.error->find("double quote") != std::string::npos);
    // An empty name makes them unnamed again.
    s = reduce(std::move(s), RenamePersonRequested{5, " "});
    renames = commands_of<ipc::RenamePerson>(s);
    REQUIRE(renames.size() == 1);
    CHECK(std::get<ipc::RenamePerson>(renames[0].request).new_name.empty());
    CHECK_FALSE(s.people.error);
}

TEST_CASE("merge moves every other chosen person into the one kept, the list shrinks when read again", "[shell]") {
    State s = with_people();
    s = reduce(std::move(s), ChoosePerson{1});
    s = reduce(std::move(s), ChoosePerson{5, SelectMode::toggle});
    s = reduce(std::move(s), ChoosePerson{2, SelectMode::toggle});
    s = reduce(std::move(s), ChoosePerson{2, SelectMode::toggle});  // Ctrl+click again: out
    CHECK(s.people.selected == std::set<uint64_t>{1, 5});
    s = reduce(std::move(s), MergeChosenInto{1});
    auto merges = commands_of<ipc::MergePersons>(s);
    REQUIRE(merges.size() == 1);
    CHECK(std::get<ipc::MergePersons>(merges[0].request).from_id == 5);
    CHECK(std::get<ipc::MergePersons>(merges[0].request).into_id == 1);
    s.outbox.clear();
    s = reduce(std::move(s), ReplyArrived{merges[0].request, 0, ipc::Reply{ipc::PersonReply{person(1, "Anna", 49)}}});
    CHECK(s.people.selected == std::set<uint64_t>{1});
    auto lists = commands_of<ipc::ListPersons>(s);
    REQUIRE(lists.size() == 1);
    s = reduce(std::move(s), persons_reply(lists[0], {person(1, "Anna", 49), person(2, "Ben Ali", 3)}, 2));
    CHECK(s.people.count() == 2);
    CHECK(s.people.find(5) == nullptr);
    CHECK(s.people.at(0)->faces == 49);
}

TEST_CASE("opening another library forgets its people and asks for its analysis state", "[shell]") {
    State s = with_people();
    s.outbox.clear();
    ipc::LibraryInfoReply info;
    info.catalog = "/other.lbx";
    s = reduce(std::move(s), ReplyArrived{ipc::OpenLibrary{"/other.lbx"}, 0, ipc::Reply{info}});
    CHECK(s.people.shown);
    CHECK(s.people.count() == 0);
    CHECK(commands_of<ipc::ListPersons>(s).size() == 1);
    CHECK(commands_of<ipc::GetAnalysis>(s).size() == 1);
}

TEST_CASE("the failures window's Retry All rescans with the failed files retried", "[shell]") {
    State s = connected_state();
    s = reduce(std::move(s), RetryFailedRequested{});
    const auto rescans = commands_of<ipc::Rescan>(s);
    REQUIRE(rescans.size() == 1);
    CHECK(std::get<ipc::Rescan>(rescans[0].request).retry_failed);
    State offline;
    offline = reduce(std::move(offline), RetryFailedRequested{});
    CHECK(offline.outbox.empty());
}

TEST_CASE("Remove on an automatic tag rejects it: the view drops it, the status bar says so, facets and pages are read again", "[shell]") {
    State s = with_results(3);
    s = reduce(std::move(s), FocusIndex{0});
    s = reduce(std::move(s), OpenFocused{});
    auto gets = commands_of<ipc::GetPhoto>(s);
    REQUIRE(gets.size() == 1);
    s.outbox.clear();
    ipc::PhotoInfo info;
    info.id = "id0";
    info.path = "/p/IMG_1.jpg";
    info.tags = {{"dog", "label", 0.9, "org.lightbox.vision"}, {"Dog", "scene", 0.5, "org.lightbox.autotag"},
                 {"beach", "scene", 0.9, "org.lightbox.autotag"}, {"dog", "user", 1.0, "user"}};
    s = reduce(std::move(s), ReplyArrived{gets[0].request, 0, ipc::Reply{ipc::PhotoReply{info}}});

    s = reduce(std::move(s), RejectTag{"dog"});
    auto rejects = commands_of<ipc::RejectTags>(s);
    REQUIRE(rejects.size() == 1);
    CHECK(std::get<ipc::RejectTags>(rejects[0].request) == ipc::RejectTags{"id0", {"dog"}, {}});
    s.outbox.clear();
    s = reduce(std::move(s), ReplyArrived{rejects[0].request, 0, ipc::Reply{ipc::TagsRejected{"id0", 2, {"dog"}}}});
    // Every automatic "dog" goes, whatever its case; the user's own tag of that name stays.
    REQUIRE(s.open_photo->info->tags.size() == 2);
    CHECK(s.open_photo->info->tags[0].name == "beach");
    CHECK(s.open_photo->info->tags[1].source == "user");
    CHECK(s.open_photo->info->rejected_tags == std::vector<std::string>{"dog"});
    CHECK(status_message(s) == "removed tag 'dog' from IMG_1.jpg; it will not be added again");
    CHECK(commands_of<ipc::Facets>(s).size() == 1);
    CHECK_FALSE(commands_of<ipc::Query>(s).empty());

    // A notice gives way to a newer error and is cleared like one.
    const uint64_t serial = s.last_error_serial;
    s = reduce(std::move(s), DesktopLaunchFailed{"no application"});
    CHECK(status_message(s) == "no application");
    s = reduce(std::move(s), ClearLastError{s.last_error_serial});
    CHECK(status_message(s).empty());
    CHECK(s.last_error_serial > serial);

    // Allowed again.
    s.outbox.clear();
    s = reduce(std::move(s), RestoreTag{"dog"});
    auto restores = commands_of<ipc::RejectTags>(s);
    REQUIRE(restores.size() == 1);
    CHECK(std::get<ipc::RejectTags>(restores[0].request) == ipc::RejectTags{"id0", {}, {"dog"}});
    s = reduce(std::move(s), ReplyArrived{restores[0].request, 0, ipc::Reply{ipc::TagsRejected{"id0", 0, {}}}});
    CHECK(s.open_photo->info->rejected_tags.empty());
    CHECK(status_message(s).find("'dog' may be added to IMG_1.jpg again") != std::string::npos);
}

TEST_CASE("rotate turns the open photo and its grid row at once, each press from the last, and a refused turn reads the truth again", "[shell]") {
    State s = with_results(3);
    s = reduce(std::move(s), RotateOpenPhoto{+1});
    CHECK(commands_of<ipc::SetRotation>(s).empty());  // no photo open
    s = reduce(std::move(s), FocusIndex{1});
    s = reduce(std::move(s), OpenFocused{});
    CHECK(open_photo_rotation(s) == 0);
    // Before GetPhoto answers: from the grid's row.
    s.results.pages[0][1].rotation = 2;
    CHECK(open_photo_rotation(s) == 2);
    s.results.pages[0][1].rotation = 0;
    auto gets = commands_of<ipc::GetPhoto>(s);
    REQUIRE(gets.size() == 1);
    ipc::PhotoInfo info;
    info.id = "id1";
    info.path = "/p/1.jpg";
    s = reduce(std::move(s), ReplyArrived{gets[0].request, 0, ipc::Reply{ipc::PhotoReply{info}}});
    s.outbox.clear();

    s = reduce(std::move(s), RotateOpenPhoto{+1});
    s = reduce(std::move(s), RotateOpenPhoto{+1});  // before the first answer: turns on from 90°
    auto sets = commands_of<ipc::SetRotation>(s);
    REQUIRE(sets.size() == 2);
    CHECK(std::get<ipc::SetRotation>(sets[0].request) == ipc::SetRotation{"id1", 1});
    CHECK(std::get<ipc::SetRotation>(sets[1].request) == ipc::SetRotation{"id1", 2});
    CHECK(open_photo_rotation(s) == 2);
    CHECK(s.results.at(1)->rotation == 2);
    CHECK(s.results.at(0)->rotation == 0);
    s.outbox.clear();
    s = reduce(std::move(s), RotateOpenPhoto{-1});
    s = reduce(std::move(s), RotateOpenPhoto{-1});
    s = reduce(std::move(s), RotateOpenPhoto{-1});
    CHECK(std::get<ipc::SetRotation>(commands_of<ipc::SetRotation>(s).back().request).quarter_turns == 3);  // 2 - 3 = -1 = 270°
    // Answers to the earlier presses, and a GetPhoto answer read before them, do not turn it back.
    s = reduce(std::move(s), ReplyArrived{sets[1].request, 0, ipc::Reply{ipc::RotationSet{"id1", 2}}});
    CHECK(open_photo_rotation(s) == 3);
    CHECK(s.results.at(1)->rotation == 3);
    info.rotation = 1;
    s = reduce(std::move(s), ReplyArrived{gets[0].request, 0, ipc::Reply{ipc::PhotoReply{info}}});
    CHECK(open_photo_rotation(s) == 3);

    // Refused: the photo and the pages are read again.
    s.outbox.clear();
    s = reduce(std::move(s), ReplyArrived{sets[0].request, 0,
                                          ipc::unexpected(ipc::make_error(ipc::Status::not_found, "catalog", ipc::codes::kNoSuchPhoto, "gone"))});
    CHECK(commands_of<ipc::GetPhoto>(s).size() == 1);
    CHECK_FALSE(commands_of<ipc::Query>(s).empty());
    CHECK(status_message(s).find("gone") != std::string::npos);
}

TEST_CASE("a change another client made to the library (LibraryChanged) reads again the results, the facets and the open photo it names", "[shell]") {
    State s = with_results(3);
    s = reduce(std::move(s), FocusIndex{1});
    s = reduce(std::move(s), OpenFocused{});
    REQUIRE(s.open_photo);
    s.outbox.clear();

    // Another photo turned: the results and facets are read again, the open photo is not.
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::LibraryChanged{ipc::changes::kRotation, {"id2"}, ""}}});
    CHECK(commands_of<ipc::Query>(s).size() == 1);
    CHECK(commands_of<ipc::Facets>(s).size() == 1);
    CHECK(commands_of<ipc::GetPhoto>(s).empty());
    CHECK(commands_of<ipc::LibraryInfo>(s).empty());
    s.outbox.clear();
    s.refresh_in_flight = false;

    // The open photo's tags: it is read again.
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::LibraryChanged{ipc::changes::kUserTags, {"id1"}, ""}}});
    const auto gets = commands_of<ipc::GetPhoto>(s);
    REQUIRE(gets.size() == 1);
    CHECK(std::get<ipc::GetPhoto>(gets[0].request).photo_id == "id1");
    s.outbox.clear();
    s.refresh_in_flight = false;

    // A folder removed: the library's counts too.
    s = reduce(std::move(s), EventArrived{ipc::Event{ipc::LibraryChanged{ipc::changes::kFolderRemoved, {}, "/photos/trip"}}});
    CHECK(commands_of<ipc::Query>(s).size() == 1);
    CHECK(commands_of<ipc::LibraryInfo>(s).size() == 1);
}

TEST_CASE("a face taken out of its person sends RemoveFace for the open photo, the answer says so and reads people and photo again", "[shell]") {
    State s = with_results(3);
    s = reduce(std::move(s), FocusIndex{0});
    s = reduce(std::move(s), OpenFocused{});
    s.outbox.clear();
    s = reduce(std::move(s), RemoveFaceRequested{"org.lightbox.vision", 4});
    const auto removes = commands_of<ipc::RemoveFace>(s);
    REQUIRE(removes.size() == 1);
    CHECK(std::get<ipc::RemoveFace>(removes[0].request) == ipc::RemoveFace{"id0", "org.lightbox.vision", 4});
    s.outbox.clear();

    ipc::PersonReply reply;
    reply.person.id = 1;
    reply.person.name = "Anna";
    s = reduce(std::move(s), ReplyArrived{removes[0].request, 0, ipc::Reply{reply}});
    CHECK(s.notice == "took the face out of 'Anna'; it is not grouped into anyone again");
    CHECK(commands_of<ipc::GetPhoto>(s).size() == 1);
}
