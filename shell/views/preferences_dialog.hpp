// Preferences the engine applies (SetSettings): thumbnail sizes, cache budget, worker threads,
// pipeline. Modeless; OK sends the settings and closes, the engine's answer updates the state.
#pragma once

#include "app/store.hpp"

#include <wx/frame.h>

class wxTextCtrl;
class wxSpinCtrl;

namespace lbx::shell {

class PreferencesDialog : public wxFrame {
public:
    PreferencesDialog(wxWindow* parent, Store& store);
    // Shows the engine's settings as they arrive, until the user edits a field.
    void render();

private:
    std::string setting(const std::string& key, const std::string& fallback) const;
    int number(const std::string& key, int fallback) const;

    Store& store_;
    wxTextCtrl* sizes_;
    wxSpinCtrl* budget_;
    wxSpinCtrl* workers_;
    wxTextCtrl* pipeline_;
    std::vector<ipc::Setting> shown_settings_;
    bool edited_ = false;
};

}  // namespace lbx::shell
