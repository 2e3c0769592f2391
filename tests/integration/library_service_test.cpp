// The service's library commands end to end: a real `lightbox-engine serve --catalog FILE` process, a real
// SQLite catalog, real photos with EXIF written by the test, the ipc client and the event stream.
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include "catalog/catalog.hpp"
#include "inproc/inproc_engine.h"
#include "sample/bad_files.hpp"
#include "sample/exif_writer.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"

#include <lightbox/ipc/client.hpp>
#include <lightbox/ipc/error_codes.hpp>
#include <lightbox/ipc/event_subscriber.hpp>
#include <lightbox/ipc/topics.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <dlfcn.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

using namespace lbx;
using namespace std::chrono_literals;
using test::ServedEngine;

namespace {

// `count` distinct photos (one scene per seed, so one content hash each): the even ones from a Pixel 7
// in 2019, the odd ones from a Canon in 2021.
void write_distinct_photos(const std::filesystem::path& dir, int count, uint32_t width = 640, uint32_t height = 480) {
    std::filesystem::create_directories(dir);
    for (int i = 0; i < count; ++i) {
        sample::ExifSpec spec;
        spec.make = i % 2 == 0 ? "Google" : "Canon";
        spec.model = i % 2 == 0 ? "Pixel 7" : "EOS R6";
        spec.date_time_original = i % 2 == 0 ? "2019:06:01 08:00:00" : "2021:03:04 10:00:00";
        spec.iso = 100 * (i + 1);
        const auto jpeg = sample::with_exif(sample::encode_jpeg(sample::make_scene(width, height, 100 + i)), spec);
        char name[32];
        std::snprintf(name, sizeof name, "img-%03d.jpg", i);
        test::write_file(dir / name, jpeg);
    }
}

ipc::JobSnapshot scan(ipc::Client& client, const std::filesystem::path& dir) {
    auto started = client.call(ipc::StartScan{{dir.string()}, "", {}, ""});
    INFO((started ? std::string() : started.error().message));
    REQUIRE(started);
    auto job = test::wait_for_job(client, started->job_id);
    REQUIRE(job.progress.state == ipc::JobState::completed);
    return job;
}

ipc::QueryReply query(ipc::Client& client, const std::string& text, uint32_t limit = 0) {
    auto reply = client.call(ipc::Query{text, ipc::QuerySort::path, false, 0, limit});
    INFO(text << ": " << (reply ? std::string() : reply.error().message));
    REQUIRE(reply);
    return *reply;
}

std::set<std::string> paths_of(const ipc::QueryReply& reply) {
    std::set<std::string> paths;
    for (const auto& p : reply.photos) paths.insert(std::filesystem::path(p.path).filename().string());
    return paths;
}

// The next `count` ThumbnailReady events (fewer when 60 s pass first).
std::vector<ipc::ThumbnailReady> wait_thumbnails_ready(ipc::EventSubscriber& events, std::size_t count) {
    std::vector<ipc::ThumbnailReady> made;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (made.size() < count && std::chrono::steady_clock::now() < deadline) {
        auto e = events.next(500ms);
        REQUIRE(e);
        if (!*e) continue;
        if (const auto* ready = std::get_if<ipc::ThumbnailReady>(&(*e)->event)) made.push_back(*ready);
    }
    return made;
}

}  // namespace

