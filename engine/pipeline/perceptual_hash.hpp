// The perceptual hash that finds near-identical photos (bursts, resaved, resized or re-encoded copies):
// 64 bits that change little when the picture changes little, compared by how many bits differ
// (hamming_distance). Made in the first scan phase from the image the decode stage already produced,
// so it costs one pass over a small image, never a second decode.
//
// The method is the DCT hash (pHash): the upright picture in grey, averaged down to 32x32 cells, its
// 2-D DCT, and of the 8x8 lowest frequencies after the constant one (rows and columns 1..8) one bit
// each: whether the coefficient is above their median. Low frequencies survive scaling and JPEG/WebP
// compression; fine detail and noise do not reach them. Aspect ratio is not kept (the cells stretch),
// so a crop is a different picture but a resize to any size is the same one.
#pragma once

#include <lightbox/ipc/similar.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lbx::engine {

// The distance up to which two photos count as near-identical when nobody says otherwise, and the most
// anyone may ask for: defined once for the protocol and the query language (lightbox/ipc/similar.hpp).
inline constexpr int kDefaultSimilarDistance = static_cast<int>(ipc::kDefaultSimilarDistance);
inline constexpr int kMaxSimilarDistance = static_cast<int>(ipc::kMaxSimilarDistance);

// How many bits two perceptual hashes differ in: 0 for the same picture, about 32 for unrelated ones.
inline int hamming_distance(uint64_t a, uint64_t b) { return __builtin_popcountll(a ^ b); }

// The perceptual hash of an RGB8 image (`stride` bytes per row) stored with EXIF `orientation` (1..8,
// others taken as 1): the hash is of the upright picture, so a copy with its rotation baked into the
// pixels hashes the same. nullopt for an empty image.
std::optional<uint64_t> perceptual_hash(const uint8_t* pixels, uint32_t width, uint32_t height, uint32_t stride,
                                        uint32_t orientation);

// The hash as 16 lower-case hex digits (how queries and the protocol write it), and back: 1 to 16 hex
// digits of either case; nullopt for anything else.
std::string perceptual_hash_text(uint64_t hash);
std::optional<uint64_t> parse_perceptual_hash(std::string_view text);

}  // namespace lbx::engine
