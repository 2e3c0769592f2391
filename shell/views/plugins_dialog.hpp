// ListPlugins: loaded plugins with their stages and versions, and rejected files with the reason.
#pragma once

#include "app/store.hpp"

#include <wx/frame.h>

class wxListCtrl;

namespace lbx::shell {

class PluginsDialog : public wxFrame {
public:
    PluginsDialog(wxWindow* parent, Store& store);
    void render();

private:
    Store& store_;
    wxListCtrl* loaded_;
    wxListCtrl* rejected_;
    std::optional<ipc::PluginList> shown_;
};

}  // namespace lbx::shell
