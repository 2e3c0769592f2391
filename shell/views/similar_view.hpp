// The "Duplicates and similar" page (View > Duplicates and Similar, Ctrl+D): each group of photos that
// show the same picture (FindSimilar), a thumbnail per photo and a "keep" box per file. The user ticks
// what to keep; "Remove others from library" (RemovePhotos) and "Move others to trash" (the desktop's
// trash, desktop/trash.hpp) act on the rest, each after a confirmation. What is decided lives in the
// model (model/similar.hpp); this only shows it and asks.
#pragma once

#include "app/store.hpp"

#include <wx/panel.h>

#include <functional>
#include <string>
#include <vector>

class wxCheckBox;
class wxScrolledWindow;
class wxStaticBitmap;
class wxStaticText;
class wxButton;
class wxChoice;

namespace lbx::shell {

class SimilarView : public wxPanel {
public:
    SimilarView(wxWindow* parent, Store& store);
    void render();
    // After each change of what is shown: "similar: 2 groups: 3 photos, 4 files; group 1: /p/a.jpg
    // (keep), /p/a-small.jpg" (the status log, for GUI tests).
    void set_on_rendered(std::function<void(const std::string&)> on_rendered) { on_rendered_ = std::move(on_rendered); }
    // Where the "Move others to trash" button is, for the status log (GUI tests click it there).
    wxRect trash_button_rect() const;

private:
    void rebuild();
    void remove_others();
    void trash_others();

    Store& store_;
    wxStaticText* summary_;
    wxStaticText* notice_;
    wxButton* remove_;
    wxButton* trash_;
    wxChoice* level_;  // how alike: similarity_levels()
    wxScrolledWindow* groups_;
    struct Thumb {
        std::string photo_id;
        wxStaticBitmap* bitmap;
        uint32_t rotation = 0;  // the user's, clockwise quarter turns
        bool filled = false;
    };
    std::vector<Thumb> thumbs_;
    std::vector<std::pair<std::string, wxCheckBox*>> boxes_;  // path, its keep box
    uint64_t shown_generation_ = UINT64_MAX;
    std::size_t shown_groups_ = SIZE_MAX;
    std::string logged_;
    std::function<void(const std::string&)> on_rendered_;
};

}  // namespace lbx::shell
