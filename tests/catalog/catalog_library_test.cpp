// The catalog's library API on real SQLite files, with records made by hand (no pipeline): library
// folders, removing photos (rows and thumbnail files, never the photo file), the failures ledger paged
// newest first, one photo's details, thumbnails recorded outside a scan, the jobs table, auto tags the
// user rejected and the user's rotation.
#include "catalog/catalog.hpp"
#include "catalog/catalog_query.hpp"
#include "pipeline/thumbnail_store.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/test_catalog.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <thread>

using namespace lbx::engine;
using namespace lbx::engine::catalog;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<Catalog> open_catalog(const fs::path& file) {
    auto opened = lbx::test::open_catalog(file);
    if (!opened) FAIL(opened.error().message);
    return std::move(*opened);
}

// A real thumbnail file in `store`, of a picture that depends on `seed`.
StoredThumbnail write_thumbnail(const ThumbnailStore& store, const std::string& hash, uint32_t size, uint32_t seed) {
    const auto jpeg = lbx::sample::encode_jpeg(lbx::sample::make_scene(size, size * 3 / 4, seed));
    auto path = store.write(hash, size, "image/jpeg", jpeg);
    if (!path) FAIL(path.error().message);
    return StoredThumbnail{size, path->string(), size, size * 3 / 4};
}

PhotoResult photo_result(const fs::path& path, const std::string& hash) {
    PhotoResult r;
    r.path = path.string();
    r.hash = hash;
    r.format = "jpeg";
    r.file_size = 1234;
    r.mtime_ns = 42;
    r.width = 4000;
    r.height = 3000;
    r.metadata.text[LBX_FIELD_MODEL] = "ILCE-7M3";
    r.metadata.entries = {{"Exif.Image.Model", "ILCE-7M3"}, {"Exif.Image.Make", "SONY"}};
    r.metadata.printed = {{"Exif.Image.Model", "ILCE-7M3 (Sony A7 III)"}};
    r.tags = {{"beach", "scene", 0.75, "org.lightbox.autotag"}, {"SONY ILCE-7M3", "camera", 1.0, "org.lightbox.autotag"}};
    return r;
}

PhotoResult failed_result(const fs::path& path, const std::string& code) {
    PhotoResult r;
    r.path = path.string();
    r.file_size = 10;
    r.failure = StageFailure{"decode", "jpegdec", "org.lightbox.jpegdec", "1.2.0", code, "cannot decode: " + code};
    return r;
}

int64_t count(Catalog& catalog, const std::string& sql) { return catalog.database().query_int(sql).value(); }

}  // namespace

TEST_CASE("library folders are added once, whatever their trailing slashes", "[catalog]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    REQUIRE(catalog->add_roots({"/photos/b", "/photos/a/"}, 100));
    REQUIRE(catalog->add_roots({"/photos/a", "/photos/b//"}, 200));  // already there: a no-op
    CHECK(catalog->roots().value() == std::vector<std::string>{"/photos/a", "/photos/b"});
    CHECK(count(*catalog, "SELECT added_at FROM roots WHERE path = '/photos/a'") == 100);  // the first time counts
    CHECK_FALSE(catalog->add_roots({""}, 300));
    CHECK(open_catalog(dir / "library.lbx")->roots().value().size() == 2);  // stored, not cached
}

