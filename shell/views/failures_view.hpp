// The bad-files ledger (ListFailures): path, stage, reason. A modeless window: it never blocks a scan.
#pragma once

#include "app/store.hpp"

#include <wx/frame.h>

class wxListCtrl;

namespace lbx::shell {

class FailuresView : public wxFrame {
public:
    FailuresView(wxWindow* parent, Store& store);
    void render();

private:
    Store& store_;
    wxListCtrl* list_;
    std::vector<ipc::FailureEntry> shown_;
};

}  // namespace lbx::shell
