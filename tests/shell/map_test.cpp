// The Map page's model (no window, no engine): the camera's pixel arithmetic, `within:` terms, the world
// map file, and the reducer's cluster requests (one at a time, superseded answers dropped) and filtering.
#include "model/map_camera.hpp"
#include "model/reducer.hpp"
#include "reducer_fixtures.hpp"
#include "model/world_map.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <catch2/catch.hpp>

#include <unistd.h>
#include <fstream>

using namespace lbx;
using namespace lbx::shell;
using namespace lbx::shell::test_fixtures;

namespace {


MapCamera camera(double lat, double lon, int zoom, int width = 1024, int height = 512) {
    MapCamera c;
    c.centre = {lat, lon};
    c.zoom = zoom;
    c.width = width;
    c.height = height;
    return c;
}

ReplyArrived clusters_reply(const Command& command, std::vector<ipc::MapCluster> clusters) {
    uint64_t photos = 0;
    for (const auto& c : clusters) photos += c.count;
    return ReplyArrived{command.request, command.tag,
                        ipc::Reply{ipc::MapClustersReply{std::move(clusters), photos, false}}};
}

// Connected, the map shown in a 1024x512 view of the whole world (zoom 2).
State with_map() {
    State s = connected_state();
    s = reduce(std::move(s), ShowMap{true});
    CHECK(commands_of<ipc::GetMapClusters>(s).empty());  // no size yet
    s = reduce(std::move(s), MapCameraChanged{fitted(1024, 512)});
    return s;
}

}  // namespace

TEST_CASE("the camera puts the world on the screen and back", "[shell][map]") {
    CHECK(world_width(0) == 256);
    CHECK(world_width(3) == 2048);
    const MapCamera c = fitted(1024, 512);
    CHECK(c.zoom == 2);  // 1024 pixels wide
    CHECK(c.centre.lat == 0);
    const ScreenPoint paris = to_screen(c, {48.8566, 2.3522});
    CHECK(paris.x == Approx(512 + 2.3522 * 1024 / 360.0));
    CHECK(paris.y == Approx(256 - 48.8566 * 1024 / 360.0));
    const GeoPoint back = to_geo(c, paris);
    CHECK(back.lat == Approx(48.8566));
    CHECK(back.lon == Approx(2.3522));
    const GeoRect all = visible_rect(c);
    CHECK(all == GeoRect{-90, -180, 90, 180});
    CHECK(fitted(300, 200).zoom == 0);
}

TEST_CASE("zooming keeps the point under the pointer, panning moves the world with it, both stay in the world",
          "[shell][map]") {
    const MapCamera c = camera(0, 0, 2);
    const ScreenPoint pointer{700, 150};
    const GeoPoint under = to_geo(c, pointer);
    const MapCamera in = zoomed_at(c, 1, pointer);
    CHECK(in.zoom == 3);
    const GeoPoint still = to_geo(in, pointer);
    CHECK(still.lat == Approx(under.lat));
    CHECK(still.lon == Approx(under.lon));
    CHECK(zoomed_at(camera(0, 0, kMapMaxZoom), 1, pointer).zoom == kMapMaxZoom);
    CHECK(zoomed_at(camera(0, 0, 0), -1, pointer).zoom == 0);

    const MapCamera moved = panned(camera(0, 0, 4), 100, -50);  // the pointer went right and up
    const double k = pixels_per_degree(4);
    CHECK(moved.centre.lon == Approx(-100 / k));
    CHECK(moved.centre.lat == Approx(-50 / k));
    // Far past the edge: the view stops at the world's edge.
    const MapCamera edge = panned(camera(0, 0, 4), -1e6, 1e6);
    CHECK(visible_rect(edge).east == Approx(180));
    CHECK(visible_rect(edge).north == Approx(90));
}

TEST_CASE("within: terms are widened to five decimals and replace the query's own", "[shell][map]") {
    CHECK(within_term({48.85661, 2.35, 48.86, 2.3522}) == "within:48.8566,2.34999,48.86001,2.35221");
    CHECK(within_term({-90, -180, 90, 180}) == "within:-90,-180,90,180");
    CHECK(without_within("beach within:1,2,3,4 year:2019") == "beach year:2019");
    CHECK(with_within("beach within:1,2,3,4", {10, 20, 30, 40}) == "beach within:9.99999,19.99999,30.00001,40.00001");
    CHECK(with_within("", {10, 20, 30, 40}) == "within:9.99999,19.99999,30.00001,40.00001");
}

