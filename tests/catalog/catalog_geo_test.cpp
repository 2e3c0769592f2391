// Places on the map over a real catalog file: the `within:` and `near:` terms (sdk_docs/query.md) and
// the map's clusters (map_clusters.hpp): binning by zoom, the box, the query, the 180th meridian.
#include "catalog/catalog.hpp"
#include "catalog/catalog_query.hpp"
#include "catalog/map_clusters.hpp"
#include "support/test_catalog.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace lbx::engine;
using namespace lbx::engine::catalog;

namespace {

struct Place {
    std::string name;
    double lat, lon;
    std::string tag;
};

// Two photos in Paris, one in Versailles (17 km from Paris), one in Bern, one in Tokyo, two on either
// side of the 180th meridian in Fiji, and one without coordinates.
const std::vector<Place> kPlaces = {
    {"paris-1.jpg", 48.8566, 2.3522, "city"}, {"paris-2.jpg", 48.8606, 2.3376, "museum"},
    {"versailles.jpg", 48.8049, 2.1204, ""},  {"bern.jpg", 46.9480, 7.4474, "city"},
    {"tokyo.jpg", 35.6762, 139.6503, "city"}, {"fiji-west.jpg", -16.78, 179.95, ""},
    {"fiji-east.jpg", -16.80, -179.90, ""},
};

class GeoFixture {
public:
    GeoFixture() {
        auto opened = lbx::test::open_catalog(dir_.path() / "library.lbx");
        REQUIRE(opened);
        catalog_ = std::move(*opened);
        const int64_t scan = now_us();
        for (const Place& p : kPlaces) REQUIRE(catalog_->record(result_of(p.name, p.tag, true, p.lat, p.lon), scan));
        REQUIRE(catalog_->record(result_of("nowhere.jpg", "city", false, 0, 0), scan));
        // The same photo at a second path: one photo on the map.
        PhotoResult copy = result_of("paris-1.jpg", "city", true, 48.8566, 2.3522);
        copy.path = (dir_.path() / "copy" / "paris-1.jpg").string();
        REQUIRE(catalog_->record(copy, scan));
        REQUIRE(catalog_->flush());
    }

    std::set<std::string> names(const std::string& query) {
        auto rows = run_query(*catalog_, query);
        INFO("query: " << query);
        if (!rows) FAIL(rows.error().message);
        std::set<std::string> out;
        for (const PhotoRow& r : *rows) out.insert(std::filesystem::path(r.path).filename().string());
        return out;
    }

    MapClusters clusters(const std::string& query, const GeoBox& box, int zoom, int64_t limit = 1000) {
        auto found = map_clusters(*catalog_, query, box, zoom, limit);
        INFO("query: " << query);
        if (!found) FAIL(found.error().message);
        return *found;
    }

    Catalog& catalog() { return *catalog_; }

private:
    PhotoResult result_of(const std::string& name, const std::string& tag, bool gps, double lat, double lon) {
        PhotoResult r;
        r.path = (dir_.path() / "photos" / name).string();
        r.hash = "hash-" + name;
        r.format = "jpeg";
        r.file_size = 1000;
        r.mtime_ns = 1;
        r.width = 400;
        r.height = 300;
        if (gps) {
            r.metadata.numbers[LBX_FIELD_GPS_LAT] = lat;
            r.metadata.numbers[LBX_FIELD_GPS_LON] = lon;
        }
        if (!tag.empty()) r.tags.push_back({tag, "scene", 1.0, "org.lightbox.autotag"});
        return r;
    }

    lbx::test::TempDir dir_;
    std::unique_ptr<Catalog> catalog_;
};

using Names = std::set<std::string>;

const GeoBox kWorld{};

}  // namespace

TEST_CASE("within: finds the photos inside a box, across the 180th meridian too", "[catalog][query][map]") {
    GeoFixture f;
    CHECK(f.names("within:48,2,49,3") == Names{"paris-1.jpg", "paris-2.jpg", "versailles.jpg"});
    CHECK(f.names("within:40,-10,50,10") == Names{"paris-1.jpg", "paris-2.jpg", "versailles.jpg", "bern.jpg"});
    CHECK(f.names("within:-17,179,-16,-179") == Names{"fiji-west.jpg", "fiji-east.jpg"});
    CHECK(f.names("within:-17,179,-16,180") == Names{"fiji-west.jpg"});
    // The edges are inside: a box of one point finds the photo at it.
    CHECK(f.names("within:46.948,7.4474,46.948,7.4474") == Names{"bern.jpg"});
    CHECK(f.names("within:0,0,1,1").empty());
    CHECK(f.names("-within:40,-10,50,10") == Names{"tokyo.jpg", "fiji-west.jpg", "fiji-east.jpg", "nowhere.jpg"});
    CHECK(f.names("city within:40,-10,50,10") == Names{"paris-1.jpg", "bern.jpg"});
}

