#include "views/photo_view.hpp"

#include "desktop/desktop_apps.hpp"
#include "model/photo_metadata.hpp"
#include "model/regions.hpp"
#include "model/rotation.hpp"
#include "model/zoom.hpp"
#include "views/bitmaps.hpp"
#include "views/map_view.hpp"

#include <wx/button.h>
#include <wx/cursor.h>
#include <wx/dcbuffer.h>
#include <wx/graphics.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/tglbtn.h>
#include <wx/wrapsizer.h>
#include <wx/toplevel.h>
#include <wx/utils.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace lbx::shell {
namespace {

// How long each photo of a slideshow shows.
constexpr int kSlideshowMilliseconds = 4000;

}  // namespace

PhotoView::PhotoView(wxWindow* parent, Store& store) : wxPanel(parent, wxID_ANY), store_(store) {
    auto* sizer = new wxBoxSizer(wxHORIZONTAL);
    auto* left = new wxBoxSizer(wxVERTICAL);
    // Wrapped: at 1024 px the photo's column is too narrow for every button on one row.
    auto* buttons = new wxWrapSizer(wxHORIZONTAL);
    buttons_ = buttons;
    const auto button = [&](const char* label, auto handler) {
        auto* b = new wxButton(this, wxID_ANY, label, wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT);
        b->Bind(wxEVT_BUTTON, handler);
        buttons->Add(b, 0, wxRIGHT | wxBOTTOM, 4);
        return b;
    };
    button("Back to grid", [this](wxCommandEvent&) { store_.dispatch(ClosePhoto{}); });
    button("Previous", [this](wxCommandEvent&) { store_.dispatch(StepPhoto{-1}); });
    button("Next", [this](wxCommandEvent&) { store_.dispatch(StepPhoto{+1}); });
    zoom_button_ = button("100 %", [this](wxCommandEvent&) { store_.dispatch(ToggleZoom{}); });
    boxes_button_ = new wxToggleButton(this, wxID_ANY, "Boxes (B)", wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT);
    boxes_button_->SetToolTip("Faces and objects found in the photo, with names and labels");
    boxes_button_->Bind(wxEVT_TOGGLEBUTTON, [this](wxCommandEvent&) {
        store_.dispatch(ToggleRegions{});
        preview_->SetFocus();  // keys (B, arrows, Esc) go on working
    });
    buttons->Add(boxes_button_, 0, wxRIGHT | wxBOTTOM, 4);
    const auto rotate = [&](const char* label, const char* tip, int turns) {
        auto* b = new wxButton(this, wxID_ANY, label, wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT);
        b->SetToolTip(tip);
        b->Bind(wxEVT_BUTTON, [this, turns](wxCommandEvent&) {
            store_.dispatch(RotateOpenPhoto{turns});
            preview_->SetFocus();  // keys go on working
        });
        buttons->Add(b, 0, wxRIGHT | wxBOTTOM, 4);
    };
    rotate("Rotate left ([)", "Turn the photo a quarter to the left. Kept in the library; the file is not changed", -1);
    rotate("Rotate right (])", "Turn the photo a quarter to the right. Kept in the library; the file is not changed", +1);
    slideshow_button_ = new wxToggleButton(this, wxID_ANY, "Slideshow (F5)", wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT);
    slideshow_button_->SetToolTip("The next photo every few seconds, in full screen; Esc ends it");
    slideshow_button_->Bind(wxEVT_TOGGLEBUTTON, [this](wxCommandEvent&) {
        store_.dispatch(SetSlideshow{!store_.state().slideshow});
        preview_->SetFocus();
    });
    buttons->Add(slideshow_button_, 0, wxRIGHT | wxBOTTOM, 4);
    slideshow_timer_.SetOwner(this);
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { store_.dispatch(SlideshowTick{}); });
    button("Full screen", [this](wxCommandEvent&) {
        if (auto* top = dynamic_cast<wxTopLevelWindow*>(wxGetTopLevelParent(this))) top->ShowFullScreen(!top->IsFullScreen());
    });
    button("Show in folder", [this](wxCommandEvent&) {
        if (const std::string* path = open_path()) launch_default(std::filesystem::path(*path).parent_path().string());
    });
    button("Open with...", [this](wxCommandEvent& e) { show_open_with_menu(static_cast<wxButton*>(e.GetEventObject())); });
    left->Add(buttons, 0, wxEXPAND | wxALL, 4);
    title_ = new wxStaticText(this, wxID_ANY, "");
    left->Add(title_, 0, wxLEFT | wxBOTTOM, 6);
    preview_ = new wxPanel(this, wxID_ANY);
    preview_->SetBackgroundStyle(wxBG_STYLE_PAINT);
    preview_->Bind(wxEVT_PAINT, [this](wxPaintEvent&) {
        wxPaintDC dc(preview_);  // GTK double-buffers windows itself
        paint_preview(dc);
    });
    preview_->Bind(wxEVT_SIZE, [this](wxSizeEvent& e) { preview_->Refresh(false); e.Skip(); });
    for (const auto type : {wxEVT_LEFT_DOWN, wxEVT_LEFT_UP, wxEVT_MOTION, wxEVT_LEFT_DCLICK})
        preview_->Bind(type, [this](wxMouseEvent& e) { on_preview_mouse(e); });
    preview_->Bind(wxEVT_MOUSE_CAPTURE_LOST, [this](wxMouseCaptureLostEvent&) { drag_from_.reset(); });
    preview_->Bind(wxEVT_CONTEXT_MENU, [this](wxContextMenuEvent& e) {
        if (e.GetPosition() != wxDefaultPosition) show_face_menu(preview_->ScreenToClient(e.GetPosition()));
    });
    preview_->Bind(wxEVT_MOUSEWHEEL, [this](wxMouseEvent& e) {
        if (e.GetWheelAxis() != wxMOUSE_WHEEL_VERTICAL || e.GetWheelRotation() == 0) { e.Skip(); return; }
        zoom_at(e.GetWheelRotation() > 0 ? +1 : -1, e.GetPosition());
    });
    left->Add(preview_, 1, wxEXPAND);
    sizer->Add(left, 1, wxEXPAND);

    auto* right = new wxBoxSizer(wxVERTICAL);
    side_ = right;
    summary_ = new wxPanel(this, wxID_ANY);
    summary_->SetName("photo_summary");
    summary_->SetSizer(new wxFlexGridSizer(2, wxSize(8, 2)));
    right->Add(summary_, 0, wxEXPAND | wxALL, 4);
    exif_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxSize(340, -1), wxLC_REPORT | wxLC_SINGLE_SEL);
    exif_->AppendColumn("Field", wxLIST_FORMAT_LEFT, 150);
    exif_->AppendColumn("Value", wxLIST_FORMAT_LEFT, 180);
    place_ = new PlaceMap(this);
    right->Add(place_, 0, wxEXPAND | wxLEFT | wxRIGHT, 4);
    right->Add(new wxStaticText(this, wxID_ANY, "Metadata"), 0, wxALL, 4);
    right->Add(exif_, 2, wxEXPAND | wxLEFT | wxRIGHT, 4);
    right->Add(new wxStaticText(this, wxID_ANY, "Tags"), 0, wxALL, 4);
    tags_ = new wxListBox(this, wxID_ANY);
    // A fixed minimum width: GTK's best width of a list box is its longest row, and a long lens name
    // would widen the column and push the preview's buttons out of the window.
    tags_->SetMinSize(wxSize(340, 60));
    right->Add(tags_, 1, wxEXPAND | wxLEFT | wxRIGHT, 4);
    auto* tag_row = new wxBoxSizer(wxHORIZONTAL);
    new_tag_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    new_tag_->SetHint("new tag");
    auto* add = new wxButton(this, wxID_ADD, "Add");
    auto* remove = new wxButton(this, wxID_REMOVE, "Remove");
    remove_tag_ = remove;
    remove->SetToolTip("Remove the chosen tag. An automatic one is never added again: right-click it in the list to allow it again");
    tag_row->Add(new_tag_, 1, wxRIGHT, 4);
    tag_row->Add(add, 0, wxRIGHT, 4);
    tag_row->Add(remove, 0);
    right->Add(tag_row, 0, wxEXPAND | wxALL, 4);
    sizer->Add(right, 0, wxEXPAND);
    SetSizer(sizer);

    const auto add_tag = [this](wxCommandEvent&) {
        const std::string tag = new_tag_->GetValue().Trim().Trim(false).utf8_string();
        if (tag.empty()) return;
        new_tag_->Clear();
        store_.dispatch(EditUserTags{{tag}, {}});
    };
    add->Bind(wxEVT_BUTTON, add_tag);
    new_tag_->Bind(wxEVT_TEXT_ENTER, add_tag);
    remove->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { remove_chosen_tag(); });
    tags_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) {
        const int i = tags_->GetSelection();
        const State& s = store_.state();
        std::string chosen = "none";
        if (i >= 0 && static_cast<std::size_t>(i) < tag_rows_.size() && s.open_photo && s.open_photo->info) {
            const TagRow& row = tag_rows_[static_cast<std::size_t>(i)];
            if (row.tag && *row.tag < s.open_photo->info->tags.size()) chosen = s.open_photo->info->tags[*row.tag].name;
            else if (!row.rejected.empty()) chosen = row.rejected + " (rejected)";
        }
        log("photo view: tag chosen: " + chosen);
    });
    tags_->Bind(wxEVT_CONTEXT_MENU, [this](wxContextMenuEvent& e) {
        const wxPoint at = e.GetPosition() == wxDefaultPosition ? wxDefaultPosition : tags_->ScreenToClient(e.GetPosition());
        const int row = at == wxDefaultPosition ? tags_->GetSelection() : tags_->HitTest(at);
        if (row != wxNOT_FOUND) {
            tags_->SetSelection(row);
            show_tag_menu(row);
        }
    });
    // Where the list and its button are, for the status log (GUI tests click them), once laid out.
    tags_->Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        CallAfter([this] { log_places(); });
        e.Skip();
    });
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (FindFocus() == new_tag_) { e.Skip(); return; }
        const auto middle = [this] { return wxPoint(preview_->GetClientSize().x / 2, preview_->GetClientSize().y / 2); };
        switch (e.GetKeyCode()) {
            case WXK_ESCAPE: case WXK_SPACE: store_.dispatch(ClosePhoto{}); break;
            case WXK_LEFT: store_.dispatch(StepPhoto{-1}); break;
            case WXK_RIGHT: store_.dispatch(StepPhoto{+1}); break;
            case '+': case '=': case WXK_ADD: case WXK_NUMPAD_ADD: zoom_at(+1, middle()); break;
            case '-': case WXK_SUBTRACT: case WXK_NUMPAD_SUBTRACT: zoom_at(-1, middle()); break;
            case WXK_F5: store_.dispatch(SetSlideshow{!store_.state().slideshow}); break;
            case '[': store_.dispatch(RotateOpenPhoto{-1}); break;
            case ']': store_.dispatch(RotateOpenPhoto{+1}); break;
            case WXK_DELETE:
                if (FindFocus() == tags_) remove_chosen_tag();
                else e.Skip();
                break;
            case 'B':
                if (e.GetModifiers() == wxMOD_NONE || e.GetModifiers() == wxMOD_SHIFT) store_.dispatch(ToggleRegions{});
                else e.Skip();
                break;
            default: e.Skip();
        }
    });
}

