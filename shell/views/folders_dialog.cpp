#include "views/folders_dialog.hpp"

#include <wx/button.h>
#include <wx/dirdlg.h>
#include <wx/listctrl.h>
#include <wx/msgdlg.h>
#include <wx/panel.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/utils.h>

namespace lbx::shell {
namespace {

std::string photos_text(uint64_t photos) {
    return std::to_string(photos) + (photos == 1 ? " photo" : " photos");
}

}  // namespace

void choose_folder_to_add(wxWindow* parent, Store& store) {
    // The folder dialog waits on the user only; the scan itself is a command the session sends.
    wxDirDialog dialog(parent, "Add a folder to the library", wxGetHomeDir(), wxDD_DIR_MUST_EXIST);
    if (dialog.ShowModal() == wxID_OK) store.dispatch(AddFolders{{dialog.GetPath().utf8_string()}});
}

FoldersDialog::FoldersDialog(wxWindow* parent, Store& store)
    : wxFrame(parent, wxID_ANY, "Lightbox - Library folders", wxDefaultPosition, wxSize(760, 380)), store_(store) {
    auto* panel = new wxPanel(this);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    list_ = new wxListCtrl(panel, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    list_->AppendColumn("Folder", wxLIST_FORMAT_LEFT, 500);
    list_->AppendColumn("Photos", wxLIST_FORMAT_RIGHT, 90);
    list_->AppendColumn("", wxLIST_FORMAT_LEFT, 120);  // "missing" for a folder that is not there now
    sizer->Add(list_, 1, wxEXPAND | wxALL, 6);
    notice_ = new wxStaticText(panel, wxID_ANY, "");
    sizer->Add(notice_, 0, wxEXPAND | wxLEFT | wxRIGHT, 8);

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    const auto button = [&](wxWindowID id, const char* label, const char* tip, auto handler) {
        auto* b = new wxButton(panel, id, label);
        b->SetToolTip(tip);
        b->Bind(wxEVT_BUTTON, handler);
        buttons->Add(b, 0, wxLEFT, 6);
        return b;
    };
    button(wxID_ADD, "Add Folder...", "Add a folder to the library and scan it",
           [this](wxCommandEvent&) { choose_folder_to_add(this, store_); });
    remove_ = button(wxID_REMOVE, "Remove...",
                     "Take the chosen folder's photos out of the library (the files stay on disk) (Delete)",
                     [this](wxCommandEvent&) { confirm_remove(); });
    rescan_ = button(wxID_REFRESH, "Rescan", "Scan the chosen folder again", [this](wxCommandEvent&) { rescan(); });
    buttons->AddStretchSpacer();
    button(wxID_CLOSE, "Close", "Close this window (Esc)", [this](wxCommandEvent&) { Close(); });
    sizer->Add(buttons, 0, wxEXPAND | wxALL, 6);
    panel->SetSizer(sizer);

    list_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent&) { render(); });
    list_->Bind(wxEVT_LIST_ITEM_DESELECTED, [this](wxListEvent&) { render(); });
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (e.GetKeyCode() == WXK_ESCAPE && !e.HasAnyModifiers())
            Close();
        else if (e.GetKeyCode() == WXK_DELETE && !e.HasAnyModifiers() && list_focused())
            confirm_remove();
        else
            e.Skip();
    });
    // Closed: the list is no longer read after each change.
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
        store_.dispatch(ShowFolders{false});
        e.Skip();
    });
    render();
    list_->SetFocus();
}

bool FoldersDialog::list_focused() const {
    // The generic list control takes the keyboard in a child window of its own.
    const wxWindow* focus = FindFocus();
    return focus && (focus == list_ || focus->GetParent() == list_);
}

std::optional<std::size_t> FoldersDialog::chosen_row() const {
    const long i = list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (i < 0 || !shown_ || static_cast<std::size_t>(i) >= shown_->size()) return std::nullopt;
    return static_cast<std::size_t>(i);
}