TEST_CASE("near: finds the photos within a distance of a point", "[catalog][query][map]") {
    GeoFixture f;
    CHECK(f.names("near:48.8566,2.3522") == Names{"paris-1.jpg", "paris-2.jpg"});  // 5 km
    // Versailles is 17.9 km from the Paris point.
    CHECK(f.names("near:48.8566,2.3522,17") == Names{"paris-1.jpg", "paris-2.jpg"});
    CHECK(f.names("near:48.8566,2.3522,19") == Names{"paris-1.jpg", "paris-2.jpg", "versailles.jpg"});
    // Bern is 435 km away on the sphere, 429 km on the flat approximation.
    CHECK(f.names("near:48.8566,2.3522,425") == Names{"paris-1.jpg", "paris-2.jpg", "versailles.jpg"});
    CHECK(f.names("near:48.8566,2.3522,432") == Names{"paris-1.jpg", "paris-2.jpg", "versailles.jpg", "bern.jpg"});
    // Fiji's two photos are 16 km apart across the meridian.
    CHECK(f.names("near:-16.78,179.95,20") == Names{"fiji-west.jpg", "fiji-east.jpg"});
    CHECK(f.names("near:-16.78,179.95,10") == Names{"fiji-west.jpg"});
    CHECK(f.names("near:-16.80,-179.90,20") == Names{"fiji-west.jpg", "fiji-east.jpg"});
}

TEST_CASE("bad coordinates are a bad_query error", "[catalog][query][map]") {
    GeoFixture f;
    auto rows = run_query(f.catalog(), "within:1,2");
    REQUIRE_FALSE(rows);
    CHECK(rows.error().code == "bad_query");
    auto clusters = map_clusters(f.catalog(), "near:95,0", kWorld, 0, 10);
    REQUIRE_FALSE(clusters);
    CHECK(clusters.error().code == "bad_query");
}

TEST_CASE("clusters split as the zoom grows", "[catalog][map]") {
    GeoFixture f;
    CHECK(cell_degrees(0) == 90.0);
    CHECK(cell_degrees(3) == 11.25);

    // Zoom 0: 90-degree cells. Paris, Versailles and Bern share one; Tokyo has one; Fiji's photos on
    // either side of the meridian are in two (cells never straddle it).
    MapClusters world = f.clusters("", kWorld, 0);
    CHECK(world.photos == 7);
    CHECK_FALSE(world.truncated);
    REQUIRE(world.clusters.size() == 4);
    const MapCluster& europe = world.clusters[0];  // most photos first
    CHECK(europe.count == 4);
    CHECK(europe.bounds.south == Approx(46.948));
    CHECK(europe.bounds.west == Approx(2.1204));
    CHECK(europe.bounds.north == Approx(48.8606));
    CHECK(europe.bounds.east == Approx(7.4474));
    CHECK(europe.lat == Approx((48.8566 + 48.8606 + 48.8049 + 46.948) / 4));
    CHECK(europe.sample_hash == "hash-bern.jpg");  // the smallest hash

    // Zoom 8 (0.35-degree cells): Bern apart, Paris and Versailles still together.
    MapClusters closer = f.clusters("", GeoBox{40, -10, 50, 10}, 8);
    REQUIRE(closer.clusters.size() == 2);
    CHECK(closer.clusters[0].count == 3);
    CHECK(closer.clusters[1].count == 1);
    CHECK(closer.clusters[1].sample_hash == "hash-bern.jpg");

    // Zoom 11 (0.044 degrees): Versailles apart from Paris.
    MapClusters paris = f.clusters("", GeoBox{48, 2, 49, 3}, 11);
    REQUIRE(paris.clusters.size() == 2);
    CHECK(paris.clusters[0].count == 2);
    CHECK(paris.photos == 3);

    // Clicking a cluster: its bounds as a within: term find exactly its photos.
    const GeoBox& b = paris.clusters[0].bounds;
    CHECK(f.names("within:" + std::to_string(b.south - 1e-6) + "," + std::to_string(b.west - 1e-6) + "," +
                  std::to_string(b.north + 1e-6) + "," + std::to_string(b.east + 1e-6)) ==
          Names{"paris-1.jpg", "paris-2.jpg"});
}

TEST_CASE("clusters follow the query and the box, and the largest are kept", "[catalog][map]") {
    GeoFixture f;
    MapClusters cities = f.clusters("city", kWorld, 12);
    CHECK(cities.photos == 3);  // not nowhere.jpg: it has no coordinates
    CHECK(cities.clusters.size() == 3);

    MapClusters fiji = f.clusters("", GeoBox{-20, 170, -10, -170}, 0);  // across the meridian
    CHECK(fiji.photos == 2);
    CHECK(fiji.clusters.size() == 2);

    MapClusters top = f.clusters("", kWorld, 0, 1);
    CHECK(top.truncated);
    CHECK(top.photos == 7);
    REQUIRE(top.clusters.size() == 1);
    CHECK(top.clusters[0].count == 4);

    CHECK(f.clusters("tag:nothing", kWorld, 0).clusters.empty());
}
