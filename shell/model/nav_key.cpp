#include "model/nav_key.hpp"

#include <algorithm>

namespace lbx::shell {

std::optional<uint64_t> move_focus(std::optional<uint64_t> focused, uint64_t total, NavKey key,
                                   uint32_t columns, uint32_t rows_per_page) {
    if (total == 0) return std::nullopt;
    const uint64_t last = total - 1;
    if (!focused) return key == NavKey::end ? last : 0;
    const uint64_t f = std::min(*focused, last);
    const uint64_t cols = std::max<uint32_t>(columns, 1);
    const uint64_t page = cols * std::max<uint32_t>(rows_per_page, 1);
    // Moving down past the last full row: the last cell, when it is on a lower row than f.
    const auto down_by = [&](uint64_t step) { return f + step <= last ? f + step : (f / cols < last / cols ? last : f); };
    switch (key) {
        case NavKey::left: return f == 0 ? 0 : f - 1;
        case NavKey::right: return std::min(f + 1, last);
        case NavKey::up: return f >= cols ? f - cols : f;
        case NavKey::down: return down_by(cols);
        case NavKey::page_up: return f >= page ? f - page : f % cols;
        case NavKey::page_down: return down_by(page);
        case NavKey::home: return 0;
        case NavKey::end: return last;
    }
    return f;
}

}  // namespace lbx::shell
