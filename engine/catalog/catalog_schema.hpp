// The catalog's schema, versioned with PRAGMA user_version. Each migration takes the schema from version
// N-1 to N inside one transaction; migrations are appended, never edited once released, so a catalog
// of any earlier version is brought up to date in order.
#pragma once

#include "catalog/sqlite_db.hpp"

namespace lbx::engine::catalog {

inline constexpr int kSchemaVersion = 1;

// Brings `db` to kSchemaVersion. A catalog newer than this engine is refused, never touched.
Expected<int> migrate(Database& db);

}  // namespace lbx::engine::catalog
