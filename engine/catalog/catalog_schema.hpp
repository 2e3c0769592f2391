// The catalog's schema, versioned with PRAGMA user_version. Each migration takes the schema from version
// N-1 to N inside one transaction; migrations are appended, never edited once released, so a catalog
// of any earlier version is brought up to date in order.
#pragma once

#include "catalog/sqlite_db.hpp"

namespace lbx::engine::catalog {

inline constexpr int kSchemaVersion = 12;

// Brings `db` to kSchemaVersion. A catalog newer than this engine is refused, never touched.
Expected<int> migrate(Database& db);

// Brings `db` up to `target` only (0..kSchemaVersion), never down: tests use it to build a catalog as an
// older engine left it. Returns the version the file has afterwards.
Expected<int> migrate_to(Database& db, int target);

}  // namespace lbx::engine::catalog
