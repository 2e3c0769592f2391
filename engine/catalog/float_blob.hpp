// Float vectors (keypoints, embeddings, persons' centroids) as SQLite BLOBs: little-endian float32, as
// x86 and ARM hold them, so a catalog moves between those machines unchanged.
#pragma once

#include "catalog/database.hpp"

#include <cstring>
#include <vector>

namespace lbx::engine::catalog {

// NULL for an empty vector (no keypoints, no embedding).
inline SqlValue float_blob(const std::vector<float>& v) {
    if (v.empty()) return SqlValue{};
    SqlBlob blob;
    blob.bytes.resize(v.size() * sizeof(float));
    std::memcpy(blob.bytes.data(), v.data(), blob.bytes.size());
    return SqlValue{std::move(blob)};
}

// A NULL or empty BLOB gives an empty vector; trailing bytes short of a float are ignored.
inline std::vector<float> floats_of(const std::vector<uint8_t>& bytes) {
    std::vector<float> v(bytes.size() / sizeof(float));
    if (v.empty()) return v;  // memcpy from a null data() is undefined even for 0 bytes
    std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
    return v;
}

}  // namespace lbx::engine::catalog