TEST_CASE("scans fill the served catalog: Query, Facets, GetPhoto, LibraryInfo, and a restarted engine still knows them", "[service][catalog]") {
    test::TempDir dir;
    const auto photos = dir.path() / "photos";
    write_distinct_photos(photos, 12);
    const std::string catalog = (dir.path() / "library.lbx").string();
    zmq::context_t context;
    {
        ServedEngine engine({"--catalog", catalog, "--jobs", "2"});
        ipc::Client client(context, engine.client_options());
        const auto job = scan(client, photos);
        CHECK(job.progress.done == 12);
        CHECK(job.catalog == catalog);

        const auto all = query(client, "");
        CHECK(all.total == 12);
        REQUIRE(all.photos.size() == 12);
        CHECK(all.photos.front().path == (photos / "img-000.jpg").string());
        CHECK(all.photos.front().camera == "Google Pixel 7");
        CHECK(all.photos.front().taken_at.starts_with("2019-06-01"));

        const auto canon = query(client, "camera:canon year:2021");
        CHECK(canon.total == 6);
        CHECK(paths_of(canon).count("img-001.jpg") == 1);
        CHECK(query(client, "iso:>1000").total == 2);  // 1100 and 1200

        // Paging: the total stays, the page moves.
        auto page = client.call(ipc::Query{"", ipc::QuerySort::path, false, 10, 5});
        REQUIRE(page);
        CHECK(page->total == 12);
        CHECK(page->offset == 10);
        REQUIRE(page->photos.size() == 2);
        CHECK(std::filesystem::path(page->photos[0].path).filename() == "img-010.jpg");

        auto facets = client.call(ipc::Facets{"", 0});
        REQUIRE(facets);
        std::map<std::string, uint64_t> cameras, years;
        for (const auto& c : facets->cameras) cameras[c.value] = c.count;
        for (const auto& y : facets->years) years[y.value] = y.count;
        CHECK(cameras["Google Pixel 7"] == 6);
        CHECK(cameras["Canon EOS R6"] == 6);
        CHECK(years["2019"] == 6);
        CHECK(years["2021"] == 6);
        uint64_t in_months = 0;
        for (const auto& m : facets->months) {
            CHECK(m.value.size() == 7);  // YYYY-MM
            in_months += m.count;
        }
        CHECK(in_months == 12);

        auto photo = client.call(ipc::GetPhoto{all.photos.front().id});
        REQUIRE(photo);
        CHECK(photo->photo.path == all.photos.front().path);
        CHECK(photo->photo.width == 640);
        CHECK_FALSE(photo->photo.metadata.empty());
        CHECK_FALSE(photo->photo.thumbnails.empty());
        auto thumb = client.call(ipc::GetThumbnail{all.photos.front().id, 256});
        REQUIRE(thumb);
        CHECK(thumb->width == 256);
        CHECK(thumb->bytes.size() > 100);

        auto info = client.call(ipc::LibraryInfo{});
        REQUIRE(info);
        CHECK(info->catalog == catalog);
        CHECK(info->photos == 12);
        CHECK(info->roots == std::vector<std::string>{photos.string()});
        CHECK(info->thumbnail_bytes > 0);
        CHECK(info->thumbnail_budget_bytes == 2048ull * 1024 * 1024);

        auto bad = client.call(ipc::Query{"camera:(canon", ipc::QuerySort::taken, false, 0, 0});
        REQUIRE_FALSE(bad);
        CHECK(bad.error().status == ipc::Status::bad_request);
        CHECK(bad.error().code == "bad_query");
        CHECK(bad.error().message.find("position") != std::string::npos);

        CHECK(client.call(ipc::GetPhoto{"0123456789abcdef"}).error().status == ipc::Status::not_found);
        CHECK(client.call(ipc::Shutdown{}));
        CHECK(engine.process().wait(10s).exit_code == 0);
    }
    // A new engine over the same file: the library is still there, and a Rescan reads nothing.
    ServedEngine engine({"--catalog", catalog});
    ipc::Client client(context, engine.client_options());
    CHECK(query(client, "").total == 12);
    ipc::EventSubscriber events(context, engine.event_endpoint());
    events.subscribe(ipc::kTopicPhotoDone);
    test::wait_until_subscribed(events);
    auto rescan = client.call(ipc::Rescan{false});
    REQUIRE(rescan);
    const auto job = test::wait_for_job(client, rescan->job_id);
    CHECK(job.progress.state == ipc::JobState::completed);
    CHECK(job.progress.done == 12);
    int photo_done = 0;
    while (auto e = events.next(300ms)) {
        if (!*e) break;
        if (std::holds_alternative<ipc::PhotoDone>((*e)->event)) ++photo_done;
    }
    CHECK(photo_done == 0);  // unchanged files are not processed again
}

