#include "catalog/map_clusters.hpp"

#include "catalog/catalog_query.hpp"

#include <cmath>

namespace lbx::engine::catalog {

double cell_degrees(int zoom) {
    return 360.0 / std::ldexp(1.0, zoom + 2);
}

Expected<MapClusters> map_clusters(Catalog& catalog, const std::string& query, const GeoBox& box, int zoom,
                                   int64_t limit) {
    if (auto ok = catalog.flush(); !ok) return unexpected(ok.error());
    auto where = query_condition(query);
    if (!where) return unexpected(where.error());
    // One row per photo (a photo at two paths counts once), then one per cell. Cells are counted from
    // the south-west corner of the world, so a cell never straddles the 180th meridian.
    const std::string lon_test =
        box.west <= box.east ? "p.gps_lon BETWEEN ? AND ?" : "(p.gps_lon >= ? OR p.gps_lon <= ?)";
    auto stmt = catalog.database().prepare(
        "SELECT count(*), avg(lat), avg(lon), min(lat), min(lon), max(lat), max(lon), min(hash) FROM "
        "(SELECT DISTINCT f.hash AS hash, p.gps_lat AS lat, p.gps_lon AS lon FROM files f LEFT JOIN photos p ON p.hash "
        "= f.hash "
        "WHERE " +
        where->sql + " AND p.gps_lat BETWEEN ? AND ? AND " + lon_test +
        ") AS located GROUP BY CAST((lat + 90) / ? AS INTEGER), CAST((lon + 180) / ? AS INTEGER) ORDER BY count(*) DESC, "
        "min(hash)");
    if (!stmt) return unexpected(stmt.error());
    std::vector<SqlValue> params = std::move(where->params);
    const double cell = cell_degrees(zoom);
    for (const double v : {box.south, box.north, box.west, box.east, cell, cell}) params.emplace_back(v);
    stmt->bind(params);
    MapClusters out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) break;
        const int64_t count = stmt->column_int(0);
        out.photos += count;
        if (static_cast<int64_t>(out.clusters.size()) >= limit) {
            out.truncated = true;
            continue;
        }
        MapCluster c;
        c.count = count;
        c.lat = stmt->column_double(1);
        c.lon = stmt->column_double(2);
        c.bounds =
            GeoBox{stmt->column_double(3), stmt->column_double(4), stmt->column_double(5), stmt->column_double(6)};
        c.sample_hash = stmt->column_text(7);
        out.clusters.push_back(std::move(c));
    }
    return out;
}

}  // namespace lbx::engine::catalog
