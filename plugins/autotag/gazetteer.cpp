// The offline gazetteer behind the "place" and "country" features of the autotag stage.
//
// Run it with:  lightbox-engine run --only metadata,tag photo.jpg   (a photo with GPS coordinates)
//
// The file is read once, when the stage is created, with zlib's gzread (which also reads an
// uncompressed file as is). Format 1, written by data/make_gazetteer.py:
//   # Lightbox gazetteer, format 1 ...          first line, then any number of comments
//   C <TAB> FR <TAB> France                      the English name of each country code used below
//   @FR                                          the block of one country's towns begins
//   <dlat> <TAB> <dlon> <TAB> name [<TAB> size]  a town: latitude and longitude in hundredths of a degree,
//                                                as the difference from the block's previous town; size
//                                                (4-9) for towns of 10^size people or more
#include "gazetteer.hpp"

#include <lightbox/plugin.hpp>

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>

namespace lbx::plugins::autotag {

namespace {

constexpr double kEarthRadiusKm = 6371.0088;
constexpr double kKmPerDegree = kEarthRadiusKm * std::numbers::pi / 180.0;
constexpr double kCellDegrees = 0.5;
constexpr int kRows = 360;     // 180 / kCellDegrees
constexpr int kColumns = 720;  // 360 / kCellDegrees
constexpr std::string_view kHeader = "# Lightbox gazetteer, format 1";

// The extent of a town by the decimal order of magnitude of its population (see nearest()).
constexpr double kExtentKm[10] = {0, 0, 0, 0, 2, 4, 8, 15, 15, 15};
constexpr double kLargestExtentKm = 15;

double radians(double degrees) {
    return degrees * std::numbers::pi / 180.0;
}

double distance_km(double lat1, double lon1, double lat2, double lon2) {
    const double dlat = radians(lat2 - lat1);
    const double dlon = radians(lon2 - lon1);
    const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(radians(lat1)) * std::cos(radians(lat2)) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::min(1.0, h)));
}

struct GzCloser {
    void operator()(gzFile f) const { gzclose(f); }
};

std::string read_all(const std::filesystem::path& file) {
    std::unique_ptr<gzFile_s, GzCloser> in(gzopen(file.c_str(), "rb"));
    if (!in) throw sdk::Error(LBX_E_IO, "cannot open gazetteer '" + file.string() + "'");
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        const int n = gzread(in.get(), buffer, sizeof buffer);
        if (n < 0) {
            int code = 0;
            const char* message = gzerror(in.get(), &code);
            throw sdk::Error(LBX_E_CORRUPT,
                             "cannot read gazetteer '" + file.string() + "': " + (message ? message : "zlib error"));
        }
        if (n == 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > (std::size_t{256} << 20)) {
            throw sdk::Error(LBX_E_TOO_LARGE, "gazetteer '" + file.string() + "' is over 256 MB uncompressed");
        }
    }
    return text;
}

// Splits a line at tabs into at most `n` fields; returns their count, or 0 when there are more.
std::size_t split(std::string_view line, std::string_view* fields, std::size_t n) {
    std::size_t i = 0;
    for (;;) {
        const std::size_t tab = line.find('\t');
        if (i == n) return 0;
        fields[i++] = line.substr(0, tab);
        if (tab == std::string_view::npos) break;
        line.remove_prefix(tab + 1);
    }
    return i;
}

bool parse_int(std::string_view text, int& value) {
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, value);
    return ec == std::errc() && p == end;
}

}  // namespace

Gazetteer Gazetteer::load(const std::filesystem::path& file) {
    const std::string text = read_all(file);
    Gazetteer g;
    std::size_t line_number = 0;
    auto corrupt = [&](const std::string& what) {
        return sdk::Error(LBX_E_CORRUPT, file.string() + ":" + std::to_string(line_number) + ": " + what);
    };

    int block = -1;
    int lat = 0, lon = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + pos, end - pos);
        pos = end + 1;
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

        if (line_number == 1) {
            if (!line.starts_with(kHeader))
                throw corrupt("not a Lightbox gazetteer (expected '" + std::string(kHeader) + "')");
            continue;
        }
        if (line.empty() || line.front() == '#') continue;

        if (line.front() == 'C' && line.size() > 1 && line[1] == '\t') {
            std::string_view f[3];
            if (split(line, f, 3) != 3 || f[1].empty() || f[2].empty()) throw corrupt("expected 'C<TAB>code<TAB>name'");
            if (g.countries_.size() >= std::numeric_limits<uint16_t>::max()) throw corrupt("too many countries");
            g.countries_.push_back({std::string(f[1]), std::string(f[2])});
            continue;
        }
        if (line.front() == '@') {
            const std::string_view code = line.substr(1);
            auto it = std::find_if(g.countries_.begin(), g.countries_.end(),
                                   [&](const Country& c) { return c.code == code; });
            if (it == g.countries_.end()) throw corrupt("country '" + std::string(code) + "' has no 'C' line");
            block = static_cast<int>(it - g.countries_.begin());
            lat = lon = 0;
            continue;
        }

        std::string_view f[4];
        const std::size_t fields = split(line, f, 4);
        int dlat = 0, dlon = 0, size = 0;
        if (fields < 3 || !parse_int(f[0], dlat) || !parse_int(f[1], dlon) || f[2].empty() ||
            (fields == 4 && (!parse_int(f[3], size) || size < 4 || size > 9))) {
            throw corrupt("expected '<dlat><TAB><dlon><TAB>name' and optionally '<TAB>size' (4-9)");
        }
        if (block < 0) throw corrupt("a town before the first '@' country line");
        if (f[2].size() > std::numeric_limits<uint16_t>::max()) throw corrupt("name too long");
        // Deltas are bounded so that the sums below never overflow.
        if (std::abs(dlat) > 18000 || std::abs(dlon) > 36000) throw corrupt("coordinate step out of range");
        lat += dlat;
        lon += dlon;
        if (lat < -9000 || lat > 9000 || lon < -18000 || lon > 18000) {
            throw corrupt("coordinates " + std::to_string(lat / 100.0) + ", " + std::to_string(lon / 100.0) +
                          " out of range");
        }
        if (g.names_.size() > std::numeric_limits<uint32_t>::max() - f[2].size()) throw corrupt("too many names");
        g.towns_.push_back({static_cast<float>(lat / 100.0), static_cast<float>(lon / 100.0),
                            static_cast<uint32_t>(g.names_.size()), static_cast<uint16_t>(f[2].size()),
                            static_cast<uint16_t>(block), static_cast<uint8_t>(size)});
        g.names_.append(f[2]);
    }
    if (g.towns_.empty()) throw sdk::Error(LBX_E_CORRUPT, "gazetteer '" + file.string() + "' lists no town");
    g.build_index();
    return g;
}

