// Queries over the catalog: a parsed query (query_parser.hpp) becomes one SQL WHERE clause with bound
// parameters only; results are photos (one row per content hash, with one of its live paths), sorted
// and paged; facets count tags, cameras, years and places over the same matches.
#pragma once

#include "catalog/catalog.hpp"
#include "catalog/facet_index.hpp"
#include "catalog/match_list.hpp"
#include "catalog/query_parser.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace lbx::engine::catalog {

struct QueryOptions {
    SortOrder sort = SortOrder::taken;
    bool descending = false;
    int64_t offset = 0;
    int64_t limit = -1;  // -1: all
};

struct PhotoRow {
    std::string hash;  // empty for a failed file (failed: queries)
    std::string path;
    std::string format;
    uint32_t width = 0;
    uint32_t height = 0;
    std::string taken_at;
    std::string camera;  // "make model"
    std::string status;  // "ok" or "failed"
    std::string matched;  // where the query's plain words matched: "camera: Apple iPhone 8; path: /p/a.jpg" (word_matches.hpp)
    int rotation = 0;     // the user's, clockwise quarter turns (Catalog::set_rotation)
};

// Errors: a query error (status bad_request; code "bad_query", the message from describe()) or SQLite's.
Expected<std::vector<PhotoRow>> run_query(Catalog& catalog, const std::string& query, const QueryOptions& options = {});
Expected<int64_t> count_query(Catalog& catalog, const std::string& query);
Expected<Facets> facets_of(Catalog& catalog, const std::string& query, int64_t per_facet = 50);

// Whether run_query and count_query would answer `query` now from the facet index in memory
// (indexed_query.hpp) rather than SQL: for tests and benchmarks, which must know which path they time.
Expected<bool> answered_from_index(Catalog& catalog, const std::string& query);

// The WHERE clause of a query over `files f LEFT JOIN photos p`, its values as bound parameters in
// order: for other statements over the same matches (map_clusters.cpp). Errors: as run_query's.
struct QueryCondition {
    std::string sql;
    std::vector<SqlValue> params;
};
Expected<QueryCondition> query_condition(const std::string& query);

// Builds the facet index and reads the catalog's pages into the cache (~0.3 s for 100 000 photos), so
// the first Query and Facets after a library opens answer as fast as the ones after. The service calls
// it when it opens a catalog, before it answers anything.
Expected<void> warm_up(Catalog& catalog);

}  // namespace lbx::engine::catalog
