#include "views/library_dialog.hpp"

#include <wx/button.h>
#include <wx/dialog.h>
#include <wx/filedlg.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

#include <filesystem>

namespace lbx::shell {

void choose_library(wxWindow* parent, Store& store) {
    wxDialog dialog(parent, wxID_ANY, "Open Library");
    const std::string current = store.state().library ? store.state().library->catalog : store.state().wanted_catalog;
    // Wide enough for a URI with its parameters.
    auto* location = new wxTextCtrl(&dialog, wxID_ANY, wxString::FromUTF8(current), wxDefaultPosition, wxSize(520, -1), wxTE_PROCESS_ENTER);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    sizer->Add(new wxStaticText(&dialog, wxID_ANY,
                                "A library file, or a library several computers share on a PostgreSQL server:\n"
                                "postgresql://HOST/DATABASE (its password in ~/.pgpass, not here)."),
               0, wxALL, 12);
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    row->Add(location, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, 8);
    auto* browse = new wxButton(&dialog, wxID_ANY, "Choose File...");
    row->Add(browse, 0);
    sizer->Add(row, 0, wxEXPAND | wxLEFT | wxRIGHT, 12);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    buttons->Add(new wxButton(&dialog, wxID_CANCEL, "Cancel"), 0, wxRIGHT, 8);
    auto* open = new wxButton(&dialog, wxID_OK, "Open");
    open->SetDefault();
    buttons->Add(open, 0);
    sizer->Add(buttons, 0, wxALIGN_RIGHT | wxALL, 12);
    dialog.SetSizerAndFit(sizer);

    browse->Bind(wxEVT_BUTTON, [&](wxCommandEvent&) {
        const std::string typed = location->GetValue().utf8_string();
        const bool file = !typed.empty() && typed.find("://") == std::string::npos;
        wxFileDialog files(&dialog, "Choose a library file", file ? wxString::FromUTF8(std::filesystem::path(typed).parent_path().string()) : wxGetHomeDir(),
                           "", "Lightbox libraries (*.lbx)|*.lbx|All files|*", wxFD_OPEN);
        if (files.ShowModal() == wxID_OK) location->ChangeValue(files.GetPath());
    });
    // Enter in the field opens, as the Open button does.
    location->Bind(wxEVT_TEXT_ENTER, [&](wxCommandEvent&) { dialog.EndModal(wxID_OK); });
    location->SetFocus();
    location->SelectAll();
    if (dialog.ShowModal() == wxID_OK) store.dispatch(OpenLibraryRequested{location->GetValue().utf8_string()});
}

}  // namespace lbx::shell
