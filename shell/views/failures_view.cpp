#include "views/failures_view.hpp"

#include <wx/button.h>
#include <wx/clipbrd.h>
#include <wx/listctrl.h>
#include <wx/panel.h>
#include <wx/sizer.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

#include <filesystem>

namespace lbx::shell {
namespace {

std::string reason_of(const ipc::FailureEntry& f) { return f.code + ": " + f.message; }

}  // namespace

FailuresView::FailuresView(wxWindow* parent, Store& store)
    : wxFrame(parent, wxID_ANY, "Lightbox - Files that failed", wxDefaultPosition, wxSize(900, 480)), store_(store) {
    auto* panel = new wxPanel(this);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    list_ = new wxListCtrl(panel, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT);
    list_->AppendColumn("Path", wxLIST_FORMAT_LEFT, 380);
    list_->AppendColumn("Stage", wxLIST_FORMAT_LEFT, 90);
    list_->AppendColumn("Plugin", wxLIST_FORMAT_LEFT, 170);
    list_->AppendColumn("Reason", wxLIST_FORMAT_LEFT, 300);
    sizer->Add(list_, 1, wxEXPAND | wxALL, 6);
    // The whole reason of the chosen row: the column cuts long ones.
    reason_ = new wxTextCtrl(panel, wxID_ANY, "", wxDefaultPosition, wxSize(-1, 70), wxTE_MULTILINE | wxTE_READONLY | wxTE_WORDWRAP);
    reason_->SetHint("the chosen file's whole reason");
    sizer->Add(reason_, 0, wxEXPAND | wxLEFT | wxRIGHT, 6);

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    const auto button = [&](wxWindowID id, const char* label, const char* tip, auto handler) {
        auto* b = new wxButton(panel, id, label);
        b->SetToolTip(tip);
        b->Bind(wxEVT_BUTTON, handler);
        buttons->Add(b, 0, wxLEFT, 6);
    };
    button(wxID_ANY, "Retry All", "Scan the library again, trying the files that failed once more",
           [this](wxCommandEvent&) { store_.dispatch(RetryFailedRequested{}); });
    button(wxID_ANY, "Show in Folder", "Open the chosen file's folder in the file manager", [this](wxCommandEvent&) { show_in_folder(); });
    button(wxID_COPY, "Copy", "Copy the chosen rows (all when none is chosen) as tab-separated text", [this](wxCommandEvent&) { copy_rows(); });
    button(wxID_REFRESH, "Refresh", "Read the list again", [this](wxCommandEvent&) { store_.dispatch(RefreshFailures{}); });
    buttons->AddStretchSpacer();
    button(wxID_CLOSE, "Close", "Close this window (Esc)", [this](wxCommandEvent&) { Close(); });
    sizer->Add(buttons, 0, wxEXPAND | wxALL, 6);
    panel->SetSizer(sizer);

    list_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent&) { show_reason(); });
    list_->Bind(wxEVT_LIST_ITEM_DESELECTED, [this](wxListEvent&) { show_reason(); });
    list_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent&) { show_in_folder(); });
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (e.GetKeyCode() == WXK_ESCAPE && !e.HasAnyModifiers()) Close();
        else if (e.GetKeyCode() == 'C' && e.GetModifiers() == wxMOD_CONTROL && FindFocus() == list_) copy_rows();
        else e.Skip();
    });
    render();
}

std::vector<std::size_t> FailuresView::chosen_rows() const {
    std::vector<std::size_t> rows;
    for (long i = list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED); i != -1;
         i = list_->GetNextItem(i, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED)) {
        if (static_cast<std::size_t>(i) < shown_.size()) rows.push_back(static_cast<std::size_t>(i));
    }
    return rows;
}

void FailuresView::show_reason() {
    const auto rows = chosen_rows();
    if (rows.empty()) {
        reason_->Clear();
        return;
    }
    const ipc::FailureEntry& f = shown_[rows.front()];
    reason_->ChangeValue(wxString::FromUTF8(f.path + "\n" + f.stage + " (" + f.plugin_id + " " + f.plugin_version + ")\n" + reason_of(f)));
}

void FailuresView::copy_rows() {
    std::vector<std::size_t> rows = chosen_rows();
    if (rows.empty())
        for (std::size_t i = 0; i < shown_.size(); ++i) rows.push_back(i);
    std::string text;
    for (const std::size_t i : rows) {
        const ipc::FailureEntry& f = shown_[i];
        text += f.path + "\t" + f.stage + "\t" + f.plugin_id + " " + f.plugin_version + "\t" + reason_of(f) + "\n";
    }
    wxClipboardLocker locked;
    if (!locked || !wxTheClipboard->SetData(new wxTextDataObject(wxString::FromUTF8(text)))) {  // the clipboard owns it
        store_.dispatch(DesktopLaunchFailed{"the clipboard could not be opened"});
    }
}

void FailuresView::show_in_folder() {
    const auto rows = chosen_rows();
    if (rows.empty()) return;
    const std::string folder = std::filesystem::path(shown_[rows.front()].path).parent_path().string();
    if (!wxLaunchDefaultApplication(wxString::FromUTF8(folder)))
        store_.dispatch(DesktopLaunchFailed{"the desktop has no application that opens " + folder});
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
        list_->SetItem(row, 3, wxString::FromUTF8(reason_of(f)));
    }
    show_reason();
    SetTitle(wxString::Format("Lightbox - Files that failed (%llu)", static_cast<unsigned long long>(s.failures_total)));
}

}  // namespace lbx::shell