TEST_CASE("the world map file is read, and a broken one says where", "[shell][map]") {
    const auto dir = std::filesystem::temp_directory_path() / ("lightbox-map-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "world.txt";
    std::ofstream(file) << "# a comment\nL 3\n100 200\n-100 0\n0 -200\nB 2\n0 0\n50 50\nC 4885 235 7 Paris\n";
    auto loaded = load_world_map(file);
    REQUIRE(std::holds_alternative<WorldMap>(loaded));
    const WorldMap& map = std::get<WorldMap>(loaded);
    REQUIRE(map.land.size() == 1);
    REQUIRE(map.land[0].size() == 3);
    CHECK(map.land[0][1].lat == 0);
    CHECK(map.land[0][1].lon == 2);
    CHECK(map.land[0][2].lon == 0);
    REQUIRE(map.borders.size() == 1);
    CHECK(map.borders[0][1].lat == 0.5);
    REQUIRE(map.cities.size() == 1);
    CHECK(map.cities[0].name == "Paris");
    CHECK(map.cities[0].at.lat == 48.85);
    CHECK(city_shown_at(map.cities[0], 2));
    CHECK_FALSE(city_shown_at(MapCity{{0, 0}, 5, "Small"}, 4));

    std::ofstream(file) << "L 2\n1 1\nx\n";
    auto broken = load_world_map(file);
    REQUIRE(std::holds_alternative<std::string>(broken));
    CHECK(std::get<std::string>(broken) == "world.txt:3: expected 'dlat dlon'");
    CHECK(std::get<std::string>(load_world_map(dir / "none.txt")).find("cannot read the world map") == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("the committed world map loads: land, borders and cities", "[shell][map]") {
    auto loaded = load_world_map(LIGHTBOX_TEST_WORLD_MAP);
    REQUIRE(std::holds_alternative<WorldMap>(loaded));
    const WorldMap& map = std::get<WorldMap>(loaded);
    CHECK(map.land.size() > 100);
    CHECK(map.borders.size() > 200);
    CHECK(map.cities.size() > 4000);
    CHECK(map.cities.front().rank == 7);
    for (const auto& ring : map.land)
        for (const GeoPoint& p : ring) REQUIRE((p.lat >= -90 && p.lat <= 90 && p.lon >= -180 && p.lon <= 180));
}

TEST_CASE("the map asks for clusters of its view, one request at a time", "[shell][map]") {
    State s = with_map();
    auto asked = commands_of<ipc::GetMapClusters>(s);
    REQUIRE(asked.size() == 1);
    const auto& first = std::get<ipc::GetMapClusters>(asked[0].request);
    CHECK(first.zoom == 2);
    CHECK(first.south == -90);
    CHECK(first.east == 180);
    CHECK(s.map.in_flight);
    s.outbox.clear();

    // Two zoom steps while the first is on its way: no request now, one for the last view when it comes.
    s = reduce(std::move(s), MapCameraChanged{zoomed_at(s.map.camera, 1, {512, 256})});
    s = reduce(std::move(s), MapCameraChanged{zoomed_at(s.map.camera, 1, {512, 256})});
    CHECK(commands_of<ipc::GetMapClusters>(s).empty());
    CHECK(s.map.stale);
    s = reduce(std::move(s), clusters_reply(asked[0], {{48.8, 2.3, 12, 48, 2, 49, 3, "a"}}));
    REQUIRE(s.map.clusters);
    CHECK(s.map.clusters->clusters.size() == 1);
    auto again = commands_of<ipc::GetMapClusters>(s);
    REQUIRE(again.size() == 1);
    const auto& second = std::get<ipc::GetMapClusters>(again[0].request);
    CHECK(second.zoom == 4);
    CHECK(second.west > -180);  // the visible part, and one cell around it
    CHECK(second.west == Approx(visible_rect(s.map.camera).west - 64 / pixels_per_degree(4)));
    s.outbox.clear();

    // An answer to a request that is not the last one sent is dropped.
    s = reduce(std::move(s), clusters_reply(asked[0], {}));
    CHECK(s.map.clusters->clusters.size() == 1);
    CHECK(s.map.in_flight);
    s = reduce(std::move(s), clusters_reply(again[0], {{48.8, 2.3, 10, 48, 2, 49, 3, "a"},
                                                       {48.7, 2.1, 2, 48.7, 2.1, 48.7, 2.1, "b"}}));
    CHECK(s.map.clusters->clusters.size() == 2);
    CHECK(s.map.clusters_zoom == 4);
    CHECK_FALSE(s.map.in_flight);
    CHECK(commands_of<ipc::GetMapClusters>(s).empty());
}

TEST_CASE("a new query asks the map again, without its within: term", "[shell][map]") {
    State s = with_map();
    auto asked = commands_of<ipc::GetMapClusters>(s);
    s = reduce(std::move(s), clusters_reply(asked[0], {}));
    s.outbox.clear();
    s = reduce(std::move(s), QueryEdited{"beach within:1,2,3,4"});
    auto after = commands_of<ipc::GetMapClusters>(s);
    REQUIRE(after.size() == 1);
    CHECK(std::get<ipc::GetMapClusters>(after[0].request).query == "beach");
}

TEST_CASE("choosing a cluster or a box filters the grid and shows it", "[shell][map]") {
    State s = with_map();
    auto asked = commands_of<ipc::GetMapClusters>(s);
    s = reduce(std::move(s), clusters_reply(asked[0], {{48.8, 2.3, 12, 48.5, 2.1, 49, 2.5, "a"}}));
    s = reduce(std::move(s), QueryEdited{"beach"});
    s.outbox.clear();
    s = reduce(std::move(s), MapAreaChosen{GeoRect{48.5, 2.1, 49, 2.5}});
    CHECK_FALSE(s.map.shown);
    CHECK(s.query.text == "beach within:48.49999,2.09999,49.00001,2.50001");
    auto queries = commands_of<ipc::Query>(s);
    REQUIRE(queries.size() == 1);
    CHECK(std::get<ipc::Query>(queries[0].request).query == s.query.text);
    CHECK(commands_of<ipc::GetMapClusters>(s).empty());  // the map is not shown

    // Another box replaces the first.
    s = reduce(std::move(s), ShowMap{true});
    s = reduce(std::move(s), MapAreaChosen{GeoRect{10, 20, 30, 40}});
    CHECK(s.query.text == "beach within:9.99999,19.99999,30.00001,40.00001");
}

TEST_CASE("the map and the People page replace each other, a failed request is said and the map asks again",
          "[shell][map]") {
    State s = with_map();
    s = reduce(std::move(s), ShowPeople{true});
    CHECK_FALSE(s.map.shown);
    s = reduce(std::move(s), ShowMap{true});
    CHECK(s.map.shown);
    CHECK_FALSE(s.people.shown);

    auto asked = commands_of<ipc::GetMapClusters>(s);
    REQUIRE_FALSE(asked.empty());
    const Command last = asked.back();
    s.outbox.clear();
    s = reduce(std::move(s), MapCameraChanged{zoomed_at(s.map.camera, 1, {512, 256})});
    auto error = ipc::make_error(ipc::Status::internal, "catalog", "catalog_error",
                                 "cannot run a catalog statement: disk I/O error");
    s = reduce(std::move(s), ReplyArrived{last.request, last.tag, ipc::unexpected(error)});
    REQUIRE(s.map.error);
    CHECK(*s.map.error == "cannot run a catalog statement: disk I/O error");
    CHECK(commands_of<ipc::GetMapClusters>(s).size() == 1);  // the view changed meanwhile: asked again

    // The engine went away: nothing is on its way any more, and a new engine is asked.
    s = reduce(std::move(s), EngineStatusChanged{EngineStatus::restarting, "gone"});
    CHECK_FALSE(s.map.in_flight);
    s.outbox.clear();
    s = reduce(std::move(s), EngineConnected{"0.1.0", 7});
    CHECK(commands_of<ipc::GetMapClusters>(s).size() == 1);
}
