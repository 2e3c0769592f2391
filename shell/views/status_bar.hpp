// The status bar: engine state, photo count, the last error (it goes away when clicked, or after
// kErrorShownMilliseconds without a newer one: the engine's later state is in the first two fields). With LIGHTBOX_SHELL_STATUS_LOG set, every
// change of the text is also appended to that file (one line each), so GUI tests can read what the
// user sees without OCR.
#pragma once

#include "app/store.hpp"

#include <wx/statusbr.h>
#include <wx/timer.h>

#include <fstream>

namespace lbx::shell {

class StatusBar : public wxStatusBar {
public:
    StatusBar(wxWindow* parent, Store& store);
    void render();
    void log(const std::string& line);  // to LIGHTBOX_SHELL_STATUS_LOG only, when it changed

private:
    void set(int field, const std::string& text);

    Store& store_;
    wxTimer error_timer_;               // clears the error it was started for
    uint64_t timed_error_serial_ = 0;
    std::ofstream log_;
    std::string shown_[3];
    std::string last_logged_;
};

std::string engine_line(const EngineView& engine);

}  // namespace lbx::shell
