#include "views/plugins_dialog.hpp"

#include <wx/button.h>
#include <wx/panel.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

namespace lbx::shell {

PluginsDialog::PluginsDialog(wxWindow* parent, Store& store)
    : wxFrame(parent, wxID_ANY, "Lightbox - Plugins", wxDefaultPosition, wxSize(900, 460)), store_(store) {
    auto* panel = new wxPanel(this);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    sizer->Add(new wxStaticText(panel, wxID_ANY, "Loaded"), 0, wxALL, 6);
    loaded_ = new wxListCtrl(panel, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT);
    loaded_->AppendColumn("Plugin", wxLIST_FORMAT_LEFT, 220);
    loaded_->AppendColumn("Version", wxLIST_FORMAT_LEFT, 80);
    loaded_->AppendColumn("Stages", wxLIST_FORMAT_LEFT, 260);
    loaded_->AppendColumn("Formats", wxLIST_FORMAT_LEFT, 100);
    loaded_->AppendColumn("File", wxLIST_FORMAT_LEFT, 220);
    sizer->Add(loaded_, 2, wxEXPAND | wxLEFT | wxRIGHT, 6);
    sizer->Add(new wxStaticText(panel, wxID_ANY, "Rejected"), 0, wxALL, 6);
    rejected_ = new wxListCtrl(panel, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT);
    rejected_->AppendColumn("File", wxLIST_FORMAT_LEFT, 380);
    rejected_->AppendColumn("Reason", wxLIST_FORMAT_LEFT, 480);
    sizer->Add(rejected_, 1, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    auto* close = new wxButton(panel, wxID_CLOSE, "Close");
    close->SetToolTip("Close this window (Esc)");
    close->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { Close(); });
    sizer->Add(close, 0, wxALIGN_RIGHT | wxALL, 6);
    panel->SetSizer(sizer);
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (e.GetKeyCode() == WXK_ESCAPE && !e.HasAnyModifiers()) Close();
        else e.Skip();
    });
    render();
}

void PluginsDialog::render() {
    const State& s = store_.state();
    if (s.plugins == shown_) return;
    shown_ = s.plugins;
    loaded_->DeleteAllItems();
    rejected_->DeleteAllItems();
    if (!shown_) return;
    for (const auto& p : shown_->plugins) {
        std::string stages, formats;
        for (const auto& st : p.stages) stages += (stages.empty() ? "" : ", ") + st.id + " (" + st.kind + ")";
        for (const auto& f : p.formats) formats += (formats.empty() ? "" : " ") + f;
        const long row = loaded_->InsertItem(loaded_->GetItemCount(), wxString::FromUTF8(p.id));
        loaded_->SetItem(row, 1, wxString::FromUTF8(p.version));
        loaded_->SetItem(row, 2, wxString::FromUTF8(stages));
        loaded_->SetItem(row, 3, wxString::FromUTF8(formats));
        loaded_->SetItem(row, 4, wxString::FromUTF8(p.path));
    }
    for (const auto& r : shown_->rejected) {
        const long row = rejected_->InsertItem(rejected_->GetItemCount(), wxString::FromUTF8(r.path));
        rejected_->SetItem(row, 1, wxString::FromUTF8(r.error));
    }
}

}  // namespace lbx::shell
