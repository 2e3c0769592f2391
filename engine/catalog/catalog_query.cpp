#include "catalog/catalog_query.hpp"

#include "catalog/indexed_query.hpp"
#include "catalog/text_match.hpp"
#include "catalog/word_matches.hpp"
#include "pipeline/perceptual_hash.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <unordered_map>

namespace lbx::engine::catalog {
namespace {

// The WHERE clause of a query over `files f LEFT JOIN photos p`, with its parameters in order.
struct SqlCondition {
    std::string sql;
    std::vector<SqlValue> params;
    bool mentions_failed = false;
};

// Appends parameters one by one (an initializer list of variants trips GCC 12's maybe-uninitialized).
template <class... Values>
void add(std::vector<SqlValue>& params, Values&&... values) {
    (params.emplace_back(std::forward<Values>(values)), ...);
}

// A membership test rather than a correlated EXISTS: SQLite reads the tag's photos once from the NOCASE
// name indexes and, for a plain tag query, drives the whole query from them instead of visiting every file.
constexpr const char* kAnyTag =
    "f.hash IN (SELECT hash FROM auto_tags WHERE name = ? COLLATE NOCASE UNION ALL "
    "SELECT hash FROM user_tags WHERE name = ? COLLATE NOCASE)";
// Text fields compared by containment (LIKE, escaped by contains_pattern), each with one parameter.
const std::string kCameraLike = std::string(kCameraText) + " LIKE ? ESCAPE '\\'";
constexpr const char* kLensLike = "p.lens LIKE ? ESCAPE '\\'";
const std::string kPlaceLike = std::string("EXISTS (SELECT 1 FROM auto_tags t WHERE t.hash = f.hash AND t.category IN ") +
                               kPlaceCategories + " AND t.name LIKE ? ESCAPE '\\')";
constexpr const char* kPathLike = "f.path LIKE ? ESCAPE '\\'";
// The photos of the persons of a name (several persons may share one), by the persons_name index.
constexpr const char* kPersonNamed =
    "f.hash IN (SELECT a.hash FROM persons n JOIN face_persons a ON a.person_id = n.id WHERE n.name = ? COLLATE NOCASE)";

// `person:#12`: the person of that id (unnamed ones too: what a people view lists); nullopt for a name.
std::optional<int64_t> person_id_of(const std::string& value) {
    if (value.size() < 2 || value.front() != '#' || value.size() > 19) return std::nullopt;
    if (!std::all_of(value.begin() + 1, value.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    return std::strtoll(value.c_str() + 1, nullptr, 10);
}

// Kilometres per degree of latitude (and of longitude at the equator), on a sphere of the Earth's mean radius.
constexpr double kKmPerDegree = 6371.0088 * 3.14159265358979323846 / 180.0;

// `within:S,W,N,E`: a box; a west edge east of the east edge crosses the 180th meridian.
void within_sql(const Term& t, SqlCondition& out) {
    const double south = t.numbers[0], west = t.numbers[1], north = t.numbers[2], east = t.numbers[3];
    out.sql += std::string("(p.gps_lat BETWEEN ? AND ? AND ") +
               (west <= east ? "p.gps_lon BETWEEN ? AND ?)" : "(p.gps_lon >= ? OR p.gps_lon <= ?))");
    add(out.params, south, north, west, east);
}

// `near:LAT,LON,KM`: the distance on the flat map around the point (longitude degrees shrunk by the
// cosine of its latitude), the longitude difference taken the short way round the 180th meridian. Only
// SQLite's core arithmetic: the math functions are a compile-time option of the library.
void near_sql(const Term& t, SqlCondition& out) {
    const double lat = t.numbers[0], lon = t.numbers[1], km = t.numbers[2];
    const double degrees = km / kKmPerDegree;
    const double shrink = std::cos(lat * 3.14159265358979323846 / 180.0);
    const std::string dlon = "(min(abs(p.gps_lon - ?), 360 - abs(p.gps_lon - ?)) * ?)";
    out.sql += "(p.gps_lat BETWEEN ? AND ? AND (p.gps_lat - ?) * (p.gps_lat - ?) + " + dlon + " * " + dlon + " <= ?)";
    add(out.params, lat - degrees, lat + degrees, lat, lat, lon, lon, shrink, lon, lon, shrink, degrees * degrees);
}

const char* column_of(Field field) {
    switch (field) {
        case Field::iso: return "p.iso";
        case Field::focal: return "p.focal_length";
        case Field::aperture: return "p.f_number";
        default: return nullptr;
    }
}

const char* operator_of(Compare c) {
    switch (c) {
        case Compare::less: return "<";
        case Compare::less_equal: return "<=";
        case Compare::greater: return ">";
        case Compare::greater_equal: return ">=";
        default: return "=";
    }
}

void term_sql(const Term& t, SqlCondition& out) {
    auto& p = out.params;
    switch (t.field) {
        case Field::word: {
            // A word: a tag, label or group (auto or user tag, the whole name), a person's name, or part of
            // the camera, the lens, a place or the path. word_matches.cpp says which, with the same tests.
            const std::string like = contains_pattern(t.value);
            out.sql += std::string("(") + kAnyTag + " OR " + kPersonNamed + " OR " + kCameraLike + " OR " + kLensLike + " OR " +
                       kPlaceLike + " OR " + kPathLike + ")";
            add(p, t.value, t.value, t.value, like, like, like, like);
            return;
        }
        case Field::tag:
            out.sql += kAnyTag;
            add(p, t.value, t.value);
            return;
        case Field::camera:
            out.sql += kCameraLike;
            add(p, contains_pattern(t.value));
            return;
        case Field::lens:
            out.sql += kLensLike;
            add(p, contains_pattern(t.value));
            return;
        case Field::place:
            out.sql += kPlaceLike;
            add(p, contains_pattern(t.value));
            return;
        case Field::path:
            out.sql += kPathLike;
            add(p, contains_pattern(t.value));
            return;
        case Field::year:
        case Field::date: {
            const TakenRange range = taken_range(t);
            if (range.at_least && range.below) out.sql += "(p.taken_at >= ? AND p.taken_at < ?)";
            else out.sql += range.at_least ? "p.taken_at >= ?" : "p.taken_at < ?";
            if (range.at_least) add(p, *range.at_least);
            if (range.below) add(p, *range.below);
            return;
        }
        case Field::iso:
        case Field::focal:
        case Field::aperture: {
            const std::string column = column_of(t.field);
            if (t.compare == Compare::range) {
                out.sql += column + " BETWEEN ? AND ?";
                add(p, std::strtod(t.value.c_str(), nullptr), std::strtod(t.high.c_str(), nullptr));
            } else {
                out.sql += column + " " + operator_of(t.compare) + " ?";
                add(p, std::strtod(t.value.c_str(), nullptr));
            }
            return;
        }
        case Field::label:
        case Field::group:
            // Labels and groups are auto tags of their own categories (the objects stage makes them).
            out.sql += "f.hash IN (SELECT hash FROM auto_tags WHERE category = ? AND name = ? COLLATE NOCASE)";
            add(p, t.field == Field::label ? "label" : "group", t.value);
            return;
        case Field::faces: {
            // A count of face regions; `faces:0` and `faces:<2` include photos without any.
            const std::string count = "(SELECT count(*) FROM regions r WHERE r.hash = f.hash AND r.kind = 'face')";
            if (t.compare == Compare::range) {
                out.sql += count + " BETWEEN ? AND ?";
                add(p, std::strtod(t.value.c_str(), nullptr), std::strtod(t.high.c_str(), nullptr));
            } else {
                out.sql += count + " " + operator_of(t.compare) + " ?";
                add(p, std::strtod(t.value.c_str(), nullptr));
            }
            return;
        }
        case Field::person:
            if (const auto id = person_id_of(t.value)) {
                out.sql += "f.hash IN (SELECT hash FROM face_persons WHERE person_id = ?)";
                add(p, *id);
            } else {
                out.sql += kPersonNamed;
                add(p, t.value);
            }
            return;
        case Field::within: within_sql(t, out); return;
        case Field::near: near_sql(t, out); return;
        case Field::has:
            if (t.value == "faces") out.sql += "f.hash IN (SELECT hash FROM regions WHERE kind = 'face')";
            else if (t.value == "objects") out.sql += "f.hash IN (SELECT hash FROM regions WHERE kind = 'object')";
            else if (t.value == "gps") out.sql += "(p.gps_lat IS NOT NULL AND p.gps_lon IS NOT NULL)";
            else if (t.value == "tags") out.sql += "EXISTS (SELECT 1 FROM auto_tags t WHERE t.hash = f.hash)";
            else if (t.value == "usertags") out.sql += "EXISTS (SELECT 1 FROM user_tags u WHERE u.hash = f.hash)";
            else out.sql += "EXISTS (SELECT 1 FROM thumbnails th WHERE th.hash = f.hash)";
            return;
        case Field::similar: {
            // Bits apart from a hash, or from a photo's own (a photo id: 32 hex digits, a hash at most 16).
            // hamming() is the catalog's own SQL function (sqlite_db.cpp); NULL (no hash) never matches.
            const int64_t distance = std::atoi(t.high.c_str());
            if (const auto hash = parse_perceptual_hash(t.value)) {
                out.sql += "hamming(p.phash, ?) <= ?";
                add(p, static_cast<int64_t>(*hash), distance);
            } else {
                out.sql += "hamming(p.phash, (SELECT phash FROM photos WHERE hash = lower(?))) <= ?";
                add(p, t.value, distance);
            }
            return;
        }
        case Field::failed:
            out.mentions_failed = true;
            if (t.value.empty()) {
                out.sql += "f.status = 'failed'";
            } else {
                out.sql += "(f.status = 'failed' AND EXISTS (SELECT 1 FROM failures x WHERE x.path = f.path AND "
                           "(x.stage = ? OR x.code = ?)))";
                add(p, t.value, t.value);
            }
            return;
    }
}

void node_sql(const QueryNode& node, SqlCondition& out) {
    switch (node.kind) {
        case QueryNode::Kind::term: term_sql(node.term, out); return;
        case QueryNode::Kind::negation:
            out.sql += "NOT coalesce(";
            node_sql(*node.children.front(), out);
            // NULL (no such value) counts as not matching, so its negation matches. `1 = 0`: false in
            // both databases (PostgreSQL's conditions are booleans, which do not mix with 0).
            out.sql += ", 1 = 0)";
            return;
        case QueryNode::Kind::all_of:
        case QueryNode::Kind::any_of: {
            out.sql += "(";
            for (std::size_t i = 0; i < node.children.size(); ++i) {
                if (i) out.sql += node.kind == QueryNode::Kind::all_of ? " AND " : " OR ";
                node_sql(*node.children[i], out);
            }
            out.sql += ")";
            return;
        }
    }
}

Expected<SqlCondition> condition_of(const std::string& query) {
    auto parsed = parse_query(query);
    if (const auto* error = std::get_if<QueryError>(&parsed)) return unexpected(make_error("query", ipc::codes::kBadQuery, describe(*error, query)));
    SqlCondition where;
    auto& root = std::get<std::optional<QueryNodePtr>>(parsed);
    if (root) node_sql(**root, where);
    // Live photos only, unless the query asks about failures.
    const std::string scope = where.mentions_failed ? "f.status IN ('ok', 'failed')" : "f.status = 'ok'";
    where.sql = where.sql.empty() ? scope : scope + " AND " + where.sql;
    return where;
}

// Whether `query` is answered from the facet index (indexed_query.cpp): a query of the kinds it answers,
// and the index is that of the catalog at `stamp`; indexed_photos lists its photos then (nullopt: ask
// SQL). An index is not built for a query alone, which over a few photos costs more than the SQL: the
// service builds it when it opens a library (warm_up), and facets keep it current.
bool answered_in_memory(Catalog& catalog, const std::string& query, const ChangeStamp& stamp) {
    if (!catalog.queries_from_index() || !catalog.facet_index().is_current(stamp)) return false;
    auto parsed = parse_query(query);
    const auto* root = std::get_if<std::optional<QueryNodePtr>>(&parsed);
    return root != nullptr && indexable(*root ? (*root)->get() : nullptr);  // an error: the SQL path reports it
}

std::optional<std::vector<uint32_t>> indexed_photos(Catalog& catalog, const std::string& query, const ChangeStamp& stamp) {
    if (!answered_in_memory(catalog, query, stamp)) return std::nullopt;
    auto parsed = parse_query(query);
    const auto& root = std::get<std::optional<QueryNodePtr>>(parsed);
    return indexed_matches(catalog.facet_index(), root ? root->get() : nullptr);
}

// What the matches are sorted by, per match (a group of one photo's files): SQL that both databases take
// over grouped rows, so an aggregate (the photo's columns are the same in every row of its group).
const char* order_key(SortOrder sort) {
    return sort == SortOrder::path ? "min(f.path)" : sort == SortOrder::added ? "min(p.added_at)" : "min(p.taken_at)";
}

// The matches of a condition, one row per photo (its files grouped by hash) or per failed file (no
// hash): hash, first path, status ("ok" when any of the photo's files is live) and the sort key.
std::string matches_sql(const SqlCondition& where, SortOrder sort, bool descending) {
    return std::string("SELECT max(f.hash) AS hash, min(f.path) AS path, max(f.status) AS status, ") + order_key(sort) +
           " AS sort_key FROM files f LEFT JOIN photos p ON p.hash = f.hash WHERE " + where.sql +
           " GROUP BY coalesce(f.hash, f.path) ORDER BY sort_key" + (descending ? " DESC" : " ASC") + " NULLS LAST, path";
}

// The matches of `query` in the order asked, from the connection's last list when neither the query,
// the order nor the catalog changed since.
Expected<const MatchList*> matches_of(Catalog& catalog, const std::string& query, SortOrder sort, bool descending) {
    if (auto ok = catalog.flush(); !ok) return unexpected(ok.error());
    auto stamp = change_stamp(catalog.database());
    if (!stamp) return unexpected(stamp.error());
    MatchList& last = catalog.last_matches();
    if (last.stamp == *stamp && last.query == query && last.sort == sort && last.descending == descending) return &last;

    if (auto photos = indexed_photos(catalog, query, *stamp)) {
        const FacetIndex& index = catalog.facet_index();
        order_matches(index, *photos, sort, descending);
        catalog.forget_last_matches();
        std::vector<MatchList::Match> matches;
        matches.reserve(photos->size());
        for (const uint32_t photo : *photos) {
            const FacetIndex::Listing listing = index.listing(photo);
            matches.push_back({std::string(listing.hash), std::string(listing.path), "ok"});
        }
        last = MatchList{query, sort, descending, *stamp, std::move(matches)};
        return &last;
    }

    auto where = condition_of(query);
    if (!where) return unexpected(where.error());
    auto stmt = catalog.database().prepare("SELECT coalesce(hash, ''), path, status FROM (" + matches_sql(*where, sort, descending) + ") AS m");
    if (!stmt) return unexpected(stmt.error());
    stmt->bind(where->params);
    catalog.forget_last_matches();
    std::vector<MatchList::Match> matches;
    for (;;) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) break;
        matches.push_back({stmt->column_text(0), stmt->column_text(1), stmt->column_text(2)});
    }
    last = MatchList{query, sort, descending, *stamp, std::move(matches)};
    return &last;
}

// The first page straight from SQL: with a LIMIT, SQLite keeps only the top rows while sorting, about
// twice as fast as listing every match (what the pages after it are sliced from).
Expected<std::vector<PhotoRow>> first_page(Catalog& catalog, const std::string& query, const QueryOptions& options) {
    auto where = condition_of(query);
    if (!where) return unexpected(where.error());
    // The page's matches first (the LIMIT inside, where the sort is), then their photos' columns.
    auto stmt = catalog.database().prepare(
        "SELECT coalesce(m.hash, ''), m.path, coalesce(p.format, ''), coalesce(p.width, 0), "
        "coalesce(p.height, 0), coalesce(p.taken_at, ''), trim(" + std::string(kCameraName) + "), "
        "m.status, coalesce(p.rotation, 0) FROM (" + matches_sql(*where, options.sort, options.descending) +
        " LIMIT ?) AS m LEFT JOIN photos p ON p.hash = m.hash ORDER BY m.sort_key" + (options.descending ? " DESC" : " ASC") +
        " NULLS LAST, m.path");
    if (!stmt) return unexpected(stmt.error());
    stmt->bind(where->params).bind_int(static_cast<int>(where->params.size()) + 1, options.limit);
    std::vector<PhotoRow> rows;
    for (;;) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) return rows;
        rows.push_back(PhotoRow{stmt->column_text(0), stmt->column_text(1), stmt->column_text(2),
                                static_cast<uint32_t>(stmt->column_int(3)), static_cast<uint32_t>(stmt->column_int(4)),
                                stmt->column_text(5), stmt->column_text(6), stmt->column_text(7), "",
                                static_cast<int>(stmt->column_int(8))});
    }
}

