// Duplicates and similar photos: groups of the library's live photos that are the same picture.
// - Exact copies: one photo (one content hash) at several live paths; all its paths are listed.
// - Near-identical: photos whose perceptual hashes (pipeline/perceptual_hash.hpp) are at most `distance`
//   bits apart (bursts, resaved, resized or re-encoded copies). Groups are the connected components of
//   "within distance" (single linkage): a burst whose neighbours are each close forms one group.
//
// Finding the pairs is not a comparison of every photo with every other (5 * 10^9 for 100 000 photos):
// the 64 bits are cut in m bands (5 of 12-13 bits for distance 8), and two hashes at most `distance`
// bits apart have at least one band at most distance / m bits apart (pigeonhole). Each band is a bucket
// table of its values; a photo is compared only with the photos in the buckets near its own band values
// (multi-index hashing,
// Norouzi et al., "Fast Search in Hamming Space with Multi-Index Hashing", CVPR 2012).
#pragma once

#include "catalog/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lbx::engine::catalog {

// One photo of a group, with what lets a person choose which to keep.
struct SimilarPhoto {
    std::string hash;                      // content hash (photo id)
    std::vector<std::string> paths;        // its live paths, sorted: several for exact copies
    std::optional<uint64_t> perceptual_hash;
    int distance = 0;                      // bits from the group's first photo (0 without hashes)
    std::string format;
    uint32_t width = 0;
    uint32_t height = 0;
    uint64_t file_size = 0;
    std::string taken_at;
    uint32_t rotation = 0;  // the user's, clockwise quarter turns
};

struct SimilarGroup {
    std::vector<SimilarPhoto> photos;  // largest (pixels, then bytes) first, then by path
};

// Which photos form groups, before their details are read: content hashes, in a group's order.
struct GroupIndex {
    std::vector<std::vector<std::string>> groups;  // sorted by their first photo's first path
};

// Groups the library's live photos (the work of the request: one read of hashes and paths, then the
// bucket search). `distance` is in bits, 0..kMaxSimilarDistance; 0 groups exact copies and photos
// with identical perceptual hashes only.
Expected<GroupIndex> group_similar(Database& db, int distance);

// The details of the groups [offset, offset + limit) of `index` (limit -1: all).
Expected<std::vector<SimilarGroup>> similar_groups_page(Database& db, const GroupIndex& index, int64_t offset, int64_t limit);

// The bare search, for tests and benchmarks: the connected components of "at most `distance` bits apart"
// among `hashes`, as indexes into it; components of one are left out.
std::vector<std::vector<std::size_t>> near_components(const std::vector<uint64_t>& hashes, int distance);

}  // namespace lbx::engine::catalog
