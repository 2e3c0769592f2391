#include "views/timeline_bar.hpp"

#include "views/bitmaps.hpp"

#include <wx/dcclient.h>

#include <algorithm>

namespace lbx::shell {
namespace {

constexpr int kWidth = 84;
constexpr int kLabelHeight = 18;  // a year's label: the least a year gets
const wxColour kMonthBar(0x5a, 0x8f, 0xd8);

}  // namespace

TimelineBar::TimelineBar(wxWindow* parent, Store& store) : wxPanel(parent, wxID_ANY), store_(store) {
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    SetMinSize(wxSize(kWidth, -1));
    SetToolTip("Timeline: click a year or a month to jump there");
    Bind(wxEVT_PAINT, [this](wxPaintEvent&) { on_paint(); });
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        lay_out();
        Refresh(false);
        e.Skip();
    });
    Bind(wxEVT_MOTION, [this](wxMouseEvent& e) {
        // What a bar is: "June 2019: 120 photos".
        wxString tip = "Timeline: click a year or a month to jump there";
        for (const Spot& spot : spots_) {
            if (!spot.is_year && e.GetY() >= spot.rect.y && e.GetY() <= spot.rect.GetBottom())
                tip = wxString::FromUTF8(month_heading(spot.period)) + wxString::Format(": %llu photos", static_cast<unsigned long long>(spot.count));
        }
        if (GetToolTipText() != tip) SetToolTip(tip);
        e.Skip();
    });
    Bind(wxEVT_LEFT_DOWN, [this](wxMouseEvent& e) {
        // The month under the pointer, else the year whose block it is in.
        const Spot* hit = nullptr;
        for (const Spot& spot : spots_) {
            if (e.GetY() >= spot.rect.y && e.GetY() < spot.rect.GetBottom() + 1 && (!hit || !spot.is_year)) hit = &spot;
        }
        if (hit) store_.dispatch(TimelineJump{hit->period});
    });
}

void TimelineBar::render() {
    std::vector<TimelineYear> timeline = timeline_of(store_.state());
    const bool same = timeline.size() == timeline_.size() &&
                      std::equal(timeline.begin(), timeline.end(), timeline_.begin(), [](const TimelineYear& a, const TimelineYear& b) {
                          return a.year == b.year && a.count == b.count && a.months.size() == b.months.size();
                      });
    if (same) return;
    timeline_ = std::move(timeline);
    lay_out();
    Refresh(false);
}

void TimelineBar::lay_out() {
    spots_.clear();
    const int height = GetClientSize().y;
    uint64_t total = 0;
    for (const TimelineYear& year : timeline_) total += year.count;
    if (timeline_.empty() || total == 0 || height <= 0) return;
    // Each year its label, and the height left shared by photo counts.
    const int spare = std::max(0, height - kLabelHeight * static_cast<int>(timeline_.size()));
    uint64_t max_month = 1;
    for (const TimelineYear& year : timeline_)
        for (const TimelineMonth& month : year.months) max_month = std::max(max_month, month.count);
    double y = 0;
    for (const TimelineYear& year : timeline_) {
        const double share = static_cast<double>(spare) * static_cast<double>(year.count) / static_cast<double>(total);
        const int top = static_cast<int>(y);
        const int block = kLabelHeight + static_cast<int>(share);
        spots_.push_back(Spot{year.year, wxRect(0, top, kWidth, block), year.count, true});
        // Months below the label, each its share of the rest of the block (at least a pixel).
        double month_y = top + kLabelHeight;
        for (const TimelineMonth& month : year.months) {
            const double h = share * static_cast<double>(month.count) / static_cast<double>(std::max<uint64_t>(year.count, 1));
            const int bar = std::max(1, static_cast<int>(month.count * (kWidth - 12) / max_month));
            spots_.push_back(Spot{month.month, wxRect(6, static_cast<int>(month_y), bar, std::max(1, static_cast<int>(h) - 1)), month.count, false});
            month_y += h;
        }
        y += block;
    }
}

void TimelineBar::on_paint() {
    wxPaintDC dc(this);
    dc.SetBackground(wxBrush(theme::kBackground));
    dc.Clear();
    dc.SetPen(*wxTRANSPARENT_PEN);
    dc.SetTextForeground(theme::kCaption);
    std::string line;
    for (const Spot& spot : spots_) {
        if (spot.is_year) {
            dc.DrawText(wxString::FromUTF8(spot.period), 6, spot.rect.y + 2);
            const wxPoint centre = ClientToScreen(wxPoint(6 + dc.GetTextExtent(spot.period).x / 2, spot.rect.y + kLabelHeight / 2));
            line += (line.empty() ? "timeline: " : "; ") + spot.period + " at " + std::to_string(centre.x) + "," + std::to_string(centre.y);
        } else {
            dc.SetBrush(wxBrush(kMonthBar));
            dc.DrawRectangle(spot.rect);
        }
    }
    if (on_log_ && line != logged_) on_log_(logged_ = line);
}

}  // namespace lbx::shell