TEST_CASE("removing photos deletes their rows and thumbnail files, never the photo files", "[catalog]") {
    lbx::test::TempDir dir;
    const ThumbnailStore store(dir / "thumbs");
    lbx::test::write_file(dir / "keep.jpg", {1, 2, 3});
    lbx::test::write_file(dir / "gone.jpg", {4, 5, 6});
    auto catalog = open_catalog(dir / "library.lbx");
    PhotoResult keep = photo_result(dir / "keep.jpg", "hash-keep");
    PhotoResult gone = photo_result(dir / "gone.jpg", "hash-gone");
    keep.thumbnails = {write_thumbnail(store, "hash-keep", 64, 1)};
    gone.thumbnails = {write_thumbnail(store, "hash-gone", 64, 2), write_thumbnail(store, "hash-gone", 128, 3)};
    PhotoResult copy = photo_result(dir / "copy-of-gone.jpg", "hash-gone");  // a second file of the same photo
    copy.thumbnails = gone.thumbnails;
    for (const PhotoResult* r : {&keep, &gone, &copy}) REQUIRE(catalog->record(*r, 1));
    REQUIRE(catalog->add_user_tag("hash-gone", "grandma"));
    REQUIRE(catalog->add_user_tag("hash-keep", "keeper"));

    auto removed = catalog->remove_photos({"hash-gone", "hash-unknown"});
    REQUIRE(removed);
    CHECK(*removed == 1);
    for (const char* table : {"photos", "files", "metadata", "auto_tags", "user_tags", "thumbnails"}) {
        INFO(table);
        CHECK(count(*catalog, std::string("SELECT count(*) FROM ") + table + " WHERE hash = 'hash-gone'") == 0);
        CHECK(count(*catalog, std::string("SELECT count(*) FROM ") + table + " WHERE hash = 'hash-keep'") > 0);
    }
    for (const StoredThumbnail& t : gone.thumbnails) CHECK_FALSE(fs::exists(t.path));
    CHECK(fs::exists(keep.thumbnails.front().path));
    CHECK(fs::exists(dir / "gone.jpg"));  // the library forgets the photo; the disk keeps it
    CHECK_FALSE(catalog->photo("hash-gone").value().has_value());
    CHECK(catalog->remove_photos({"hash-gone"}).value() == 0);
    CHECK(catalog->integrity_check().value() == "ok");
}

