// The thin SQLite layer's kept statements and read snapshots, on a real catalog file.
#include "catalog/sqlite_db.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

using namespace lbx::engine::catalog;

namespace {

std::unique_ptr<Database> open_db(const std::filesystem::path& file) {
    auto db = SqliteDatabase::open(file);
    REQUIRE(db);
    return std::move(*db);
}

std::vector<std::string> names_above(Database& db, int64_t id) {
    auto cached = db.cached("SELECT name FROM t WHERE id > ?1 ORDER BY id");
    REQUIRE(cached);
    Statement& stmt = **cached;
    stmt.bind({id});
    std::vector<std::string> out;
    for (;;) {
        auto row = stmt.step();
        REQUIRE(row);
        if (!*row) return out;
        out.push_back(stmt.column_text(0));
    }
}

}  // namespace

TEST_CASE("a kept statement is prepared once and runs again with new parameters, even left mid-rows", "[catalog]") {
    lbx::test::TempDir dir;
    auto db = open_db(dir / "t.db");
    REQUIRE(db->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')"));
    CHECK(names_above(*db, 0) == std::vector<std::string>{"a", "b", "c"});
    {
        auto cached = db->cached("SELECT name FROM t WHERE id > ?1 ORDER BY id");
        REQUIRE(cached);
        (**cached).bind({int64_t{0}});
        auto row = (**cached).step();  // one row of three, then left: reset when the use ends
        REQUIRE(row);
        CHECK(*row);
    }
    CHECK(names_above(*db, 1) == std::vector<std::string>{"b", "c"});
    // A bad statement is an error value, and is not kept.
    CHECK_FALSE(db->cached("SELECT nothing FROM nowhere"));
    CHECK_FALSE(db->cached("SELECT nothing FROM nowhere"));
}

TEST_CASE("a read snapshot sees the file as it was when it began while another connection writes", "[catalog]") {
    lbx::test::TempDir dir;
    auto reader = open_db(dir / "t.db");
    REQUIRE(reader->exec("PRAGMA journal_mode = WAL"));  // as the catalog opens it
    REQUIRE(reader->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'a')"));
    auto writer = open_db(dir / "t.db");
    {
        auto snapshot = ReadSnapshot::begin(*reader);
        REQUIRE(snapshot);
        CHECK(names_above(*reader, 0) == std::vector<std::string>{"a"});
        REQUIRE(writer->exec("INSERT INTO t VALUES (2, 'b')"));  // WAL: the writer is not held up
        CHECK(names_above(*reader, 0) == std::vector<std::string>{"a"});
    }
    CHECK(names_above(*reader, 0) == std::vector<std::string>{"a", "b"});
}
