#include "views/ui_probe.hpp"

#include "app/store.hpp"
#include "views/main_frame.hpp"
#include "views/thumbnail_grid.hpp"

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
    if (scrolling_ && last_tick_ != Clock::time_point{}) max_gap_ms_ = std::max(max_gap_ms_, ms(now - last_tick_));
    last_tick_ = now;
    ThumbnailGrid& grid = frame_.grid();
    if (done_) return;
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
    if (row_ + grid.rows_per_page() >= rows) finish();
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
        << "max_scroll_step_ms " << max_step_ms_ << "\n";
    out.close();
    frame_.Close();
}

}  // namespace lbx::shell
