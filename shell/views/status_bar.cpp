#include "views/status_bar.hpp"

#include <cstdlib>

namespace lbx::shell {

std::string engine_line(const EngineView& e) {
    std::string line = "Engine " + std::string(to_string(e.status));
    if (e.status == EngineStatus::connected) line += e.pid ? " (pid " + std::to_string(e.pid) + ")" : " (attached)";
    if (!e.detail.empty()) line += ": " + e.detail;
    return line;
}

StatusBar::StatusBar(wxWindow* parent, Store& store) : wxStatusBar(parent, wxID_ANY), store_(store) {
    const int widths[] = {-2, 180, -3};
    SetFieldsCount(3, widths);
    if (const char* path = std::getenv("LIGHTBOX_SHELL_STATUS_LOG"); path && *path) log_.open(path, std::ios::app);
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
    set(2, s.last_error);
}

}  // namespace lbx::shell
