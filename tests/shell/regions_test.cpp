// Boxes of faces and objects on the screen, their captions, and the face shown for a person (no window).
#include "model/regions.hpp"

#include <catch2/catch.hpp>

using namespace lbx;
using namespace lbx::shell;

namespace {

ipc::PhotoRegion region(std::string kind, double x, double y, double w, double h) {
    ipc::PhotoRegion r;
    r.kind = std::move(kind);
    r.x = x;
    r.y = y;
    r.width = w;
    r.height = h;
    return r;
}

ipc::Person cover(double x, double y, double w, double h) {
    ipc::Person p;
    p.cover_x = x;
    p.cover_y = y;
    p.cover_width = w;
    p.cover_height = h;
    return p;
}

}  // namespace

TEST_CASE("a box in fractions of the upright photo lands where the photo is drawn, letterboxed or zoomed", "[shell]") {
    // Fitted in a 1000 x 600 area: a 4:3 photo is 800 x 600, 100 px from the left.
    CHECK(region_rect(region("face", 0.5, 0.25, 0.1, 0.2), Rect{100, 0, 800, 600}) == Rect{500, 150, 80, 120});
    // At 100 % and moved: the photo starts left of and above the window.
    CHECK(region_rect(region("object", 0, 0, 1, 1), Rect{-1500, -700, 4000, 3000}) == Rect{-1500, -700, 4000, 3000});
    // A box poking out of the photo is cut at its edge.
    const Rect cut = region_rect(region("object", 0.9, -0.1, 0.3, 0.5), Rect{0, 0, 100, 100});
    CHECK(cut.x == Approx(90));
    CHECK(cut.y == Approx(0));
    CHECK(cut.width == Approx(10));
    CHECK(cut.height == Approx(50));
}

TEST_CASE("captions: the person's name or unnamed for a face, the label and confidence for an object", "[shell]") {
    ipc::PhotoRegion face = region("face", 0, 0, 0.1, 0.1);
    CHECK(is_face(face));
    CHECK(region_caption(face) == "unnamed");
    face.person_id = 3;
    face.person_name = "Anna";
    CHECK(region_caption(face) == "Anna");
    ipc::PhotoRegion dog = region("object", 0, 0, 0.1, 0.1);
    dog.label = "dog";
    dog.confidence = 0.874;
    CHECK_FALSE(is_face(dog));
    CHECK(region_caption(dog) == "dog 87 %");
    ipc::PhotoRegion other = region("text", 0, 0, 0.1, 0.1);  // a plugin's own kind, no label
    other.confidence = 1.0;
    CHECK(region_caption(other) == "text 100 %");

    ipc::Person p;
    CHECK(person_caption(p) == "Unnamed");
    p.name = "Ben";
    CHECK(person_caption(p) == "Ben");
}

TEST_CASE("a person's face is cropped square with a margin, inside the cover photo", "[shell]") {
    // A 40 x 60 px face in the middle of a 256 x 192 thumbnail: a 96 px square around its centre.
    const Rect middle = face_crop(cover(108.0 / 256, 66.0 / 192, 40.0 / 256, 60.0 / 192), 256, 192);
    CHECK(middle.width == Approx(96));
    CHECK(middle.height == Approx(96));
    CHECK(middle.x + middle.width / 2 == Approx(128));
    CHECK(middle.y + middle.height / 2 == Approx(96));
    // At the corner: moved inside, not cut.
    const Rect corner = face_crop(cover(0, 0, 0.1, 0.1), 256, 192);
    CHECK(corner.x == Approx(0));
    CHECK(corner.y == Approx(0));
    CHECK(corner.width == Approx(0.1 * 256 * 1.6));
    // Larger than the photo allows: the photo's shorter side.
    const Rect huge = face_crop(cover(0.1, 0.1, 0.9, 0.9), 256, 192);
    CHECK(huge.width == Approx(192));
    CHECK(huge.x + huge.width <= 256.0);
    // No box: the middle square.
    CHECK(face_crop(cover(0, 0, 0, 0), 256, 192) == Rect{32, 0, 192, 192});
    CHECK(face_crop(cover(0.1, 0.1, 0.1, 0.1), 0, 0) == Rect{});

    CHECK(face_thumbnail_size(cover(0, 0, 0.4, 0.5)) == 256);  // 128 px of the grid's thumbnail
    CHECK(face_thumbnail_size(cover(0, 0, 0.05, 0.08)) == 0);   // 20 px: the largest thumbnail
}

TEST_CASE("an object whose label the user removed as a tag is not drawn, faces always are", "[shell]") {
    auto kite = region("object", 0.1, 0.1, 0.2, 0.2);
    kite.label = "kite";
    auto person = region("object", 0.4, 0.1, 0.3, 0.8);
    person.label = "person";
    auto face = region("face", 0.5, 0.15, 0.1, 0.1);
    face.label = "kite";  // a face's label never hides it
    const std::vector<ipc::PhotoRegion> found{kite, person, face};

    const auto all = shown_regions(found, {});
    CHECK(all.size() == 3);
    const auto shown = shown_regions(found, {"kite", "beach"});
    REQUIRE(shown.size() == 2);
    CHECK(shown[0].label == "person");
    CHECK(is_face(shown[1]));
}

TEST_CASE("the face under a point is the smallest face box that holds it, objects are not faces", "[shell]") {
    const std::vector<ipc::PhotoRegion> regions{region("object", 0.0, 0.0, 1.0, 1.0), region("face", 0.1, 0.1, 0.5, 0.5),
                                                region("face", 0.2, 0.2, 0.1, 0.1)};
    const Rect image{100, 0, 800, 600};
    CHECK(face_at(regions, image, 100 + 0.25 * 800, 0.25 * 600) == std::optional<std::size_t>(2));  // inside both faces
    CHECK(face_at(regions, image, 100 + 0.5 * 800, 0.5 * 600) == std::optional<std::size_t>(1));
    CHECK_FALSE(face_at(regions, image, 100 + 0.9 * 800, 0.9 * 600));  // only the object there
    CHECK_FALSE(face_at(regions, image, 50, 50));                        // beside the photo
}