TEST_CASE("user tags, removal from the library, the failures ledger and a second library", "[service][catalog]") {
    test::TempDir dir;
    const auto photos = dir.path() / "photos";
    write_distinct_photos(photos, 6);
    test::write_file(photos / "broken.jpg",
                     sample::truncate_bytes(sample::encode_jpeg(sample::make_scene(640, 480, 7)), 900));
    zmq::context_t context;
    ServedEngine engine({"--catalog", (dir.path() / "library.lbx").string()});
    ipc::Client client(context, engine.client_options());
    auto started = client.call(ipc::StartScan{{photos.string()}, "", {}, ""});
    REQUIRE(started);
    const auto job = test::wait_for_job(client, started->job_id);
    CHECK(job.progress.failed == 1);

    const auto all = query(client, "");
    REQUIRE(all.total == 6);
    const std::string id = all.photos[0].id;

    auto tagged = client.call(ipc::SetUserTags{id, {" family ", "beach"}, {}});
    REQUIRE(tagged);
    CHECK(tagged->user_tags == std::vector<std::string>{"beach", "family"});
    tagged = client.call(ipc::SetUserTags{id, {}, {"beach"}});
    REQUIRE(tagged);
    CHECK(tagged->user_tags == std::vector<std::string>{"family"});
    CHECK(client.call(ipc::SetUserTags{id, {"   "}, {}}).error().code == "bad_tag");
    CHECK(client.call(ipc::SetUserTags{id, {std::string(101, 'x')}, {}}).error().code == "bad_tag");
    CHECK(client.call(ipc::SetUserTags{"nope", {"x"}, {}}).error().status == ipc::Status::not_found);
    CHECK(query(client, "tag:family").total == 1);

    // The tag survives a rescan, which never touches user tags.
    auto rescan = client.call(ipc::Rescan{false});
    REQUIRE(rescan);
    test::wait_for_job(client, rescan->job_id);
    auto photo = client.call(ipc::GetPhoto{id});
    REQUIRE(photo);
    const bool has_user_tag = std::any_of(photo->photo.tags.begin(), photo->photo.tags.end(), [](const ipc::PhotoTag& t) {
        return t.name == "family" && t.category == "user" && t.source == "user";
    });
    CHECK(has_user_tag);

    auto failures = client.call(ipc::ListFailures{0, 0});
    REQUIRE(failures);
    REQUIRE(failures->total == 1);
    CHECK(failures->failures[0].path == (photos / "broken.jpg").string());
    CHECK(failures->failures[0].stage == "decode");
    CHECK_FALSE(failures->failures[0].message.empty());
    CHECK(failures->failures[0].first_seen_us <= failures->failures[0].last_seen_us);

    // Removal: from the library only; the file stays on disk.
    const std::string removed_path = all.photos[1].path;
    auto removed = client.call(ipc::RemovePhotos{{all.photos[1].id, "unknown"}});
    REQUIRE(removed);
    CHECK(removed->removed == 1);
    CHECK(query(client, "").total == 5);
    CHECK(std::filesystem::exists(removed_path));

    // Another library: empty, and StartScan may not name the old one any more.
    const std::string second = (dir.path() / "other" / "second.lbx").string();
    CHECK(client.call(ipc::OpenLibrary{"relative.lbx"}).error().status == ipc::Status::bad_request);
    auto opened = client.call(ipc::OpenLibrary{second});
    INFO((opened ? std::string() : opened.error().message));
    REQUIRE(opened);
    CHECK(opened->catalog == second);
    CHECK(opened->photos == 0);
    CHECK(opened->roots.empty());
    CHECK(query(client, "").total == 0);
    CHECK(client.call(ipc::Rescan{false}).error().code == "no_folders");
    auto other = client.call(ipc::StartScan{{photos.string()}, "", {}, (dir.path() / "library.lbx").string()});
    REQUIRE_FALSE(other);
    CHECK(other.error().code == "other_catalog");
    // Back to the first: what was there is there.
    REQUIRE(client.call(ipc::OpenLibrary{(dir.path() / "library.lbx").string()}));
    CHECK(query(client, "tag:family").total == 1);
}