void PhotoView::remove_chosen_tag() {
    const int i = tags_->GetSelection();
    const State& s = store_.state();
    if (i < 0 || static_cast<std::size_t>(i) >= tag_rows_.size() || !s.open_photo || !s.open_photo->info) return;
    const TagRow& row = tag_rows_[static_cast<std::size_t>(i)];
    if (!row.tag || *row.tag >= s.open_photo->info->tags.size()) return;  // a heading, or a tag rejected already
    const ipc::PhotoTag tag = s.open_photo->info->tags[*row.tag];  // a copy: dispatching changes the state
    // A user tag is the user's to delete; an automatic one would come back with the next scan or analysis
    // if only deleted, so it is rejected for good.
    if (tag.source == "user") store_.dispatch(EditUserTags{{}, {tag.name}});
    else store_.dispatch(RejectTag{tag.name});
}

void PhotoView::show_tag_menu(int row_index) {
    const State& s = store_.state();
    if (row_index < 0 || static_cast<std::size_t>(row_index) >= tag_rows_.size() || !s.open_photo || !s.open_photo->info) return;
    const TagRow row = tag_rows_[static_cast<std::size_t>(row_index)];
    wxMenu menu;
    enum { remove_id = wxID_HIGHEST + 1, allow_id };
    std::string name;
    if (row.tag && *row.tag < s.open_photo->info->tags.size()) {
        const ipc::PhotoTag& tag = s.open_photo->info->tags[*row.tag];
        name = tag.name;
        menu.Append(remove_id, wxString::FromUTF8("Remove tag '" + name + "'" + (tag.source == "user" ? "" : " (never add it again)")));
    } else if (!row.rejected.empty()) {
        name = row.rejected;
        menu.Append(allow_id, wxString::FromUTF8("Allow '" + name + "' again (when the photo is next read or analysed)"));
    } else {
        return;
    }
    const int chosen = GetPopupMenuSelectionFromUser(menu);
    if (chosen == remove_id) remove_chosen_tag();
    else if (chosen == allow_id) store_.dispatch(RestoreTag{name});
}

