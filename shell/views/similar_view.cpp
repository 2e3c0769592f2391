#include "views/similar_view.hpp"

#include "desktop/trash.hpp"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/msgdlg.h>
#include <wx/scrolwin.h>
#include <wx/sizer.h>
#include <wx/statbmp.h>
#include <wx/statbox.h>
#include <wx/stattext.h>

#include <set>

namespace lbx::shell {
namespace {

constexpr uint32_t kThumbSize = 256;  // asked of the engine; shown at most kShown pixels
constexpr int kShown = 128;

std::string size_text(uint64_t bytes) {
    char text[32];
    if (bytes >= 1024 * 1024) std::snprintf(text, sizeof text, "%.1f MB", bytes / (1024.0 * 1024));
    else std::snprintf(text, sizeof text, "%.0f KB", bytes / 1024.0);
    return text;
}

// The thumbnail as shown: scaled to fit, and turned as the user turned the photo.
wxBitmap shown_thumbnail(const wxBitmap& bitmap, uint32_t turns) {
    const int w = bitmap.GetWidth(), h = bitmap.GetHeight();
    if (w <= 0 || h <= 0) return bitmap;
    const double scale = std::min(1.0, static_cast<double>(kShown) / std::max(w, h));
    wxImage image = bitmap.ConvertToImage().Scale(std::max(1, static_cast<int>(w * scale)), std::max(1, static_cast<int>(h * scale)),
                                                  wxIMAGE_QUALITY_HIGH);
    if (turns % 4 == 2) image = image.Rotate180();
    else if (turns % 2 == 1) image = image.Rotate90(turns % 4 == 1);
    return wxBitmap(image);
}

}  // namespace

SimilarView::SimilarView(wxWindow* parent, Store& store) : wxPanel(parent), store_(store) {
    SetName("similar");
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    auto* top = new wxBoxSizer(wxHORIZONTAL);
    summary_ = new wxStaticText(this, wxID_ANY, "");
    top->Add(summary_, 1, wxALIGN_CENTER_VERTICAL | wxALL, 6);
    remove_ = new wxButton(this, wxID_ANY, "Remove Others from Library");
    remove_->SetName("remove others");
    trash_ = new wxButton(this, wxID_ANY, "Move Others to Trash");
    trash_->SetName("trash others");
    auto* refresh = new wxButton(this, wxID_REFRESH, "Refresh");
    level_ = new wxChoice(this, wxID_ANY);
    level_->SetName("similarity");
    for (const SimilarityLevel& level : similarity_levels()) level_->Append(level.name);
    level_->SetToolTip("How alike photos must be to form a group");
    top->Add(new wxStaticText(this, wxID_ANY, "Show:"), 0, wxALIGN_CENTER_VERTICAL | wxLEFT, 4);
    top->Add(level_, 0, wxALIGN_CENTER_VERTICAL | wxALL, 4);
    top->Add(remove_, 0, wxALL, 4);
    top->Add(trash_, 0, wxALL, 4);
    top->Add(refresh, 0, wxALL, 4);
    sizer->Add(top, 0, wxEXPAND);
    notice_ = new wxStaticText(this, wxID_ANY, "");
    sizer->Add(notice_, 0, wxEXPAND | wxLEFT | wxRIGHT, 6);
    groups_ = new wxScrolledWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxVSCROLL);
    groups_->SetScrollRate(0, 20);
    groups_->SetSizer(new wxBoxSizer(wxVERTICAL));
    sizer->Add(groups_, 1, wxEXPAND | wxALL, 4);
    SetSizer(sizer);

    remove_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { remove_others(); });
    trash_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { trash_others(); });
    refresh->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { store_.dispatch(ShowSimilar{true}); });
    level_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
        const int chosen = level_->GetSelection();
        if (chosen >= 0) store_.dispatch(SimilarDistanceChanged{similarity_levels()[static_cast<std::size_t>(chosen)].distance});
    });
    // More groups when the end is scrolled to.
    groups_->Bind(wxEVT_SCROLLWIN_BOTTOM, [this](wxScrollWinEvent& e) {
        store_.dispatch(SimilarMoreNeeded{});
        e.Skip();
    });
}

wxRect SimilarView::trash_button_rect() const {
    if (!trash_->IsShownOnScreen()) return {};
    return wxRect(trash_->GetScreenPosition(), trash_->GetSize());
}