TEST_CASE("a rejected auto tag and the user's rotation are kept by the served engine across a rescan that reads the file again, and a restart", "[service][catalog]") {
    test::TempDir dir;
    const auto photos = dir.path() / "photos";
    write_distinct_photos(photos, 4);  // 640 x 480: the rule tag "landscape" on each
    const std::string catalog = (dir.path() / "library.lbx").string();
    zmq::context_t context;
    std::string id;
    const auto has_tag = [](const ipc::PhotoInfo& p, const std::string& name) {
        return std::any_of(p.tags.begin(), p.tags.end(), [&](const ipc::PhotoTag& t) { return t.name == name; });
    };
    {
        ServedEngine engine({"--catalog", catalog});
        ipc::Client client(context, engine.client_options());
        scan(client, photos);
        const auto all = query(client, "");
        REQUIRE(all.total == 4);
        id = all.photos[0].id;
        CHECK(all.photos[0].rotation == 0);
        REQUIRE(query(client, "tag:landscape").total == 4);
        auto before = client.call(ipc::GetPhoto{id});
        REQUIRE(before);
        REQUIRE(has_tag(before->photo, "landscape"));

        auto rejected = client.call(ipc::RejectTags{id, {" Landscape "}, {}});
        INFO((rejected ? std::string() : rejected.error().message));
        REQUIRE(rejected);
        CHECK(rejected->removed == 1);
        CHECK(rejected->rejected == std::vector<std::string>{"Landscape"});
        CHECK(query(client, "tag:landscape").total == 3);
        auto facets = client.call(ipc::Facets{"", 0});
        REQUIRE(facets);
        for (const auto& t : facets->tags)
            if (t.value == "landscape") CHECK(t.count == 3);
        auto rotated = client.call(ipc::SetRotation{id, 1});
        REQUIRE(rotated);
        CHECK(rotated->quarter_turns == 1);

        // Errors are values with the protocol's codes.
        CHECK(client.call(ipc::SetRotation{id, 4}).error().code == ipc::codes::kBadRotation);
        CHECK(client.call(ipc::SetRotation{"nope", 1}).error().code == ipc::codes::kNoSuchPhoto);
        CHECK(client.call(ipc::RejectTags{"nope", {"landscape"}, {}}).error().status == ipc::Status::not_found);
        CHECK(client.call(ipc::RejectTags{id, {"  "}, {}}).error().code == ipc::codes::kBadTag);

        // The file changes on disk (its time only): the rescan reads it again and writes its tags again.
        const std::filesystem::path file = all.photos[0].path;
        std::filesystem::last_write_time(file, std::filesystem::last_write_time(file) + 10s);
        ipc::EventSubscriber events(context, engine.event_endpoint());
        events.subscribe(ipc::kTopicPhotoDone);
        test::wait_until_subscribed(events);
        auto rescan = client.call(ipc::Rescan{false});
        REQUIRE(rescan);
        CHECK(test::wait_for_job(client, rescan->job_id).progress.state == ipc::JobState::completed);
        int read_again = 0;
        while (auto e = events.next(300ms)) {
            if (!*e) break;
            if (const auto* done = std::get_if<ipc::PhotoDone>(&(*e)->event); done && done->photo_id == id) ++read_again;
        }
        CHECK(read_again == 1);
        auto after = client.call(ipc::GetPhoto{id});
        REQUIRE(after);
        CHECK_FALSE(has_tag(after->photo, "landscape"));
        CHECK_FALSE(after->photo.tags.empty());  // the other rule tags were written again
        CHECK(after->photo.rejected_tags == std::vector<std::string>{"Landscape"});
        CHECK(after->photo.rotation == 1);
        CHECK(query(client, "tag:landscape").total == 3);
        CHECK(client.call(ipc::Shutdown{}));
        CHECK(engine.process().wait(10s).exit_code == 0);
    }
    // A new engine over the same file: the photo is still turned, and listed so.
    ServedEngine engine({"--catalog", catalog});
    ipc::Client client(context, engine.client_options());
    auto photo = client.call(ipc::GetPhoto{id});
    REQUIRE(photo);
    CHECK(photo->photo.rotation == 1);
    CHECK_FALSE(has_tag(photo->photo, "landscape"));
    const auto all = query(client, "");
    const auto listed = std::find_if(all.photos.begin(), all.photos.end(), [&](const ipc::PhotoSummary& p) { return p.id == id; });
    REQUIRE(listed != all.photos.end());
    CHECK(listed->rotation == 1);
    // Restored: allowed again (it comes back when a stage next writes it).
    auto restored = client.call(ipc::RejectTags{id, {}, {"landscape"}});
    REQUIRE(restored);
    CHECK(restored->rejected.empty());
}

