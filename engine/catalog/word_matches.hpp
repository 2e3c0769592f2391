// Where a query's plain words matched each photo of a page: "camera: Apple iPhone 8", "place: Paris".
// A plain word searches several fields at once (sdk_docs/query.md); this says which, so the user sees
// why a photo is there and learns the field term (`camera:iphone`) that names it.
#pragma once

#include "catalog/query_parser.hpp"
#include "catalog/database.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace lbx::engine::catalog {

// The plain words and phrases of a parsed query that a photo must or may have (not those under a `-`),
// in query order, each once.
std::vector<std::string> plain_words(const QueryNode& root);

// For each of `hashes` that a word matches: "field: value" for every field it matched, in the order
// tag, label, group, person, camera, lens, place, path, joined by "; ". Fields are the query language's
// names. Photos no word matches are left out.
Expected<std::unordered_map<std::string, std::string>> describe_word_matches(Database& db, const std::vector<std::string>& words,
                                                                           const std::vector<std::string>& hashes);

}  // namespace lbx::engine::catalog
