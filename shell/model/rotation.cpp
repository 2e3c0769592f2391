#include "model/rotation.hpp"

namespace lbx::shell {

uint32_t normal_turns(int64_t turns) { return static_cast<uint32_t>(((turns % 4) + 4) % 4); }

std::pair<double, double> turned_size(double width, double height, uint32_t turns) {
    return turns % 2 == 1 ? std::pair(height, width) : std::pair(width, height);
}

ipc::PhotoRegion turned_region(const ipc::PhotoRegion& region, uint32_t turns) {
    ipc::PhotoRegion out = region;
    for (uint32_t i = 0; i < turns % 4; ++i) {
        // One clockwise quarter: the box's left edge becomes its top, its bottom edge its left.
        const double x = 1.0 - (out.y + out.height), y = out.x;
        const double width = out.height, height = out.width;
        out.x = x;
        out.y = y;
        out.width = width;
        out.height = height;
    }
    return out;
}

std::string rotation_label(uint32_t turns) { return std::to_string((turns % 4) * 90) + "\xc2\xb0"; }

}  // namespace lbx::shell
