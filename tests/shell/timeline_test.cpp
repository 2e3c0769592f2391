// The timeline beside the grid: years and months of the matches in the grid's order, and jumps to them.
#include "model/reducer.hpp"
#include "model/timeline.hpp"
#include "reducer_fixtures.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace lbx;
using namespace lbx::shell;
using namespace lbx::shell::test_fixtures;

namespace {

// A connected shell whose query matched `total` photos (the first page loaded) with these month counts
// (newest first, as the engine sends them).
State with_months(uint64_t total, std::vector<ipc::FacetCount> months) {
    State s = with_results(total);
    ipc::FacetsReply facets;
    facets.months = std::move(months);
    s.facets = facets;
    return s;
}

}  // namespace

TEST_CASE("the timeline lists years and months in the grid's order with where each starts", "[shell]") {
    State s = with_months(1000, {{"2020-02", 100}, {"2019-12", 300}, {"2019-06", 500}});  // 100 without a date
    auto timeline = timeline_of(s);
    REQUIRE(timeline.size() == 2);
    CHECK(timeline[0].year == "2019");  // oldest first: the default sort
    CHECK(timeline[0].count == 800);
    CHECK(timeline[0].first_index == 0);
    REQUIRE(timeline[0].months.size() == 2);
    CHECK(timeline[0].months[1].month == "2019-12");
    CHECK(timeline[0].months[1].first_index == 500);
    CHECK(timeline[1].first_index == 800);
    CHECK(first_index_of(timeline, "2020-02") == 800u);
    CHECK_FALSE(first_index_of(timeline, "2018"));

    s = reduce(std::move(s), SortChanged{ipc::QuerySort::taken, true});  // newest first
    s.facets = ipc::FacetsReply{};
    s.facets->months = {{"2020-02", 100}, {"2019-12", 300}, {"2019-06", 500}};
    timeline = timeline_of(s);
    REQUIRE(timeline.size() == 2);
    CHECK(timeline[0].year == "2020");
    CHECK(first_index_of(timeline, "2019") == 100u);
    CHECK(first_index_of(timeline, "2019-06") == 400u);

    s = reduce(std::move(s), SortChanged{ipc::QuerySort::path, false});
    s.facets = ipc::FacetsReply{};
    s.facets->months = {{"2019-06", 500}};
    CHECK(timeline_of(s).empty());  // sorted by name: no timeline
}

TEST_CASE("a timeline jump focuses the month's first photo, asks for its page and scrolls the grid once", "[shell]") {
    State s = with_months(1000, {{"2020-02", 100}, {"2019-12", 300}, {"2019-06", 500}});
    s = reduce(std::move(s), TimelineJump{"2019-12"});
    CHECK(s.focused == 500u);
    CHECK(s.grid_jump.index == 500u);
    CHECK(s.grid_jump.serial == 1);
    const auto asked = std::count_if(s.outbox.begin(), s.outbox.end(), [](const Command& c) {
        const auto* q = std::get_if<ipc::Query>(&c.request);
        return q && q->offset == 500;
    });
    CHECK(asked == 1);
    s = reduce(std::move(s), TimelineJump{"2019-12"});
    CHECK(s.grid_jump.serial == 2);  // the same place again scrolls again
    s = reduce(std::move(s), TimelineJump{"1999"});
    CHECK(s.grid_jump.serial == 2);  // not on the timeline: nothing
    CHECK(month_heading("2019-06") == "June 2019");
    CHECK(month_heading("2019-13") == "2019-13");
}