TEST_CASE("settings are all or nothing and apply to the next scan", "[service]") {
    test::TempDir dir;
    const auto photos = dir.path() / "photos";
    write_distinct_photos(photos, 2);
    zmq::context_t context;
    ServedEngine engine({"--catalog", (dir.path() / "library.lbx").string(), "--jobs", "3"});
    ipc::Client client(context, engine.client_options());
    auto settings = client.call(ipc::GetSettings{});
    REQUIRE(settings);
    std::map<std::string, std::string> values;
    for (const auto& s : settings->settings) values[s.key] = s.value;
    CHECK(values["workers"] == "3");
    CHECK(values["pipeline"] == "default");
    CHECK(values["thumbnails.sizes"] == "256,1024");
    CHECK(values["thumbnails.cache_budget_mb"] == "2048");

    auto bad = client.call(ipc::SetSettings{{{"workers", "2"}, {"colour", "blue"}}});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == "bad_setting");
    CHECK(client.call(ipc::SetSettings{{{"thumbnails.sizes", "8"}}}).error().code == "bad_setting");
    CHECK(client.call(ipc::SetSettings{{{"pipeline", "no-such-pipeline"}}}).error().code == "bad_setting");
    settings = client.call(ipc::GetSettings{});
    REQUIRE(settings);
    for (const auto& s : settings->settings) {
        if (s.key == "workers") CHECK(s.value == "3");  // the bad request changed nothing
    }

    auto changed = client.call(ipc::SetSettings{{{"workers", "1"}, {"thumbnails.sizes", "128"}, {"thumbnails.cache_budget_mb", "64"}}});
    REQUIRE(changed);
    scan(client, photos);
    const auto all = query(client, "");
    REQUIRE(all.total == 2);
    auto photo = client.call(ipc::GetPhoto{all.photos[0].id});
    REQUIRE(photo);
    REQUIRE(photo->photo.thumbnails.size() == 1);
    CHECK(photo->photo.thumbnails[0].size == 128);
    auto info = client.call(ipc::LibraryInfo{});
    REQUIRE(info);
    CHECK(info->thumbnail_budget_bytes == 64ull * 1024 * 1024);
}

