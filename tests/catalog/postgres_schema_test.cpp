// The catalog's schema in a real PostgreSQL 15 server (support/postgres_server.hpp): created from the
// one schema definition with the same tables, columns, keys and indexes as SQLite's, with constraints
// that behave as SQLite's do, safe to create from several engines at once; and upserts by key, as
// engines scanning into one library will write, from two connections at once. Skipped, with a warning,
// where PostgreSQL is not installed.
#include "catalog/postgres_schema.hpp"
#include "catalog/catalog.hpp"
#include "catalog/catalog_schema.hpp"
#include "catalog/schema_definition.hpp"
#include "support/postgres_server.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace lbx::engine;
using namespace lbx::engine::catalog;
using lbx::test::PostgresServer;
using lbx::test::connect_or_fail;

namespace {

std::vector<std::string> strings(pg::Connection& conn, const std::string& sql, const std::vector<SqlValue>& params) {
    auto result = conn.query(sql, params);
    INFO((result ? std::string() : result.error().message));
    REQUIRE(result);
    std::vector<std::string> out;
    for (int r = 0; r < result->rows(); ++r) out.push_back(result->text(r, 0).value());
    return out;
}

// What a scan writes for a photo and its file (Catalog::write's shape): an upsert by content hash that
// leaves the user's own columns (rotation) alone, and one by path.
constexpr const char* kUpsertPhoto = R"sql(
    INSERT INTO photos (hash, format, file_size, width, height, added_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
    ON CONFLICT (hash) DO UPDATE SET format = excluded.format, file_size = excluded.file_size,
        width = excluded.width, height = excluded.height, updated_at = excluded.updated_at)sql";
constexpr const char* kUpsertFile = R"sql(
    INSERT INTO files (path, hash, size, mtime_ns, status, seen_at) VALUES ($1, $2, $3, $4, 'ok', $5)
    ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, size = excluded.size, mtime_ns = excluded.mtime_ns,
        status = excluded.status, seen_at = excluded.seen_at)sql";

lbx::engine::Expected<void> upsert(pg::Connection& conn, const std::string& hash, const std::string& path,
                                   int64_t when) {
    if (auto ok =
            conn.query(kUpsertPhoto, {hash, std::string("jpeg"), int64_t{1000}, int64_t{640}, int64_t{480}, when});
        !ok)
        return lbx::engine::unexpected(ok.error());
    if (auto ok = conn.query(kUpsertFile, {path, hash, int64_t{1000}, when, when}); !ok)
        return lbx::engine::unexpected(ok.error());
    return {};
}

// create_postgres_schema on `conn`'s database (a new one is created, an older one migrated): it answers
// this engine's version, the database says so, and no transaction is left open.
void require_current_schema(pg::Connection& conn) {
    auto made = create_postgres_schema(conn);
    INFO((made ? std::string() : made.error().message));
    REQUIRE(made);
    CHECK(*made == kSchemaVersion);
    CHECK(postgres_schema_version(conn).value() == kSchemaVersion);
    CHECK_FALSE(conn.in_transaction());
}

}  // namespace

