// One photo: a large preview (the largest thumbnail scaled to the window; at 100 % the photo at its own
// resolution, asked for from the engine then, and dragged to pan; double-click zooms there), with B or
// the "Boxes" button the faces and objects analysis found drawn over it (State::show_regions), the
// metadata panel (model/photo_metadata.hpp: a readable summary, then every entry grouped by source with
// printed values), tags grouped by kind with their source once, add/remove user tags, remove an
// automatic tag for good (RejectTag: never added again; right-click a rejected one to allow it again),
// rotate left/right ([ and ]: kept in the library, drawn turned, never written to the file),
// previous/next, full screen, "Show in folder" (the desktop's file manager) and "Open with" (a menu of the
// desktop's applications for the photo's type, the default first; see desktop/desktop_apps.hpp).
#pragma once

#include "app/store.hpp"

#include <wx/geometry.h>
#include <wx/panel.h>
#include <wx/timer.h>

#include <functional>
#include <optional>
#include <string>

class wxButton;
class wxDC;
class wxToggleButton;
class wxListCtrl;
class wxMouseEvent;
class wxWindowDC;
class wxListBox;
class wxTextCtrl;
class wxStaticText;

namespace lbx::shell {

class PlaceMap;

class PhotoView : public wxPanel {
public:
    PhotoView(wxWindow* parent, Store& store);
    void render();
    // Lines for the status log that GUI tests read: when a photo's metadata is shown, "photo summary:
    // Taken=...; Camera=...; ..."; "photo view: photo 3", "photo view: zoom 150 %", "photo view: slideshow
    // on", "photo view: side column hidden", "photo view: rotation 90°", "photo view: tags: a, b" (the
    // tags listed), "photo view: tag chosen: dog" (a row of the list chosen; "none" for a heading),
    // "photo view: remove tag at X,Y; tags at X,Y" (screen positions of the Remove button and of the
    // list's first row, for GUI tests), "photo view: faces: Anna at X,Y; unnamed at X,Y" (screen centres
    // of the face boxes drawn) and "photo view: face menu: Anna" as they change.
    void set_on_log(std::function<void(const std::string&)> on_log) { on_log_ = std::move(on_log); }

private:
    void paint_preview(wxWindowDC& dc);
    // The regions' boxes and captions over the photo drawn at `image` (the preview's coordinates).
    void paint_regions(wxDC& dc, const wxRect& image, const std::vector<ipc::PhotoRegion>& regions);
    const std::string* open_path() const;
    void show_open_with_menu(wxButton* under);
    void launch_default(const std::string& path);
    void on_preview_mouse(wxMouseEvent& e);
    void show_metadata(const ipc::PhotoInfo& info);
    // The tag list's chosen row removed: a user tag deleted, an automatic one rejected for good.
    void remove_chosen_tag();
    void show_tag_menu(int row);
    // Right click on a face's box (boxes shown): "Not Anna: take this face out of the person" (RemoveFace).
    void show_face_menu(wxPoint at);
    void log_places();

    // Where the image goes in the preview area at `scale`, with the zoomed view's centre applied.
    wxRect image_rect(const wxSize& image, double scale) const;
    // What the preview shows now: the bitmap (the photo at its own resolution when zoomed and it has
    // come, else the largest thumbnail), the photo's own size (zoom scales are of it: the catalog's
    // width and height, else the bitmap's), the scale at which the whole photo shows (as the preview
    // draws it: a thumbnail is never enlarged), and the scale used now.
    struct Shown {
        const wxBitmap* bitmap = nullptr;
        bool full = false;
        wxSize photo;
        double fit = 1.0;
        double scale = 1.0;
        uint32_t turns = 0;  // the user's rotation: bitmap and photo are drawn turned (photo: as drawn)
    };
    std::optional<Shown> shown_now() const;
    // A zoom step in (+1) or out (-1) that keeps the photo's point under `at` (preview coordinates) still.
    void zoom_at(int steps, wxPoint at);

    Store& store_;
    wxPanel* preview_;
    wxButton* zoom_button_ = nullptr;
    wxToggleButton* boxes_button_ = nullptr;
    wxToggleButton* slideshow_button_ = nullptr;
    wxSizer* buttons_ = nullptr;  // hidden in full screen, with the title and the side column
    wxSizer* side_ = nullptr;
    wxTimer slideshow_timer_;     // running while State::slideshow: each tick is the next photo
    // The point of the photo (fractions of its width and height) at the centre of the zoomed view; which
    // photo it is for, so another photo starts centred. View state: nothing else needs it.
    wxPoint2DDouble centre_{0.5, 0.5};
    std::string centre_for_;
    std::optional<wxPoint> drag_from_;
    wxStaticText* title_;
    PlaceMap* place_;    // where it was taken; hidden without a GPS position
    wxPanel* summary_;  // label and text per line, rebuilt for each photo
    wxListCtrl* exif_;
    wxListBox* tags_;
    wxButton* remove_tag_ = nullptr;
    // Per row of tags_: the PhotoInfo::tags index, or a tag the user rejected, or neither (a heading).
    struct TagRow {
        std::optional<std::size_t> tag;
        std::string rejected;
    };
    std::vector<TagRow> tag_rows_;
    std::function<void(const std::string&)> on_log_;
    void log(const std::string& line) const { if (on_log_) on_log_(line); }
    // Logs `line` when it differs from `last` (the status log would repeat it at every render).
    void log_change(std::string& last, const std::string& line) {
        if (line != last) log(last = line);
    }
    std::string logged_photo_, logged_zoom_, logged_slideshow_, logged_rotation_, logged_places_, logged_faces_;
    wxTextCtrl* new_tag_;
    std::optional<ipc::PhotoInfo> shown_;
    std::vector<std::string> shown_user_tags_;
};

}  // namespace lbx::shell