void PhotoView::show_face_menu(wxPoint at) {
    const State& s = store_.state();
    const auto shown = shown_now();
    if (!s.show_regions || !s.open_photo || !s.open_photo->info || !shown) return;
    std::vector<ipc::PhotoRegion> regions;
    for (const ipc::PhotoRegion& r : shown_regions(s.open_photo->info->regions, s.open_photo->info->rejected_tags)) {
        regions.push_back(turned_region(r, shown->turns));
    }
    const wxRect image = image_rect(shown->photo, shown->scale);
    const auto i = face_at(regions, Rect{double(image.x), double(image.y), double(image.width), double(image.height)}, at.x, at.y);
    if (!i || regions[*i].person_id == 0) return;  // not a face, or one not grouped into anyone
    const ipc::PhotoRegion face = regions[*i];       // a copy: the store may change while the menu is up
    const std::string caption = region_caption(face);
    wxMenu menu;
    const int remove_id = wxID_HIGHEST + 1;
    menu.Append(remove_id, wxString::FromUTF8("Not " + caption + ": take this face out of the person"));
    log("photo view: face menu: " + caption);
    if (preview_->GetPopupMenuSelectionFromUser(menu, at) == remove_id) store_.dispatch(RemoveFaceRequested{face.source, face.index});
}

