// Keyboard navigation in the grid, as plain math over an index (no widgets): the grid view turns key
// presses into these and the reducer moves the focus.
#pragma once

#include <cstdint>
#include <optional>

namespace lbx::shell {

enum class NavKey { left, right, up, down, page_up, page_down, home, end };

// The new focused index among `total` cells laid out `columns` per row, `rows_per_page` rows on screen.
// No focus yet: the first cell. Moves stop at the edges (never wrap); Down from the row above a short
// last row lands on the last cell. Nothing when there are no cells.
std::optional<uint64_t> move_focus(std::optional<uint64_t> focused, uint64_t total, NavKey key,
                                   uint32_t columns, uint32_t rows_per_page);

}  // namespace lbx::shell
