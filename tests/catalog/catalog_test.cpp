// The catalog on real SQLite files, driven by the real pipeline and plugins: what a scan stores, what a
// rescan skips without reading (stage invocations counted), moves, renames, deletions and returns,
// changed files, user tags, the failures ledger and schema versions.
#include "catalog/catalog.hpp"
#include "catalog/catalog_schema.hpp"
#include "catalog/scan_filter.hpp"
#include "pipeline/batch_runner.hpp"
#include "pipeline/pipeline.hpp"
#include "sample/exif_writer.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/plugin_harness.hpp"
#include "support/test_catalog.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace lbx::engine;
namespace fs = std::filesystem;

namespace {

struct ScanOutcome {
    BatchSummary summary;
    uint64_t decodes = 0;  // decode stage invocations during this scan
};

class Library {
public:
    Library() : file_(dir_ / "library.lbx") {
        auto config = load_pipeline_config(LIGHTBOX_TEST_DATA_DIR "/config/default.toml");
        REQUIRE(config);
        config->thumbnail_sizes = {128};
        auto pipeline = Pipeline::build(lbx::test::built_plugins(), *config, dir_ / "thumbs");
        if (!pipeline) FAIL(pipeline.error().message);
        pipeline_ = std::move(*pipeline);
        fs::create_directories(photos());
    }

    fs::path photos() const { return dir_ / "photos"; }
    const fs::path& file() const { return file_; }

    ScanOutcome scan(bool retry_failed = false) {
        auto catalog = lbx::test::open_catalog(file_);
        REQUIRE(catalog);
        auto known = (*catalog)->file_states();
        REQUIRE(known);
        catalog::ScanFilter filter(std::move(*known), retry_failed);
        const int64_t scan_id = catalog::now_us();
        const uint64_t decodes_before = decodes();
        BatchCounts counts;
        BatchCallbacks callbacks;
        callbacks.precheck = [&](const InputFile& f) { return filter.precheck(f); };
        callbacks.on_result = [&](const PhotoResult& r) { REQUIRE((*catalog)->record(r, scan_id)); };
        std::istringstream none;
        std::atomic<bool> stop{false};
        ScanOutcome outcome;
        outcome.summary = run_batch(*pipeline_, {photos().string()}, none, 2, stop, counts, callbacks);
        REQUIRE((*catalog)->mark_missing({photos().string()}, scan_id));
        REQUIRE((*catalog)->flush());
        outcome.decodes = decodes() - decodes_before;
        return outcome;
    }

    std::unique_ptr<catalog::Catalog> open() {
        auto catalog = lbx::test::open_catalog(file_);
        REQUIRE(catalog);
        return std::move(*catalog);
    }

    std::string hash_of(const fs::path& path) {
        auto states = open()->file_states();
        REQUIRE(states);
        auto it = states->find(path.string());
        REQUIRE(it != states->end());
        return it->second.hash;
    }

    std::string status_of(const fs::path& path) {
        auto states = open()->file_states();
        REQUIRE(states);
        auto it = states->find(path.string());
        return it == states->end() ? "unknown" : it->second.status;
    }

private:
    uint64_t decodes() const {
        uint64_t n = 0;
        for (const auto& [id, count] : pipeline_->stage_invocations())
            if (id.ends_with("dec")) n += count;
        return n;
    }

