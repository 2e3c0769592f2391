// The map's clusters (GetMapClusters, sdk_docs/protocol.md): the photos of a query that have GPS
// coordinates inside a box, binned into a grid whose cells halve with each zoom level. SQLite does the
// binning (GROUP BY cell), so 100 000 geotagged photos come back as a few hundred rows.
#pragma once

#include "catalog/catalog.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace lbx::engine::catalog {

// Degrees. west > east crosses the 180th meridian.
struct GeoBox {
    double south = -90, west = -180, north = 90, east = 180;
};

struct MapCluster {
    double lat = 0, lon = 0;  // the mean position of its photos
    int64_t count = 0;
    GeoBox bounds;            // the smallest box around its photos
    std::string sample_hash;  // one of its photos (the smallest hash: the same one every time)
};

struct MapClusters {
    std::vector<MapCluster> clusters;  // most photos first
    int64_t photos = 0;                // geotagged matches in the box, those of dropped clusters too
    bool truncated = false;            // more than `limit` clusters: the smallest were dropped
};

// The zoom levels a request may ask for. At zoom z a cell is 360 / 2^(z + 2) degrees square: four
// cells round the world at zoom 0, the grid of a map drawn 256·2^z pixels wide (equirectangular) with
// cells of 64 pixels.
inline constexpr int kMaxMapZoom = 24;
double cell_degrees(int zoom);

// Errors: a query error (code "bad_query") or SQLite's. The box and zoom are the caller's to check.
Expected<MapClusters> map_clusters(Catalog& catalog, const std::string& query, const GeoBox& box, int zoom,
                                   int64_t limit);

}  // namespace lbx::engine::catalog
