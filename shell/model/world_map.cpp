#include "model/world_map.hpp"

#include <fstream>
#include <sstream>

namespace lbx::shell {

std::variant<WorldMap, std::string> load_world_map(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return "cannot read the world map '" + file.string() + "'";
    WorldMap map;
    std::string line;
    int number = 0;
    const auto bad = [&](const std::string& what) {
        return file.filename().string() + ":" + std::to_string(number) + ": " + what;
    };
    while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line.substr(1));
        if (line[0] == 'C') {
            MapCity city;
            long lat = 0, lon = 0;
            if (!(fields >> lat >> lon >> city.rank)) return bad("expected 'C lat lon rank name'");
            std::getline(fields >> std::ws, city.name);
            city.at = {lat / 100.0, lon / 100.0};
            map.cities.push_back(std::move(city));
            continue;
        }
        const char kind = line[0];
        if (kind != 'L' && kind != 'B') return bad("unknown line kind '" + line.substr(0, 1) + "'");
        std::size_t count = 0;
        if (!(fields >> count) || count > 1'000'000) return bad("expected a point count");
        std::vector<GeoPoint> points;
        points.reserve(count);
        long lat = 0, lon = 0;
        for (std::size_t i = 0; i < count; ++i) {
            ++number;
            long dlat = 0, dlon = 0;
            if (!std::getline(in, line) || !(std::istringstream(line) >> dlat >> dlon))
                return bad("expected 'dlat dlon'");
            lat += dlat;
            lon += dlon;
            points.push_back({lat / 100.0, lon / 100.0});
        }
        (kind == 'L' ? map.land : map.borders).push_back(std::move(points));
    }
    return map;
}

std::filesystem::path world_map_file(const std::filesystem::path& exe) {
    return (exe.parent_path() / ".." / "share" / "lightbox" / "data" / "world-110m.txt").lexically_normal();
}

bool city_shown_at(const MapCity& city, int zoom) {
    return city.rank >= 7 ? zoom >= 2 : city.rank == 6 ? zoom >= 3 : zoom >= 5;
}

}  // namespace lbx::shell
