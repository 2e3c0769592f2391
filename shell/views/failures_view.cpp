#include "views/failures_view.hpp"

#include <wx/panel.h>
#include <wx/button.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>

namespace lbx::shell {

FailuresView::FailuresView(wxWindow* parent, Store& store)
    : wxFrame(parent, wxID_ANY, "Lightbox - Files that failed", wxDefaultPosition, wxSize(900, 420)), store_(store) {
    auto* panel = new wxPanel(this);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    list_ = new wxListCtrl(panel, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT);
    list_->AppendColumn("Path", wxLIST_FORMAT_LEFT, 380);
    list_->AppendColumn("Stage", wxLIST_FORMAT_LEFT, 90);
    list_->AppendColumn("Plugin", wxLIST_FORMAT_LEFT, 170);
    list_->AppendColumn("Reason", wxLIST_FORMAT_LEFT, 300);
    sizer->Add(list_, 1, wxEXPAND | wxALL, 6);
    auto* refresh = new wxButton(panel, wxID_REFRESH, "Refresh");
    refresh->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { store_.dispatch(RefreshFailures{}); });
    sizer->Add(refresh, 0, wxALIGN_RIGHT | wxALL, 6);
    panel->SetSizer(sizer);
    render();
}

void FailuresView::render() {
    const State& s = store_.state();
    if (s.failures == shown_ && list_->GetItemCount() > 0) return;
    shown_ = s.failures;
    list_->DeleteAllItems();
    for (const auto& f : shown_) {
        const long row = list_->InsertItem(list_->GetItemCount(), wxString::FromUTF8(f.path));
        list_->SetItem(row, 1, wxString::FromUTF8(f.stage));
        list_->SetItem(row, 2, wxString::FromUTF8(f.plugin_id + " " + f.plugin_version));
        list_->SetItem(row, 3, wxString::FromUTF8(f.code + ": " + f.message));
    }
    SetTitle(wxString::Format("Lightbox - Files that failed (%llu)", static_cast<unsigned long long>(s.failures_total)));
}

}  // namespace lbx::shell