void PhotoView::log_places() {
    if (!remove_tag_ || !IsShownOnScreen()) return;
    const wxRect button = remove_tag_->GetScreenRect();
    const wxRect list = tags_->GetScreenRect();
    // The list's first row: a little in from its top-left corner.
    log_change(logged_places_, "photo view: remove tag at " + std::to_string(button.x + button.width / 2) + "," +
                                   std::to_string(button.y + button.height / 2) + "; tags at " + std::to_string(list.x + 40) + "," +
                                   std::to_string(list.y + 12));
}

const std::string* PhotoView::open_path() const {
    const State& s = store_.state();
    if (!s.open_photo || !s.open_photo->info) return nullptr;
    return &s.open_photo->info->path;
}

void PhotoView::show_open_with_menu(wxButton* under) {
    const State& s = store_.state();
    if (!s.open_photo || !s.open_photo->info) return;
    // Copied: the store may change while the menu is up (it runs the event loop).
    const std::string path = s.open_photo->info->path;
    const std::string mime = desktop_mime_type(path, "image/" + s.open_photo->info->format);
    const std::vector<DesktopApp> apps = apps_for_type(mime);

    wxMenu menu;
    const int first_app_id = wxID_HIGHEST + 1;
    for (std::size_t i = 0; i < apps.size(); ++i) {
        const std::string label = apps[i].name + (apps[i].is_default ? " (default)" : "");
        menu.Append(first_app_id + static_cast<int>(i), wxString::FromUTF8(label));
    }
    if (apps.empty()) menu.Append(wxID_ANY, wxString::FromUTF8("No application opens " + mime))->Enable(false);
    menu.AppendSeparator();
    const int default_id = first_app_id + static_cast<int>(apps.size());
    menu.Append(default_id, "The desktop's choice (xdg-open)");

    const int chosen = GetPopupMenuSelectionFromUser(menu, under->GetPosition() + wxPoint(0, under->GetSize().y));
    if (chosen == default_id) {
        launch_default(path);
    } else if (chosen >= first_app_id && chosen < default_id) {
        const auto opened = open_with(apps[static_cast<std::size_t>(chosen - first_app_id)].id, path);
        if (!opened) store_.dispatch(DesktopLaunchFailed{opened.error().message});
    }
}

void PhotoView::launch_default(const std::string& path) {
    if (!wxLaunchDefaultApplication(wxString::FromUTF8(path)))
        store_.dispatch(DesktopLaunchFailed{"the desktop has no application that opens " + path});
}

wxRect PhotoView::image_rect(const wxSize& image, double scale) const {
    const wxSize area = preview_->GetClientSize();
    const double w = image.x * scale, h = image.y * scale;
    // Smaller than the area: centred. Larger: the chosen centre, kept so that no empty band shows.
    const auto place = [](double extent, double room, double centre) {
        if (extent <= room) return (room - extent) / 2;
        return std::clamp(room / 2 - centre * extent, room - extent, 0.0);
    };
    return wxRect(static_cast<int>(std::lround(place(w, area.x, centre_.m_x))), static_cast<int>(std::lround(place(h, area.y, centre_.m_y))),
                  static_cast<int>(std::lround(w)), static_cast<int>(std::lround(h)));
}