TEST_CASE("a deleted thumbnail is made again on demand, newest request first", "[service][catalog]") {
    test::TempDir dir;
    const auto photos = dir.path() / "photos";
    // Large enough that making one thumbnail takes a while, so the queue has an order to show.
    write_distinct_photos(photos, 8, 2400, 1600);
    zmq::context_t context;
    ServedEngine engine({"--catalog", (dir.path() / "library.lbx").string()});
    ipc::Client client(context, engine.client_options());
    scan(client, photos);
    const auto all = query(client, "");
    REQUIRE(all.total == 8);
    std::filesystem::remove_all(engine.thumbs_dir());

    ipc::EventSubscriber events(context, engine.event_endpoint());
    events.subscribe(ipc::kTopicThumbnailReady);
    test::wait_until_subscribed(events);
    for (const auto& p : all.photos) {
        auto pending = client.call(ipc::GetThumbnail{p.id, 256});
        REQUIRE_FALSE(pending);
        CHECK(pending.error().status == ipc::Status::not_ready);
        CHECK(pending.error().code == "thumbnail_pending");
    }
    const auto made = wait_thumbnails_ready(events, all.photos.size());
    REQUIRE(made.size() == all.photos.size());
    std::vector<std::string> order;
    for (const auto& ready : made) {
        INFO(ready.error.message);
        CHECK(ready.ok);
        order.push_back(ready.photo_id);
    }
    // The worker takes what is queued when it wakes (the first request, or the second when it wakes late on a
    // busy machine); while it opens the catalog and makes that one, the rest arrive, and the newest comes next.
    const auto position = [&](const std::string& id) { return std::find(order.begin(), order.end(), id) - order.begin(); };
    CHECK(position(all.photos.back().id) <= 1);
    for (const auto& p : all.photos) {
        auto thumb = client.call(ipc::GetThumbnail{p.id, 256});
        REQUIRE(thumb);
        CHECK(thumb->bytes.size() > 100);
    }

    // A photo whose file is gone cannot be made again: not_found, and the engine goes on.
    std::filesystem::remove(all.photos[0].path);
    auto rescan = client.call(ipc::Rescan{false});
    REQUIRE(rescan);
    test::wait_for_job(client, rescan->job_id);
    std::filesystem::remove_all(engine.thumbs_dir());
    auto gone = client.call(ipc::GetThumbnail{all.photos[0].id, 256});
    REQUIRE_FALSE(gone);
    CHECK(gone.error().status == ipc::Status::not_found);
    CHECK(gone.error().code == "file_missing");
}

TEST_CASE("the full resolution is made on demand, upright, kept apart from the thumbnails", "[service][catalog]") {
    test::TempDir dir;
    const auto photos = dir.path() / "photos";
    std::filesystem::create_directories(photos);
    sample::ExifSpec spec;
    spec.orientation = 6;  // stored landscape, shown portrait
    test::write_file(photos / "rotated.jpg", sample::with_exif(sample::encode_jpeg(sample::make_scene(2400, 1600, 7)), spec));
    zmq::context_t context;
    ServedEngine engine({"--catalog", (dir.path() / "library.lbx").string()});
    ipc::Client client(context, engine.client_options());
    scan(client, photos);
    const auto all = query(client, "");
    REQUIRE(all.total == 1);
    const std::string id = all.photos[0].id;

    ipc::EventSubscriber events(context, engine.event_endpoint());
    events.subscribe(ipc::kTopicThumbnailReady);
    test::wait_until_subscribed(events);
    auto pending = client.call(ipc::GetThumbnail{id, ipc::kFullResolution});
    REQUIRE_FALSE(pending);  // scans make thumbnails only
    CHECK(pending.error().status == ipc::Status::not_ready);
    CHECK(pending.error().code == "thumbnail_pending");
    const auto made = wait_thumbnails_ready(events, 1);
    REQUIRE(made.size() == 1);
    INFO(made[0].error.message);
    REQUIRE(made[0].ok);
    CHECK(made[0].photo_id == id);
    CHECK(made[0].size == ipc::kFullResolution);
    auto full = client.call(ipc::GetThumbnail{id, ipc::kFullResolution});
    INFO((full ? std::string() : full.error().message));
    REQUIRE(full);
    CHECK(full->width == 1600);  // every pixel, turned upright
    CHECK(full->height == 2400);
    CHECK(full->mime_type == "image/jpeg");
    std::unique_ptr<void, int (*)(tjhandle)> tj(tjInitDecompress(), tjDestroy);
    int w = 0, h = 0, subsampling = 0, colorspace = 0;
    REQUIRE(tjDecompressHeader3(tj.get(), full->bytes.data(), static_cast<unsigned long>(full->bytes.size()), &w, &h, &subsampling, &colorspace) == 0);
    CHECK(w == 1600);
    CHECK(h == 2400);
    CHECK(std::filesystem::is_directory(engine.thumbs_dir() / "full"));

    // The thumbnails are what they were: the largest is still the 1024 px one, not the original.
    auto largest = client.call(ipc::GetThumbnail{id, 0});
    REQUIRE(largest);
    CHECK(std::max(largest->width, largest->height) == 1024);
    auto big_cell = client.call(ipc::GetThumbnail{id, 2048});
    REQUIRE(big_cell);
    CHECK(std::max(big_cell->width, big_cell->height) == 1024);

    // Its file gone, the original cannot be had: not_found, as for a thumbnail.
    std::filesystem::remove(photos / "rotated.jpg");
    auto rescan = client.call(ipc::Rescan{false});
    REQUIRE(rescan);
    test::wait_for_job(client, rescan->job_id);
    std::filesystem::remove_all(engine.thumbs_dir() / "full");
    auto gone = client.call(ipc::GetThumbnail{id, ipc::kFullResolution});
    REQUIRE_FALSE(gone);
    CHECK(gone.error().status == ipc::Status::not_found);
}

