// The objects stage's agreement rule (plugins/vision/agreement.hpp): a second detector raises a score to the
// geometric mean when it sees the same label on the same box more surely, never lowers one, and what stays
// below the threshold is dropped.
#include "agreement.hpp"

#include <catch2/catch.hpp>

using lbx::plugins::vision::confirmed;
using lbx::plugins::vision::Detection;

namespace {

constexpr int kDog = 16, kCat = 15;

Detection at(int label, float score, float x, float y, float w, float h) { return {label, score, {x, y, w, h}, {}, 0}; }

}  // namespace

TEST_CASE("a surer second opinion on the same label and box raises a score to the geometric mean", "[vision]") {
    const auto kept = confirmed({at(kDog, 0.32f, 100, 100, 200, 300)}, {at(kDog, 0.44f, 110, 95, 190, 310)}, 0.35f);
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].score == Approx(std::sqrt(0.32f * 0.44f)));
    CHECK(kept[0].box == cv::Rect2f(100, 100, 200, 300));  // the first detector's box, not the second's
}

TEST_CASE("a less sure, other-label or elsewhere second opinion changes nothing", "[vision]") {
    const std::vector<Detection> found{at(kDog, 0.6f, 0, 0, 100, 100), at(kCat, 0.3f, 500, 500, 100, 100)};
    SECTION("less sure: never lowered") {
        const auto kept = confirmed(found, {at(kDog, 0.4f, 0, 0, 100, 100)}, 0.35f);
        REQUIRE(kept.size() == 1);
        CHECK(kept[0].score == 0.6f);
    }
    SECTION("another label on the same box") {
        const auto kept = confirmed(found, {at(kDog, 0.9f, 500, 500, 100, 100)}, 0.35f);
        REQUIRE(kept.size() == 1);
        CHECK(kept[0].label == kDog);
        CHECK(kept[0].score == 0.6f);
    }
    SECTION("the same label on a box overlapping by less than 0.5 IoU") {
        const auto kept = confirmed(found, {at(kCat, 0.9f, 550, 500, 100, 100)}, 0.35f);  // IoU 1/3
        REQUIRE(kept.size() == 1);
        CHECK(kept[0].label == kDog);
    }
}

TEST_CASE("what stays under the threshold is dropped, and the rest comes best first", "[vision]") {
    const auto kept = confirmed({at(kDog, 0.5f, 0, 0, 100, 100), at(kCat, 0.3f, 500, 500, 100, 100),
                                 at(kCat, 0.2f, 800, 0, 100, 100)},
                                {at(kCat, 0.95f, 505, 500, 100, 100), at(kCat, 0.5f, 800, 0, 100, 100)}, 0.35f);
    REQUIRE(kept.size() == 2);  // the cat at 0.2 rose to 0.32 only: dropped
    CHECK(kept[0].label == kCat);
    CHECK(kept[0].score == Approx(std::sqrt(0.3f * 0.95f)));  // 0.53
    CHECK(kept[1].label == kDog);
    CHECK(confirmed({}, {at(kCat, 0.95f, 0, 0, 10, 10)}, 0.35f).empty());  // it confirms; it never adds
}
