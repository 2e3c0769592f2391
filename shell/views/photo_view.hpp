// One photo: a large preview (the largest thumbnail, scaled to the window, or at 100 %), the EXIF
// table from GetPhoto's metadata, tags with their source, add/remove user tags, previous/next, full
// screen, "Show in folder" and "Open with" (the desktop's default application, via xdg-open).
#pragma once

#include "app/store.hpp"

#include <wx/panel.h>

class wxListCtrl;
class wxWindowDC;
class wxListBox;
class wxTextCtrl;
class wxStaticText;

namespace lbx::shell {

class PhotoView : public wxPanel {
public:
    PhotoView(wxWindow* parent, Store& store);
    void render();

private:
    void paint_preview(wxWindowDC& dc);
    const std::string* open_path() const;

    Store& store_;
    wxPanel* preview_;
    wxStaticText* title_;
    wxListCtrl* exif_;
    wxListBox* tags_;
    wxTextCtrl* new_tag_;
    std::optional<ipc::PhotoInfo> shown_;
    std::vector<std::string> shown_user_tags_;
};

}  // namespace lbx::shell
