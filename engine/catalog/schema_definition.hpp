// The catalog's schema at kSchemaVersion, written once as data (tables, columns, keys, indexes) and
// rendered as DDL for each database the catalog can live in: SQLite (the embedded default) and PostgreSQL
// (a library shared by several engines; sdk_docs/postgres.md).
//
// What differs between the two dialects is only what is named here: column types (INTEGER is 64-bit
// in SQLite, BIGINT in PostgreSQL; BLOB/BYTEA; REAL/DOUBLE PRECISION), the generated integer key (SQLite's
// rowid alias, a PostgreSQL identity column), and WITHOUT ROWID (SQLite's storage choice; PostgreSQL has
// no rowid). Constraints, defaults, index keys and partial-index conditions are SQL that both accept,
// written once. `COLLATE NOCASE` is SQLite's built-in collation; in PostgreSQL it names the collation of
// that name that postgres_schema.cpp creates (ICU, case-insensitive, nondeterministic), so a key or an
// index declared NOCASE compares without case in both.
//
// SQLite catalogs are still created and upgraded by the versioned migrations in catalog_schema.cpp,
// which are released and never edited; tests/catalog/schema_definition_test.cpp checks that this
// definition describes exactly what those migrations produce, so the two cannot drift apart. A new schema
// version changes both: a migration appended there and the definition here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lbx::engine::catalog {

enum class SqlDialect { sqlite, postgres };

enum class ColumnType {
    text,
    integer,  // 64-bit signed
    real,     // double precision
    blob,     // bytes
    row_id,   // the table's generated integer key (an id a new row gets when it gives none)
};

struct ColumnDefinition {
    std::string_view name;
    ColumnType type;
    std::string_view constraints;  // SQL both dialects accept: "NOT NULL DEFAULT 0", "REFERENCES ..."
};

struct TableDefinition {
    std::string_view name;
    std::vector<ColumnDefinition> columns;  // in the order the migrations left them (added columns last)
    std::string_view primary_key;           // "hash, key"
    bool without_rowid = false;             // SQLite only
};

struct IndexDefinition {
    std::string_view name;
    std::string_view table;
    std::string_view keys;   // "name COLLATE NOCASE", "hash, status, path"
    std::string_view where;  // a partial index's condition, or empty
    // Columns PostgreSQL's index carries beside its keys (INCLUDE), so that a lookup by the keys reads
    // no table rows (an index-only scan). SQLite needs none: an index of a WITHOUT ROWID table carries
    // the table's primary key already.
    std::string_view postgres_include = {};
};

const std::vector<TableDefinition>& schema_tables();
const std::vector<IndexDefinition>& schema_indexes();

// The type a column has in `dialect`'s DDL.
std::string_view column_type_name(ColumnType type, SqlDialect dialect);
// CREATE TABLE and CREATE INDEX statements for the whole schema, ';'-separated, tables first.
std::string schema_ddl(SqlDialect dialect);

}  // namespace lbx::engine::catalog
