#include "views/photo_view.hpp"

#include "views/bitmaps.hpp"

#include <wx/button.h>
#include <wx/dcbuffer.h>
#include <wx/graphics.h>
#include <wx/listbox.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/toplevel.h>
#include <wx/utils.h>

#include <filesystem>

namespace lbx::shell {

PhotoView::PhotoView(wxWindow* parent, Store& store) : wxPanel(parent, wxID_ANY), store_(store) {
    auto* sizer = new wxBoxSizer(wxHORIZONTAL);
    auto* left = new wxBoxSizer(wxVERTICAL);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    const auto button = [&](const char* label, auto handler) {
        auto* b = new wxButton(this, wxID_ANY, label, wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT);
        b->Bind(wxEVT_BUTTON, handler);
        buttons->Add(b, 0, wxRIGHT, 4);
    };
    button("Back to grid", [this](wxCommandEvent&) { store_.dispatch(ClosePhoto{}); });
    button("Previous", [this](wxCommandEvent&) { store_.dispatch(StepPhoto{-1}); });
    button("Next", [this](wxCommandEvent&) { store_.dispatch(StepPhoto{+1}); });
    button("100 %", [this](wxCommandEvent&) { store_.dispatch(ToggleZoom{}); });
    button("Full screen", [this](wxCommandEvent&) {
        if (auto* top = dynamic_cast<wxTopLevelWindow*>(wxGetTopLevelParent(this))) top->ShowFullScreen(!top->IsFullScreen());
    });
    button("Show in folder", [this](wxCommandEvent&) {
        if (const std::string* path = open_path()) wxLaunchDefaultApplication(wxString::FromUTF8(std::filesystem::path(*path).parent_path().string()));
    });
    button("Open with...", [this](wxCommandEvent&) {
        if (const std::string* path = open_path()) wxLaunchDefaultApplication(wxString::FromUTF8(*path));
    });
    left->Add(buttons, 0, wxALL, 4);
    title_ = new wxStaticText(this, wxID_ANY, "");
    left->Add(title_, 0, wxLEFT | wxBOTTOM, 6);
    preview_ = new wxPanel(this, wxID_ANY);
    preview_->SetBackgroundStyle(wxBG_STYLE_PAINT);
    preview_->Bind(wxEVT_PAINT, [this](wxPaintEvent&) {
        wxPaintDC dc(preview_);  // GTK double-buffers windows itself
        paint_preview(dc);
    });
    preview_->Bind(wxEVT_SIZE, [this](wxSizeEvent& e) { preview_->Refresh(false); e.Skip(); });
    left->Add(preview_, 1, wxEXPAND);
    sizer->Add(left, 1, wxEXPAND);

    auto* right = new wxBoxSizer(wxVERTICAL);
    exif_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxSize(300, -1), wxLC_REPORT | wxLC_SINGLE_SEL);
    exif_->AppendColumn("Field", wxLIST_FORMAT_LEFT, 130);
    exif_->AppendColumn("Value", wxLIST_FORMAT_LEFT, 160);
    right->Add(new wxStaticText(this, wxID_ANY, "Metadata"), 0, wxALL, 4);
    right->Add(exif_, 2, wxEXPAND | wxLEFT | wxRIGHT, 4);
    right->Add(new wxStaticText(this, wxID_ANY, "Tags"), 0, wxALL, 4);
    tags_ = new wxListBox(this, wxID_ANY);
    right->Add(tags_, 1, wxEXPAND | wxLEFT | wxRIGHT, 4);
    auto* tag_row = new wxBoxSizer(wxHORIZONTAL);
    new_tag_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    new_tag_->SetHint("new tag");
    auto* add = new wxButton(this, wxID_ADD, "Add");
    auto* remove = new wxButton(this, wxID_REMOVE, "Remove");
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
    remove->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        const int i = tags_->GetSelection();
        const State& s = store_.state();
        if (i < 0 || !s.open_photo || !s.open_photo->info) return;
        const auto& tag = s.open_photo->info->tags.at(static_cast<std::size_t>(i));
        if (tag.source != "user") return;  // auto tags come from plugins; only user tags are the user's to remove
        store_.dispatch(EditUserTags{{}, {tag.name}});
    });
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (FindFocus() == new_tag_) { e.Skip(); return; }
        switch (e.GetKeyCode()) {
            case WXK_ESCAPE: case WXK_SPACE: store_.dispatch(ClosePhoto{}); break;
            case WXK_LEFT: store_.dispatch(StepPhoto{-1}); break;
            case WXK_RIGHT: store_.dispatch(StepPhoto{+1}); break;
            default: e.Skip();
        }
    });
}

const std::string* PhotoView::open_path() const {
    const State& s = store_.state();
    if (!s.open_photo || !s.open_photo->info) return nullptr;
    return &s.open_photo->info->path;
}

void PhotoView::paint_preview(wxWindowDC& dc) {
    dc.SetBackground(wxBrush(theme::kBackground));
    dc.Clear();
    const State& s = store_.state();
    if (!s.open_photo) return;
    const wxSize area = preview_->GetClientSize();
    const ThumbKey key{s.open_photo->id, 0};
    const wxBitmap* bitmap = store_.thumbnail(key);
    if (!bitmap || !bitmap->IsOk()) {
        dc.SetTextForeground(theme::kCaption);
        dc.DrawLabel(s.missing_thumbnails.count(s.open_photo->id) ? "no preview" : "loading...", wxRect(area), wxALIGN_CENTER);
        return;
    }
    // Fit the window, never enlarge past the thumbnail; 100 %: the pixels as they are, centred.
    double scale = std::min({static_cast<double>(area.x) / bitmap->GetWidth(), static_cast<double>(area.y) / bitmap->GetHeight(), 1.0});
    if (s.open_photo->zoom_100) scale = 1.0;
    const double w = bitmap->GetWidth() * scale, h = bitmap->GetHeight() * scale;
    std::unique_ptr<wxGraphicsContext> gc(wxGraphicsContext::Create(dc));
    if (gc) gc->DrawBitmap(*bitmap, (area.x - w) / 2, (area.y - h) / 2, w, h);
}

void PhotoView::render() {
    const State& s = store_.state();
    if (!s.open_photo) {
        store_.want_thumbnails(ThumbSlot::photo_view, {});
        return;
    }
    const ThumbKey key{s.open_photo->id, 0};
    store_.want_thumbnails(ThumbSlot::photo_view, store_.thumbnail(key) ? std::vector<ThumbKey>{} : std::vector<ThumbKey>{key});
    if (s.open_photo->info != shown_) {
        shown_ = s.open_photo->info;
        exif_->DeleteAllItems();
        tags_->Clear();
        if (shown_) {
            title_->SetLabel(wxString::FromUTF8(shown_->path) + wxString::Format("   %u x %u, %.1f MB", shown_->width, shown_->height, shown_->file_size / 1e6));
            for (const auto& m : shown_->metadata) {
                const long row = exif_->InsertItem(exif_->GetItemCount(), wxString::FromUTF8(m.key));
                exif_->SetItem(row, 1, wxString::FromUTF8(m.value));
            }
            for (const auto& t : shown_->tags) {
                tags_->Append(wxString::FromUTF8(t.name) + "   (" + wxString::FromUTF8(t.source) +
                              (t.source == "user" ? wxString() : wxString::Format(", %.0f %%", t.confidence * 100)) + ")");
            }
        } else {
            title_->SetLabel(s.open_photo->error ? wxString::FromUTF8(*s.open_photo->error) : wxString("loading..."));
        }
        Layout();
    }
    preview_->Refresh(false);
}

}  // namespace lbx::shell
