// Geometry and wording of what content analysis found (protocol 5), for the photo view's boxes and the
// People page's faces. Pure functions, no wx: boxes arrive in fractions of the upright photo; the
// views say where they drew that photo.
#pragma once

#include <lightbox/ipc/person.hpp>
#include <lightbox/ipc/photo_info.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lbx::shell {

struct Rect {
    double x = 0, y = 0, width = 0, height = 0;
    friend bool operator==(const Rect&, const Rect&) = default;
};

bool is_face(const ipc::PhotoRegion& region);

// The regions to draw: an object whose label the user turned down as a tag (RejectTags: "that is not a
// kite") is not drawn either; faces always are (a wrong person is fixed by naming, not by a tag).
std::vector<ipc::PhotoRegion> shown_regions(const std::vector<ipc::PhotoRegion>& regions,
                                            const std::vector<std::string>& rejected_tags);

// Where a region's box lies when the upright photo is drawn at `image` (on the screen: fitted and
// letterboxed, or at 100 % and moved, possibly larger than the window).
Rect region_rect(const ipc::PhotoRegion& region, const Rect& image);

// The face under the point (x, y) when `regions` are drawn at `image`: the smallest face box that holds
// it (a face in a crowd lies beside others, rarely inside), as an index into `regions`.
std::optional<std::size_t> face_at(const std::vector<ipc::PhotoRegion>& regions, const Rect& image, double x, double y);

// What a box says: a face, the person's name or "unnamed"; an object, its label and confidence ("dog 87 %").
std::string region_caption(const ipc::PhotoRegion& region);

// A person's name, or "Unnamed".
std::string person_caption(const ipc::Person& person);

// The square to show for a person: the cover face with a margin, in pixels of the cover photo's
// thumbnail (`width` x `height`, upright), kept inside it. A person without a box: the middle square.
Rect face_crop(const ipc::Person& person, double width, double height);

// The thumbnail size to crop a person's face from: the grid's 256 when the face is large enough in it
// to fill a People cell, else the largest (0).
uint32_t face_thumbnail_size(const ipc::Person& person);

}  // namespace lbx::shell
