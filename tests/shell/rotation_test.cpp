// The user's rotation as the views apply it: sizes as drawn and boxes of the upright photo moved with it.
#include "model/rotation.hpp"

#include <catch2/catch.hpp>

using namespace lbx;
using namespace lbx::shell;

namespace {

ipc::PhotoRegion box(double x, double y, double width, double height) {
    ipc::PhotoRegion r;
    r.kind = "object";
    r.label = "dog";
    r.x = x;
    r.y = y;
    r.width = width;
    r.height = height;
    return r;
}

void check_box(const ipc::PhotoRegion& r, double x, double y, double width, double height) {
    CHECK(r.x == Approx(x));
    CHECK(r.y == Approx(y));
    CHECK(r.width == Approx(width));
    CHECK(r.height == Approx(height));
}

}  // namespace

TEST_CASE("quarter turns wrap both ways, sizes swap on odd turns", "[shell]") {
    CHECK(normal_turns(0) == 0);
    CHECK(normal_turns(5) == 1);
    CHECK(normal_turns(-1) == 3);
    CHECK(normal_turns(-6) == 2);
    CHECK(turned_size(640, 480, 0) == std::pair(640.0, 480.0));
    CHECK(turned_size(640, 480, 1) == std::pair(480.0, 640.0));
    CHECK(turned_size(640, 480, 2) == std::pair(640.0, 480.0));
    CHECK(turned_size(640, 480, 3) == std::pair(480.0, 640.0));
    CHECK(rotation_label(0) == "0\xc2\xb0");
    CHECK(rotation_label(3) == "270\xc2\xb0");
}

TEST_CASE("a box in the upright photo turns with it: the top-left corner goes to the top right, then the bottom right", "[shell]") {
    const ipc::PhotoRegion top_left = box(0.0, 0.0, 0.25, 0.5);
    check_box(turned_region(top_left, 0), 0.0, 0.0, 0.25, 0.5);
    check_box(turned_region(top_left, 1), 0.5, 0.0, 0.5, 0.25);   // clockwise: along the top, at the right
    check_box(turned_region(top_left, 2), 0.75, 0.5, 0.25, 0.5);  // upside down: the bottom right
    check_box(turned_region(top_left, 3), 0.0, 0.75, 0.5, 0.25);  // counter-clockwise: the bottom left
    check_box(turned_region(turned_region(top_left, 3), 1), 0.0, 0.0, 0.25, 0.5);  // and back
    CHECK(turned_region(top_left, 1).label == "dog");  // only the box moves
}
