// An offline gazetteer: the towns of data/gazetteer.tsv.gz (GeoNames, see data/ATTRIBUTION) in memory,
// bucketed on a latitude/longitude grid so that "the nearest town within N km" looks at a few cells only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lbx::plugins::autotag {

struct Place {
    std::string_view name;          // "Paris"
    std::string_view country;       // English country name: "France"
    std::string_view country_code;  // ISO 3166-1 alpha-2: "FR"
    double distance_km = 0;         // to the town's point
    double outside_km = 0;          // beyond the town's extent (0: inside it)
};

class Gazetteer {
public:
    // Reads a gazetteer file (format 1 of data/make_gazetteer.py, gzip'd or plain). Throws
    // lbx::sdk::Error: LBX_E_IO when it cannot be read, LBX_E_CORRUPT naming the line when it is malformed.
    static Gazetteer load(const std::filesystem::path& file);

    // The town a photo at (lat, lon) belongs to, if any lies within max_km. A town of 10,000 people or
    // more has an extent around its point (2 km, 4 km from 100,000, 8 km from a million, 15 km from ten
    // million): the town whose extent is nearest wins (great-circle distances), and among towns whose
    // extents hold the photo, the largest. So a photo at the Eiffel Tower, 4 km from the point of
    // "Paris" and 3.5 km from that of a suburb, is in Paris.
    std::optional<Place> nearest(double lat, double lon, double max_km) const;

    std::size_t size() const { return towns_.size(); }

private:
    struct Town {
        float lat = 0;
        float lon = 0;
        uint32_t name_offset = 0;
        uint16_t name_size = 0;
        uint16_t country = 0;  // index into countries_
        uint8_t size = 0;      // decimal order of magnitude of the population when 4 or more, else 0
    };
    struct Country {
        std::string code;
        std::string name;
    };

    void build_index();
    int row_of(double lat) const;
    int column_of(double lon) const;

    std::string names_;  // every town name, back to back
    std::vector<Town> towns_;
    std::vector<Country> countries_;
    // Towns sorted by grid cell; cell_start_[c] .. cell_start_[c + 1] index sorted_ for cell c.
    std::vector<uint32_t> sorted_;
    std::vector<uint32_t> cell_start_;
};

}  // namespace lbx::plugins::autotag