TEST_CASE("the catalog schema is created in PostgreSQL as the definition says", "[catalog][postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    auto conn = connect_or_fail(server->create_database());
    CHECK(postgres_schema_version(*conn).value() == 0);
    require_current_schema(*conn);
    CHECK(create_postgres_schema(*conn).value() == kSchemaVersion);  // found made, left as it is
    CHECK_FALSE(conn->in_transaction());

    for (const auto& table : schema_tables()) {
        const std::string name(table.name);
        INFO("table " << name);
        std::vector<std::string> expected_columns, expected_not_null;
        for (const auto& c : table.columns) {
            expected_columns.emplace_back(c.name);
            if (c.constraints.find("NOT NULL") != std::string_view::npos) expected_not_null.emplace_back(c.name);
        }
        CHECK(strings(*conn,
                      "SELECT column_name::text FROM information_schema.columns WHERE table_name = $1 ORDER BY "
                      "ordinal_position",
                      {name}) == expected_columns);
        // The key's columns, in the key's order.
        std::vector<std::string> key;
        for (std::string_view rest = table.primary_key; !rest.empty();) {
            const auto comma = rest.find(',');
            key.emplace_back(rest.substr(0, comma));
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
        }
        CHECK(strings(*conn, R"sql(
            SELECT a.attname::text FROM pg_index i
            JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY k.n)sql",
                      {name}) == key);
        // NOT NULL where the definition says so (and on every key column, as PostgreSQL requires).
        for (const auto& column : expected_not_null) {
            INFO("column " << column);
            CHECK(strings(*conn,
                          "SELECT is_nullable::text FROM information_schema.columns WHERE table_name = $1 AND "
                          "column_name = $2",
                          {name, column}) == std::vector<std::string>{"NO"});
        }
    }
    for (const auto& index : schema_indexes()) {
        INFO("index " << index.name);
        auto definition =
            strings(*conn, "SELECT indexdef FROM pg_indexes WHERE indexname = $1", {std::string(index.name)});
        REQUIRE(definition.size() == 1);
        CHECK(definition[0].find("ON public." + std::string(index.table)) != std::string::npos);
        CHECK((definition[0].find(" WHERE ") != std::string::npos) == !index.where.empty());
        CHECK((definition[0].find("COLLATE nocase") != std::string::npos) ==
              (index.keys.find("COLLATE NOCASE") != std::string_view::npos));
    }
    // Types are the dialect's: 64-bit integers, double precision, bytea, identity keys.
    CHECK(strings(
              *conn,
              "SELECT data_type::text FROM information_schema.columns WHERE table_name = 'photos' AND column_name = $1",
              {std::string("phash")}) == std::vector<std::string>{"bigint"});
    CHECK(
        strings(
            *conn,
            "SELECT data_type::text FROM information_schema.columns WHERE table_name = 'regions' AND column_name = $1",
            {std::string("embedding")}) == std::vector<std::string>{"bytea"});
    CHECK(strings(*conn,
                  "SELECT is_identity::text FROM information_schema.columns WHERE table_name = 'persons' AND "
                  "column_name = $1",
                  {std::string("id")}) == std::vector<std::string>{"YES"});

    // A library of a newer version is refused, never touched.
    REQUIRE(conn->exec("UPDATE lightbox_schema SET version = 99"));
    auto newer = create_postgres_schema(*conn);
    REQUIRE_FALSE(newer);
    CHECK(newer.error().code == "too_new");
    CHECK(newer.error().message.find("schema version 99") != std::string::npos);
}

TEST_CASE("a PostgreSQL library of version 10 is brought to the current version with its rows intact", "[catalog][postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    const std::string uri = server->create_database();
    auto conn = connect_or_fail(uri);
    REQUIRE(create_postgres_schema(*conn).value() == kSchemaVersion);
    REQUIRE(upsert(*conn, "h1", "/p/a.jpg", 1));
    REQUIRE(conn->query("INSERT INTO auto_tags (hash, name, category, source, confidence) VALUES ($1, $2, $3, $4, $5)",
                        {std::string("h1"), std::string("Beach"), std::string("scene"), std::string("test"), 0.9}));
    // Version 10 as the first PostgreSQL libraries were made: tag-name indexes on the name alone, and
    // a trigger function that only notified (no change counter).
    REQUIRE(conn->exec("DROP INDEX auto_tags_name; CREATE INDEX auto_tags_name ON auto_tags(name COLLATE nocase); "
                       "DROP INDEX user_tags_name; CREATE INDEX user_tags_name ON user_tags(name COLLATE nocase); "
                       "DROP TRIGGER failures_notify ON failures; DROP TRIGGER thumbnails_notify ON thumbnails; "
                       "DROP TABLE lightbox_changes; "
                       "CREATE OR REPLACE FUNCTION lightbox_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                       "PERFORM pg_notify('lightbox_library', coalesce(current_setting('lightbox.engine', true), '')); "
                       "RETURN NULL; END $$; "
                       "UPDATE lightbox_schema SET version = 10"));

    // A command that only reads says what to do; it changes nothing.
    auto read_only = Catalog::open_location_read_only(uri);
    REQUIRE_FALSE(read_only);
    CHECK(read_only.error().code == "too_old");
    CHECK(read_only.error().message.find("a scan (lightbox-engine run --catalog) updates it") != std::string::npos);
    CHECK(postgres_schema_version(*conn).value() == 10);

    require_current_schema(*conn);
    for (const char* index : {"auto_tags_name", "user_tags_name"}) {
        INFO(index);
        const auto definition = strings(*conn, "SELECT indexdef FROM pg_indexes WHERE indexname = $1", {std::string(index)});
        REQUIRE(definition.size() == 1);
        CHECK(definition[0].find("COLLATE nocase) INCLUDE (hash)") != std::string::npos);
    }
    // The rows are intact, and a tag's photos come from the index alone (no table page read).
    CHECK(strings(*conn, "SELECT hash FROM auto_tags WHERE name = $1 COLLATE nocase", {std::string("beach")}) ==
          std::vector<std::string>{"h1"});
    REQUIRE(conn->exec("VACUUM ANALYZE auto_tags"));
    REQUIRE(conn->exec("SET enable_seqscan = off; SET enable_bitmapscan = off"));
    std::string plan;
    for (const std::string& line :
         strings(*conn, "EXPLAIN SELECT hash FROM auto_tags WHERE name = $1 COLLATE nocase", {std::string("beach")}))
        plan += line + "\n";
    INFO(plan);
    CHECK(plan.find("Index Only Scan using auto_tags_name") != std::string::npos);
    REQUIRE(conn->exec("RESET enable_seqscan; RESET enable_bitmapscan"));
    // Version 12: a write is counted in lightbox_changes, once per transaction.
    const auto counted = [&] { return conn->query_int("SELECT CAST(coalesce(sum(changes), 0) AS BIGINT) FROM lightbox_changes").value(); };
    const int64_t before = counted();
    {
        auto tx = pg::Transaction::begin(*conn);
        REQUIRE(tx);
        REQUIRE(upsert(*conn, "h2", "/p/b.jpg", 1));  // two statements, two tables
        REQUIRE(tx->commit());
    }
    CHECK(counted() == before + 1);
    CHECK(Catalog::open_location_read_only(uri));
}

