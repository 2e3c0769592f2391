// The catalog's schema in a PostgreSQL database: the tables, keys, constraints and indexes of
// schema_definition.hpp at kSchemaVersion, and the version itself (in the table lightbox_schema, where
// SQLite keeps it in PRAGMA user_version).
//
// A new PostgreSQL library starts at the current version. The first PostgreSQL libraries were made at
// version 10; each later version has its PostgreSQL step here (postgres_schema.cpp) beside SQLite's
// migration (catalog_schema.cpp), so a library of version 10 or later is brought up to date in order.
#pragma once

#include "catalog/postgres_db.hpp"

namespace lbx::engine::catalog {

// Creates the schema in `conn`'s database when it has none, in one transaction; engines that start at
// once on an empty database wait for each other (an advisory lock), and all but the first find it made.
// A database at this version is left as it is; one of an earlier version (10 or later) is migrated in
// the same transaction; one of a newer version is refused, never touched.
// Returns the version.
Expected<int> create_postgres_schema(pg::Connection& conn);

// The schema version of `conn`'s database: 0 when it has no catalog.
Expected<int> postgres_schema_version(pg::Connection& conn);

}  // namespace lbx::engine::catalog