void SimilarView::rebuild() {
    const SimilarState& similar = store_.state().similar;
    groups_->Freeze();
    groups_->GetSizer()->Clear(true);
    thumbs_.clear();
    boxes_.clear();
    std::size_t number = 0;
    for (const ipc::SimilarGroup& group : similar.groups) {
        ++number;
        auto* box = new wxStaticBoxSizer(wxVERTICAL, groups_, wxString::Format("Group %zu", number));
        for (const ipc::SimilarPhoto& photo : group.photos) {
            auto* row = new wxBoxSizer(wxHORIZONTAL);
            auto* bitmap = new wxStaticBitmap(box->GetStaticBox(), wxID_ANY, wxNullBitmap, wxDefaultPosition, wxSize(kShown, kShown * 3 / 4));
            thumbs_.push_back(Thumb{photo.photo_id, bitmap, photo.rotation});
            row->Add(bitmap, 0, wxALL, 4);
            auto* files = new wxBoxSizer(wxVERTICAL);
            std::string details = std::to_string(photo.width) + " x " + std::to_string(photo.height) + ", " + photo.format + ", " +
                                  size_text(photo.file_size);
            if (photo.distance > 0) details += ", " + std::to_string(photo.distance) + " bits apart";
            if (photo.paths.size() > 1) details += ", " + std::to_string(photo.paths.size()) + " identical copies";
            files->Add(new wxStaticText(box->GetStaticBox(), wxID_ANY, wxString::FromUTF8(details)), 0, wxBOTTOM, 2);
            for (const std::string& path : photo.paths) {
                auto* keep = new wxCheckBox(box->GetStaticBox(), wxID_ANY, "Keep " + wxString::FromUTF8(path));
                keep->Bind(wxEVT_CHECKBOX, [this, path](wxCommandEvent&) { store_.dispatch(ToggleKeep{path}); });
                boxes_.emplace_back(path, keep);
                files->Add(keep, 0, wxBOTTOM, 2);
            }
            row->Add(files, 1, wxALIGN_CENTER_VERTICAL);
            box->Add(row, 0, wxEXPAND);
        }
        groups_->GetSizer()->Add(box, 0, wxEXPAND | wxALL, 4);
    }
    if (similar.groups.empty() && similar.total) {
        groups_->GetSizer()->Add(new wxStaticText(groups_, wxID_ANY, "No duplicates or similar photos in the library."), 0, wxALL, 12);
    }
    groups_->FitInside();
    groups_->Thaw();
    Layout();
}

void SimilarView::render() {
    const State& s = store_.state();
    const SimilarState& similar = s.similar;
    if (similar.generation != shown_generation_ || similar.groups.size() != shown_groups_) {
        shown_generation_ = similar.generation;
        shown_groups_ = similar.groups.size();
        rebuild();
    }
    const wxString summary = similar.total ? wxString::FromUTF8(similar_summary(similar)) : wxString("Looking for duplicates and similar photos...");
    if (summary_->GetLabel() != summary) summary_->SetLabel(summary);
    const std::string notice = similar.error ? *similar.error : similar.notice;
    if (notice_->GetLabel().utf8_string() != notice) notice_->SetLabel(wxString::FromUTF8(notice));
    const int level = static_cast<int>(similarity_level_of(similar.distance));
    if (level_->GetSelection() != level) level_->SetSelection(level);
    for (auto& [path, box] : boxes_) box->SetValue(similar.kept.count(path) > 0);
    remove_->Enable(!photos_to_remove(similar).empty());
    trash_->Enable(!paths_to_trash(similar).empty());

    // Thumbnails: those not here yet are asked for; each shows when it arrives.
    std::vector<ThumbKey> wanted;
    bool filled = false;
    for (Thumb& t : thumbs_) {
        if (t.filled) continue;
        if (const wxBitmap* bitmap = store_.thumbnail({t.photo_id, kThumbSize}); bitmap && bitmap->IsOk()) {
            t.bitmap->SetBitmap(shown_thumbnail(*bitmap, t.rotation));
            t.filled = filled = true;
        } else if (!s.missing_thumbnails.count(t.photo_id)) {
            wanted.push_back({t.photo_id, kThumbSize});
        }
    }
    store_.want_thumbnails(ThumbSlot::similar, std::move(wanted));
    if (filled) groups_->Layout();

    if (!on_rendered_) return;
    std::string line = "similar: " + summary.utf8_string();
    std::size_t number = 0;
    for (const ipc::SimilarGroup& group : similar.groups) {
        line += "; group " + std::to_string(++number) + ":";
        std::string sep = " ";
        for (const ipc::SimilarPhoto& photo : group.photos)
            for (const std::string& path : photo.paths) {
                line += sep + path + (similar.kept.count(path) ? " (keep)" : "");
                sep = ", ";
            }
    }
    std::size_t shown_thumbs = 0;
    for (const Thumb& t : thumbs_) shown_thumbs += t.filled ? 1 : 0;
    line += "; thumbnails " + std::to_string(shown_thumbs) + "/" + std::to_string(thumbs_.size());
    if (line != logged_) {
        logged_ = line;
        on_rendered_(line);
    }
}

void SimilarView::remove_others() {
    const std::vector<std::string> ids = photos_to_remove(store_.state().similar);
    if (ids.empty()) return;
    // A confirmation waits on the user only, never on the engine.
    wxMessageDialog dialog(this, wxString::FromUTF8(remove_confirmation(ids)), "Remove from library", wxYES_NO | wxNO_DEFAULT | wxICON_QUESTION);
    dialog.SetYesNoLabels("Remove from library", "Cancel");
    if (dialog.ShowModal() == wxID_YES) store_.dispatch(RemoveOthersConfirmed{});
}

void SimilarView::trash_others() {
    const std::vector<std::string> paths = paths_to_trash(store_.state().similar);
    if (paths.empty()) return;
    wxMessageDialog dialog(this, wxString::FromUTF8(trash_confirmation(paths)), "Move to trash", wxYES_NO | wxNO_DEFAULT | wxICON_WARNING);
    dialog.SetYesNoLabels("Move to trash", "Cancel");
    if (dialog.ShowModal() != wxID_YES) return;
    FilesTrashed done;
    const auto home = home_trash();
    for (const std::string& path : paths) {
        auto moved = move_to_trash(path, home);
        if (moved) done.trashed.push_back(path);
        else done.errors.push_back(moved.error().message);
    }
    store_.dispatch(done);
}

}  // namespace lbx::shell
