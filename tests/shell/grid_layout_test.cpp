// The grid's rows with date headings (model/grid_layout.hpp): which rows are headings, photo index <->
// row, the row a jump or a scroll puts at the top, the keyboard's moves over headings, and the sections
// of the results sorted by date taken ("No date" last; none when sorted otherwise).
#include "model/grid_layout.hpp"
#include "model/reducer.hpp"
#include "reducer_fixtures.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace lbx;
using namespace lbx::shell;
using namespace lbx::shell::test_fixtures;

namespace {

// June: 7 photos (two rows of 5, the second short), July: 3 (one short row), No date: 6 (two rows).
GridLayout three_sections() {
    return GridLayout({{"June 2019", 0, 7}, {"July 2019", 7, 3}, {kNoDateHeading, 10, 6}}, 5);
}

State with_months(uint64_t total, std::vector<ipc::FacetCount> months) {
    State s = with_results(total);
    ipc::FacetsReply facets;
    facets.months = std::move(months);
    s.facets = facets;
    return s;
}

}  // namespace

TEST_CASE("a heading row starts each month, and each month starts a row of its own", "[shell]") {
    const GridLayout layout = three_sections();
    REQUIRE(layout.row_count() == 8);  // heading, 2 rows; heading, 1 row; heading, 2 rows
    CHECK(layout.total() == 16);
    CHECK(layout.has_headings());
    const std::vector<std::size_t> headings{0, 3, 5};
    for (std::size_t row = 0; row < layout.row_count(); ++row) {
        INFO("row " << row);
        CHECK(layout.is_heading(row) == (std::find(headings.begin(), headings.end(), row) != headings.end()));
    }
    CHECK_FALSE(layout.is_heading(8));  // past the end
    CHECK(layout.row(0).text == "June 2019");
    CHECK(layout.row(3).text == "July 2019");
    CHECK(layout.row(5).text == "No date");
    const GridRow second = layout.row(2);
    CHECK_FALSE(second.heading);
    CHECK(second.first_index == 5);
    CHECK(second.count == 2);  // June's short row: July does not fill it
    CHECK(layout.row(4).first_index == 7);
    CHECK(layout.row(4).count == 3);
    CHECK(layout.row(7).first_index == 15);
    CHECK(layout.row(7).count == 1);

    // Photo index <-> row.
    CHECK(layout.row_of(0) == 1);
    CHECK(layout.row_of(4) == 1);
    CHECK(layout.row_of(5) == 2);
    CHECK(layout.row_of(6) == 2);
    CHECK(layout.row_of(7) == 4);
    CHECK(layout.row_of(10) == 6);
    CHECK(layout.row_of(15) == 7);
    CHECK(layout.index_at(2, 1) == 6u);
    CHECK_FALSE(layout.index_at(2, 2));  // past the short row's last photo
    CHECK_FALSE(layout.index_at(3, 0));  // a heading holds no photo
    CHECK_FALSE(layout.index_at(8, 0));
    CHECK(layout.index_at(6, 4) == 14u);

    // What the top of the screen shows: a heading stands for its month's first photo.
    CHECK(layout.first_index_from(0) == 0);
    CHECK(layout.first_index_from(3) == 7);
    CHECK(layout.first_index_from(2) == 5);
    CHECK(layout.first_index_from(8) == 16);
    // A jump to a month's first photo shows its heading; to a later row, the row itself.
    CHECK(layout.top_row_for(7) == 3);
    CHECK(layout.top_row_for(12) == 5);  // on No date's first row
    CHECK(layout.top_row_for(15) == 7);
    CHECK(layout.top_row_for(5) == 2);
}

TEST_CASE("without headings the layout is the plain grid, and moves are exactly move_focus's", "[shell]") {
    const GridLayout plain({{"", 0, 23}}, 5);
    CHECK_FALSE(plain.has_headings());
    CHECK(plain.row_count() == 5);
    CHECK(plain.row_of(22) == 4);
    CHECK(plain.top_row_for(5) == 1);
    CHECK(plain.first_index_from(3) == 15);
    // One month under a heading moves as the plain grid does too: the heading is not a row of photos.
    const GridLayout one_month({{"June 2019", 0, 23}}, 5);
    for (NavKey key : {NavKey::left, NavKey::right, NavKey::up, NavKey::down, NavKey::page_up, NavKey::page_down,
                       NavKey::home, NavKey::end}) {
        for (uint64_t f = 0; f < 25; ++f) {
            INFO("key " << static_cast<int>(key) << " from " << f);
            CHECK(plain.move(f, key, 2) == move_focus(f, 23, key, 5, 2));
            CHECK(one_month.move(f, key, 2) == move_focus(f, 23, key, 5, 2));
        }
    }
    CHECK(GridLayout().row_count() == 0);
    CHECK_FALSE(GridLayout().move(std::nullopt, NavKey::down, 1));
    CHECK(GridLayout().row_of(3) == 0);
}

