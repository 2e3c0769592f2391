// Schema migrations on real files: a catalog left by the version 1 or 2 engine (built here with only
// those migrations) keeps its rows when the current engine opens it and gains the later columns, tables
// and indexes; an empty file goes straight to the current version.
#include "catalog/catalog.hpp"
#include "catalog/catalog_query.hpp"
#include "catalog/catalog_schema.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace lbx::engine::catalog;
namespace fs = std::filesystem;

namespace {

std::set<std::string> names_of(Database& db, const std::string& sql) {
    auto stmt = db.prepare(sql);
    REQUIRE(stmt);
    std::set<std::string> out;
    while (stmt->step().value()) out.insert(stmt->column_text(0));
    return out;
}

std::string index_sql(Database& db, const std::string& index) {
    auto stmt = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?");
    REQUIRE(stmt);
    stmt->bind({index});
    return stmt->step().value() ? stmt->column_text(0) : std::string();
}

// What version 3 adds: tag indexes without case, files covered by (hash, status, path), planner statistics.
void check_version_3_indexes(Database& db) {
    CHECK(index_sql(db, "auto_tags_name").find("NOCASE") != std::string::npos);
    CHECK(index_sql(db, "user_tags_name").find("NOCASE") != std::string::npos);
    CHECK(index_sql(db, "files_hash").find("path") != std::string::npos);
    CHECK(db.query_int("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").value() == 1);
}

std::set<std::string> columns(Database& db, const std::string& table) {
    return names_of(db, "SELECT name FROM pragma_table_info('" + table + "')");
}

// A version 1 catalog as the previous engine wrote it: one photo with a file, a user tag, an auto tag,
// a thumbnail and a failure.
void write_version_1(const fs::path& file) {
    auto db = SqliteDatabase::open(file);
    REQUIRE(db);
    REQUIRE(migrate_to(**db, 1).value() == 1);
    REQUIRE((*db)->exec(R"sql(
        INSERT INTO photos(hash, format, file_size, width, height, taken_at, model, added_at, updated_at)
            VALUES ('h1', 'jpeg', 1000, 640, 480, '2019-07-14T10:00:00', 'ILCE-7M3', 1, 1);
        INSERT INTO files(path, hash, size, mtime_ns, status, seen_at) VALUES ('/photos/a.jpg', 'h1', 1000, 5, 'ok', 1);
        INSERT INTO user_tags(hash, name, added_at) VALUES ('h1', 'grandma', 1);
        INSERT INTO auto_tags(hash, name, category, source, confidence) VALUES ('h1', 'beach', 'scene', 'org.lightbox.autotag', 1);
        INSERT INTO thumbnails(hash, size, width, height, path) VALUES ('h1', 256, 256, 192, '/thumbs/256/h1/h1.jpg');
        INSERT INTO failures(path, size, mtime_ns, stage, plugin, plugin_version, code, message, first_seen, last_seen)
            VALUES ('/photos/bad.jpg', 10, 5, 'decode', 'org.lightbox.jpegdec', '1.0.0', 'truncated', 'truncated', 1, 1);
    )sql"));
    CHECK((*db)->query_int("PRAGMA user_version").value() == 1);
    CHECK_FALSE(columns(**db, "thumbnails").count("bytes"));
}

}  // namespace

TEST_CASE("a version 1 catalog is migrated to the current version with its rows intact", "[catalog][schema]") {
    lbx::test::TempDir dir;
    const fs::path file = dir / "v1.lbx";
    write_version_1(file);

    auto opened = Catalog::open(file);
    if (!opened) FAIL(opened.error().message);
    Catalog& catalog = **opened;
    Database& db = catalog.database();
    CHECK(kSchemaVersion == 12);
    CHECK(db.query_int("PRAGMA user_version").value() == kSchemaVersion);

    auto stats = catalog.stats();
    REQUIRE(stats);
    CHECK(stats->photos == 1);
    CHECK(stats->files_ok == 1);
    CHECK(stats->user_tags == 1);
    CHECK(stats->failures == 1);
    CHECK(catalog.user_tags("h1").value() == std::vector<std::string>{"grandma"});
    CHECK(catalog.auto_tag_names("h1").value() == std::vector<std::string>{"beach"});
    auto thumbs = catalog.thumbnails("h1");
    REQUIRE(thumbs);
    REQUIRE(thumbs->size() == 1);
    CHECK(thumbs->front().path == "/thumbs/256/h1/h1.jpg");

    // The new columns, with "unknown" / "never used" for the rows that were there.
    CHECK(columns(db, "thumbnails") == std::set<std::string>{"hash", "size", "width", "height", "path", "bytes", "last_used"});
    CHECK(db.query_int("SELECT bytes FROM thumbnails WHERE hash = 'h1'").value() == 0);
    CHECK(db.query_int("SELECT last_used FROM thumbnails WHERE hash = 'h1'").value() == 0);
    CHECK(columns(db, "roots") == std::set<std::string>{"path", "added_at"});
    const auto indexes = names_of(db, "SELECT name FROM sqlite_master WHERE type = 'index'");
    CHECK(indexes.count("thumbnails_last_used"));
    CHECK(indexes.count("failures_last_seen"));
    check_version_3_indexes(db);
    // Version 8: the perceptual hash, unknown for photos scanned before it, and its index.
    CHECK(db.query_int("SELECT count(*) FROM photos WHERE phash IS NULL").value() == 1);
    CHECK(indexes.count("photos_phash"));
    CHECK(count_query(catalog, "tag:BEACH").value() == 1);
    CHECK(count_query(catalog, "tag:Grandma year:2019").value() == 1);
    // Version 9: the user's rotation (none for the photos there were) and the auto tags they turned down.
    CHECK(db.query_int("SELECT rotation FROM photos WHERE hash = 'h1'").value() == 0);
    CHECK(db.query_int("SELECT count(*) FROM tag_rejections").value() == 0);
    CHECK(catalog.reject_auto_tags("h1", {"Beach"}).value() == 1);  // the version 1 row goes, case aside
    CHECK(count_query(catalog, "tag:beach").value() == 0);
    CHECK(catalog.set_rotation("h1", 2).value());

    // The new API works on the migrated file.
    REQUIRE(catalog.add_roots({"/photos"}, 7));
    CHECK(catalog.roots().value() == std::vector<std::string>{"/photos"});
    CHECK(catalog.failure_count().value() == 1);
    auto details = catalog.photo("h1");
    REQUIRE(details);
    REQUIRE(details->has_value());
    CHECK((*details)->path == "/photos/a.jpg");
    CHECK(catalog.integrity_check().value() == "ok");

    // Opening again migrates nothing.
    opened->reset();
    auto again = Catalog::open(file);
    REQUIRE(again);
    CHECK((*again)->database().query_int("PRAGMA user_version").value() == kSchemaVersion);
    CHECK((*again)->roots().value().size() == 1);
}

TEST_CASE("a version 2 catalog gains the query indexes and keeps its rows", "[catalog][schema]") {
    lbx::test::TempDir dir;
    const fs::path file = dir / "v2.lbx";
    {
        auto db = SqliteDatabase::open(file);
        REQUIRE(db);
        REQUIRE(migrate_to(**db, 2).value() == 2);
        REQUIRE((*db)->exec(R"sql(
            INSERT INTO photos(hash, format, file_size, width, height, taken_at, model, added_at, updated_at)
                VALUES ('h1', 'jpeg', 1000, 640, 480, '2019-07-14T10:00:00', 'ILCE-7M3', 1, 1);
            INSERT INTO files(path, hash, size, mtime_ns, status, seen_at) VALUES ('/photos/a.jpg', 'h1', 1000, 5, 'ok', 1);
            INSERT INTO auto_tags(hash, name, category, source, confidence) VALUES ('h1', 'Beach', 'scene', 'org.lightbox.autotag', 1);
            INSERT INTO thumbnails(hash, size, width, height, path, bytes, last_used) VALUES ('h1', 256, 256, 192, '/t/h1.jpg', 900, 3);
            INSERT INTO roots(path, added_at) VALUES ('/photos', 1);
        )sql"));
    }
    auto opened = Catalog::open(file);
    if (!opened) FAIL(opened.error().message);
    Catalog& catalog = **opened;
    Database& db = catalog.database();
    CHECK(db.query_int("PRAGMA user_version").value() == kSchemaVersion);
    check_version_3_indexes(db);
    CHECK(db.query_int("SELECT bytes FROM thumbnails WHERE hash = 'h1'").value() == 900);
    CHECK(catalog.roots().value() == std::vector<std::string>{"/photos"});
    CHECK(count_query(catalog, "tag:beach").value() == 1);
    auto facets = facets_of(catalog, "");
    REQUIRE(facets);
    REQUIRE(facets->tags.size() == 1);
    CHECK(facets->tags.front().value == "Beach");
    CHECK(catalog.integrity_check().value() == "ok");
}

TEST_CASE("an empty file becomes a catalog of the current version", "[catalog][schema]") {
    lbx::test::TempDir dir;
    lbx::test::write_file(dir / "empty.lbx", {});
    auto opened = Catalog::open(dir / "empty.lbx");
    if (!opened) FAIL(opened.error().message);
    Database& db = (*opened)->database();
    CHECK(db.query_int("PRAGMA user_version").value() == kSchemaVersion);
    const auto tables = names_of(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
    for (const char* t : {"photos", "files", "metadata", "auto_tags", "user_tags", "thumbnails", "failures", "jobs", "roots",
                          "regions", "analyses", "library_state", "persons", "face_persons", "tag_rejections"}) {
        INFO(t);
        CHECK(tables.count(t));
    }
    CHECK(columns(db, "thumbnails").count("last_used"));
    CHECK(columns(db, "regions").count("grouped"));  // version 6
    CHECK(columns(db, "photos").count("rotation"));  // version 9
    CHECK(columns(db, "tag_rejections") == std::set<std::string>{"hash", "name", "rejected_at"});
    CHECK(index_sql(db, "regions_ungrouped").find("grouped = 0") != std::string::npos);
}

TEST_CASE("migrate_to goes up to the version asked and never down", "[catalog][schema]") {
    lbx::test::TempDir dir;
    auto db = SqliteDatabase::open(dir / "steps.lbx");
    REQUIRE(db);
    CHECK(migrate_to(**db, 0).value() == 0);
    CHECK((*db)->query_int("SELECT count(*) FROM sqlite_master").value() == 0);
    CHECK(migrate_to(**db, 1).value() == 1);
    CHECK(migrate_to(**db, 2).value() == 2);
    CHECK(migrate_to(**db, 1).value() == 2);  // already newer: untouched
    CHECK((*db)->query_int("PRAGMA user_version").value() == 2);
    CHECK(migrate_to(**db, 3).value() == 3);
    CHECK_FALSE(migrate_to(**db, kSchemaVersion + 1));
}

TEST_CASE("version 10: files of photos stored without a perceptual hash or printed values are read again by the next scan", "[catalog][schema]") {
    lbx::test::TempDir dir;
    const fs::path file = dir / "v9.lbx";
    {
        auto db = SqliteDatabase::open(file);
        REQUIRE(db);
        REQUIRE(migrate_to(**db, 9).value() == 9);
        // old: before version 8 (no phash); unprinted: before version 7 (a value without its printed
        // text); current: both; failed: not a photo to read again.
        REQUIRE((*db)->exec(R"sql(
            INSERT INTO photos(hash, format, file_size, width, height, added_at, updated_at, phash) VALUES
                ('old', 'jpeg', 1, 1, 1, 1, 1, NULL), ('unprinted', 'jpeg', 1, 1, 1, 1, 1, 7), ('current', 'jpeg', 1, 1, 1, 1, 1, 9);
            INSERT INTO metadata(hash, key, value, printed) VALUES ('unprinted', 'Exif.Photo.FNumber', '14/5', ''),
                ('current', 'Exif.Photo.FNumber', '14/5', 'F2.8');
            INSERT INTO files(path, hash, size, mtime_ns, status, seen_at) VALUES ('/p/old.jpg', 'old', 1, 5, 'ok', 1),
                ('/p/unprinted.jpg', 'unprinted', 1, 5, 'ok', 1), ('/p/current.jpg', 'current', 1, 5, 'ok', 1),
                ('/p/gone.jpg', 'old', 1, 5, 'missing', 1);
            INSERT INTO user_tags(hash, name, added_at) VALUES ('old', 'grandma', 1);
        )sql"));
    }
    auto opened = Catalog::open(file);
    REQUIRE(opened);
    Database& db = (*opened)->database();
    CHECK(db.query_int("PRAGMA user_version").value() == kSchemaVersion);
    const auto mtime_of = [&](const std::string& path) {
        auto stmt = db.prepare("SELECT mtime_ns FROM files WHERE path = ?");
        REQUIRE(stmt);
        stmt->bind({path});
        REQUIRE(stmt->step().value());
        return stmt->column_int(0);
    };
    CHECK(mtime_of("/p/old.jpg") == -1);
    CHECK(mtime_of("/p/unprinted.jpg") == -1);
    CHECK(mtime_of("/p/current.jpg") == 5);
    CHECK(mtime_of("/p/gone.jpg") == 5);
    CHECK(db.query_int("SELECT count(*) FROM user_tags WHERE hash = 'old'").value() == 1);
}
