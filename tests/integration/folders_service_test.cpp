// The library's folders end to end (protocol 8): a real `lightbox-engine serve`, real photos in two
// folders. ListFolders counts each folder's photos; RemoveFolder takes one folder's photos out of the
// library (never off the disk), and a Rescan does not bring them back; bad paths, unknown folders and a
// running scan are answered with their error codes.
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"

#include <lightbox/ipc/client.hpp>
#include <lightbox/ipc/error_codes.hpp>
#include <lightbox/ipc/event_subscriber.hpp>
#include <lightbox/ipc/topics.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>

using namespace lbx;
using namespace std::chrono_literals;
using test::ServedEngine;

namespace {

// `count` distinct pictures (one content hash each) named NAME-NN.jpg; `seed` keeps folders apart.
void write_photos(const std::filesystem::path& dir, const std::string& name, int count, uint32_t seed) {
    std::filesystem::create_directories(dir);
    for (int i = 0; i < count; ++i) {
        char file[64];
        std::snprintf(file, sizeof file, "%s-%02d.jpg", name.c_str(), i);
        test::write_file(dir / file,
                         sample::encode_jpeg(sample::make_scene(320, 240, seed + static_cast<uint32_t>(i))));
    }
}

uint64_t live_photos(ipc::Client& client) {
    auto reply = client.call(ipc::Query{"", ipc::QuerySort::path, false, 0, 0});
    REQUIRE(reply);
    for (const auto& p : reply->photos) CHECK(p.path.find("/garden/") != std::string::npos);
    return reply->total;
}

// The next LibraryChanged event, if one comes within 10 s.
std::optional<ipc::LibraryChanged> next_change(ipc::EventSubscriber& events) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        auto received = events.next(200ms);
        if (!received || !*received) continue;
        if (const auto* change = std::get_if<ipc::LibraryChanged>(&(*received)->event)) return *change;
    }
    return std::nullopt;
}

std::size_t files_in(const std::filesystem::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++n;
    return n;
}

}  // namespace

TEST_CASE(
    "RemoveFolder takes one folder's photos out of the library, files stay on disk, and a rescan does not bring them "
    "back",
    "[service][catalog]") {
    test::TempDir dir;
    const auto trip = dir.path() / "trip", garden = dir.path() / "garden";
    write_photos(trip, "trip", 6, 10);
    write_photos(garden, "garden", 4, 100);
    zmq::context_t context;
    ServedEngine engine({"--catalog", (dir.path() / "library.lbx").string()});
    ipc::Client client(context, engine.client_options());

    auto started = client.call(ipc::StartScan{{trip.string(), garden.string()}, "", {}, ""});
    REQUIRE(started);
    // While the scan runs it could add the folder's photos back: refused.
    auto busy = client.call(ipc::RemoveFolder{trip.string()});
    REQUIRE_FALSE(busy);
    CHECK(busy.error().status == ipc::Status::busy);
    CHECK(busy.error().code == ipc::codes::kJobsRunning);
    REQUIRE(test::wait_for_job(client, started->job_id).progress.state == ipc::JobState::completed);

    auto folders = client.call(ipc::ListFolders{});
    REQUIRE(folders);
    REQUIRE(folders->folders.size() == 2);
    CHECK(folders->folders[0] == ipc::LibraryFolder{garden.string(), 4, true});
    CHECK(folders->folders[1] == ipc::LibraryFolder{trip.string(), 6, true});

    // Another client attached to the same engine (a second desktop app) hears of the change.
    ipc::EventSubscriber events(context, engine.event_endpoint());
    events.subscribe(ipc::kTopicLibraryChanged);
    test::wait_until_subscribed(events);
    auto removed = client.call(ipc::RemoveFolder{trip.string() + "/"});
    INFO((removed ? std::string() : removed.error().message));
    REQUIRE(removed);
    CHECK(removed->path == trip.string());
    CHECK(removed->photos_removed == 6);
    CHECK(removed->files_removed == 6);
    const auto change = next_change(events);
    REQUIRE(change);
    CHECK(change->change == ipc::changes::kFolderRemoved);
    CHECK(change->folder == trip.string());
    CHECK(live_photos(client) == 4);
    CHECK(files_in(trip) == 6);  // the library forgot them; the disk did not
    auto info = client.call(ipc::LibraryInfo{});
    REQUIRE(info);
    CHECK(info->roots == std::vector<std::string>{garden.string()});
    CHECK(info->photos == 4);

    // A rescan walks the library's folders: the removed one is not among them.
    auto rescan = client.call(ipc::Rescan{false});
    REQUIRE(rescan);
    REQUIRE(test::wait_for_job(client, rescan->job_id).progress.state == ipc::JobState::completed);
    CHECK(live_photos(client) == 4);
    folders = client.call(ipc::ListFolders{});
    REQUIRE(folders);
    CHECK(folders->folders == std::vector<ipc::LibraryFolder>{{garden.string(), 4, true}});

    // Errors are values with their codes.
    auto again = client.call(ipc::RemoveFolder{trip.string()});
    REQUIRE_FALSE(again);
    CHECK(again.error().status == ipc::Status::not_found);
    CHECK(again.error().code == ipc::codes::kNoSuchFolder);
    auto relative = client.call(ipc::RemoveFolder{"garden"});
    REQUIRE_FALSE(relative);
    CHECK(relative.error().status == ipc::Status::bad_request);
    CHECK(relative.error().code == ipc::codes::kBadPath);
    CHECK(client.call(ipc::RemoveFolder{""}).error().code == ipc::codes::kBadPath);

    // A user edit is announced with the photo it was about; a refused one is not.
    auto page = client.call(ipc::Query{"", ipc::QuerySort::path, false, 0, 1});
    REQUIRE(page);
    REQUIRE(page->photos.size() == 1);
    const std::string id = page->photos[0].id;
    CHECK_FALSE(client.call(ipc::SetRotation{id, 9}));
    REQUIRE(client.call(ipc::SetRotation{id, 1}));
    const auto turned = next_change(events);
    REQUIRE(turned);
    CHECK(turned->change == ipc::changes::kRotation);
    CHECK(turned->photo_ids == std::vector<std::string>{id});
    REQUIRE(client.call(ipc::SetUserTags{id, {"holiday"}, {}}));
    const auto tagged = next_change(events);
    REQUIRE(tagged);
    CHECK(tagged->change == ipc::changes::kUserTags);

    // The same from a script: lightbox-ctl folders, and folder-remove of a folder that is not one.
    const auto listed = test::run_ctl({"--endpoint", engine.command_endpoint(), "folders"});
    CHECK(listed.exit_code == 0);
    CHECK(listed.out.find("       4 photos  " + garden.string() + "\n") != std::string::npos);
    const auto as_json = test::run_ctl({"--endpoint", engine.command_endpoint(), "--json", "folders"});
    CHECK(as_json.exit_code == 0);
    CHECK(as_json.out.find("\"exists\":true") != std::string::npos);
    const auto not_one = test::run_ctl({"--endpoint", engine.command_endpoint(), "folder-remove", trip.string()});
    CHECK(not_one.exit_code == 1);
    CHECK(not_one.err.find("is not one of the library's folders") != std::string::npos);

    // A folder that is gone from the disk is listed as not existing, with the photos it had.
    std::filesystem::rename(garden, dir.path() / "garden-moved");
    folders = client.call(ipc::ListFolders{});
    REQUIRE(folders);
    CHECK(folders->folders == std::vector<ipc::LibraryFolder>{{garden.string(), 4, false}});
}
