// The side panel: the search box (the query language, sdk_docs/query.md; Esc or its clear button empty
// it) with its error shown inline
// under it, updated as you type after a 150 ms pause (a timer, never a wait), the sort, and facet
// lists with counts (people, content groups and object labels found by analysis, tags, years, months,
// cameras, places) whose entries add their term to the query, or take it out when it is there (such
// entries are ticked). The people, groups and labels lists hide while they are empty (no analysis).
#pragma once

#include "app/store.hpp"

#include <wx/panel.h>
#include <wx/timer.h>

class wxButton;
class wxTextCtrl;
class wxStaticText;
class wxListBox;
class wxChoice;
class wxCheckBox;
class wxSlider;
class wxScrolledWindow;

namespace lbx::shell {

class FilterPanel : public wxPanel {
public:
    FilterPanel(wxWindow* parent, Store& store);
    void render();

private:
    struct Section {
        FacetKind kind;
        std::vector<ipc::FacetCount> ipc::FacetsReply::*counts;
        bool hidden_when_empty;
        wxStaticText* heading;
        wxListBox* list;
    };
    void fill(Section& section, const std::vector<ipc::FacetCount>& counts);
    void chosen(const Section& section);
    void clear_search();  // the box emptied: every photo

    Store& store_;
    wxTextCtrl* search_;
    wxButton* clear_;
    wxStaticText* error_;
    wxChoice* sort_;
    wxCheckBox* descending_;
    wxSlider* size_;
    wxScrolledWindow* facets_;
    std::vector<Section> sections_;
    wxTimer debounce_;
    std::optional<ipc::FacetsReply> shown_facets_;
    std::string shown_facets_query_ = "\n";  // the query the ticks were drawn for (none yet)
    std::string rendered_query_;
    bool layout_needed_ = false;
};

}  // namespace lbx::shell
