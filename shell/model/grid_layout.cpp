#include "model/grid_layout.hpp"

#include <algorithm>
#include <iterator>

namespace lbx::shell {

GridLayout::GridLayout(const std::vector<GridSection>& sections, uint32_t columns)
    : columns_(std::max<uint32_t>(columns, 1)) {
    for (const GridSection& section : sections) {
        if (section.count == 0) continue;
        Placed placed{section, rows_, photo_rows_};
        // Contiguous by construction: a gap or overlap would make an index belong to no row, or to two.
        placed.section.first_index = total_;
        const uint64_t rows = photo_rows(placed);
        const bool heading = !section.heading.empty();
        rows_ += static_cast<std::size_t>(rows) + (heading ? 1 : 0);
        photo_rows_ += rows;
        total_ += section.count;
        headings_ += heading ? 1 : 0;
        sections_.push_back(std::move(placed));
    }
}

const GridLayout::Placed& GridLayout::section_at_row(std::size_t row) const {
    auto it = std::upper_bound(sections_.begin(), sections_.end(), row,
                               [](std::size_t r, const Placed& p) { return r < p.first_row; });
    return *std::prev(it);
}

const GridLayout::Placed& GridLayout::section_of(uint64_t index) const {
    auto it = std::upper_bound(sections_.begin(), sections_.end(), index,
                               [](uint64_t i, const Placed& p) { return i < p.section.first_index; });
    return *std::prev(it);
}

GridRow GridLayout::row(std::size_t row) const {
    const Placed& p = section_at_row(row);
    std::size_t local = row - p.first_row;
    if (!p.section.heading.empty()) {
        if (local == 0) return GridRow{true, p.section.heading, p.section.first_index, 0};
        --local;
    }
    const uint64_t first = p.section.first_index + local * columns_;
    const uint64_t end = p.section.first_index + p.section.count;
    return GridRow{false, {}, first, std::min<uint64_t>(columns_, end - first)};
}

bool GridLayout::is_heading(std::size_t row) const {
    if (row >= rows_) return false;
    const Placed& p = section_at_row(row);
    return !p.section.heading.empty() && row == p.first_row;
}

std::size_t GridLayout::row_of(uint64_t index) const {
    if (sections_.empty()) return 0;
    index = std::min(index, total_ - 1);
    const Placed& p = section_of(index);
    return p.first_row + (p.section.heading.empty() ? 0 : 1) +
           static_cast<std::size_t>((index - p.section.first_index) / columns_);
}

std::size_t GridLayout::top_row_for(uint64_t index) const {
    if (sections_.empty()) return 0;
    index = std::min(index, total_ - 1);
    const Placed& p = section_of(index);
    if (!p.section.heading.empty() && index - p.section.first_index < columns_) return p.first_row;
    return row_of(index);
}

uint64_t GridLayout::first_index_from(std::size_t row) const {
    if (row >= rows_) return total_;
    return this->row(row).first_index;
}

std::optional<uint64_t> GridLayout::index_at(std::size_t row, uint32_t column) const {
    if (row >= rows_) return std::nullopt;
    const GridRow r = this->row(row);
    if (r.heading || column >= r.count) return std::nullopt;
    return r.first_index + column;
}

uint64_t GridLayout::index_on_photo_row(uint64_t photo_row, uint64_t column) const {
    auto it = std::upper_bound(sections_.begin(), sections_.end(), photo_row,
                               [](uint64_t r, const Placed& p) { return r < p.first_photo_row; });
    const Placed& p = *std::prev(it);
    const uint64_t first = p.section.first_index + (photo_row - p.first_photo_row) * columns_;
    const uint64_t last = p.section.first_index + p.section.count - 1;
    return std::min(first + column, last);
}

std::optional<uint64_t> GridLayout::move(std::optional<uint64_t> focused, NavKey key, uint32_t rows_per_page) const {
    if (!has_headings()) return move_focus(focused, total_, key, columns_, rows_per_page);
    if (total_ == 0) return std::nullopt;
    const uint64_t last = total_ - 1;
    if (!focused) return key == NavKey::end ? last : 0;
    const uint64_t f = std::min(*focused, last);
    const Placed& p = section_of(f);
    const uint64_t column = (f - p.section.first_index) % columns_;
    const uint64_t here = p.first_photo_row + (f - p.section.first_index) / columns_;
    const uint64_t page = std::max<uint32_t>(rows_per_page, 1);
    // Past the last photo row: the last photo, from a row above it (as move_focus); on it, nowhere.
    const auto down_by = [&](uint64_t rows) {
        if (here + rows < photo_rows_) return index_on_photo_row(here + rows, column);
        return here + 1 < photo_rows_ ? last : f;
    };
    switch (key) {
        case NavKey::left:
            return f == 0 ? 0 : f - 1;
        case NavKey::right:
            return std::min(f + 1, last);
        case NavKey::up:
            return here == 0 ? f : index_on_photo_row(here - 1, column);
        case NavKey::down:
            return down_by(1);
        case NavKey::page_up:
            return index_on_photo_row(here >= page ? here - page : 0, column);
        case NavKey::page_down:
            return down_by(page);
        case NavKey::home:
            return 0;
        case NavKey::end:
            return last;
    }
    return f;
}

std::vector<GridSection> date_sections(const std::vector<TimelineYear>& timeline, uint64_t total) {
    std::vector<GridSection> sections;
    uint64_t next = 0;
    for (const TimelineYear& year : timeline) {
        for (const TimelineMonth& month : year.months) {
            if (next >= total) break;
            const uint64_t count = std::min(month.count, total - next);
            sections.push_back(GridSection{month_heading(month.month), next, count});
            next += count;
        }
    }
    if (sections.empty()) return {GridSection{{}, 0, total}};
    if (next < total) sections.push_back(GridSection{kNoDateHeading, next, total - next});
    return sections;
}

GridLayout grid_layout_of(const State& state, uint32_t columns) {
    return GridLayout(date_sections(timeline_of(state), state.results.count()), columns);
}

}  // namespace lbx::shell