std::optional<PhotoView::Shown> PhotoView::shown_now() const {
    const State& s = store_.state();
    if (!s.open_photo) return std::nullopt;
    const OpenPhoto& open = *s.open_photo;
    Shown shown;
    const wxBitmap* full = open.zoom ? store_.thumbnail({open.id, ipc::kFullResolution}) : nullptr;
    shown.full = full && full->IsOk();
    shown.bitmap = shown.full ? full : store_.thumbnail({open.id, 0});
    if (!shown.bitmap || !shown.bitmap->IsOk()) return std::nullopt;
    // All sizes as drawn: turned by the user's rotation.
    shown.turns = open_photo_rotation(s);
    const auto [bw, bh] = turned_size(shown.bitmap->GetWidth(), shown.bitmap->GetHeight(), shown.turns);
    const wxSize bitmap(static_cast<int>(bw), static_cast<int>(bh));
    const auto [pw, ph] = open.info ? turned_size(open.info->width, open.info->height, shown.turns) : std::pair(0.0, 0.0);
    shown.photo = pw > 0 && ph > 0 ? wxSize(static_cast<int>(pw), static_cast<int>(ph)) : bitmap;
    // The whole photo: the thumbnail fitted to the window, never enlarged; as a scale of the photo.
    const wxSize area = preview_->GetClientSize();
    const double thumbnail_fit = std::min({static_cast<double>(area.x) / bitmap.x, static_cast<double>(area.y) / bitmap.y, 1.0});
    shown.fit = thumbnail_fit * bitmap.x / shown.photo.x;
    shown.scale = open.zoom.value_or(shown.fit);
    return shown;
}

void PhotoView::zoom_at(int steps, wxPoint at) {
    const State& s = store_.state();
    const auto shown = shown_now();
    if (!s.open_photo || !shown) return;
    const std::optional<double> zoom = zoom_step(s.open_photo->zoom, shown->fit, steps);
    if (zoom == s.open_photo->zoom) return;
    // The point of the photo under `at` now, kept under it at the new scale (image_rect clamps the rest).
    const wxRect now = image_rect(shown->photo, shown->scale);
    const wxSize area = preview_->GetClientSize();
    const double scale = zoom.value_or(shown->fit);
    const double fx = std::clamp((at.x - now.x) / std::max(1.0, double(now.width)), 0.0, 1.0);
    const double fy = std::clamp((at.y - now.y) / std::max(1.0, double(now.height)), 0.0, 1.0);
    centre_ = {fx + (area.x / 2.0 - at.x) / (shown->photo.x * scale), fy + (area.y / 2.0 - at.y) / (shown->photo.y * scale)};
    store_.dispatch(ZoomBy{steps, shown->fit});
}

void PhotoView::paint_preview(wxWindowDC& dc) {
    dc.SetBackground(wxBrush(theme::kBackground));
    dc.Clear();
    const State& s = store_.state();
    if (!s.open_photo) return;
    const wxSize area = preview_->GetClientSize();
    const OpenPhoto& open = *s.open_photo;
    const auto shown = shown_now();
    dc.SetTextForeground(theme::kCaption);
    if (!shown) {
        dc.DrawLabel(s.missing_thumbnails.count(open.id) ? "no preview" : "loading...", wxRect(area), wxALIGN_CENTER);
        return;
    }
    const wxRect at = image_rect(shown->photo, shown->scale);
    if (shown->full && shown->turns == 0 && at.width == shown->bitmap->GetWidth() && at.height == shown->bitmap->GetHeight()) {
        dc.DrawBitmap(*shown->bitmap, at.x, at.y);  // the photo's own pixels, one to one: a plain blit, clipped
    } else {
        // Scaled (the thumbnail until the photo at its own resolution comes, or when it cannot), or turned.
        std::unique_ptr<wxGraphicsContext> gc(wxGraphicsContext::Create(dc));
        if (gc) draw_turned(*gc, *shown->bitmap, at.x, at.y, at.width, at.height, shown->turns);
    }
    // The thumbnails and the full-resolution image are upright, as the boxes' fractions are: both turn.
    if (s.show_regions && open.info) {
        std::vector<ipc::PhotoRegion> regions;
        for (const ipc::PhotoRegion& r : shown_regions(open.info->regions, open.info->rejected_tags)) {
            regions.push_back(turned_region(r, shown->turns));
        }
        paint_regions(dc, at, regions);
    }
    if (open.zoom) {
        const wxString size = wxString::Format("%d x %d", shown->photo.x, shown->photo.y);
        const wxString zoom = wxString::FromUTF8(zoom_label_of(open.zoom));
        const wxString caption = shown->full ? zoom + "   " + size + "   drag to move, wheel or +/- to zoom"
                                 : open.full_resolution_error
                                     ? zoom + " of the " + wxString::Format("%d px preview", std::max(shown->bitmap->GetWidth(), shown->bitmap->GetHeight())) +
                                           ": " + wxString::FromUTF8(*open.full_resolution_error)
                                     : zoom + "   loading the full resolution...";
        const wxSize extent = dc.GetTextExtent(caption);
        dc.SetBrush(wxBrush(theme::kBackground));
        dc.SetPen(*wxTRANSPARENT_PEN);
        dc.DrawRectangle(0, area.y - extent.y - 8, extent.x + 16, extent.y + 8);
        dc.DrawText(caption, 8, area.y - extent.y - 4);
    }
}

