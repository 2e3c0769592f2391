// The offline world map the Map page draws (shell/data/world-110m.txt, made by scripts/make_world_map.py
// from Natural Earth's 1:110m land and borders and the gazetteer's big towns; sources in
// shell/data/ATTRIBUTION). Read once, when the page is first shown; no wx.
#pragma once

#include "model/map_camera.hpp"

#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace lbx::shell {

struct MapCity {
    GeoPoint at;
    int rank = 5;  // decimal order of magnitude of the population: 5, 6, 7
    std::string name;
};

struct WorldMap {
    std::vector<std::vector<GeoPoint>> land;     // closed rings
    std::vector<std::vector<GeoPoint>> borders;  // open lines
    std::vector<MapCity> cities;                 // biggest first
};

// The error says which line of which file is wrong: "world-110m.txt:12: expected 'lat lon'".
std::variant<WorldMap, std::string> load_world_map(const std::filesystem::path& file);

// The data file of an installed or built app: <exe dir>/../share/lightbox/data/world-110m.txt.
std::filesystem::path world_map_file(const std::filesystem::path& exe);

// The cities labelled at a zoom: the biggest from zoom 2, towns of a million from zoom 3, of 100 000
// from zoom 5.
bool city_shown_at(const MapCity& city, int zoom);

}  // namespace lbx::shell
