// The timeline beside the grid (model/timeline.hpp): the years of the matches top to bottom in the
// grid's order, each as tall as its share of the photos (never less than its label), its months as bars
// as long as their counts. A click on a year's label jumps the grid to that year, on a month's bar to
// that month. Shown only while the grid is sorted by date taken.
#pragma once

#include "app/store.hpp"
#include "model/timeline.hpp"

#include <wx/panel.h>

#include <functional>
#include <string>
#include <vector>

namespace lbx::shell {

class TimelineBar : public wxPanel {
public:
    TimelineBar(wxWindow* parent, Store& store);
    void render();
    // Whether there is a timeline to show for the results now (sorted by date, months known).
    bool has_timeline() const { return !timeline_.empty(); }
    // "timeline: 2019 at X,Y; 2018 at X,Y" (screen positions of the year labels) for the status log.
    void set_on_log(std::function<void(const std::string&)> on_log) { on_log_ = std::move(on_log); }

private:
    // Where each period is drawn: a year's label, or a month's bar.
    struct Spot {
        std::string period;
        wxRect rect;
        uint64_t count = 0;
        bool is_year = false;
    };
    void lay_out();
    void on_paint();

    Store& store_;
    std::vector<TimelineYear> timeline_;
    std::vector<Spot> spots_;
    std::string logged_;
    std::function<void(const std::string&)> on_log_;
};

}  // namespace lbx::shell
