// The rewrite of the catalog's SQLite statements for PostgreSQL (catalog/sql_dialect.hpp): one case per
// rule, and what is never rewritten (literals, quoted names). The statements themselves run on a real
// server in the catalog-pg/ tests.
#include "catalog/sql_dialect.hpp"

#include <catch2/catch.hpp>

using lbx::engine::catalog::postgres_sql;

TEST_CASE("parameters are numbered as SQLite numbers them", "[catalog]") {
    CHECK(postgres_sql("SELECT 1 WHERE a = ?1 AND b = ?2 OR c = ?1") == "SELECT 1 WHERE a = $1 AND b = $2 OR c = $1");
    CHECK(postgres_sql("SELECT ? , ?, ?") == "SELECT $1 , $2, $3");
    CHECK(postgres_sql("SELECT ?3, ?") == "SELECT $3, $4");  // a bare ? follows the largest so far
}

TEST_CASE("INSERT OR REPLACE and OR IGNORE become upserts on the table's key", "[catalog]") {
    CHECK(postgres_sql("INSERT OR REPLACE INTO metadata(hash, key, value, printed) VALUES (?1, ?2, ?3, ?4)") ==
          "INSERT INTO metadata(hash, key, value, printed) VALUES ($1, $2, $3, $4) ON CONFLICT (hash, key) DO UPDATE "
          "SET value = EXCLUDED.value, printed = EXCLUDED.printed");
    CHECK(postgres_sql("INSERT OR IGNORE INTO roots(path, added_at) VALUES (?1, ?2)") ==
          "INSERT INTO roots(path, added_at) VALUES ($1, $2) ON CONFLICT DO NOTHING");
    // A statement of several: each gets its own clause, before its ';'.
    CHECK(postgres_sql("INSERT OR IGNORE INTO roots(path) VALUES ('a'); SELECT 1") ==
          "INSERT INTO roots(path) VALUES ('a') ON CONFLICT DO NOTHING; SELECT 1");
    // Every listed column in the key: nothing to update.
    CHECK(postgres_sql("INSERT OR REPLACE INTO roots(path) VALUES (?1)") ==
          "INSERT INTO roots(path) VALUES ($1) ON CONFLICT (path) DO NOTHING");
}

TEST_CASE("functions and idioms of SQLite get PostgreSQL's", "[catalog]") {
    CHECK(postgres_sql("WHERE name LIKE ?2 ESCAPE '\\'") == "WHERE name ILIKE $2 ESCAPE '\\'");
    CHECK(postgres_sql("WHERE hash IN (SELECT value FROM json_each(?1))") ==
          "WHERE hash IN (SELECT value FROM json_array_elements_text(CAST($1 AS json)))");
    CHECK(postgres_sql("SELECT min(abs(x - ?), 360 - abs(x)), min(y), max(a, max(b, c))") ==
          "SELECT LEAST(abs(x - $1), 360 - abs(x)), min(y), GREATEST(a, GREATEST(b, c))");
    CHECK(postgres_sql("GROUP BY CAST((lat + 90) / ? AS INTEGER)") == "GROUP BY CAST(trunc((lat + 90) / $1 ) AS BIGINT)");
    CHECK(postgres_sql("SELECT CAST(x AS TEXT)") == "SELECT CAST(x AS TEXT)");
    CHECK(postgres_sql("SELECT instr(a || ' ', ' ')") == "SELECT strpos(a || ' ', ' ')");
    CHECK(postgres_sql("FROM regions r INDEXED BY regions_ungrouped WHERE r.kind = 'face'") ==
          "FROM regions r  WHERE r.kind = 'face'");
}

TEST_CASE("literals and quoted names are never rewritten", "[catalog]") {
    CHECK(postgres_sql("SELECT 'a ? LIKE min(a, b)', \"LIKE\" FROM t WHERE x = ?") ==
          "SELECT 'a ? LIKE min(a, b)', \"LIKE\" FROM t WHERE x = $1");
    CHECK(postgres_sql("SELECT 'it''s ?1' || ?1") == "SELECT 'it''s ?1' || $1");
}