TEST_CASE("a PostgreSQL library's change stamp moves with the library's commits, not another database's or thumbnail marks", "[catalog][postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    const std::string uri = server->create_database();
    auto opened = Catalog::open_location(uri);
    REQUIRE(opened);
    Catalog& library = **opened;
    const auto stamp = [&] { return change_stamp(library.database()).value(); };
    const ChangeStamp first = stamp();
    CHECK(stamp() == first);  // nothing committed in between

    // Another database of the same server, busy: not this library's change.
    auto other = connect_or_fail(server->create_database());
    REQUIRE(other->exec("CREATE TABLE t (v INTEGER)"));
    for (int i = 0; i < 5; ++i) REQUIRE(other->exec("INSERT INTO t (v) VALUES (1)"));
    CHECK(stamp() == first);

    // Another engine's commits to this library: a photo, then a failure (which failed: queries read).
    auto writer = Catalog::open_location(uri);
    REQUIRE(writer);
    PhotoResult photo;
    photo.path = "/p/a.jpg";
    photo.hash = "hash-a";
    photo.format = "jpeg";
    photo.file_size = 1000;
    photo.mtime_ns = 1;
    REQUIRE((*writer)->record(photo, now_us()));
    REQUIRE((*writer)->flush());
    const ChangeStamp second = stamp();
    CHECK_FALSE(second == first);
    PhotoResult failed;
    failed.path = "/p/broken.jpg";
    failed.file_size = 10;
    failed.failure = StageFailure{"decode", "jpegdec", "org.lightbox.jpegdec", "1.0.0", "truncated", "truncated at byte 10"};
    REQUIRE((*writer)->record(failed, now_us()));
    REQUIRE((*writer)->flush());
    const ChangeStamp third = stamp();
    CHECK_FALSE(third == second);

    // A thumbnail's last-use mark (what showing it writes) is not a change.
    auto raw = connect_or_fail(uri);
    REQUIRE(raw->exec("INSERT INTO thumbnails (hash, size, width, height, path, bytes, last_used) VALUES ('hash-a', 256, 256, 192, '/t/a.jpg', 100, 1)"));
    const ChangeStamp fourth = stamp();
    CHECK_FALSE(fourth == third);  // a new thumbnail is (has:thumbnail reads them)
    REQUIRE(raw->exec("UPDATE thumbnails SET last_used = 2 WHERE hash = 'hash-a'"));
    CHECK(stamp() == fourth);
}

TEST_CASE("the PostgreSQL schema's constraints behave as SQLite's", "[catalog][postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    auto conn = connect_or_fail(server->create_database());
    REQUIRE(create_postgres_schema(*conn));

    // files.status is one of three words.
    auto bad_status =
        conn->query("INSERT INTO files (path, hash, size, mtime_ns, status, seen_at) VALUES ('/a', 'h', 1, 1, $1, 1)",
                    {std::string("gone")});
    REQUIRE_FALSE(bad_status);
    CHECK(pg::sqlstate_of(bad_status.error()) == "23514");  // check_violation

    // A rejected tag's name compares without case, as SQLite's NOCASE column does.
    REQUIRE(
        conn->query("INSERT INTO tag_rejections (hash, name, rejected_at) VALUES ('h', $1, 1)", {std::string("Dog")}));
    auto again =
        conn->query("INSERT INTO tag_rejections (hash, name, rejected_at) VALUES ('h', $1, 1)", {std::string("dog")});
    REQUIRE_FALSE(again);
    CHECK(pg::sqlstate_of(again.error()) == "23505");
    CHECK(conn->query_int("SELECT count(*) FROM tag_rejections WHERE name = $1", {std::string("DOG")}).value() == 1);

    // A person gets a generated id; deleting it deletes its faces' rows.
    auto person = conn->query(
        "INSERT INTO persons (name, centroid, embedding_model, created_at) VALUES ($1, $2, 'sface', 1) RETURNING id",
        {std::string("Ann"), SqlBlob{{0, 0, 128, 63}}});
    REQUIRE(person);
    const int64_t id = person->integer(0, 0).value();
    REQUIRE(conn->query("INSERT INTO face_persons (hash, source, idx, person_id) VALUES ('h', 'vision', 0, $1)", {id}));
    auto orphan = conn->query("INSERT INTO face_persons (hash, source, idx, person_id) VALUES ('h', 'vision', 1, $1)",
                              {id + 100});
    REQUIRE_FALSE(orphan);
    CHECK(pg::sqlstate_of(orphan.error()) == "23503");  // foreign_key_violation
    REQUIRE(conn->query("DELETE FROM persons WHERE id = $1", {id}));
    CHECK(conn->query_int("SELECT count(*) FROM face_persons").value() == 0);

    // Defaults as in SQLite.
    REQUIRE(conn->query(kUpsertPhoto,
                        {std::string("h"), std::string("jpeg"), int64_t{1}, int64_t{2}, int64_t{3}, int64_t{4}}));
    CHECK(conn->query_int("SELECT rotation FROM photos WHERE hash = 'h'").value() == 0);
}