int Gazetteer::row_of(double lat) const {
    return std::clamp(static_cast<int>(std::floor((lat + 90.0) / kCellDegrees)), 0, kRows - 1);
}

int Gazetteer::column_of(double lon) const {
    const int c = static_cast<int>(std::floor((lon + 180.0) / kCellDegrees));
    return ((c % kColumns) + kColumns) % kColumns;
}

void Gazetteer::build_index() {
    std::vector<uint32_t> cell_of(towns_.size());
    cell_start_.assign(kRows * kColumns + 1, 0);
    for (std::size_t i = 0; i < towns_.size(); ++i) {
        cell_of[i] = static_cast<uint32_t>(row_of(towns_[i].lat) * kColumns + column_of(towns_[i].lon));
        ++cell_start_[cell_of[i] + 1];
    }
    for (std::size_t c = 1; c < cell_start_.size(); ++c) cell_start_[c] += cell_start_[c - 1];
    sorted_.resize(towns_.size());
    std::vector<uint32_t> next(cell_start_.begin(), cell_start_.end() - 1);
    for (std::size_t i = 0; i < towns_.size(); ++i) sorted_[next[cell_of[i]]++] = static_cast<uint32_t>(i);
}

std::optional<Place> Gazetteer::nearest(double lat, double lon, double max_km) const {
    if (!std::isfinite(lat) || !std::isfinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 ||
        !(max_km >= 0)) {
        return std::nullopt;
    }
    // The cells that can hold a town within reach: a latitude band, and at the band's highest latitude
    // the widest longitude span (all columns near a pole).
    const double reach_km = max_km + kLargestExtentKm;
    const double dlat = reach_km / kKmPerDegree;
    const int row_lo = row_of(lat - dlat), row_hi = row_of(lat + dlat);
    const double top = std::min(90.0, std::abs(lat) + dlat);
    int column_lo = 0;
    int column_count = kColumns;
    if (top < 89.0) {
        const double dlon = reach_km / (kKmPerDegree * std::cos(radians(top)));
        if (dlon < 179.0) {  // wider spans would wrap onto themselves: scan every column
            column_lo = column_of(lon - dlon);
            const int column_hi = column_of(lon + dlon);  // below column_lo when the span crosses 180
            column_count = std::min(kColumns, (column_hi - column_lo + kColumns) % kColumns + 1);
        }
    }

    const Town* best = nullptr;
    double best_outside = max_km, best_km = 0;
    for (int row = row_lo; row <= row_hi; ++row) {
        for (int k = 0; k < column_count; ++k) {
            const int cell = row * kColumns + (column_lo + k) % kColumns;
            for (uint32_t i = cell_start_[cell]; i < cell_start_[cell + 1]; ++i) {
                const Town& t = towns_[sorted_[i]];
                const double d = distance_km(lat, lon, t.lat, t.lon);
                const double outside = std::max(0.0, d - kExtentKm[t.size]);
                const bool better =
                    best == nullptr
                        ? outside <= best_outside
                        : outside < best_outside || (outside == best_outside &&
                                                     (t.size > best->size || (t.size == best->size && d < best_km)));
                if (better) {
                    best = &t;
                    best_outside = outside;
                    best_km = d;
                }
            }
        }
    }
    if (best == nullptr) return std::nullopt;
    const Country& c = countries_[best->country];
    return Place{std::string_view(names_).substr(best->name_offset, best->name_size), c.name, c.code, best_km,
                 best_outside};
}

}  // namespace lbx::plugins::autotag