void PhotoView::paint_regions(wxDC& dc, const wxRect& image, const std::vector<ipc::PhotoRegion>& regions) {
    const wxSize area = preview_->GetClientSize();
    dc.SetFont(GetFont().Bold());
    if (regions.empty()) {
        // Said, so that an empty photo is not taken for boxes that failed to draw.
        const State& s = store_.state();
        const auto analysing = running_jobs(s, ipc::JobKind::analysis);
        const uint64_t waiting = s.analysis ? s.analysis->pending : 0;
        const wxString none = s.analysis && !s.analysis->enabled ? wxString("no boxes: content analysis is off in this engine")
                              : !analysing.empty() || waiting > 0
                                  ? wxString::Format("no faces or objects found yet (%llu photos still to analyse)",
                                                     static_cast<unsigned long long>(analysing.empty() ? waiting
                                                         : analysing.front()->progress.total - analysing.front()->progress.done))
                                  : wxString("no faces or objects found in this photo");
        const wxSize extent = dc.GetTextExtent(none);
        dc.SetPen(*wxTRANSPARENT_PEN);
        dc.SetBrush(wxBrush(theme::kBoxShade));
        dc.DrawRectangle(area.x - extent.x - 16, 0, extent.x + 16, extent.y + 8);
        dc.SetTextForeground(theme::kCaption);
        dc.DrawText(none, area.x - extent.x - 8, 4);
        return;
    }
    // Where the faces are on the screen, for GUI tests (a right click on one offers to take it out).
    std::string faces;
    for (const auto& r : regions) {
        if (!is_face(r)) continue;
        const Rect box = region_rect(r, Rect{double(image.x), double(image.y), double(image.width), double(image.height)});
        const wxPoint centre = preview_->ClientToScreen(wxPoint(static_cast<int>(box.x + box.width / 2), static_cast<int>(box.y + box.height / 2)));
        faces += (faces.empty() ? "" : "; ") + region_caption(r) + " at " + std::to_string(centre.x) + "," + std::to_string(centre.y);
    }
    log_change(logged_faces_, "photo view: faces: " + (faces.empty() ? std::string("none") : faces));
    // Objects first: a face lies inside its person's box, and its caption should stay on top.
    std::vector<const ipc::PhotoRegion*> ordered;
    for (const auto& r : regions) if (!is_face(r)) ordered.push_back(&r);
    for (const auto& r : regions) if (is_face(r)) ordered.push_back(&r);
    const Rect on_screen{double(image.x), double(image.y), double(image.width), double(image.height)};
    for (const ipc::PhotoRegion* region : ordered) {
        const Rect box = region_rect(*region, on_screen);
        const int x = static_cast<int>(std::lround(box.x)), y = static_cast<int>(std::lround(box.y));
        const int w = std::max(4, static_cast<int>(std::lround(box.width))), h = std::max(4, static_cast<int>(std::lround(box.height)));
        const wxColour colour = is_face(*region) ? theme::kFaceBox : theme::kObjectBox;
        // Readable over any photo: a 2-pixel line in the box's colour between dark edges, drawn as filled
        // bands on whole pixels (the exact colour: GUI tests count the boxes).
        const auto frame = [&](int fx, int fy, int fw, int fh, int width, const wxColour& c) {
            dc.SetPen(*wxTRANSPARENT_PEN);
            dc.SetBrush(wxBrush(c));
            dc.DrawRectangle(fx, fy, fw, width);
            dc.DrawRectangle(fx, fy + fh - width, fw, width);
            dc.DrawRectangle(fx, fy, width, fh);
            dc.DrawRectangle(fx + fw - width, fy, width, fh);
        };
        frame(x - 1, y - 1, w + 2, h + 2, 4, theme::kBoxShade);
        frame(x, y, w, h, 2, colour);
        // The caption on a dark band, outside the box: a face's name under it (the person's label is above
        // their box, which holds the face), an object's label above it; inside its edge when there is no room.
        const wxString caption = wxString::FromUTF8(region_caption(*region));
        const wxSize extent = dc.GetTextExtent(caption);
        const int band_h = extent.y + 4, band_w = extent.x + 8;
        const bool below = is_face(*region) ? y + h + 1 + band_h <= area.y : y - 1 - band_h < 0;
        const bool outside = below ? y + h + 1 + band_h <= area.y : y - 1 - band_h >= 0;
        const int band_y = !outside ? (below ? y + h - 2 - band_h : y + 2) : below ? y + h + 1 : y - 1 - band_h;
        const int band_x = outside ? std::clamp(x - 1, 0, std::max(0, area.x - band_w)) : x + 2;
        dc.SetBrush(wxBrush(theme::kBoxShade));
        dc.DrawRectangle(band_x, band_y, band_w, band_h);
        dc.SetTextForeground(colour);
        dc.DrawText(caption, band_x + 4, band_y + 2);
    }
}

