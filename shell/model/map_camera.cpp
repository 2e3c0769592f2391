#include "model/map_camera.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace lbx::shell {

double world_width(int zoom) {
    return 256.0 * std::ldexp(1.0, zoom);
}
double pixels_per_degree(int zoom) {
    return world_width(zoom) / 360.0;
}

ScreenPoint to_screen(const MapCamera& c, GeoPoint p) {
    const double k = pixels_per_degree(c.zoom);
    return {c.width / 2.0 + (p.lon - c.centre.lon) * k, c.height / 2.0 - (p.lat - c.centre.lat) * k};
}

GeoPoint to_geo(const MapCamera& c, ScreenPoint p) {
    const double k = pixels_per_degree(c.zoom);
    return {std::clamp(c.centre.lat - (p.y - c.height / 2.0) / k, -90.0, 90.0),
            std::clamp(c.centre.lon + (p.x - c.width / 2.0) / k, -180.0, 180.0)};
}

GeoRect visible_rect(const MapCamera& c) {
    const GeoPoint top_left = to_geo(c, {0, 0});
    const GeoPoint bottom_right = to_geo(c, {static_cast<double>(c.width), static_cast<double>(c.height)});
    return {bottom_right.lat, top_left.lon, top_left.lat, bottom_right.lon};
}

MapCamera clamped(MapCamera c) {
    c.zoom = std::clamp(c.zoom, kMapMinZoom, kMapMaxZoom);
    // The centre stays where the world still covers the middle of the view; a world narrower than the
    // view sits in its middle.
    const double k = pixels_per_degree(c.zoom);
    const double half_lon = std::max(0.0, 180.0 - c.width / 2.0 / k);
    const double half_lat = std::max(0.0, 90.0 - c.height / 2.0 / k);
    c.centre.lon = std::clamp(c.centre.lon, -half_lon, half_lon);
    c.centre.lat = std::clamp(c.centre.lat, -half_lat, half_lat);
    return c;
}

MapCamera zoomed_at(const MapCamera& camera, int steps, ScreenPoint anchor) {
    MapCamera c = camera;
    c.zoom = std::clamp(camera.zoom + steps, kMapMinZoom, kMapMaxZoom);
    if (c.zoom == camera.zoom) return clamped(c);
    // The point under the anchor before: put it under the anchor again.
    const double k0 = pixels_per_degree(camera.zoom);
    const double k1 = pixels_per_degree(c.zoom);
    const double ax = anchor.x - camera.width / 2.0, ay = anchor.y - camera.height / 2.0;
    const double lon = camera.centre.lon + ax / k0, lat = camera.centre.lat - ay / k0;
    c.centre = {lat + ay / k1, lon - ax / k1};
    return clamped(c);
}

MapCamera panned(const MapCamera& camera, double dx, double dy) {
    MapCamera c = camera;
    const double k = pixels_per_degree(c.zoom);
    c.centre = {c.centre.lat + dy / k, c.centre.lon - dx / k};
    return clamped(c);
}

MapCamera fitted(int width, int height) {
    MapCamera c;
    c.width = width;
    c.height = height;
    c.centre = {0, 0};
    c.zoom = kMapMinZoom;
    while (c.zoom < kMapMaxZoom && world_width(c.zoom + 1) <= width && world_width(c.zoom + 1) / 2 <= height) ++c.zoom;
    return clamped(c);
}

namespace {

// Five decimals, without trailing zeros: "48.85661", "2.3", "-180".
std::string number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.5f", v);
    std::string s = text;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

double outward(double v, bool up, double low, double high) {
    const double scaled = v * 1e5;
    return std::clamp((up ? std::ceil(scaled + 0.5) : std::floor(scaled - 0.5)) / 1e5, low, high);
}

}  // namespace

std::string within_term(const GeoRect& box) {
    return "within:" + number(outward(box.south, false, -90, 90)) + "," + number(outward(box.west, false, -180, 180)) +
           "," + number(outward(box.north, true, -90, 90)) + "," + number(outward(box.east, true, -180, 180));
}

std::string without_within(const std::string& query) {
    // Terms are separated by blanks, and a within: value has none (numbers and commas only).
    std::istringstream words(query);
    std::string word, out;
    while (words >> word) {
        if (word.rfind("within:", 0) == 0) continue;
        out += (out.empty() ? "" : " ") + word;
    }
    return out;
}

std::string with_within(const std::string& query, const GeoRect& box) {
    const std::string rest = without_within(query);
    return rest.empty() ? within_term(box) : rest + " " + within_term(box);
}

}  // namespace lbx::shell
