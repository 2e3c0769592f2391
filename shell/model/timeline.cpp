#include "model/timeline.hpp"

#include <algorithm>
#include <array>

namespace lbx::shell {

std::vector<TimelineYear> timeline_of(const State& state) {
    if (!state.facets || state.query.sort != ipc::QuerySort::taken) return {};
    // The facets are newest first; the results oldest first unless descending.
    std::vector<ipc::FacetCount> months = state.facets->months;
    std::sort(months.begin(), months.end(), [&](const ipc::FacetCount& a, const ipc::FacetCount& b) {
        return state.query.descending ? a.value > b.value : a.value < b.value;
    });
    std::vector<TimelineYear> years;
    uint64_t index = 0;
    for (const ipc::FacetCount& m : months) {
        if (m.value.size() < 7 || m.count <= 0) continue;
        const std::string year = m.value.substr(0, 4);
        if (years.empty() || years.back().year != year) years.push_back(TimelineYear{year, 0, index, {}});
        const auto count = static_cast<uint64_t>(m.count);
        years.back().months.push_back(TimelineMonth{m.value, count, index});
        years.back().count += count;
        index += count;
    }
    return years;
}

std::optional<uint64_t> first_index_of(const std::vector<TimelineYear>& timeline, const std::string& period) {
    for (const TimelineYear& year : timeline) {
        if (year.year == period) return year.first_index;
        for (const TimelineMonth& month : year.months)
            if (month.month == period) return month.first_index;
    }
    return std::nullopt;
}

std::string month_heading(const std::string& month) {
    static constexpr std::array<const char*, 12> kNames{"January", "February", "March",     "April",   "May",      "June",
                                                        "July",    "August",   "September", "October", "November", "December"};
    if (month.size() != 7 || month[4] != '-') return month;
    const int number = (month[5] - '0') * 10 + (month[6] - '0');
    if (number < 1 || number > 12) return month;
    return std::string(kNames[static_cast<std::size_t>(number - 1)]) + " " + month.substr(0, 4);
}

}  // namespace lbx::shell
