// The Map page's view of the world and its pixel arithmetic (no wx): an equirectangular projection
// (x grows with longitude, y with southward latitude, both linearly), so the engine's cluster grid
// (GetMapClusters: cells 360 / 2^(zoom + 2) degrees) is a grid of square 64-pixel cells on the screen.
// At zoom z the world is 256 * 2^z pixels wide and half as tall. The map does not wrap round: the view
// stays over longitudes -180..180.
#pragma once

#include <cstdint>
#include <string>

namespace lbx::shell {

inline constexpr int kMapMinZoom = 0;
inline constexpr int kMapMaxZoom = 16;  // cells of 0.0014 degrees: about 150 m
inline constexpr double kMapCellPixels = 64;

struct GeoPoint {
    double lat = 0, lon = 0;
};

// Degrees, south <= north, west <= east (the view never crosses the 180th meridian).
struct GeoRect {
    double south = -90, west = -180, north = 90, east = 180;
    friend bool operator==(const GeoRect&, const GeoRect&) = default;
};

struct MapCamera {
    GeoPoint centre{20, 0};
    int zoom = 1;
    int width = 0, height = 0;  // the view's size in pixels; 0 until it has one
    friend bool operator==(const MapCamera& a, const MapCamera& b) {
        return a.centre.lat == b.centre.lat && a.centre.lon == b.centre.lon && a.zoom == b.zoom && a.width == b.width &&
               a.height == b.height;
    }
};

struct ScreenPoint {
    double x = 0, y = 0;
};

double world_width(int zoom);  // pixels
double pixels_per_degree(int zoom);
ScreenPoint to_screen(const MapCamera& camera, GeoPoint point);
GeoPoint to_geo(const MapCamera& camera, ScreenPoint point);  // clamped to the world
// What the view shows, clamped to the world.
GeoRect visible_rect(const MapCamera& camera);

// The centre kept inside the world and the zoom inside its range.
MapCamera clamped(MapCamera camera);
// The zoom changed by `steps` (wheel notches, +/-), keeping the point under `anchor` where it is.
MapCamera zoomed_at(const MapCamera& camera, int steps, ScreenPoint anchor);
// Dragged by (dx, dy) pixels: the world moves with the pointer.
MapCamera panned(const MapCamera& camera, double dx, double dy);
// The largest zoom at which the whole world fits the view, centred.
MapCamera fitted(int width, int height);

// A `within:SOUTH,WEST,NORTH,EAST` term (sdk_docs/query.md) for a box, widened outwards to 5 decimals
// (about 1 m) so that the photos on its edges stay inside after the numbers are printed and read back.
std::string within_term(const GeoRect& box);
// The query without its `within:` terms (the map shows the query's photos everywhere, so that a box
// chosen on it can be replaced by another), and the query with one `within:` term for `box`.
std::string without_within(const std::string& query);
std::string with_within(const std::string& query, const GeoRect& box);

}  // namespace lbx::shell
