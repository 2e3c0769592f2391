#include "catalog/postgres_schema.hpp"

#include "catalog/catalog_schema.hpp"
#include "catalog/schema_definition.hpp"
#include "catalog/try.hpp"

#include <iterator>
#include <string_view>

namespace lbx::engine::catalog {
namespace {

// Any fixed number: the key of the transaction-scoped advisory lock that creating the schema holds.
constexpr int64_t kSchemaLockKey = 0x4c42585343484d41;  // "LBXSCHMA"

// SQLite's NOCASE for PostgreSQL: an ICU collation at strength 2 (case ignored, accents not), and
// nondeterministic so that a primary key or unique index declared with it treats "Dog" and "dog" as one
// value, as SQLite does. One difference: ICU folds the case of every script; SQLite's NOCASE, ASCII only.
constexpr std::string_view kNocaseCollation =
    "CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)";

// hamming(a, b): how many bits two 64-bit perceptual hashes differ in (`similar:` queries); SQLite's is
// registered by sqlite_db.cpp. NULL when either is NULL, as there.
constexpr std::string_view kHammingFunction =
    "CREATE OR REPLACE FUNCTION hamming(a BIGINT, b BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS 'SELECT bit_count(CAST(a # b AS bit(64)))'";

// Every engine attached to the library hears of its changes (LISTEN lightbox_library: the service's
// catalog/library_listener): a statement that writes a table a client shows notifies the channel once
// per transaction (PostgreSQL folds equal notifications of one transaction into one), delivered at commit.
// The payload is the writing engine (lightbox.engine, which PostgresDatabase sets on each of its
// connections), so that an engine can tell its own writes from another's.
//
// The same trigger counts the transactions that change what queries read, in lightbox_changes: one row
// per server process (connection), so writers never wait on each other's row, bumped once per
// transaction (lightbox.counted_in remembers the transaction that last did). The sum of the counts is
// PostgresDatabase's change stamp: transactional like the data it guards, and blind to the commits of
// other databases on the server, which the server's snapshot (the stamp before version 12) was not.
constexpr std::string_view kChangesTable =
    "CREATE TABLE IF NOT EXISTS lightbox_changes (backend INTEGER PRIMARY KEY, changes BIGINT NOT NULL)";
constexpr std::string_view kNotifyFunction =
    "CREATE OR REPLACE FUNCTION lightbox_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "PERFORM pg_notify('lightbox_library', coalesce(current_setting('lightbox.engine', true), '')); "
    "IF coalesce(current_setting('lightbox.counted_in', true), '') <> CAST(pg_current_xact_id() AS text) THEN "
    "PERFORM set_config('lightbox.counted_in', CAST(pg_current_xact_id() AS text), true); "
    "INSERT INTO lightbox_changes AS c (backend, changes) VALUES (pg_backend_pid(), 1) "
    "ON CONFLICT (backend) DO UPDATE SET changes = c.changes + 1; "
    "END IF; RETURN NULL; END $$";
constexpr std::string_view kNotifiedTables[] = {"photos", "files", "auto_tags", "user_tags", "tag_rejections",
                                               "regions", "persons", "face_persons", "roots"};
// Tables queries read that clients are not told of: counted, and their notifications do no harm (the
// same transactions write the tables above). Thumbnails on insert and delete only: the last-use marks
// that showing a thumbnail writes (UPDATE) must not throw away the last query's matches.
constexpr std::string_view kCountedTriggers[] = {
    "CREATE OR REPLACE TRIGGER failures_notify AFTER INSERT OR UPDATE OR DELETE ON failures FOR EACH STATEMENT EXECUTE FUNCTION lightbox_notify_change()",
    "CREATE OR REPLACE TRIGGER thumbnails_notify AFTER INSERT OR DELETE ON thumbnails FOR EACH STATEMENT EXECUTE FUNCTION lightbox_notify_change()",
};

// The first version a PostgreSQL library was created at, and the steps from each version to the next
// (index 0: 10 to 11). Appended, never edited once released, as SQLite's migrations.
constexpr int kFirstPostgresVersion = 10;
constexpr std::string_view kPostgresMigrations[] = {
    // 11: the tag-name indexes carry the photo's hash: a tag: query reads the index only, not one table
    // page per tagged photo (bench/README.md, "The catalog on PostgreSQL").
    "DROP INDEX auto_tags_name; CREATE INDEX auto_tags_name ON auto_tags(name COLLATE NOCASE) INCLUDE (hash); "
    "DROP INDEX user_tags_name; CREATE INDEX user_tags_name ON user_tags(name COLLATE NOCASE) INCLUDE (hash)",
    // 12: the change counter, made by create_change_counter() after this step (its statements are those
    // a new library runs too).
    "SELECT 1",
};
static_assert(kFirstPostgresVersion + static_cast<int>(std::size(kPostgresMigrations)) == kSchemaVersion,
              "each schema version has its PostgreSQL step");

// Version 12's step, also part of a new library: the counter table, the trigger function that fills it
// (replacing version 10's, which only notified), and the triggers of the tables only counted.
Expected<void> create_change_counter(pg::Connection& conn) {
    LBX_TRY(conn.exec(kChangesTable));
    LBX_TRY(conn.exec(kNotifyFunction));
    for (std::string_view trigger : kCountedTriggers) LBX_TRY(conn.exec(trigger));
    return {};
}

}  // namespace

Expected<int> postgres_schema_version(pg::Connection& conn) {
    auto exists = conn.query_int(
        "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = "
        "'lightbox_schema'");
    if (!exists) return unexpected(exists.error());
    if (*exists == 0) return 0;
    auto version = conn.query_int("SELECT version FROM lightbox_schema");
    if (!version) return unexpected(version.error());
    return static_cast<int>(*version);
}

Expected<int> create_postgres_schema(pg::Connection& conn) {
    auto tx = pg::Transaction::begin(conn);
    if (!tx) return unexpected(tx.error());
    LBX_TRY(conn.query("SELECT pg_advisory_xact_lock($1)", {kSchemaLockKey}));
    auto version = postgres_schema_version(conn);
    if (!version) return unexpected(version.error());
    if (*version > kSchemaVersion) {
        return unexpected(make_error("catalog", "too_new",
                                     "catalog " + conn.description() + " has schema version " +
                                         std::to_string(*version) + ", newer than this engine's " +
                                         std::to_string(kSchemaVersion) + ": use a newer Lightbox"));
    }
    if (*version == kSchemaVersion) return *version;  // the transaction only read: its rollback is its end
    if (*version >= kFirstPostgresVersion) {
        for (int from = *version; from < kSchemaVersion; ++from) {
            LBX_TRY(conn.exec(kPostgresMigrations[from - kFirstPostgresVersion]));
            if (from + 1 == 12) LBX_TRY(create_change_counter(conn));
        }
        LBX_TRY(conn.query("UPDATE lightbox_schema SET version = $1", {int64_t{kSchemaVersion}}));
        LBX_TRY(tx->commit());
        return kSchemaVersion;
    }
    if (*version != 0) {
        return unexpected(make_error("catalog", "bad_version",
                                     "catalog " + conn.description() + " has schema version " +
                                         std::to_string(*version) +
                                         ", which no release of Lightbox created in PostgreSQL"));
    }
    LBX_TRY(conn.exec(kNocaseCollation));
    LBX_TRY(conn.exec(kHammingFunction));
    LBX_TRY(conn.exec(schema_ddl(SqlDialect::postgres)));
    LBX_TRY(create_change_counter(conn));  // also the trigger function of the notified tables
    for (std::string_view table : kNotifiedTables) {
        const std::string name(table);
        LBX_TRY(conn.exec("CREATE TRIGGER " + name + "_notify AFTER INSERT OR UPDATE OR DELETE ON " + name +
                          " FOR EACH STATEMENT EXECUTE FUNCTION lightbox_notify_change()"));
    }
    LBX_TRY(conn.exec("CREATE TABLE lightbox_schema (version INTEGER NOT NULL)"));
    LBX_TRY(conn.query("INSERT INTO lightbox_schema (version) VALUES ($1)", {int64_t{kSchemaVersion}}));
    LBX_TRY(tx->commit());
    return kSchemaVersion;
}

}  // namespace lbx::engine::catalog