void PhotoView::on_preview_mouse(wxMouseEvent& e) {
    const State& s = store_.state();
    const auto shown = shown_now();
    if (!s.open_photo || !shown) return;
    const OpenPhoto& open = *s.open_photo;

    if (e.GetEventType() == wxEVT_LEFT_DCLICK) {
        // Zoom in on the point clicked; zoom out back to the whole photo.
        if (!open.zoom) {
            const wxRect r = image_rect(shown->photo, shown->scale);
            centre_ = {std::clamp((e.GetX() - r.x) / std::max(1.0, double(r.width)), 0.0, 1.0),
                       std::clamp((e.GetY() - r.y) / std::max(1.0, double(r.height)), 0.0, 1.0)};
        }
        store_.dispatch(ToggleZoom{});
        return;
    }
    if (!open.zoom) return;
    if (e.GetEventType() == wxEVT_LEFT_DOWN) {
        drag_from_ = e.GetPosition();
        if (!preview_->HasCapture()) preview_->CaptureMouse();
    } else if (e.GetEventType() == wxEVT_LEFT_UP) {
        drag_from_.reset();
        if (preview_->HasCapture()) preview_->ReleaseMouse();
    } else if (e.GetEventType() == wxEVT_MOTION && drag_from_ && e.Dragging()) {
        const wxPoint delta = e.GetPosition() - *drag_from_;
        drag_from_ = e.GetPosition();
        const wxSize area = preview_->GetClientSize();
        // Kept within the photo, so that dragging back starts moving at once.
        const auto moved = [](double centre, int by, double extent, double room) {
            if (extent <= room) return 0.5;
            const double half = room / 2 / extent;
            return std::clamp(centre - by / extent, half, 1.0 - half);
        };
        centre_ = {moved(centre_.m_x, delta.x, shown->photo.x * shown->scale, area.x),
                   moved(centre_.m_y, delta.y, shown->photo.y * shown->scale, area.y)};
        preview_->Refresh(false);
    }
}

void PhotoView::show_metadata(const ipc::PhotoInfo& info) {
    // The summary: a bold label and its text per line.
    std::string logged = "photo summary:";
    auto* grid = summary_->GetSizer();
    for (const SummaryLine& line : readable_summary(info)) {
        auto* label = new wxStaticText(summary_, wxID_ANY, wxString::FromUTF8(line.label));
        label->SetFont(label->GetFont().Bold());
        auto* text = new wxStaticText(summary_, wxID_ANY, wxString::FromUTF8(line.text));
        text->SetToolTip(wxString::FromUTF8(line.text));  // a long lens or place name is cut at the panel's edge
        grid->Add(label, 0, wxALIGN_TOP);
        grid->Add(text, 0, wxALIGN_TOP);
        logged += " " + line.label + "=" + line.text + ";";
    }
    summary_->Layout();

    // The full table: a heading row per source, then its entries; both columns as wide as their widest
    // text, so that no name is cut (the list scrolls sideways instead).
    const wxColour heading_background = wxSystemSettings::GetColour(wxSYS_COLOUR_BTNFACE);
    for (const MetadataGroup& group : metadata_groups(info.metadata)) {
        const long heading = exif_->InsertItem(exif_->GetItemCount(), wxString::FromUTF8(group.title));
        exif_->SetItemFont(heading, exif_->GetFont().Bold());
        exif_->SetItemBackgroundColour(heading, heading_background);
        for (const MetadataRow& row : group.rows) {
            const long item = exif_->InsertItem(exif_->GetItemCount(), wxString::FromUTF8(row.name));
            exif_->SetItem(item, 1, wxString::FromUTF8(row.value));
        }
    }
    for (int column = 0; column < 2; ++column) {
        exif_->SetColumnWidth(column, wxLIST_AUTOSIZE);
        exif_->SetColumnWidth(column, std::max(exif_->GetColumnWidth(column), column == 0 ? 150 : 180));
    }

    // Tags by kind: "Objects (org.lightbox.vision)", then its tags indented; rows keep their tag's index.
    std::string listed;
    for (const TagGroup& group : tag_groups(info.tags)) {
        tags_->Append(wxString::FromUTF8(group.title + (group.sources.empty() ? "" : "  (" + group.sources + ")")));
        tag_rows_.push_back({});
        for (std::size_t i = 0; i < group.items.size(); ++i) {
            tags_->Append(wxString::FromUTF8("    " + group.items[i]));
            tag_rows_.push_back({group.tags[i], {}});
            listed += (listed.empty() ? "" : ", ") + info.tags[group.tags[i]].name;
        }
    }
    // Those the user turned down, last: a right-click allows one again.
    if (!info.rejected_tags.empty()) {
        tags_->Append("Removed by you (never added again)");
        tag_rows_.push_back({});
        for (const std::string& name : info.rejected_tags) {
            tags_->Append(wxString::FromUTF8("    " + name));
            tag_rows_.push_back({std::nullopt, name});
        }
    }
    log(logged);
    std::string rejected;
    for (const std::string& name : info.rejected_tags) rejected += (rejected.empty() ? "" : ", ") + name;
    log("photo view: tags: " + listed + (rejected.empty() ? "" : "; rejected: " + rejected));
}

