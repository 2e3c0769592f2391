// FindSimilar against the real engine process: a scan of an original, its resized and WebP copies, an
// exact copy at a second path and an unrelated picture; the groups, paging, similar: queries over the
// protocol, and a distance over the limit refused.
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include <lightbox/ipc/client.hpp>
#include <lightbox/ipc/error_codes.hpp>

#include <catch2/catch.hpp>

using namespace lbx;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

TEST_CASE("the engine groups a resized copy and a WebP copy with their original and lists exact copies with all paths", "[service][similar]") {
    test::TempDir dir;
    const fs::path photos = dir / "photos";
    const sample::RgbImage picture = sample::make_marked_scene(1200, 800, 9);
    sample::RgbImage small(400, 266);
    for (uint32_t y = 0; y < small.height; ++y)
        for (uint32_t x = 0; x < small.width; ++x) small.set(x, y, picture.at(x * 3, y * 3));
    test::write_file(photos / "original.jpg", sample::encode_jpeg(picture, 95));
    test::write_file(photos / "small.jpg", sample::encode_jpeg(small, 70));
    test::write_file(photos / "copy.webp", sample::encode_webp(picture, 70));
    const auto other = sample::encode_jpeg(sample::make_marked_scene(1200, 800, 4), 90);
    test::write_file(photos / "other.jpg", other);
    test::write_file(photos / "backup" / "other.jpg", other);

    test::ServedEngine engine({"--catalog", (dir / "library.lbx").string()});
    zmq::context_t context;
    ipc::Client client(context, engine.client_options(10s));
    auto started = client.call(ipc::StartScan{{photos.string()}, "", {}, ""});
    REQUIRE(started);
    CHECK(test::wait_for_job(client, started->job_id).progress.state == ipc::JobState::completed);

    auto found = client.call(ipc::FindSimilar{});
    if (!found) FAIL(found.error().message);
    REQUIRE(found->total == 2);
    CHECK(found->distance == ipc::kDefaultSimilarDistance);
    REQUIRE(found->groups.size() == 2);
    // Sorted by first path: backup/other.jpg's exact copies, then copy.webp's group.
    const auto& near = found->groups[1].photos;
    REQUIRE(near.size() == 3);
    CHECK(near[0].paths == std::vector<std::string>{(photos / "original.jpg").string()});  // the most bytes of the two largest
    CHECK(near[0].width == 1200);
    CHECK(near[0].perceptual_hash.size() == 16);
    for (const auto& p : near) CHECK(p.distance <= 4);
    const auto& exact = found->groups[0].photos;
    REQUIRE(exact.size() == 1);
    CHECK(exact[0].paths == std::vector<std::string>{(photos / "backup" / "other.jpg").string(), (photos / "other.jpg").string()});

    auto second = client.call(ipc::FindSimilar{ipc::kDefaultSimilarDistance, 1, 1});
    REQUIRE(second);
    REQUIRE(second->groups.size() == 1);
    CHECK(second->groups[0] == found->groups[1]);
    CHECK(second->total == 2);

    auto query = client.call(ipc::Query{"similar:" + near[0].perceptual_hash, ipc::QuerySort::path, false, 0, 0});
    REQUIRE(query);
    CHECK(query->total == 3);
    auto by_id = client.call(ipc::Query{"similar:" + near[0].photo_id + "~0", ipc::QuerySort::path, false, 0, 0});
    REQUIRE(by_id);
    CHECK(by_id->total >= 1);

    auto refused = client.call(ipc::FindSimilar{ipc::kMaxSimilarDistance + 1, 0, 0});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().status == ipc::Status::bad_request);
    CHECK(refused.error().code == ipc::codes::kBadDistance);
}
