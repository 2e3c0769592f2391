// The People page (ListPersons): one face per person, cropped from the cover photo's thumbnail by the
// cover box, with the name (or "Unnamed") and the count of faces. A click on a named person shows their
// photos in the grid (the query `person:"Name"`); a click on an unnamed one chooses them, to be named
// first (the query language finds people by name only); Ctrl+click chooses several. Rename (F2) and
// Merge act on the chosen ones; right-click offers the same for the person under the pointer. Arrows
// move the choice, Enter shows the chosen person's photos, Esc goes back to the grid.
//
// The cells are drawn by a wxVScrolledWindow, as the grid's: only visible rows ask for their page of
// persons and their cover thumbnails. When the engine cannot group faces (`unsupported`), analysis is
// off, or nobody was found yet, the page says so in words.
#pragma once

#include "app/store.hpp"

#include <wx/panel.h>

#include <functional>
#include <string>

class wxButton;
class wxStaticText;

namespace lbx::shell {

class PeopleCells;

class PeopleView : public wxPanel {
public:
    PeopleView(wxWindow* parent, Store& store);
    void render();
    // After each paint: "people: N cells, M faces: Anna 48, Unnamed 9, ..." (the status log for GUI tests).
    void set_on_painted(std::function<void(const std::string&)> on_painted);
    void focus_cells();

    // Dialogs (they wait on the user only): the name for a person, and which chosen person to keep.
    void rename(uint64_t person_id);
    void merge_chosen();

private:
    Store& store_;
    wxStaticText* summary_;
    wxStaticText* hint_;
    wxButton* rename_;
    wxButton* merge_;
    PeopleCells* cells_;
};

// "7 people, 3 named" and, with some chosen, ", 2 chosen".
std::string people_summary(const State& state);

}  // namespace lbx::shell