TEST_CASE("the failures ledger is paged newest first", "[catalog]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    const std::vector<std::string> codes{"truncated", "corrupt", "too_large"};
    for (const std::string& code : codes) {
        REQUIRE(catalog->record(failed_result(dir / (code + ".jpg"), code), 1));
        REQUIRE(catalog->flush());  // last_seen is the time of writing: one write per file
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    CHECK(catalog->failure_count().value() == 3);
    auto all = catalog->failures(0, -1);
    REQUIRE(all);
    REQUIRE(all->size() == 3);
    CHECK(fs::path(all->at(0).path).filename() == "too_large.jpg");
    CHECK(fs::path(all->at(2).path).filename() == "truncated.jpg");
    CHECK(all->at(0).stage == "decode");
    CHECK(all->at(0).plugin == "org.lightbox.jpegdec");
    CHECK(all->at(0).plugin_version == "1.2.0");
    CHECK(all->at(0).code == "too_large");
    CHECK(all->at(0).message == "cannot decode: too_large");
    CHECK(all->at(0).first_seen > 0);
    CHECK(all->at(0).last_seen >= all->at(0).first_seen);
    CHECK(all->at(0).last_seen > all->at(1).last_seen);

    auto page = catalog->failures(1, 1);
    REQUIRE(page);
    REQUIRE(page->size() == 1);
    CHECK(page->front().code == "corrupt");
    CHECK(catalog->failures(3, 10).value().empty());

    // A failure seen again keeps its first_seen; a repaired file leaves the ledger.
    REQUIRE(catalog->record(failed_result(dir / "truncated.jpg", "truncated"), 2));
    auto again = catalog->failures(0, 1);
    REQUIRE(again);
    CHECK(again->front().code == "truncated");
    CHECK(again->front().first_seen < again->front().last_seen);
    REQUIRE(catalog->record(photo_result(dir / "corrupt.jpg", "hash-repaired"), 3));
    CHECK(catalog->failure_count().value() == 2);
}

TEST_CASE("a photo's details: path, status, metadata, auto tags with their source, user tags, thumbnails", "[catalog]") {
    lbx::test::TempDir dir;
    const ThumbnailStore store(dir / "thumbs");
    auto catalog = open_catalog(dir / "library.lbx");
    PhotoResult r = photo_result(dir / "photos" / "a.jpg", "hash-a");
    r.thumbnails = {write_thumbnail(store, "hash-a", 128, 1), write_thumbnail(store, "hash-a", 64, 2)};
    REQUIRE(catalog->record(r, 10));
    REQUIRE(catalog->add_user_tag("hash-a", "grandma"));

    auto details = catalog->photo("hash-a");
    REQUIRE(details);
    REQUIRE(details->has_value());
    const PhotoDetails& d = **details;
    CHECK(d.hash == "hash-a");
    CHECK(d.path == r.path);
    CHECK(d.status == "ok");
    CHECK(d.format == "jpeg");
    CHECK(d.file_size == 1234);
    CHECK(d.width == 4000);
    CHECK(d.height == 3000);
    // By key, with how people read a value when the stage said (schema 7), and the stage's summary.
    REQUIRE(d.metadata.size() == 2);
    CHECK(d.metadata[0].key == "Exif.Image.Make");
    CHECK(d.metadata[0].value == "SONY");
    CHECK(d.metadata[0].printed.empty());
    CHECK(d.metadata[1].key == "Exif.Image.Model");
    CHECK(d.metadata[1].value == "ILCE-7M3");
    CHECK(d.metadata[1].printed == "ILCE-7M3 (Sony A7 III)");
    CHECK(d.summary_text.at(LBX_FIELD_MODEL) == "ILCE-7M3");
    CHECK(d.summary_text.count(LBX_FIELD_MAKE) == 0);
    CHECK(d.summary_numbers.count(LBX_FIELD_ISO) == 0);
    REQUIRE(d.auto_tags.size() == 2);
    CHECK(d.auto_tags[0].name == "SONY ILCE-7M3");  // by category: camera before scene
    CHECK(d.auto_tags[1].name == "beach");
    CHECK(d.auto_tags[1].category == "scene");
    CHECK(d.auto_tags[1].confidence == Approx(0.75));
    CHECK(d.auto_tags[1].source == "org.lightbox.autotag");
    CHECK(d.user_tags == std::vector<std::string>{"grandma"});
    REQUIRE(d.thumbnails.size() == 2);
    CHECK(d.thumbnails[0].size == 64);
    CHECK(d.thumbnails[1].path == r.thumbnails[0].path);

    // Every file of it gone: still in the library, at the path it was last seen.
    REQUIRE(catalog->mark_missing({(dir / "photos").string()}, 11));
    auto missing = catalog->photo("hash-a");
    REQUIRE(missing);
    REQUIRE(missing->has_value());
    CHECK((*missing)->status == "missing");
    CHECK((*missing)->path == r.path);

    auto unknown = catalog->photo("no-such-hash");
    REQUIRE(unknown);
    CHECK_FALSE(unknown->has_value());
}

TEST_CASE("thumbnails recorded outside a scan replace their sizes and carry bytes and last use", "[catalog]") {
    lbx::test::TempDir dir;
    const ThumbnailStore store(dir / "thumbs");
    auto catalog = open_catalog(dir / "library.lbx");
    PhotoResult r = photo_result(dir / "a.jpg", "hash-a");
    r.thumbnails = {write_thumbnail(store, "hash-a", 64, 1), write_thumbnail(store, "hash-a", 128, 1)};
    REQUIRE(catalog->record(r, 1));
    REQUIRE(catalog->flush());
    // A scan's thumbnails have their sizes too (stat at write time).
    CHECK(count(*catalog, "SELECT bytes FROM thumbnails WHERE hash = 'hash-a' AND size = 64") ==
          static_cast<int64_t>(fs::file_size(r.thumbnails[0].path)));

    const StoredThumbnail remade = write_thumbnail(store, "hash-a", 64, 7);
    REQUIRE(catalog->record_thumbnails("hash-a", {remade}, 5'000'000));
    CHECK(count(*catalog, "SELECT count(*) FROM thumbnails WHERE hash = 'hash-a'") == 2);  // 128 kept
    CHECK(count(*catalog, "SELECT bytes FROM thumbnails WHERE hash = 'hash-a' AND size = 64") ==
          static_cast<int64_t>(fs::file_size(remade.path)));
    CHECK(count(*catalog, "SELECT last_used FROM thumbnails WHERE hash = 'hash-a' AND size = 64") == 5'000'000);
    CHECK(count(*catalog, "SELECT last_used FROM thumbnails WHERE hash = 'hash-a' AND size = 128") != 5'000'000);

    // A file that cannot be read is recorded with bytes 0 ("unknown"), for the cache to stat later.
    REQUIRE(catalog->record_thumbnails("hash-a", {{256, (dir / "nowhere.jpg").string(), 256, 192}}, 6));
    CHECK(count(*catalog, "SELECT bytes FROM thumbnails WHERE hash = 'hash-a' AND size = 256") == 0);
}

TEST_CASE("jobs are stored when they start and completed when they end", "[catalog]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    auto first = catalog->begin_job({"/photos/a", "/odd,name\nwith newline"}, 1000);
    auto second = catalog->begin_job({}, 2000);
    REQUIRE(first);
    REQUIRE(second);
    CHECK(*second != *first);
    auto stmt = catalog->database().prepare("SELECT state, started_at, ended_at IS NULL, paths FROM jobs WHERE id = ?1");
    REQUIRE(stmt);
    stmt->bind({*first});
    REQUIRE(stmt->step().value());
    CHECK(stmt->column_text(0) == "running");
    CHECK(stmt->column_int(1) == 1000);
    CHECK(stmt->column_int(2) == 1);
    CHECK(nlohmann::json::parse(stmt->column_text(3)) == nlohmann::json({"/photos/a", "/odd,name\nwith newline"}));
    stmt->reset();

    REQUIRE(catalog->end_job(*first, "completed", 40, 2, 1500));
    stmt->bind({*first});
    REQUIRE(stmt->step().value());
    CHECK(stmt->column_text(0) == "completed");
    stmt->reset();
    CHECK(count(*catalog, "SELECT done * 1000 + failed FROM jobs WHERE state = 'completed'") == 40'002);
    CHECK(count(*catalog, "SELECT ended_at FROM jobs WHERE state = 'completed'") == 1500);
    CHECK(count(*catalog, "SELECT count(*) FROM jobs WHERE state = 'running'") == 1);

    auto unknown = catalog->end_job(*second + 100, "completed", 0, 0, 1);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == "not_found");
}

TEST_CASE("files below a folder the scan could not list are not marked missing", "[catalog]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    const fs::path photos = dir / "photos";
    REQUIRE(catalog->record(photo_result(photos / "a.jpg", "hash-a"), 1));
    REQUIRE(catalog->record(photo_result(photos / "locked" / "b.jpg", "hash-b"), 1));
    REQUIRE(catalog->record(photo_result(photos / "locked-not" / "c.jpg", "hash-c"), 1));
    // Scan 2 sees a.jpg, cannot list photos/locked, and no longer finds photos/locked-not/c.jpg.
    REQUIRE(catalog->record(photo_result(photos / "a.jpg", "hash-a"), 2));
    PhotoResult unlisted;
    unlisted.path = (photos / "locked").string();
    unlisted.failure = StageFailure{"read", "engine", "engine", "", kCodeUnreadableFolder, "cannot list folder: Permission denied"};
    REQUIRE(catalog->record(unlisted, 2));
    auto marked = catalog->mark_missing({photos.string()}, 2);
    REQUIRE(marked);
    CHECK(*marked == 1);
    auto states = catalog->file_states();
    REQUIRE(states);
    CHECK(states->at((photos / "locked" / "b.jpg").string()).status == "ok");
    CHECK(states->at((photos / "locked-not" / "c.jpg").string()).status == "missing");

    // The next scan lists the folder and does not see b.jpg: now it is missing.
    REQUIRE(catalog->record(photo_result(photos / "a.jpg", "hash-a"), 3));
    REQUIRE(catalog->mark_missing({photos.string()}, 3));
    CHECK(catalog->file_states()->at((photos / "locked" / "b.jpg").string()).status == "missing");
}

TEST_CASE("file_states carries the recorded failure of a failed file", "[catalog]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    REQUIRE(catalog->record(failed_result(dir / "bad.jpg", "truncated"), 1));
    REQUIRE(catalog->record(photo_result(dir / "good.jpg", "hash-g"), 1));
    REQUIRE(catalog->flush());
    auto states = catalog->file_states();
    REQUIRE(states);
    const FileState& bad = states->at((dir / "bad.jpg").string());
    CHECK(bad.status == "failed");
    REQUIRE(bad.failure);
    CHECK(bad.failure->stage == "decode");
    CHECK(bad.failure->plugin == "org.lightbox.jpegdec");
    CHECK(bad.failure->plugin_version == "1.2.0");
    CHECK(bad.failure->code == "truncated");
    CHECK(bad.failure->message == "cannot decode: truncated");
    CHECK_FALSE(states->at((dir / "good.jpg").string()).failure);
}

TEST_CASE("a write that fails leaves the queued results to be named, then forgotten", "[catalog]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    REQUIRE(catalog->record(photo_result(dir / "a.jpg", "hash-a"), 1));
    REQUIRE(catalog->record(photo_result(dir / "b.jpg", "hash-b"), 1));
    CHECK(catalog->drop_pending() == std::vector<std::string>{(dir / "a.jpg").string(), (dir / "b.jpg").string()});
    CHECK(catalog->drop_pending().empty());
    REQUIRE(catalog->flush());
    CHECK(count(*catalog, "SELECT count(*) FROM files") == 0);
}

TEST_CASE("a catalog opened read-only is read without writing, and an old schema is refused", "[catalog][sqlite_only]") {
    lbx::test::TempDir dir;
    const fs::path file = dir / "library.lbx";
    {
        auto catalog = open_catalog(file);
        REQUIRE(catalog->record(photo_result(dir / "a.jpg", "hash-a"), 1));
        REQUIRE(catalog->flush());
    }
    // A clean close checkpoints and removes the -wal and -shm files: the read-only open must do without them.
    REQUIRE_FALSE(fs::exists(file.string() + "-wal"));
    auto opened = Catalog::open_read_only(file);
    if (!opened) FAIL(opened.error().message);
    CHECK((*opened)->database().read_only());
    CHECK(count(**opened, "SELECT count(*) FROM files") == 1);
    auto write = (*opened)->database().exec("DELETE FROM files");
    REQUIRE_FALSE(write);
    opened->reset();

    auto missing = Catalog::open_read_only(dir / "none.lbx");
    REQUIRE_FALSE(missing);
    CHECK_FALSE(fs::exists(dir / "none.lbx"));

    const fs::path empty = dir / "empty.lbx";
    lbx::test::write_file(empty, {});
    auto old = Catalog::open_read_only(empty);
    REQUIRE_FALSE(old);
    CHECK(old.error().message.find("schema version 0, older than") != std::string::npos);
}

TEST_CASE("a rejected auto tag leaves the photo, its queries and facets, and a rescan or analysis never adds it again", "[catalog]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    PhotoResult scanned = photo_result(dir / "a.jpg", "hash-a");
    scanned.tag_sources = {"org.lightbox.autotag"};
    scanned.tags.push_back({"landscape", "orientation", 1.0, "org.lightbox.autotag"});
    REQUIRE(catalog->record(scanned, 1));
    REQUIRE(catalog->record(photo_result(dir / "b.jpg", "hash-b"), 1));
    REQUIRE(catalog->flush());
    REQUIRE(count_query(*catalog, "tag:beach").value() == 2);

    // Named in another case: tags compare without case, as queries do.
    auto removed = catalog->reject_auto_tags("hash-a", {"BEACH"});
    REQUIRE(removed);
    CHECK(*removed == 1);
    CHECK(catalog->auto_tag_names("hash-a").value() == std::vector<std::string>{"SONY ILCE-7M3", "landscape"});
    CHECK(catalog->rejected_tags("hash-a").value() == std::vector<std::string>{"BEACH"});
    CHECK(count_query(*catalog, "tag:beach").value() == 1);  // b's only
    auto facets = facets_of(*catalog, "");
    REQUIRE(facets);
    const auto beach = std::find_if(facets->tags.begin(), facets->tags.end(), [](const FacetCount& c) { return c.value == "beach"; });
    REQUIRE(beach != facets->tags.end());
    CHECK(beach->count == 1);
    CHECK(catalog->auto_tag_names("hash-b").value().size() == 2);  // another photo keeps its own

    // A rescan that reads the file again (it changed on disk, same content), and the analysis phase,
    // write the photo's tags again: the rejected one stays out, the others come back as they were.
    PhotoResult rescanned = scanned;
    rescanned.mtime_ns = 4242;
    REQUIRE(catalog->record(rescanned, 2));
    PhotoResult analysed;
    analysed.path = scanned.path;
    analysed.hash = "hash-a";
    analysed.analysis_only = true;
    analysed.tag_sources = {"org.lightbox.vision"};
    analysed.tags = {{"beach", "label", 0.9, "org.lightbox.vision"}, {"dog", "label", 0.8, "org.lightbox.vision"}};
    REQUIRE(catalog->record(analysed, 2));
    REQUIRE(catalog->flush());
    CHECK(catalog->auto_tag_names("hash-a").value() == std::vector<std::string>{"SONY ILCE-7M3", "dog", "landscape"});
    CHECK(count_query(*catalog, "tag:beach").value() == 1);
    CHECK(count(*catalog, "SELECT mtime_ns FROM files WHERE path = '" + rescanned.path + "'") == 4242);  // the rescan was written

    // Kept across reopening; restoring lets the next write add it again.
    catalog.reset();
    catalog = open_catalog(dir / "library.lbx");
    CHECK(catalog->rejected_tags("hash-a").value() == std::vector<std::string>{"BEACH"});
    REQUIRE(catalog->reject_auto_tags("hash-a", {"dog"}));
    REQUIRE(catalog->restore_auto_tags("hash-a", {"beach"}));
    CHECK(catalog->rejected_tags("hash-a").value() == std::vector<std::string>{"dog"});
    REQUIRE(catalog->record(rescanned, 3));
    REQUIRE(catalog->flush());
    CHECK(catalog->auto_tag_names("hash-a").value() == std::vector<std::string>{"SONY ILCE-7M3", "beach", "landscape"});
    auto details = catalog->photo("hash-a");
    REQUIRE(details);
    REQUIRE(details->has_value());
    CHECK((*details)->rejected_tags == std::vector<std::string>{"dog"});

    // Removing the photo forgets its rejections with its tags.
    REQUIRE(catalog->remove_photos({"hash-a"}).value() == 1);
    CHECK(count(*catalog, "SELECT count(*) FROM tag_rejections") == 0);
}

TEST_CASE("the user's rotation is kept in the library across rescans and reopening, and listed with the photo", "[catalog]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    const PhotoResult scanned = photo_result(dir / "a.jpg", "hash-a");
    REQUIRE(catalog->record(scanned, 1));
    REQUIRE(catalog->flush());
    CHECK(catalog->photo("hash-a").value()->rotation == 0);
    CHECK(catalog->set_rotation("hash-a", 1).value());
    CHECK_FALSE(catalog->set_rotation("no-such-hash", 1).value());
    CHECK_FALSE(catalog->set_rotation("hash-a", 4));
    CHECK_FALSE(catalog->set_rotation("hash-a", -1));

    PhotoResult rescanned = scanned;
    rescanned.mtime_ns = 4242;  // read again: the photo row is written again
    REQUIRE(catalog->record(rescanned, 2));
    REQUIRE(catalog->flush());
    CHECK(count(*catalog, "SELECT mtime_ns FROM files WHERE path = '" + rescanned.path + "'") == 4242);
    CHECK(catalog->photo("hash-a").value()->rotation == 1);

    catalog.reset();
    catalog = open_catalog(dir / "library.lbx");
    CHECK(catalog->photo("hash-a").value()->rotation == 1);
    // Both ways a page is read: the first page straight from SQL, and a later one sliced from the list.
    auto first = run_query(*catalog, "", QueryOptions{SortOrder::path, false, 0, 10});
    REQUIRE(first);
    REQUIRE(first->size() == 1);
    CHECK(first->front().rotation == 1);
    REQUIRE(catalog->set_rotation("hash-a", 3).value());
    auto all = run_query(*catalog, "", QueryOptions{SortOrder::path, false, 0, -1});
    REQUIRE(all);
    REQUIRE(all->size() == 1);
    CHECK(all->front().rotation == 3);
}
