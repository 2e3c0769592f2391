// Instrumentation for tests and the UI benchmark, off unless asked for on the command line:
// --select-first / --open-first / --zoom-first act once results arrive (GUI tests cannot send keys without XTest);
// --bench-ui FILE times the first screen of thumbnails, then scrolls the grid end to end page by page
// while a 2 ms timer records the longest gap of the UI thread's event loop, then jumps the grid to each
// year of the timeline and times each jump to a full screen of thumbnails, writes the figures and quits.
#pragma once

#include <wx/event.h>
#include <wx/timer.h>

#include <chrono>
#include <string>
#include <vector>

namespace lbx::shell {

class Store;
class MainFrame;

struct ProbeOptions {
    bool select_first = false;
    bool open_first = false;
    bool zoom_first = false;  // then 100 %; "probe: full resolution WxH" on stderr once it is shown
    std::string bench_file;
    std::chrono::steady_clock::time_point started;  // process start
};

class UiProbe : public wxEvtHandler {
public:
    UiProbe(Store& store, MainFrame& frame, ProbeOptions options);
    void on_change();  // after every action

private:
    using Clock = std::chrono::steady_clock;
    void tick(wxTimerEvent& event);
    void jump_step(Clock::time_point now);
    void finish();

    Store& store_;
    MainFrame& frame_;
    ProbeOptions options_;
    bool selected_ = false;
    bool opened_ = false;
    bool zoomed_ = false;
    bool full_reported_ = false;
    wxTimer timer_;
    Clock::time_point connected_at_{};
    Clock::time_point first_screen_at_{};
    Clock::time_point last_tick_{};
    Clock::time_point scroll_started_{};
    double max_gap_ms_ = 0;
    std::string max_gap_when_;
    double max_step_ms_ = 0;
    std::size_t row_ = 0;
    std::size_t steps_ = 0;
    bool scrolling_ = false;
    // The timeline phase, after the scroll: the years to jump to, the jump waiting for its screen.
    bool jumping_ = false;
    std::vector<std::string> jump_periods_;
    std::size_t next_jump_ = 0;
    bool jump_pending_ = false;
    uint64_t jump_target_ = 0;
    uint64_t paints_at_jump_ = 0;
    Clock::time_point jump_started_{};
    std::vector<double> jump_ms_;  // each jump's time, in order
    std::size_t jumps_timed_out_ = 0;
    bool done_ = false;
};

}  // namespace lbx::shell
