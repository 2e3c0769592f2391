#include "views/preferences_dialog.hpp"

#include <wx/panel.h>
#include <wx/button.h>
#include <wx/sizer.h>
#include <wx/spinctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <lightbox/ipc/settings.hpp>

namespace lbx::shell {
namespace {

namespace keys = ipc::settings;

// What the fields show before the engine has sent its settings: the engine's own defaults.
const std::string kDefaultSizes = keys::sizes_text(keys::kDefaultThumbnailSizes);

}  // namespace

std::string PreferencesDialog::setting(const std::string& key, const std::string& fallback) const {
    for (const auto& s : store_.state().settings) if (s.key == key) return s.value;
    return fallback;
}

int PreferencesDialog::number(const std::string& key, int fallback) const {
    try { return std::stoi(setting(key, std::to_string(fallback))); } catch (...) { return fallback; }
}

PreferencesDialog::PreferencesDialog(wxWindow* parent, Store& store)
    : wxFrame(parent, wxID_ANY, "Lightbox - Preferences", wxDefaultPosition, wxSize(460, 300)), store_(store) {
    auto* panel = new wxPanel(this);
    auto* grid = new wxFlexGridSizer(2, 8, 8);
    grid->AddGrowableCol(1);
    const auto row = [&](const char* label, wxWindow* control) {
        grid->Add(new wxStaticText(panel, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL);
        grid->Add(control, 1, wxEXPAND);
    };
    sizes_ = new wxTextCtrl(panel, wxID_ANY, wxString::FromUTF8(setting(keys::kThumbnailSizes, kDefaultSizes)));
    budget_ = new wxSpinCtrl(panel, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS, static_cast<int>(keys::kMinCacheBudgetMb), 1 << 20,
                             number(keys::kCacheBudgetMb, static_cast<int>(keys::kDefaultCacheBudgetMb)));
    workers_ = new wxSpinCtrl(panel, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS, keys::kMinWorkers, keys::kMaxWorkers,
                              number(keys::kWorkers, static_cast<int>(keys::default_workers())));
    pipeline_ = new wxTextCtrl(panel, wxID_ANY, wxString::FromUTF8(setting(keys::kPipeline, keys::kDefaultPipeline)));
    row("Thumbnail sizes (long edge, px)", sizes_);
    row("Thumbnail cache budget (MiB)", budget_);
    row("Worker threads per scan", workers_);
    row("Pipeline (name or config path)", pipeline_);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    sizer->Add(grid, 1, wxEXPAND | wxALL, 12);
    sizer->Add(new wxStaticText(panel, wxID_ANY, "Applied by the engine to scans started afterwards."), 0, wxLEFT | wxRIGHT, 12);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    auto* cancel = new wxButton(panel, wxID_CANCEL, "Cancel");
    auto* ok = new wxButton(panel, wxID_OK, "Apply");
    buttons->Add(cancel, 0, wxRIGHT, 8);
    buttons->Add(ok, 0);
    sizer->Add(buttons, 0, wxALIGN_RIGHT | wxALL, 12);
    panel->SetSizer(sizer);
    shown_settings_ = store_.state().settings;
    // ChangeValue and SetValue below send no events, so these are the user's edits only.
    for (wxTextCtrl* text : {sizes_, pipeline_}) text->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { edited_ = true; });
    for (wxSpinCtrl* spin : {budget_, workers_}) spin->Bind(wxEVT_SPINCTRL, [this](wxSpinEvent&) { edited_ = true; });
    // As in a dialog: Enter applies, Esc closes without applying.
    ok->SetDefault();
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (e.GetKeyCode() == WXK_ESCAPE) Close();
        else e.Skip();
    });
    cancel->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Close(); });
    ok->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        store_.dispatch(ApplySettings{{{keys::kThumbnailSizes, sizes_->GetValue().utf8_string()},
                                       {keys::kCacheBudgetMb, std::to_string(budget_->GetValue())},
                                       {keys::kWorkers, std::to_string(workers_->GetValue())},
                                       {keys::kPipeline, pipeline_->GetValue().utf8_string()}}});
        Close();
    });
}

void PreferencesDialog::render() {
    const auto& settings = store_.state().settings;
    if (edited_ || settings == shown_settings_) return;
    shown_settings_ = settings;
    sizes_->ChangeValue(wxString::FromUTF8(setting(keys::kThumbnailSizes, kDefaultSizes)));
    budget_->SetValue(number(keys::kCacheBudgetMb, static_cast<int>(keys::kDefaultCacheBudgetMb)));
    workers_->SetValue(number(keys::kWorkers, static_cast<int>(keys::default_workers())));
    pipeline_->ChangeValue(wxString::FromUTF8(setting(keys::kPipeline, keys::kDefaultPipeline)));
}

}  // namespace lbx::shell
