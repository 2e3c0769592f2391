// The catalog's statements are written once, in the SQL SQLite takes; a PostgreSQL library runs them
// rewritten by postgres_sql(). The rewrite is mechanical and small, and each rule is one SQLite idiom
// with its PostgreSQL equivalent (sql_dialect_test.cpp has one case per rule):
//
//   ?1, ?2 / ?                     $1, $2 / $n (a bare ? is one more than the largest number so far,
//                                  as SQLite numbers it)
//   INSERT OR REPLACE INTO t(c...) INSERT INTO t(c...) ... ON CONFLICT (t's key) DO UPDATE SET c = EXCLUDED.c
//                                  for each listed column outside the key (the key: schema_definition)
//   INSERT OR IGNORE INTO t        INSERT INTO t ... ON CONFLICT DO NOTHING
//   x LIKE y                       x ILIKE y (SQLite's LIKE ignores case; PostgreSQL's ILIKE does, for
//                                  all of Unicode, not only ASCII)
//   json_each(a)                   json_array_elements_text(CAST(a AS json)) (its column is `value` too)
//   min(a, b) / max(a, b)          LEAST(a, b) / GREATEST(a, b) (the scalar forms; min(a) stays)
//   CAST(e AS INTEGER)             CAST(trunc(e) AS BIGINT) (SQLite truncates, PostgreSQL would round)
//   instr(a, b)                    strpos(a, b)
//   t INDEXED BY i                 t (SQLite's index hint; PostgreSQL's planner has none)
//
// String literals and quoted names are never rewritten. Everything else both databases take as it is
// (COLLATE NOCASE names a collation that postgres_schema.cpp creates). Values are never part of the
// text: they stay bound parameters.
#pragma once

#include <string>
#include <string_view>

namespace lbx::engine::catalog {

std::string postgres_sql(std::string_view sqlite_sql);

}  // namespace lbx::engine::catalog