TEST_CASE("arrows move over the headings to the same column of the next photo row", "[shell]") {
    const GridLayout layout = three_sections();
    // Down from June's first row, column 3: June's short row has 2 photos, the nearest is its last.
    CHECK(layout.move(3, NavKey::down, 2) == 6u);
    // Down from June's short row (column 1) over July's heading to July, column 1.
    CHECK(layout.move(6, NavKey::down, 2) == 8u);
    // Down from July (column 2) over No date's heading: No date's first row, column 2.
    CHECK(layout.move(9, NavKey::down, 2) == 12u);
    // Up comes back the same way.
    CHECK(layout.move(12, NavKey::up, 2) == 9u);
    CHECK(layout.move(8, NavKey::up, 2) == 6u);
    CHECK(layout.move(6, NavKey::up, 2) == 1u);
    CHECK(layout.move(1, NavKey::up, 2) == 1u);  // the first row: stays
    // Down from the last row stays; from the row above to a shorter last row, the last photo.
    CHECK(layout.move(15, NavKey::down, 2) == 15u);
    CHECK(layout.move(14, NavKey::down, 2) == 15u);
    // Left and Right go by index, across the months.
    CHECK(layout.move(6, NavKey::right, 2) == 7u);
    CHECK(layout.move(7, NavKey::left, 2) == 6u);
    // Pages count photo rows: two down from June's first row is July's.
    CHECK(layout.move(0, NavKey::page_down, 2) == 7u);
    CHECK(layout.move(2, NavKey::page_down, 3) == 12u);
    CHECK(layout.move(2, NavKey::page_down, 30) == 15u);  // past the end: the last photo
    CHECK(layout.move(14, NavKey::page_up, 2) == 6u);     // June's short row, column 4: its last photo
    CHECK(layout.move(14, NavKey::page_up, 30) == 4u);    // past the start: the first row, same column
    CHECK(layout.move(std::nullopt, NavKey::down, 2) == 0u);
    CHECK(layout.move(std::nullopt, NavKey::end, 2) == 15u);
    CHECK(layout.move(99, NavKey::left, 2) == 14u);  // the results shrank under the focus
}

TEST_CASE("sections follow the timeline when sorted by date taken, No date last, none otherwise", "[shell]") {
    State s = with_months(16, {{"2019-07", 3}, {"2019-06", 7}});  // newest first, as the engine sends them
    const GridLayout layout = grid_layout_of(s, 5);
    CHECK(layout == three_sections());

    // Newest first: July, June, then the photos without a date, still last.
    s = reduce(std::move(s), SortChanged{ipc::QuerySort::taken, true});
    s = reduce(std::move(s), ReplyArrived{commands_of<ipc::Query>(s)[0].request, s.results.generation,
                                          ipc::Reply{ipc::QueryReply{{}, 16, 0}}});
    const auto newest = date_sections(timeline_of(s), 16);
    REQUIRE(newest.size() == 3);
    CHECK(newest[0] == GridSection{"July 2019", 0, 3});
    CHECK(newest[1] == GridSection{"June 2019", 3, 7});
    CHECK(newest[2] == GridSection{"No date", 10, 6});

    // Every photo dated: no "No date".
    CHECK(date_sections(timeline_of(s), 10).size() == 2);
    // Months counted beyond the results (facets older than the pages): cut at the end.
    const auto cut = date_sections(timeline_of(s), 5);
    REQUIRE(cut.size() == 2);
    CHECK(cut[1] == GridSection{"June 2019", 3, 2});

    // Sorted by path or by date added, or no photo with a date: the plain grid.
    s = reduce(std::move(s), SortChanged{ipc::QuerySort::path, false});
    s.facets = ipc::FacetsReply{};
    s.facets->months = {{"2019-06", 7}};
    CHECK_FALSE(grid_layout_of(s, 5).has_headings());
    s = reduce(std::move(s), SortChanged{ipc::QuerySort::taken, false});
    s.facets = ipc::FacetsReply{};
    CHECK_FALSE(grid_layout_of(s, 5).has_headings());
    CHECK(date_sections({}, 4) == std::vector<GridSection>{{"", 0, 4}});
}

TEST_CASE("the reducer moves the focus over the grid's rows with their headings", "[shell]") {
    State s = with_months(16, {{"2019-07", 3}, {"2019-06", 7}});
    s = reduce(std::move(s), FocusIndex{6});
    s = reduce(std::move(s), MoveFocus{NavKey::down, 5, 2});
    CHECK(s.focused == 8u);  // July's row, same column, not index 11
    s = reduce(std::move(s), MoveFocus{NavKey::up, 5, 2});
    CHECK(s.focused == 6u);
}