TEST_CASE("engines creating the schema at once on an empty database all succeed", "[catalog][postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    const std::string uri = server->create_database();
    constexpr int kEngines = 4;
    std::vector<std::unique_ptr<pg::Connection>> conns;
    for (int i = 0; i < kEngines; ++i) conns.push_back(connect_or_fail(uri));
    std::vector<std::string> outcomes(kEngines);
    {
        std::vector<std::jthread> engines;
        for (int i = 0; i < kEngines; ++i) {
            engines.emplace_back([&, i] {
                auto version = create_postgres_schema(*conns[static_cast<std::size_t>(i)]);
                outcomes[static_cast<std::size_t>(i)] = version ? std::to_string(*version) : version.error().message;
            });
        }
    }
    for (const auto& outcome : outcomes) CHECK(outcome == std::to_string(kSchemaVersion));
    CHECK(conns[0]->query_int("SELECT count(*) FROM lightbox_schema").value() == 1);
}

TEST_CASE("two engines upserting the same photo at once leave one row and no error", "[catalog][postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    const std::string uri = server->create_database();
    auto first = connect_or_fail(uri);
    auto second = connect_or_fail(uri);
    auto watcher = connect_or_fail(uri);
    REQUIRE(create_postgres_schema(*first));

    // The user's edit made before the engines rescan: kept through both upserts.
    REQUIRE(upsert(*first, "h1", "/nas/a.jpg", 1));
    REQUIRE(first->exec("UPDATE photos SET rotation = 3 WHERE hash = 'h1'"));
    REQUIRE(first->exec("DELETE FROM files"));

    // The first engine holds the photo's row in an open transaction; the second writes the same photo
    // (and the same file, found through another mount) and must wait for it, then update, not fail.
    auto tx = pg::Transaction::begin(*first);
    REQUIRE(tx);
    REQUIRE(upsert(*first, "h1", "/nas/a.jpg", 10));
    REQUIRE(upsert(*first, "h2", "/nas/b.jpg", 10));
    std::string second_outcome = "not finished";
    std::jthread second_engine([&] {
        auto inner = pg::Transaction::begin(*second);
        if (!inner) {
            second_outcome = inner.error().message;
            return;
        }
        auto ok = upsert(*second, "h1", "/nas/a.jpg", 20);
        if (ok) ok = upsert(*second, "h2", "/nas/b.jpg", 20);
        if (ok) ok = inner->commit();
        second_outcome = ok ? "ok" : ok.error().message;
    });
    // Wait, with a bound, until the server shows the second engine blocked on the first's row lock.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    int64_t waiting = 0;
    while (waiting == 0 && std::chrono::steady_clock::now() < deadline) {
        waiting = watcher
                      ->query_int(
                          "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                          "wait_event_type = 'Lock' AND query LIKE '%INSERT INTO photos%'")
                      .value();
        if (waiting == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(waiting == 1);
    REQUIRE(tx->commit());
    second_engine.join();
    CHECK(second_outcome == "ok");

    CHECK(watcher->query_int("SELECT count(*) FROM photos").value() == 2);
    CHECK(watcher->query_int("SELECT count(*) FROM files").value() == 2);
    CHECK(watcher->query_int("SELECT updated_at FROM photos WHERE hash = 'h1'").value() == 20);  // the later write
    CHECK(watcher->query_int("SELECT added_at FROM photos WHERE hash = 'h1'").value() == 1);     // the first sighting
    CHECK(watcher->query_int("SELECT rotation FROM photos WHERE hash = 'h1'").value() == 3);     // the user's edit
}