TEST_CASE("the in-process engine library serves the same protocol over inproc://", "[service]") {
    void* library = ::dlopen(LIGHTBOX_TEST_INPROC_LIB, RTLD_NOW | RTLD_LOCAL);
    INFO(::dlerror());
    REQUIRE(library != nullptr);
    using Start = void* (*)(void*, const char*, const char*, const char*, char*, size_t);
    using Stop = void (*)(void*);
    auto start = reinterpret_cast<Start>(::dlsym(library, "lbx_engine_inproc_start"));
    auto stop = reinterpret_cast<Stop>(::dlsym(library, "lbx_engine_inproc_stop"));
    REQUIRE(start != nullptr);
    REQUIRE(stop != nullptr);

    test::TempDir dir;
    const auto photos = dir.path() / "photos";
    write_distinct_photos(photos, 3);
    zmq::context_t context;
    char error[256] = {};
    CHECK(start(&context, "tcp://127.0.0.1:1", "", "", error, sizeof error) == nullptr);
    CHECK(std::string(error).find("inproc://") != std::string::npos);

    void* engine = start(&context, "inproc://library-test", (dir.path() / "library.lbx").c_str(),
                         (dir.path() / "thumbs").c_str(), error, sizeof error);
    INFO(error);
    REQUIRE(engine != nullptr);
    {
        ipc::ClientOptions options;
        options.endpoint = "inproc://library-test";
        ipc::Client client(context, options);
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        for (;;) {
            auto hello = client.call(ipc::Hello{ipc::kProtocolVersion, "library_service_test"});
            REQUIRE(hello);
            if (hello->ready) {
                CHECK(hello->event_endpoint == "inproc://library-test.events");
                break;
            }
            REQUIRE(std::chrono::steady_clock::now() < deadline);
            std::this_thread::sleep_for(20ms);
        }
        scan(client, photos);
        CHECK(query(client, "").total == 3);
    }
    stop(engine);
    stop(nullptr);
    ::dlclose(library);
}

