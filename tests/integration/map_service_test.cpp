// The map end to end: a real `lightbox-engine serve --catalog FILE` process scans photos with GPS EXIF
// written by the test; GetMapClusters answers clusters by zoom, within: and near: find the photos, and
// bad boxes and queries are bad_request with their codes.
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include "sample/exif_writer.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"

#include <lightbox/ipc/client.hpp>
#include <lightbox/ipc/error_codes.hpp>

#include <catch2/catch.hpp>

#include <cmath>

using namespace lbx;
using test::ServedEngine;

TEST_CASE("GetMapClusters over scanned photos with GPS EXIF, and the within: and near: terms",
          "[service][catalog][map]") {
    test::TempDir dir;
    const auto photos = dir.path() / "photos";
    std::filesystem::create_directories(photos);
    // Paris twice, Versailles, Tokyo, and one photo without a position.
    const std::vector<std::pair<double, double>> places = {
        {48.8566, 2.3522}, {48.8606, 2.3376}, {48.8049, 2.1204}, {35.6762, 139.6503}};
    for (std::size_t i = 0; i <= places.size(); ++i) {
        sample::ExifSpec spec;
        spec.make = "Canon";
        if (i < places.size()) {
            spec.gps_lat = places[i].first;
            spec.gps_lon = places[i].second;
        }
        test::write_file(
            photos / ("p" + std::to_string(i) + ".jpg"),
            sample::with_exif(sample::encode_jpeg(sample::make_scene(320, 240, static_cast<uint32_t>(200 + i))), spec));
    }
    zmq::context_t context;
    ServedEngine engine({"--catalog", (dir.path() / "library.lbx").string()});
    ipc::Client client(context, engine.client_options());
    auto started = client.call(ipc::StartScan{{photos.string()}, "", {}, ""});
    REQUIRE(started);
    REQUIRE(test::wait_for_job(client, started->job_id).progress.state == ipc::JobState::completed);

    auto world = client.call(ipc::GetMapClusters{"", -90, -180, 90, 180, 0, 0});
    REQUIRE(world);
    CHECK(world->photos == 4);
    REQUIRE(world->clusters.size() == 2);
    CHECK(world->clusters[0].count == 3);
    CHECK(world->clusters[0].south == Approx(48.8049).margin(1e-4));  // EXIF keeps positions to ~1e-6 degree
    CHECK(world->clusters[1].count == 1);
    CHECK_FALSE(world->clusters[1].sample_photo_id.empty());

    auto paris = client.call(ipc::GetMapClusters{"", 48, 2, 49, 3, 11, 0});
    REQUIRE(paris);
    REQUIRE(paris->clusters.size() == 2);  // Versailles apart at zoom 11
    CHECK(paris->clusters[0].count == 2);

    auto limited = client.call(ipc::GetMapClusters{"", -90, -180, 90, 180, 0, 1});
    REQUIRE(limited);
    CHECK(limited->truncated);
    CHECK(limited->photos == 4);

    auto within = client.call(ipc::Query{"within:48,2,49,3", ipc::QuerySort::path, false, 0, 0});
    REQUIRE(within);
    CHECK(within->total == 3);
    auto near = client.call(ipc::Query{"near:48.8566,2.3522,5", ipc::QuerySort::path, false, 0, 0});
    REQUIRE(near);
    CHECK(near->total == 2);

    for (const ipc::GetMapClusters& bad :
         {ipc::GetMapClusters{"", 10, 0, 5, 1, 0, 0}, ipc::GetMapClusters{"", -91, 0, 5, 1, 0, 0},
          ipc::GetMapClusters{"", 0, 0, 5, 181, 0, 0}, ipc::GetMapClusters{"", 0, 0, 5, 1, 25, 0},
          ipc::GetMapClusters{"", std::nan(""), 0, 5, 1, 0, 0}}) {
        auto refused = client.call(bad);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().status == ipc::Status::bad_request);
        CHECK(refused.error().code == ipc::codes::kBadBox);
    }
    auto bad_query = client.call(ipc::GetMapClusters{"within:1,2", -90, -180, 90, 180, 0, 0});
    REQUIRE_FALSE(bad_query);
    CHECK(bad_query.error().code == ipc::codes::kBadQuery);
}
