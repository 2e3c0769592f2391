// Library > Folders (Ctrl+Shift+O): the library's folders (ListFolders) with their photos and whether
// they are there now. Add Folder... scans a new one; Remove... takes the chosen folder out of the library
// after a confirmation that says what it does (its photos leave the library, the files stay on disk, a
// rescan does not bring them back); Rescan scans that folder alone; Close or Esc closes. A modeless
// window: it never blocks a scan. Its list is what the engine answered, re-read after each change.
#pragma once

#include "app/store.hpp"

#include <wx/frame.h>

#include <functional>
#include <string>

class wxButton;
class wxListCtrl;
class wxStaticText;

namespace lbx::shell {

// The "Add a folder" chooser; the chosen folder is scanned (AddFolders). Shared by the main window's
// File > Add Folder and this window's button.
void choose_folder_to_add(wxWindow* parent, Store& store);

class FoldersDialog : public wxFrame {
public:
    FoldersDialog(wxWindow* parent, Store& store);
    void render();
    // The status log: `folders: /p/garden 4 photos; /p/trip 6 photos (missing)` whenever the list changes,
    // `folders: chosen /p/garden` whenever the chosen folder does.
    void set_on_log(std::function<void(const std::string&)> log) { on_log_ = std::move(log); }

private:
    std::optional<std::size_t> chosen_row() const;
    bool list_focused() const;
    void confirm_remove();
    void rescan();

    Store& store_;
    wxListCtrl* list_;
    wxStaticText* notice_;
    wxButton* remove_;
    wxButton* rescan_;
    std::optional<std::vector<ipc::LibraryFolder>> shown_;
    std::string logged_;
    std::string logged_chosen_;
    std::function<void(const std::string&)> on_log_;
};

}  // namespace lbx::shell
