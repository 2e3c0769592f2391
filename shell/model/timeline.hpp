// The timeline beside the grid: the years and months of the matches, each with how many photos and
// where its first photo is in the results. Pure arithmetic on the facets (the engine counts every year
// and month, newest first), no wx.
#pragma once

#include "model/state.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace lbx::shell {

struct TimelineMonth {
    std::string month;        // "2019-06"
    uint64_t count = 0;
    uint64_t first_index = 0;  // of its first photo in the results, in the order they are sorted
};

struct TimelineYear {
    std::string year;  // "2019"
    uint64_t count = 0;
    uint64_t first_index = 0;
    std::vector<TimelineMonth> months;  // in the results' order
};

// The timeline of the results, in their order (oldest first unless "Newest first"). Empty unless they
// are sorted by date taken and the facets are known: a timeline of photos sorted by name would jump to
// the wrong places. Photos without a date come after every month, in both directions.
std::vector<TimelineYear> timeline_of(const State& state);

// Where a period ("2019" or "2019-06") starts in the results; none when it is not on the timeline.
std::optional<uint64_t> first_index_of(const std::vector<TimelineYear>& timeline, const std::string& period);

// "June 2019" for "2019-06"; the text as given when it is not a month.
std::string month_heading(const std::string& month);

}  // namespace lbx::shell
