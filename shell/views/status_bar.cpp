#include "views/status_bar.hpp"

#include <cstdlib>

namespace lbx::shell {
namespace {

constexpr int kErrorShownMilliseconds = 20000;

}  // namespace

std::string engine_line(const EngineView& e) {
    std::string line = "Engine " + std::string(to_string(e.status));
    if (e.status == EngineStatus::connected) line += e.pid ? " (pid " + std::to_string(e.pid) + ")" : " (attached)";
    if (!e.detail.empty()) line += ": " + e.detail;
    return line;
}

// Without wxSTB_SHOW_TIPS: render() sets the bar's own tooltip (the whole message), which wx forbids with
// that style (an assertion, whose modal dialog took every key and click from the window).
StatusBar::StatusBar(wxWindow* parent, Store& store)
    : wxStatusBar(parent, wxID_ANY, wxSTB_DEFAULT_STYLE & ~wxSTB_SHOW_TIPS), store_(store) {
    const int widths[] = {-2, 180, -3};
    SetFieldsCount(3, widths);
    if (const char* path = std::getenv("LIGHTBOX_SHELL_STATUS_LOG"); path && *path) log_.open(path, std::ios::app);
    error_timer_.SetOwner(this);
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { store_.dispatch(ClearLastError{timed_error_serial_}); });
    Bind(wxEVT_LEFT_DOWN, [this](wxMouseEvent& e) {
        wxRect message;
        if (GetFieldRect(2, message) && message.Contains(e.GetPosition())) store_.dispatch(ClearLastError{store_.state().last_error_serial});
        e.Skip();
    });
    render();
}

void StatusBar::set(int field, const std::string& text) {
    if (shown_[field] == text) return;
    shown_[field] = text;
    SetStatusText(wxString::FromUTF8(text), field);
    if (log_) log_ << (field == 0 ? "engine: " : field == 1 ? "photos: " : "message: ") << text << std::endl;
}

void StatusBar::log(const std::string& line) {
    if (!log_ || line == last_logged_) return;
    last_logged_ = line;
    log_ << line << std::endl;
}

void StatusBar::render() {
    const State& s = store_.state();
    set(0, engine_line(s.engine));
    std::string count = photo_count_line(s);
    if (s.selection.pending_range) count += ", selecting...";
    else if (s.selection.ids.size() > 1) count += ", " + std::to_string(s.selection.ids.size()) + " selected";
    // Where the search box's plain words matched the focused photo ("camera: Apple iPhone 8").
    if (const ipc::PhotoSummary* focused = focused_photo(s); focused && !focused->matched.empty())
        count += " · matched " + focused->matched;
    set(1, count);
    // The last error, or what the user's last change did (status_message).
    const std::string& message = status_message(s);
    set(2, message);
    if (!message.empty() && s.last_error_serial != timed_error_serial_) {
        timed_error_serial_ = s.last_error_serial;
        error_timer_.StartOnce(kErrorShownMilliseconds);
    }
    // The whole line when the field cuts it; a click clears it.
    const wxString tip = message.empty() ? wxString() : wxString::FromUTF8(message) + "\n(click to clear)";
    if (GetToolTipText() != tip) SetToolTip(tip);
}

}  // namespace lbx::shell