bool is_listed(Catalog& catalog, const std::string& query, const ChangeStamp& stamp) {
    const MatchList& last = catalog.last_matches();
    return last.stamp == stamp && last.query == query;
}

// Says in each row where the query's plain words matched it (PhotoRow::matched).
Expected<void> describe_matches(Catalog& catalog, const std::string& query, std::vector<PhotoRow>& rows) {
    auto parsed = parse_query(query);
    auto* root = std::get_if<std::optional<QueryNodePtr>>(&parsed);
    if (root == nullptr || !*root) return {};
    const std::vector<std::string> words = plain_words(***root);
    if (words.empty()) return {};
    std::vector<std::string> hashes;
    for (const PhotoRow& row : rows)
        if (!row.hash.empty()) hashes.push_back(row.hash);
    auto described = describe_word_matches(catalog.database(), words, hashes);
    if (!described) return unexpected(described.error());
    for (PhotoRow& row : rows) {
        if (auto it = described->find(row.hash); it != described->end()) row.matched = it->second;
    }
    return {};
}

Expected<std::vector<PhotoRow>> page_of(Catalog& catalog, const std::string& query, const QueryOptions& options);

}  // namespace

Expected<std::vector<PhotoRow>> run_query(Catalog& catalog, const std::string& query, const QueryOptions& options) {
    auto rows = page_of(catalog, query, options);
    if (!rows) return rows;
    if (auto ok = describe_matches(catalog, query, *rows); !ok) return unexpected(ok.error());
    return rows;
}

