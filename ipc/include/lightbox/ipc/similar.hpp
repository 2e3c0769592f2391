// Duplicates and similar photos (protocol 7): groups of photos that show the same picture, by content
// (exact copies: one photo at several paths) or by perceptual hash (near-identical: resized, resaved,
// re-encoded copies, bursts). FindSimilar lists them; the user then removes what to drop with
// RemovePhotos, or moves the files to the desktop's trash (the shell's job, never the engine's).
#pragma once

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace lbx::ipc {

// Bits two perceptual hashes may differ in for their photos to count as near-identical: the default
// (measured, bench/README.md "Similar photos") and the most a request may ask for (past it, unrelated
// photos begin to match). Defined here once; the engine's query language uses the same.
inline constexpr uint32_t kDefaultSimilarDistance = 8;
inline constexpr uint32_t kMaxSimilarDistance = 20;
// The most groups one FindSimilar answers (a group may hold many photos).
inline constexpr uint32_t kMaxSimilarPage = 1'000;

struct SimilarPhoto {
    std::string photo_id;
    std::vector<std::string> paths;  // its live paths, sorted: more than one for exact copies
    std::string perceptual_hash;     // 16 hex digits; empty when not known (scanned by an engine before it)
    uint32_t distance = 0;           // bits from the group's first photo
    std::string format;
    uint32_t width = 0;
    uint32_t height = 0;
    uint64_t file_size = 0;
    std::string taken_at;  // ISO 8601, empty when unknown
    uint32_t rotation = 0; // protocol 9: the user's, clockwise quarter turns (PhotoInfo::rotation)

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id, paths, perceptual_hash, distance, format, width, height, file_size, taken_at, rotation); }
    friend bool operator==(const SimilarPhoto&, const SimilarPhoto&) = default;
};

struct SimilarGroup {
    std::vector<SimilarPhoto> photos;  // the one most worth keeping first: most pixels, then most bytes

    template <class Archive>
    void serialize(Archive& ar) { ar(photos); }
    friend bool operator==(const SimilarGroup&, const SimilarGroup&) = default;
};

}  // namespace lbx::ipc