void FoldersDialog::confirm_remove() {
    const auto row = chosen_row();
    if (!row || !remove_->IsEnabled()) return;
    const ipc::LibraryFolder folder = (*shown_)[*row];
    // A confirmation is fine here: it waits on the user, never on the engine.
    wxMessageDialog dialog(this,
                           "Remove the folder \"" + wxString::FromUTF8(folder.path) + "\" from the library?\n\n" +
                               "Its " + photos_text(folder.photos) +
                               " leave the library, with their tags and thumbnails. The files on disk are not touched, "
                               "and a rescan will not bring the photos back: add the folder again for that.",
                           "Remove folder from library", wxYES_NO | wxNO_DEFAULT | wxICON_QUESTION);
    dialog.SetYesNoLabels("Remove from library", "Keep");
    if (dialog.ShowModal() == wxID_YES) store_.dispatch(RemoveFolderConfirmed{folder.path});
}

void FoldersDialog::rescan() {
    if (const auto row = chosen_row()) store_.dispatch(RescanFolder{(*shown_)[*row].path});
}

void FoldersDialog::render() {
    const State& s = store_.state();
    const FoldersState& folders = s.folders;
    if (folders.list != shown_) {
        // The same folder stays chosen when the list is read again.
        const auto row = chosen_row();
        const std::string chosen = row ? (*shown_)[*row].path : std::string();
        shown_ = folders.list;
        list_->DeleteAllItems();
        for (const ipc::LibraryFolder& f : shown_.value_or(std::vector<ipc::LibraryFolder>{})) {
            const long i = list_->InsertItem(list_->GetItemCount(), wxString::FromUTF8(f.path));
            list_->SetItem(i, 1, std::to_string(f.photos));
            list_->SetItem(i, 2, f.exists ? "" : "missing");
            if (f.path == chosen)
                list_->SetItemState(i, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED,
                                    wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
        }
        // Nothing chosen yet: the first folder, so that the keys (Delete, arrows) have one to start from.
        if (!chosen_row() && list_->GetItemCount() > 0)
            list_->SetItemState(0, wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED,
                                wxLIST_STATE_SELECTED | wxLIST_STATE_FOCUSED);
    }
    if (shown_ && on_log_) {
        std::string line = "folders:";
        for (const ipc::LibraryFolder& f : *shown_)
            line +=
                (line.size() > 8 ? "; " : " ") + f.path + " " + photos_text(f.photos) + (f.exists ? "" : " (missing)");
        if (shown_->empty()) line += " none";
        if (line != logged_) on_log_(logged_ = line);
    }
    const auto row = chosen_row();
    const std::string chosen_line = row ? "folders: chosen " + (*shown_)[*row].path : std::string();
    if (on_log_ && !chosen_line.empty() && chosen_line != logged_chosen_) on_log_(logged_chosen_ = chosen_line);
    const bool busy = !folders.removing.empty();
    remove_->Enable(row.has_value() && !busy && s.engine.status == EngineStatus::connected);
    rescan_->Enable(row.has_value() && s.engine.status == EngineStatus::connected);
    wxString notice = folders.error ? wxString::FromUTF8(*folders.error)
                      : busy        ? wxString("Removing ") + wxString::FromUTF8(*folders.removing.begin()) + "..."
                      : !folders.notice.empty() ? wxString::FromUTF8(folders.notice)
                      : !shown_                 ? wxString("Reading the library's folders...")
                      : shown_->empty()
                          ? wxString("No folders yet: Add Folder... scans one into the library.")
                          : wxString("Remove takes a folder's photos out of the library; the files stay on disk.");
    if (notice_->GetLabel() != notice) notice_->SetLabel(notice);
    SetTitle(shown_ ? wxString::Format("Lightbox - Library folders (%zu)", shown_->size())
                    : wxString("Lightbox - Library folders"));
}

}  // namespace lbx::shell
