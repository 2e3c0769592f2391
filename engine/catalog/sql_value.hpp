// A value bound to a catalog statement's parameter, whichever database runs it (sqlite_db.hpp,
// postgres_db.hpp): the catalog builds no SQL from values.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace lbx::engine::catalog {

// Bytes stored as a BLOB (SQLite) or BYTEA (PostgreSQL): float vectors, keypoints, embeddings.
struct SqlBlob {
    std::vector<uint8_t> bytes;
};

using SqlValue = std::variant<std::monostate, int64_t, double, std::string, SqlBlob>;

}  // namespace lbx::engine::catalog
