// Queries answered from the catalog's in-memory copy (FacetIndex) instead of SQL: the empty query and
// those made only of tag:, label:, group:, year: and date: terms, with AND, OR and negation. Over a
// million photos in PostgreSQL the SQL pays an index probe per match to find each photo's live files
// (bench/README.md, "The catalog on PostgreSQL"); here matching is a pass over small integers. The
// matches and their order are the SQL's: catalog_query_test.cpp compares both on each backend.
#pragma once

#include "catalog/facet_index.hpp"
#include "catalog/match_list.hpp"
#include "catalog/query_parser.hpp"

#include <cstdint>
#include <vector>

namespace lbx::engine::catalog {

// Whether `root` (nullptr: the empty query) can be answered in memory: every term is one of those above,
// and every name it compares is ASCII (the SQL compares names with NOCASE, which folds ASCII letters
// only in SQLite and every script in PostgreSQL: ASCII names match the same tags in both).
bool indexable(const QueryNode* root);

// The live photos (FacetIndex indexes, ascending) that `root` matches. `index` must be current.
std::vector<uint32_t> indexed_matches(const FacetIndex& index, const QueryNode* root);

// Puts `photos` in the SQL's order: by the sort key (a photo without one last, either direction), then
// by first path; bytewise, as SQLite compares text.
void order_matches(const FacetIndex& index, std::vector<uint32_t>& photos, SortOrder sort, bool descending);

}  // namespace lbx::engine::catalog