TEST_CASE("lightbox-ctl drives the library: query, facets, tag, failures, rescan, remove, library, settings", "[service][ctl]") {
    test::TempDir dir;
    const auto photos = dir.path() / "photos";
    write_distinct_photos(photos, 4);
    test::write_file(photos / "broken.jpg", sample::garbage_bytes(2000, 3));
    ServedEngine engine({"--catalog", (dir.path() / "library.lbx").string()});
    auto ctl = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--endpoint", engine.command_endpoint()});
        return test::run_ctl(args);
    };
    auto scanned = ctl({"scan", photos.string(), "--wait"});
    CHECK(scanned.exit_code == 1);  // one file failed

    auto listed = ctl({"query", "--format", "json", "camera:pixel", "--sort", "path"});
    REQUIRE(listed.exit_code == 0);
    const auto reply = nlohmann::json::parse(listed.out);
    CHECK(reply["total"] == 2);
    REQUIRE(reply["photos"].size() == 2);
    const std::string id = reply["photos"][0]["hash"];
    CHECK(reply["photos"][0]["path"] == (photos / "img-000.jpg").string());

    auto facets = ctl({"facets"});
    CHECK(facets.exit_code == 0);
    CHECK(facets.out.find("Google Pixel 7 (2)") != std::string::npos);

    auto tagged = ctl({"tag", id, "--add", "holiday", "--add", "sea"});
    CHECK(tagged.exit_code == 0);
    CHECK(tagged.out == id + ": holiday sea\n");
    CHECK(ctl({"--json", "query", "tag:holiday"}).out.find(id) != std::string::npos);

    auto failures = ctl({"failures"});
    CHECK(failures.exit_code == 0);
    CHECK(failures.out.find("broken.jpg") != std::string::npos);

    auto rescanned = ctl({"rescan", "--wait"});
    CHECK(rescanned.out.find("completed") != std::string::npos);

    CHECK(ctl({"remove", id}).out.find("1 photos removed") != std::string::npos);
    auto info = ctl({"library"});
    CHECK(info.exit_code == 0);
    CHECK(info.out.find("photos     3") != std::string::npos);
    CHECK(info.out.find("folder     " + photos.string()) != std::string::npos);

    CHECK(ctl({"settings", "workers=2"}).out.find("workers = 2") != std::string::npos);
    auto bad = ctl({"settings", "workers=zero"});
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("bad_setting") != std::string::npos);
    CHECK(ctl({"query", "year:abc"}).exit_code == 1);
}

TEST_CASE("SIGKILL of the served engine mid-scan leaves a sound catalog that a Rescan completes", "[service][catalog][slow]") {
    test::TempDir dir;
    const auto photos = dir.path() / "photos";
    write_distinct_photos(photos, 60, 320, 240);
    const std::string catalog = (dir.path() / "library.lbx").string();
    zmq::context_t context;
    for (uint64_t kill_at : {3u, 25u}) {
        INFO("killed after " << kill_at << " photos");
        ServedEngine engine({"--catalog", catalog, "--jobs", "2"});
        ipc::Client client(context, engine.client_options());
        auto started = client.call(ipc::StartScan{{photos.string()}, "", {}, ""});
        REQUIRE(started);
        const auto deadline = std::chrono::steady_clock::now() + 60s;
        for (;;) {
            auto status = client.call(ipc::JobStatus{started->job_id});
            REQUIRE(status);
            if (status->job.progress.done >= kill_at || ipc::is_final(status->job.progress.state)) break;
            REQUIRE(std::chrono::steady_clock::now() < deadline);
            std::this_thread::sleep_for(5ms);
        }
        engine.process().send_signal(SIGKILL);
        engine.process().wait();
        auto opened = engine::catalog::Catalog::open(catalog);
        REQUIRE(opened);
        CHECK((*opened)->integrity_check().value() == "ok");
    }
    ServedEngine engine({"--catalog", catalog});
    ipc::Client client(context, engine.client_options());
    auto rescan = client.call(ipc::Rescan{false});  // the folder was recorded by the first, killed scan
    REQUIRE(rescan);
    CHECK(test::wait_for_job(client, rescan->job_id).progress.state == ipc::JobState::completed);
    CHECK(query(client, "").total == 60);  // every photo once
    auto info = client.call(ipc::LibraryInfo{});
    REQUIRE(info);
    CHECK(info->photos == 60);
    CHECK(info->files_missing == 0);
}
