// The grid's rows as plain arithmetic (no wx): rows of `columns` photo cells and, when the results are
// sorted by date taken, a heading row ("June 2019") before the first photo of each month, and "No date"
// before the photos without one (the engine sorts them last, in both directions). Each month starts on a
// row of its own. The view draws from it (which rows are headings, which photos a row holds, where a
// photo is) and the reducer moves the keyboard focus with it, so both see the same rows.
//
// A layout holds its sections (one per month: a century is 1 200 at most), not its rows: a row or a
// photo is found with a binary search, and 100 000 photos cost nothing more than 100.
#pragma once

#include "model/nav_key.hpp"
#include "model/state.hpp"
#include "model/timeline.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lbx::shell {

// Photos [first_index, first_index + count) of the results under one heading; an empty heading has no
// heading row (the plain grid is one such section).
struct GridSection {
    std::string heading;
    uint64_t first_index = 0;
    uint64_t count = 0;
    friend bool operator==(const GridSection&, const GridSection&) = default;
};

// What one row of the grid holds: a heading, or the photos [first_index, first_index + count).
struct GridRow {
    bool heading = false;
    std::string text;  // the heading's
    uint64_t first_index = 0;
    uint64_t count = 0;  // photos on the row; 0 for a heading
};

class GridLayout {
public:
    GridLayout() = default;  // no photos, no rows
    // Sections in the results' order, each starting where the one before ends (empty ones are dropped).
    GridLayout(const std::vector<GridSection>& sections, uint32_t columns);

    uint32_t columns() const { return columns_; }
    std::size_t row_count() const { return rows_; }
    uint64_t total() const { return total_; }
    bool has_headings() const { return headings_ > 0; }

    GridRow row(std::size_t row) const;  // row < row_count()
    bool is_heading(std::size_t row) const;
    // The photo row that holds `index` (the last photo's past the end; 0 without photos).
    std::size_t row_of(uint64_t index) const;
    // The row to scroll to the top to show `index`: its section's heading when `index` is on the section's
    // first row (a timeline jump shows the month's name over its photos), else its own row.
    std::size_t top_row_for(uint64_t index) const;
    // The first photo on `row` or after it (under a heading: the section's first); total() past the end.
    uint64_t first_index_from(std::size_t row) const;
    // The photo in `column` of a photo row; none on a heading, past the row's last photo or past the end.
    std::optional<uint64_t> index_at(std::size_t row, uint32_t column) const;
    // The keyboard's move (model/nav_key.hpp) over these rows: Up and Down go to the same column of the
    // photo row above or below, over a heading (the nearest photo when that row is shorter); Page Up and
    // Page Down by `rows_per_page` photo rows; Left and Right, Home and End by index. Without headings,
    // exactly move_focus().
    std::optional<uint64_t> move(std::optional<uint64_t> focused, NavKey key, uint32_t rows_per_page) const;

    friend bool operator==(const GridLayout&, const GridLayout&) = default;

private:
    struct Placed {
        GridSection section;
        std::size_t first_row = 0;     // its heading's row, or its first photo row without a heading
        uint64_t first_photo_row = 0;  // how many photo rows come before its first
        friend bool operator==(const Placed&, const Placed&) = default;
    };
    const Placed& section_at_row(std::size_t row) const;
    const Placed& section_of(uint64_t index) const;
    uint64_t photo_rows(const Placed& p) const { return (p.section.count + columns_ - 1) / columns_; }
    // The photo at `column` (or the row's last, when it is shorter) of the photo row numbered `photo_row`
    // counting photo rows only.
    uint64_t index_on_photo_row(uint64_t photo_row, uint64_t column) const;

    std::vector<Placed> sections_;
    uint32_t columns_ = 1;
    std::size_t rows_ = 0;
    uint64_t photo_rows_ = 0;
    uint64_t total_ = 0;
    std::size_t headings_ = 0;
};

// The sections of the results sorted by date taken: a month's photos under "June 2019", in the
// timeline's order, then "No date" for the rest. A month the facets count beyond the results (a stale
// count) is cut at their end. No timeline (sorted by path or date added, facets unknown, no photo with a
// date): one section without a heading.
std::vector<GridSection> date_sections(const std::vector<TimelineYear>& timeline, uint64_t total);

// The grid's layout for the state: date headings when sorted by date taken and the facets know the
// months (the timeline's rule: model/timeline.hpp).
GridLayout grid_layout_of(const State& state, uint32_t columns);

inline constexpr const char* kNoDateHeading = "No date";

}  // namespace lbx::shell
