#include "views/ui_probe.hpp"

#include "app/store.hpp"
#include "model/timeline.hpp"
#include "views/main_frame.hpp"
#include "views/thumbnail_grid.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace lbx::shell {
namespace {
double ms(std::chrono::steady_clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
}  // namespace

UiProbe::UiProbe(Store& store, MainFrame& frame, ProbeOptions options)
    : store_(store), frame_(frame), options_(std::move(options)), timer_(this) {
    Bind(wxEVT_TIMER, &UiProbe::tick, this);
    if (!options_.bench_file.empty()) timer_.Start(2);
}

void UiProbe::on_change() {
    const State& s = store_.state();
    if (s.engine.status == EngineStatus::connected && connected_at_ == Clock::time_point{}) connected_at_ = Clock::now();
    if (s.results.count() == 0 || !s.results.at(0)) return;
    if ((options_.select_first || options_.open_first) && !selected_) {
        selected_ = true;
        store_.dispatch(FocusIndex{0});
    }
    if (options_.open_first && !opened_) {
        opened_ = true;
        store_.dispatch(OpenFocused{});
        return;  // dispatch re-entered on_change
    }
    if (options_.zoom_first && s.open_photo && !zoomed_) {
        zoomed_ = true;
        store_.dispatch(ToggleZoom{});
        return;
    }
    if (zoomed_ && !full_reported_ && s.open_photo) {
        if (const wxBitmap* full = store_.thumbnail({s.open_photo->id, ipc::kFullResolution})) {
            full_reported_ = true;
            std::fprintf(stderr, "probe: full resolution %dx%d\n", full->GetWidth(), full->GetHeight());
            std::fflush(stderr);
        } else if (s.open_photo->full_resolution_error) {
            full_reported_ = true;
            std::fprintf(stderr, "probe: full resolution failed: %s\n", s.open_photo->full_resolution_error->c_str());
            std::fflush(stderr);
        }
    }
}

void UiProbe::tick(wxTimerEvent&) {
    const auto now = Clock::now();
    // The gap since the last tick: how long the event loop could not run a 2 ms timer.
    if (scrolling_ && last_tick_ != Clock::time_point{} && ms(now - last_tick_) > max_gap_ms_) {
        max_gap_ms_ = ms(now - last_tick_);
        // When it was: which scroll step or jump, and how long after the start (where to look).
        max_gap_when_ = (jumping_ ? "jump " + std::to_string(next_jump_) : "scroll step " + std::to_string(steps_)) + " at " +
                        std::to_string(static_cast<long>(ms(now - options_.started))) + " ms";
    }
    last_tick_ = now;
    ThumbnailGrid& grid = frame_.grid();
    if (done_) return;
    if (jumping_) {
        jump_step(now);
        return;
    }
    if (first_screen_at_ == Clock::time_point{}) {
        if (grid.painted_cells() > 0 && grid.painted_thumbnails() == grid.painted_cells()) {
            first_screen_at_ = now;
            scrolling_ = true;
            scroll_started_ = now;
            last_tick_ = Clock::now();
        } else if (now - options_.started > std::chrono::seconds(60)) {
            finish();
        }
        return;
    }
    // One page further per tick, painted at once (Update), to the end.
    const std::size_t rows = grid.GetRowCount();
    const auto step_start = Clock::now();
    row_ = std::min(rows ? rows - 1 : 0, row_ + grid.rows_per_page());
    grid.scroll_to_row_now(row_);
    max_step_ms_ = std::max(max_step_ms_, ms(Clock::now() - step_start));
    ++steps_;
    last_tick_ = Clock::now();
    if (row_ + grid.rows_per_page() < rows) return;
    // At the end of the grid: the timeline jumps next, oldest year first (the farthest from here), each
    // timed from the click's action to a paint of the jumped-to screen with every thumbnail in it.
    scrolling_ = false;
    jumping_ = true;
    for (const TimelineYear& year : timeline_of(store_.state())) jump_periods_.push_back(year.year);
    if (jump_periods_.empty()) finish();
}

void UiProbe::jump_step(Clock::time_point now) {
    ThumbnailGrid& grid = frame_.grid();
    if (jump_pending_) {
        const uint64_t first = grid.first_visible_index();
        const bool target_on_screen = first <= jump_target_ && jump_target_ < first + grid.columns() * grid.rows_per_page();
        const bool full_screen = grid.painted_cells() > 0 && grid.painted_thumbnails() == grid.painted_cells();
        if (grid.paints() > paints_at_jump_ && target_on_screen && full_screen) {
            jump_ms_.push_back(ms(now - jump_started_));
            jump_pending_ = false;
        } else if (now - jump_started_ > std::chrono::seconds(10)) {
            ++jumps_timed_out_;
            jump_pending_ = false;
        }
        return;
    }
    if (next_jump_ >= jump_periods_.size()) {
        finish();
        return;
    }
    const std::string period = jump_periods_[next_jump_++];
    const auto target = first_index_of(timeline_of(store_.state()), period);
    if (!target) return;
    jump_target_ = *target;
    paints_at_jump_ = grid.paints();
    jump_started_ = Clock::now();
    jump_pending_ = true;
    store_.dispatch(TimelineJump{period});
    // The longest gap counts the jumps too: a jump that blocks the event loop is a stall.
    scrolling_ = true;
}

void UiProbe::finish() {
    done_ = true;
    timer_.Stop();
    const State& s = store_.state();
    std::ofstream out(options_.bench_file);
    const auto since = [&](Clock::time_point t) { return t == Clock::time_point{} ? -1.0 : ms(t - options_.started); };
    out << "photos " << s.results.count() << "\n"
        << "connected_ms " << since(connected_at_) << "\n"
        << "first_screen_ms " << since(first_screen_at_) << "\n"
        << "first_screen_after_connect_ms " << (first_screen_at_ == Clock::time_point{} || connected_at_ == Clock::time_point{} ? -1.0 : ms(first_screen_at_ - connected_at_)) << "\n"
        << "scroll_steps " << steps_ << "\n"
        << "scroll_total_ms " << (scrolling_ ? ms(Clock::now() - scroll_started_) : -1.0) << "\n"
        << "max_event_loop_gap_ms " << max_gap_ms_ << "\n"
        << "max_event_loop_gap_when " << max_gap_when_ << "\n"
        << "max_scroll_step_ms " << max_step_ms_ << "\n"
        // Where a stall came from: the slowest action dispatched (reducer and renders), the slowest grid paint.
        << "slowest_dispatch_ms " << store_.slowest_dispatch().ms << " action_index " << store_.slowest_dispatch().action_index << "\n"
        << "slowest_grid_paint_ms " << frame_.grid().slowest_paint_ms() << "\n"
        << "timeline_jumps " << jump_ms_.size() << "\n"
        << "timeline_jumps_timed_out " << jumps_timed_out_ << "\n";
    std::vector<double> sorted = jump_ms_;
    std::sort(sorted.begin(), sorted.end());
    out << "median_timeline_jump_ms " << (sorted.empty() ? -1.0 : sorted[sorted.size() / 2]) << "\n"
        << "max_timeline_jump_ms " << (sorted.empty() ? -1.0 : sorted.back()) << "\n"
        << "timeline_jump_ms";
    for (double t : jump_ms_) out << " " << static_cast<long>(t);
    out << "\n";
    out.close();
    frame_.Close();
}

}  // namespace lbx::shell