    lbx::test::TempDir dir_;
    fs::path file_;
    std::unique_ptr<Pipeline> pipeline_;
};

void write_photo(const fs::path& path, uint32_t seed, const std::string& model = "ILCE-7M3") {
    lbx::sample::ExifSpec spec;
    spec.make = "SONY";
    spec.model = model;
    spec.date_time_original = "2023:06:01 08:00:00";
    lbx::test::write_file(path, lbx::sample::with_exif(lbx::sample::encode_jpeg(lbx::sample::make_scene(320, 240, seed)), spec));
}

// The camera tag is "<make> <model>" as the autotag rules spell it.
bool has_tag_containing(const std::vector<std::string>& tags, const std::string& text) {
    return std::any_of(tags.begin(), tags.end(), [&](const std::string& t) { return t.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("a scan stores photos, files, tags and thumbnails, a rescan reads nothing", "[catalog]") {
    Library lib;
    for (uint32_t i = 0; i < 6; ++i) write_photo(lib.photos() / ("p" + std::to_string(i) + ".jpg"), i + 1);

    ScanOutcome first = lib.scan();
    CHECK(first.summary.ok == 6);
    CHECK(first.decodes == 6);
    auto stats = lib.open()->stats();
    REQUIRE(stats);
    CHECK(stats->photos == 6);
    CHECK(stats->files_ok == 6);
    const std::string hash = lib.hash_of(lib.photos() / "p0.jpg");
    auto thumbs = lib.open()->thumbnails(hash);
    REQUIRE(thumbs);
    REQUIRE(thumbs->size() == 1);
    CHECK(fs::exists(thumbs->front().path));
    auto tags = lib.open()->auto_tag_names(hash);
    REQUIRE(tags);
    CHECK(has_tag_containing(*tags, "ILCE-7M3"));

    ScanOutcome second = lib.scan();
    CHECK(second.summary.unchanged == 6);
    CHECK(second.summary.ok == 0);
    CHECK(second.decodes == 0);  // not one file read again
    auto after = lib.open()->stats();
    REQUIRE(after);
    CHECK(after->photos == 6);
    CHECK(after->files_ok == 6);
    CHECK(lib.open()->integrity_check().value() == "ok");
}

TEST_CASE("the integrity check finds a file without its photo and a face person without its region", "[catalog]") {
    Library lib;
    write_photo(lib.photos() / "a.jpg", 1);
    write_photo(lib.photos() / "b.jpg", 2);
    lib.scan();
    auto catalog = lib.open();
    REQUIRE(catalog->integrity_check().value() == "ok");
    const std::string a = (lib.photos() / "a.jpg").string();
    auto& db = catalog->database();
    auto hash_of_a = db.prepare("SELECT hash FROM files WHERE path = ?1");
    REQUIRE(hash_of_a);
    hash_of_a->bind({a});
    REQUIRE(hash_of_a->step().value());
    const std::string hash = hash_of_a->column_text(0);
    hash_of_a->reset();
    // What no write of the catalog leaves: broken by hand, as a damaged or hand-edited library would be.
    auto drop = db.prepare("DELETE FROM photos WHERE hash = ?1");
    REQUIRE(drop);
    REQUIRE(drop->run({hash}));
    auto person = db.prepare("INSERT INTO persons(id, name, centroid, embedding_model, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    REQUIRE(person);
    REQUIRE(person->run({int64_t{7}, std::string("Ann"), catalog::SqlBlob{{0, 0, 0, 0}}, std::string("m"), int64_t{1}}));
    REQUIRE(db.exec("INSERT INTO face_persons(hash, source, idx, person_id) VALUES ('nohash', 'vision', 0, 7)"));
    const std::string found = catalog->integrity_check().value();
    CHECK(found == "a file names a photo the library lacks: 1 (first: " + a + "); a face's person names no region: 1 (first: nohash)");
}

TEST_CASE("a moved or renamed photo keeps its tags and user tags, the old path is marked missing", "[catalog]") {
    Library lib;
    write_photo(lib.photos() / "a.jpg", 1);
    write_photo(lib.photos() / "b.jpg", 2);
    lib.scan();
    const std::string hash = lib.hash_of(lib.photos() / "a.jpg");
    REQUIRE(lib.open()->add_user_tag(hash, "grandma"));

    fs::create_directories(lib.photos() / "2023");
    fs::rename(lib.photos() / "a.jpg", lib.photos() / "2023" / "renamed.jpg");
    ScanOutcome outcome = lib.scan();
    CHECK(outcome.summary.ok == 1);        // the new path is read (to learn its hash)
    CHECK(outcome.summary.unchanged == 1);  // b.jpg is not
    CHECK(lib.hash_of(lib.photos() / "2023" / "renamed.jpg") == hash);
    CHECK(lib.status_of(lib.photos() / "a.jpg") == "missing");
    auto user = lib.open()->user_tags(hash);
    REQUIRE(user);
    CHECK(*user == std::vector<std::string>{"grandma"});
    auto stats = lib.open()->stats();
    REQUIRE(stats);
    CHECK(stats->photos == 2);  // the same photo, not a second one
    CHECK(stats->files_missing == 1);
}

TEST_CASE("a deleted file is kept as missing and comes back, unread, with its tags", "[catalog]") {
    Library lib;
    write_photo(lib.photos() / "a.jpg", 1);
    lib.scan();
    const std::string hash = lib.hash_of(lib.photos() / "a.jpg");
    REQUIRE(lib.open()->add_user_tag(hash, "keeper"));

    const fs::path away = lib.photos().parent_path() / "away.jpg";
    fs::rename(lib.photos() / "a.jpg", away);  // the drive is gone: rename keeps size and mtime
    lib.scan();
    CHECK(lib.status_of(lib.photos() / "a.jpg") == "missing");
    CHECK(lib.open()->user_tags(hash).value() == std::vector<std::string>{"keeper"});

    fs::rename(away, lib.photos() / "a.jpg");
    ScanOutcome back = lib.scan();
    CHECK(back.summary.unchanged == 1);
    CHECK(back.decodes == 0);
    CHECK(lib.status_of(lib.photos() / "a.jpg") == "ok");
}

TEST_CASE("a changed file is processed again, user tags stay with the photo they were given to", "[catalog]") {
    Library lib;
    write_photo(lib.photos() / "a.jpg", 1);
    lib.scan();
    const std::string old_hash = lib.hash_of(lib.photos() / "a.jpg");
    REQUIRE(lib.open()->add_user_tag(old_hash, "first"));

    write_photo(lib.photos() / "a.jpg", 9, "ILCE-7RM5");  // edited in place
    ScanOutcome outcome = lib.scan();
    CHECK(outcome.summary.ok == 1);
    CHECK(outcome.decodes == 1);
    const std::string new_hash = lib.hash_of(lib.photos() / "a.jpg");
    CHECK(new_hash != old_hash);
    auto tags = lib.open()->auto_tag_names(new_hash);
    REQUIRE(tags);
    CHECK(has_tag_containing(*tags, "ILCE-7RM5"));
    CHECK(lib.open()->user_tags(old_hash).value() == std::vector<std::string>{"first"});
}

TEST_CASE("failed files go to the ledger and are retried only when changed or asked", "[catalog]") {
    Library lib;
    write_photo(lib.photos() / "good.jpg", 1);
    auto bytes = lbx::sample::encode_jpeg(lbx::sample::make_scene(320, 240, 2));
    bytes.resize(bytes.size() / 3);  // truncated
    lbx::test::write_file(lib.photos() / "bad.jpg", bytes);

    ScanOutcome first = lib.scan();
    CHECK(first.summary.failed == 1);
    CHECK(lib.status_of(lib.photos() / "bad.jpg") == "failed");
    auto stats = lib.open()->stats();
    REQUIRE(stats);
    CHECK(stats->failures == 1);

    ScanOutcome again = lib.scan();
    CHECK(again.summary.unchanged == 2);
    CHECK(again.decodes == 0);

    ScanOutcome retried = lib.scan(true);
    CHECK(retried.summary.failed == 1);
    CHECK(retried.decodes == 1);

    write_photo(lib.photos() / "bad.jpg", 3);  // repaired
    ScanOutcome repaired = lib.scan();
    CHECK(repaired.summary.ok == 1);
    CHECK(lib.status_of(lib.photos() / "bad.jpg") == "ok");
    auto fixed = lib.open()->stats();
    REQUIRE(fixed);
    CHECK(fixed->failures == 0);
}

TEST_CASE("the schema is created at the current version and a newer catalog is refused untouched", "[catalog][sqlite_only]") {
    lbx::test::TempDir dir;
    {
        auto catalog = lbx::test::open_catalog(dir / "new.lbx");
        REQUIRE(catalog);
        CHECK((*catalog)->database().query_int("PRAGMA user_version").value() == catalog::kSchemaVersion);
        CHECK((*catalog)->database().query_int("PRAGMA journal_mode = WAL").has_value());
    }
    {  // reopening is a no-op migration
        auto catalog = lbx::test::open_catalog(dir / "new.lbx");
        REQUIRE(catalog);
        CHECK((*catalog)->stats().value().photos == 0);
    }
    {
        auto db = catalog::SqliteDatabase::open(dir / "future.lbx");
        REQUIRE(db);
        REQUIRE((*db)->exec("PRAGMA user_version = 99"));
    }
    auto future = lbx::test::open_catalog(dir / "future.lbx");
    REQUIRE_FALSE(future);
    CHECK(future.error().message.find("schema version 99") != std::string::npos);
    auto db = catalog::SqliteDatabase::open(dir / "future.lbx");
    REQUIRE(db);
    CHECK((*db)->query_int("PRAGMA user_version").value() == 99);
    CHECK((*db)->query_int("SELECT count(*) FROM sqlite_master").value() == 0);
}

TEST_CASE("a file that is not a catalog gives a clear error", "[catalog][sqlite_only]") {
    lbx::test::TempDir dir;
    lbx::test::write_file(dir / "notes.lbx", std::vector<uint8_t>(4096, 'x'));
    auto catalog = lbx::test::open_catalog(dir / "notes.lbx");
    REQUIRE_FALSE(catalog);
    CHECK(catalog.error().message.find("notes.lbx") != std::string::npos);
}
