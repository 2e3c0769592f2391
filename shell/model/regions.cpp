#include "model/regions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lbx::shell {
namespace {

// A face is shown with this much of its surroundings (its box's larger side times this).
constexpr double kFaceMargin = 1.6;
// Below this many pixels of the 256 thumbnail a face would look blurred in a People cell.
constexpr double kSmallestFaceIn256 = 80;

}  // namespace

bool is_face(const ipc::PhotoRegion& region) { return region.kind == "face"; }

std::vector<ipc::PhotoRegion> shown_regions(const std::vector<ipc::PhotoRegion>& regions,
                                            const std::vector<std::string>& rejected_tags) {
    std::vector<ipc::PhotoRegion> shown;
    for (const auto& r : regions) {
        const bool rejected = !is_face(r) && std::find(rejected_tags.begin(), rejected_tags.end(), r.label) != rejected_tags.end();
        if (!rejected) shown.push_back(r);
    }
    return shown;
}

Rect region_rect(const ipc::PhotoRegion& region, const Rect& image) {
    // Boxes are validated by the engine, but a box poking out is clamped rather than drawn off the photo.
    const double x = std::clamp(region.x, 0.0, 1.0), y = std::clamp(region.y, 0.0, 1.0);
    const double w = std::clamp(region.width, 0.0, 1.0 - x), h = std::clamp(region.height, 0.0, 1.0 - y);
    return Rect{image.x + x * image.width, image.y + y * image.height, w * image.width, h * image.height};
}

std::optional<std::size_t> face_at(const std::vector<ipc::PhotoRegion>& regions, const Rect& image, double x, double y) {
    std::optional<std::size_t> found;
    double smallest = 0;
    for (std::size_t i = 0; i < regions.size(); ++i) {
        if (!is_face(regions[i])) continue;
        const Rect box = region_rect(regions[i], image);
        if (x < box.x || y < box.y || x > box.x + box.width || y > box.y + box.height) continue;
        const double area = box.width * box.height;
        if (!found || area < smallest) {
            found = i;
            smallest = area;
        }
    }
    return found;
}

std::string region_caption(const ipc::PhotoRegion& region) {
    if (is_face(region)) return region.person_name.empty() ? "unnamed" : region.person_name;
    const std::string label = region.label.empty() ? region.kind : region.label;
    char confidence[16];
    std::snprintf(confidence, sizeof confidence, " %.0f %%", std::clamp(region.confidence, 0.0, 1.0) * 100);
    return label + confidence;
}

std::string person_caption(const ipc::Person& person) { return person.name.empty() ? "Unnamed" : person.name; }

Rect face_crop(const ipc::Person& person, double width, double height) {
    const double room = std::min(width, height);
    if (room <= 0) return Rect{};
    const double fw = std::clamp(person.cover_width, 0.0, 1.0) * width;
    const double fh = std::clamp(person.cover_height, 0.0, 1.0) * height;
    double side = std::max(fw, fh) * kFaceMargin;
    if (side < 1) side = room;  // no box: the middle of the photo
    side = std::min(side, room);
    const double cx = (std::clamp(person.cover_x, 0.0, 1.0) * width + fw / 2);
    const double cy = (std::clamp(person.cover_y, 0.0, 1.0) * height + fh / 2);
    const double x = fw > 0 ? std::clamp(cx - side / 2, 0.0, width - side) : (width - side) / 2;
    const double y = fh > 0 ? std::clamp(cy - side / 2, 0.0, height - side) : (height - side) / 2;
    return Rect{x, y, side, side};
}

uint32_t face_thumbnail_size(const ipc::Person& person) {
    // The thumbnail's long side is 256: a box's fraction of the long side is at most its larger fraction.
    const double larger = std::max(person.cover_width, person.cover_height);
    return larger * 256 >= kSmallestFaceIn256 ? 256 : 0;
}

}  // namespace lbx::shell