namespace {

Expected<std::vector<PhotoRow>> page_of(Catalog& catalog, const std::string& query, const QueryOptions& options) {
    if (auto ok = catalog.flush(); !ok) return unexpected(ok.error());
    auto stamp = change_stamp(catalog.database());
    if (!stamp) return unexpected(stamp.error());
    const MatchList& last = catalog.last_matches();
    const bool listed = is_listed(catalog, query, *stamp) && last.sort == options.sort && last.descending == options.descending;
    // A first page from SQL, unless the facet index answers the query (then the whole list costs less).
    if (!listed && options.offset == 0 && options.limit >= 0 && !answered_in_memory(catalog, query, *stamp))
        return first_page(catalog, query, options);

    auto list = matches_of(catalog, query, options.sort, options.descending);
    if (!list) return unexpected(list.error());
    const auto& matches = (*list)->matches;
    const std::size_t begin = static_cast<std::size_t>(std::clamp<int64_t>(options.offset, 0, static_cast<int64_t>(matches.size())));
    const std::size_t end = options.limit < 0 ? matches.size() : begin + std::min<std::size_t>(matches.size() - begin, options.limit);

    // The page's photo columns, by hash (a JSON array: one bound parameter whatever the page size).
    nlohmann::json hashes = nlohmann::json::array();
    for (std::size_t i = begin; i < end; ++i)
        if (!matches[i].hash.empty()) hashes.push_back(matches[i].hash);
    struct Columns {
        std::string format, taken_at, camera;
        uint32_t width = 0, height = 0;
        int rotation = 0;
    };
    std::unordered_map<std::string, Columns> columns;
    if (!hashes.empty()) {
        auto stmt = catalog.database().prepare(
            "SELECT p.hash, p.format, p.width, p.height, coalesce(p.taken_at, ''), trim(" + std::string(kCameraName) + "), "
            "p.rotation FROM photos p WHERE p.hash IN (SELECT value FROM json_each(?))");
        if (!stmt) return unexpected(stmt.error());
        stmt->bind({hashes.dump()});
        for (;;) {
            auto row = stmt->step();
            if (!row) return unexpected(row.error());
            if (!*row) break;
            columns[stmt->column_text(0)] = Columns{stmt->column_text(1), stmt->column_text(4), stmt->column_text(5),
                                                    static_cast<uint32_t>(stmt->column_int(2)), static_cast<uint32_t>(stmt->column_int(3)),
                                                    static_cast<int>(stmt->column_int(6))};
        }
    }
    std::vector<PhotoRow> rows;
    rows.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
        const MatchList::Match& m = matches[i];
        PhotoRow row{m.hash, m.path, "", 0, 0, "", "", m.status, "", 0};
        if (auto found = columns.find(m.hash); found != columns.end()) {
            row.format = found->second.format;
            row.width = found->second.width;
            row.height = found->second.height;
            row.taken_at = found->second.taken_at;
            row.camera = found->second.camera;
            row.rotation = found->second.rotation;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace

Expected<int64_t> count_query(Catalog& catalog, const std::string& query) {
    if (auto ok = catalog.flush(); !ok) return unexpected(ok.error());
    auto stamp = change_stamp(catalog.database());
    if (!stamp) return unexpected(stamp.error());
    if (is_listed(catalog, query, *stamp)) return static_cast<int64_t>(catalog.last_matches().matches.size());
    if (auto photos = indexed_photos(catalog, query, *stamp)) return static_cast<int64_t>(photos->size());
    auto where = condition_of(query);
    if (!where) return unexpected(where.error());
    auto stmt = catalog.database().prepare("SELECT count(*) FROM (SELECT 1 FROM files f LEFT JOIN photos p ON p.hash = f.hash WHERE " +
                                           where->sql + " GROUP BY coalesce(f.hash, f.path)) AS m");
    if (!stmt) return unexpected(stmt.error());
    stmt->bind(where->params);
    auto row = stmt->step();
    if (!row) return unexpected(row.error());
    return stmt->column_int(0);
}

Expected<Facets> facets_of(Catalog& catalog, const std::string& query, int64_t per_facet) {
    if (auto ok = catalog.flush(); !ok) return unexpected(ok.error());
    auto where = condition_of(query);
    if (!where) return unexpected(where.error());
    // Facets need the index anyway: a query it answers is matched there too.
    if (auto ok = catalog.facet_index().refresh(catalog.database()); !ok) return unexpected(ok.error());
    auto stamp = change_stamp(catalog.database());
    if (!stamp) return unexpected(stamp.error());
    if (auto photos = indexed_photos(catalog, query, *stamp)) return catalog.facet_index().count_photos(*photos, per_facet);
    // The hashes of the matching files (failed files have none, so they count nowhere), duplicates and
    // all: FacetIndex counts each photo once. SQLite leaves out the join to photos when no term needs it.
    auto stmt = catalog.database().prepare("SELECT f.hash FROM files f LEFT JOIN photos p ON p.hash = f.hash WHERE f.hash IS NOT NULL AND " +
                                           where->sql);
    if (!stmt) return unexpected(stmt.error());
    stmt->bind(where->params);
    std::vector<std::string> hashes;
    for (;;) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) break;
        hashes.push_back(stmt->column_text(0));
    }
    return catalog.facet_index().count(catalog.database(), hashes, per_facet);
}

Expected<bool> answered_from_index(Catalog& catalog, const std::string& query) {
    if (auto ok = catalog.flush(); !ok) return unexpected(ok.error());
    auto stamp = change_stamp(catalog.database());
    if (!stamp) return unexpected(stamp.error());
    return answered_in_memory(catalog, query, *stamp);
}

Expected<QueryCondition> query_condition(const std::string& query) {
    auto where = condition_of(query);
    if (!where) return unexpected(where.error());
    return QueryCondition{std::move(where->sql), std::move(where->params)};
}

Expected<void> warm_up(Catalog& catalog) {
    auto facets = facets_of(catalog, "", 1);
    if (!facets) return unexpected(facets.error());
    return {};
}

}  // namespace lbx::engine::catalog
