// The bad-files ledger (ListFailures): path, stage, plugin, reason, and the whole reason of the chosen
// row below the list. Retry All rescans the library with the failed files retried; Show in Folder opens
// the chosen file's folder in the desktop's file manager; Copy puts the chosen rows (all when none is
// chosen) on the clipboard as tab-separated lines; Close or Esc closes. A modeless window: it never
// blocks a scan.
#pragma once

#include "app/store.hpp"

#include <wx/frame.h>

class wxListCtrl;
class wxTextCtrl;

namespace lbx::shell {

class FailuresView : public wxFrame {
public:
    FailuresView(wxWindow* parent, Store& store);
    void render();

private:
    // The rows chosen in the list (none: an empty vector), as indices in shown_.
    std::vector<std::size_t> chosen_rows() const;
    void show_reason();
    void copy_rows();
    void show_in_folder();

    Store& store_;
    wxListCtrl* list_;
    wxTextCtrl* reason_;
    std::vector<ipc::FailureEntry> shown_;
};

}  // namespace lbx::shell
