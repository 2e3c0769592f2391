#include "views/about.hpp"

#include <wx/aboutdlg.h>

namespace lbx::shell {

void show_about(wxWindow* parent, const std::string& engine_version) {
    wxAboutDialogInfo info;
    info.SetName("Lightbox");
    info.SetVersion("0.1.0");
    info.SetDescription("An offline explorer for large photo collections.\nEngine " +
                        wxString::FromUTF8(engine_version.empty() ? "not connected" : engine_version));
    info.SetCopyright("The Lightbox authors");
    wxAboutBox(info, parent);
}

}  // namespace lbx::shell