void PhotoView::render() {
    const State& s = store_.state();
    if (!s.open_photo) {
        store_.want_thumbnails(ThumbSlot::photo_view, {});
        if (slideshow_timer_.IsRunning()) slideshow_timer_.Stop();
        return;
    }
    const OpenPhoto& open = *s.open_photo;
    if (centre_for_ != open.id) {
        centre_for_ = open.id;
        centre_ = {0.5, 0.5};
    }
    // The largest thumbnail first (it shows at once), then at 100 % the photo's own pixels.
    std::vector<ThumbKey> wanted;
    if (!store_.thumbnail({open.id, 0})) wanted.push_back({open.id, 0});
    if (open.zoom && !open.full_resolution_error && !store_.thumbnail({open.id, ipc::kFullResolution}))
        wanted.push_back({open.id, ipc::kFullResolution});
    store_.want_thumbnails(ThumbSlot::photo_view, std::move(wanted));
    // The button toggles between the whole photo and 100 %: it names where a click goes.
    zoom_button_->SetLabel(open.zoom ? "Fit" : "100 %");
    zoom_button_->SetToolTip(wxString::FromUTF8("Now: " + zoom_label_of(open.zoom) + ". Mouse wheel, + and - zoom in steps"));
    log_change(logged_photo_, "photo view: photo " + std::to_string(open.index));
    log_change(logged_zoom_, "photo view: zoom " + zoom_label_of(open.zoom));
    log_change(logged_slideshow_, std::string("photo view: slideshow ") + (s.slideshow ? "on" : "off"));
    log_change(logged_rotation_, "photo view: rotation " + rotation_label(open_photo_rotation(s)));
    if (boxes_button_->GetValue() != s.show_regions) boxes_button_->SetValue(s.show_regions);
    if (slideshow_button_->GetValue() != s.slideshow) slideshow_button_->SetValue(s.slideshow);
    if (s.slideshow && !slideshow_timer_.IsRunning()) slideshow_timer_.Start(kSlideshowMilliseconds);
    if (!s.slideshow && slideshow_timer_.IsRunning()) slideshow_timer_.Stop();
    preview_->SetCursor(open.zoom ? wxCursor(wxCURSOR_HAND) : wxNullCursor);
    // Full screen: the photo alone, without buttons, title, metadata or tags.
    if (buttons_->IsShown(std::size_t{0}) == s.full_screen) {
        buttons_->ShowItems(!s.full_screen);
        title_->Show(!s.full_screen);
        side_->ShowItems(!s.full_screen);
        Layout();
        // A hidden button or list cannot keep the keyboard: without this Esc, F5 and the arrows would
        // reach no window.
        if (s.full_screen) preview_->SetFocus();
        log(s.full_screen ? "photo view: side column hidden" : "photo view: side column shown");
    }
    // A turn alone changes nothing beside the photo: the side column is not built again for it.
    if (shown_ && s.open_photo->info && shown_->rotation != s.open_photo->info->rotation) {
        shown_->rotation = s.open_photo->info->rotation;
        if (s.open_photo->info != shown_) shown_->rotation = ~0u;  // more than the turn changed
    }
    if (s.open_photo->info != shown_) {
        shown_ = s.open_photo->info;
        exif_->DeleteAllItems();
        tags_->Clear();
        tag_rows_.clear();
        summary_->DestroyChildren();
        std::optional<GeoPoint> place;
        if (shown_ && shown_->capture.gps_lat && shown_->capture.gps_lon) place = GeoPoint{*shown_->capture.gps_lat, *shown_->capture.gps_lon};
        place_->set_place(place);
        if (shown_) log(place ? "photo view: place map shown" : "photo view: no place map");
        if (shown_) {
            title_->SetLabel(wxString::FromUTF8(shown_->path));
            show_metadata(*shown_);
        } else {
            title_->SetLabel(s.open_photo->error ? wxString::FromUTF8(*s.open_photo->error) : wxString("loading..."));
        }
        Layout();
    }
    log_places();
    preview_->Refresh(false);
}

}  // namespace lbx::shell
