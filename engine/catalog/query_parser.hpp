// The catalog's query language (sdk_docs/query.md): words, `field:value` terms, AND (implicit), OR,
// `-` negation, parentheses and quoted phrases. The parser only builds a tree; query_sql.cpp turns it
// into SQL with bound parameters. Errors carry the 0-based position in the query text.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace lbx::engine::catalog {

enum class Field { word, tag, camera, lens, place, year, date, iso, focal, aperture, has, failed, path, label, group, faces, person, within, near, similar };
enum class Compare { equal, less, less_equal, greater, greater_equal, range };

struct Term {
    Field field = Field::word;
    Compare compare = Compare::equal;
    std::string value;   // equal and comparisons; the low end of a range
    std::string high;    // the high end of a range (`2019-05..2019-08`); `similar:`'s distance, in decimal
    std::size_t position = 0;
    // within: south, west, north, east (degrees; west > east crosses the 180th meridian);
    // near: latitude, longitude, radius in km.
    std::vector<double> numbers;
};

struct QueryNode;
using QueryNodePtr = std::unique_ptr<QueryNode>;

struct QueryNode {
    enum class Kind { term, all_of, any_of, negation } kind = Kind::term;
    Term term;                          // kind term
    std::vector<QueryNodePtr> children;  // all_of, any_of: two or more; negation: one
};

struct QueryError {
    std::size_t position = 0;
    std::string message;  // "unknown field 'cam' (known: tag, camera, ...)"
};

// Bounds on a query (sdk_docs/query.md): terms (words, quoted phrases, field:value) and parentheses
// nested in one another. Past either, parsing fails with a positioned error. The depth is low because
// SQLite's own parser (3.40, a fixed stack of 100 entries) fails with "parser stack overflow" at 7
// levels of the deepest shape our SQL takes, `-(a OR b -(a OR b -(...)))` counted in a subquery:
// catalog_query_test.cpp runs that shape at this limit.
inline constexpr std::size_t kMaxQueryTerms = 256;
inline constexpr std::size_t kMaxQueryDepth = 5;

// `near:LAT,LON` without a radius, and the largest radius: the distance is measured on a flat
// approximation of the sphere around the point (catalog_query.cpp), close enough up to a few hundred km.
inline constexpr double kNearDefaultKm = 5.0;
inline constexpr double kNearMaxKm = 500.0;

// An empty (or all-blank) query parses to nothing: it matches every live photo.
std::variant<std::optional<QueryNodePtr>, QueryError> parse_query(const std::string& text);

// The range of taken_at texts a `year:` or `date:` term stands for: at_least <= taken_at < below, either
// end open. ISO 8601 text compares in date order, and a prefix of a date stands for the whole year,
// month or day it names. SQL (catalog_query.cpp) and the in-memory evaluation (indexed_query.cpp) share it.
struct TakenRange {
    std::optional<std::string> at_least, below;
};
TakenRange taken_range(const Term& term);

// "query error at position 7: expected ')'\n  tag:a (b\n         ^"
std::string describe(const QueryError& error, const std::string& text);

}  // namespace lbx::engine::catalog
