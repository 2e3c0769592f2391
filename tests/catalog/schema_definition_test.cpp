// The schema definition (catalog/schema_definition.hpp) against what SQLite's migrations 1..11 really
// build: a catalog migrated from empty and one created from the definition's SQLite DDL have the same
// tables (and WITHOUT ROWID choice), columns (type, NOT NULL, default, key), indexes (keys, collation,
// uniqueness, partial conditions), foreign keys and CHECK constraints. So the definition, which is
// also what PostgreSQL gets, is the SQLite catalog's schema, and a migration that changes the schema
// without changing the definition fails here.
#include "catalog/schema_definition.hpp"
#include "catalog/catalog_schema.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace lbx::engine::catalog;

namespace {

// Every row of `sql` as one line, its `n` columns separated by '|' (NULL as "NULL").
std::vector<std::string> rows_of(Database& db, const std::string& sql, int n = 1) {
    auto stmt = db.prepare(sql);
    REQUIRE(stmt);
    std::vector<std::string> out;
    while (stmt->step().value()) {
        std::string line;
        for (int i = 0; i < n; ++i)
            line += (stmt->column_is_null(i) ? std::string("NULL") : stmt->column_text(i)) + "|";
        out.push_back(line);
    }
    return out;
}

// The schema as SQLite describes it, one line per fact, in a stable order. The tables' CREATE text is
// left out (the definition writes every key as a table constraint, the migrations some on the column:
// the same key); index texts are compared whole, since they carry the partial conditions.
std::vector<std::string> describe(Database& db) {
    std::vector<std::string> facts;
    auto add = [&](const std::string& prefix, const std::vector<std::string>& rows) {
        for (const auto& r : rows) facts.push_back(prefix + r);
    };
    const auto tables =
        rows_of(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    for (auto table : tables) {
        table.pop_back();  // the '|'
        add("table " + table + ": ",
            rows_of(db, "SELECT type, ncol, wr, strict FROM pragma_table_list('" + table + "')", 4));
        add(table + " column: ",
            rows_of(
                db,
                "SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo('" + table + "')",
                7));
        add(table + " foreign key: ", rows_of(db,
                                              "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete, "
                                              "match FROM pragma_foreign_key_list('" +
                                                  table + "')",
                                              8));
        const auto indexes = rows_of(db, "SELECT name FROM pragma_index_list('" + table + "') ORDER BY name");
        add(table + " index: ",
            rows_of(db,
                    "SELECT name, \"unique\", origin, partial FROM pragma_index_list('" + table + "') ORDER BY name",
                    4));
        for (auto index : indexes) {
            index.pop_back();
            add(index + " key: ",
                rows_of(db, "SELECT seqno, cid, name, \"desc\", coll, key FROM pragma_index_xinfo('" + index + "')",
                        6));
        }
    }
    add("index sql: ",
        rows_of(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name", 2));
    return facts;
}

}  // namespace

TEST_CASE("the schema definition describes exactly what SQLite's migrations build", "[catalog]") {
    lbx::test::TempDir dir;
    auto migrated = SqliteDatabase::open(dir / "migrated.db");
    REQUIRE(migrated);
    REQUIRE(migrate(**migrated).value() == kSchemaVersion);
    auto defined = SqliteDatabase::open(dir / "defined.db");
    REQUIRE(defined);
    REQUIRE((*defined)->exec(schema_ddl(SqlDialect::sqlite)));

    const auto from_migrations = describe(**migrated);
    const auto from_definition = describe(**defined);
    CHECK(from_migrations.size() > 150);  // the comparison saw the schema, not two empty lists
    for (std::size_t i = 0; i < std::max(from_migrations.size(), from_definition.size()); ++i) {
        INFO("fact " << i);
        CHECK((i < from_migrations.size() ? from_migrations[i] : "(none)") ==
              (i < from_definition.size() ? from_definition[i] : "(none)"));
    }
    CHECK(schema_tables().size() ==
          static_cast<std::size_t>(
              (*migrated)
                  ->query_int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                  .value()));

    // CHECK constraints have no pragma: both refuse a status outside ('ok', 'failed', 'missing').
    for (Database* db : {migrated->get(), defined->get()}) {
        auto insert = db->prepare(
            "INSERT INTO files(path, hash, size, mtime_ns, status, seen_at) VALUES ('/a', 'h', 1, 1, ?, 1)");
        REQUIRE(insert);
        CHECK(insert->run({std::string("ok")}));
        CHECK_FALSE(insert->run({std::string("gone")}));
    }
}

TEST_CASE("the PostgreSQL rendering of the schema differs only in the dialect's names", "[catalog]") {
    const std::string sqlite = schema_ddl(SqlDialect::sqlite);
    const std::string postgres = schema_ddl(SqlDialect::postgres);
    CHECK(sqlite.find("WITHOUT ROWID") != std::string::npos);
    CHECK(postgres.find("WITHOUT ROWID") == std::string::npos);
    CHECK(postgres.find("BLOB") == std::string::npos);
    CHECK(postgres.find(" REAL") == std::string::npos);
    CHECK(postgres.find("INTEGER") == std::string::npos);
    CHECK(postgres.find("id BIGINT GENERATED BY DEFAULT AS IDENTITY") != std::string::npos);
    // Keys, defaults, checks, references and partial conditions are written once, shared as they are.
    for (const char* shared :
         {"CHECK (status IN ('ok', 'failed', 'missing'))", "REFERENCES persons(id) ON DELETE CASCADE",
          "WHERE kind = 'face' AND grouped = 0", "name COLLATE NOCASE", "PRIMARY KEY (hash, source, idx)"}) {
        INFO(shared);
        CHECK(sqlite.find(shared) != std::string::npos);
        CHECK(postgres.find(shared) != std::string::npos);
    }
}
