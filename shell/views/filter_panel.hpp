// The side panel: the search box (the query language, sdk_docs/query.md) with its error shown inline
// under it, updated as you type after a 150 ms pause (a timer, never a wait), the sort, and facet
// lists (tags, years, cameras, places with counts) whose entries add a term to the query.
#pragma once

#include "app/store.hpp"

#include <wx/panel.h>
#include <wx/timer.h>

class wxTextCtrl;
class wxStaticText;
class wxListBox;
class wxChoice;
class wxCheckBox;
class wxSlider;

namespace lbx::shell {

class FilterPanel : public wxPanel {
public:
    FilterPanel(wxWindow* parent, Store& store);
    void render();

private:
    void fill(wxListBox* list, const std::vector<ipc::FacetCount>& counts);
    void chosen(wxListBox* list, FacetKind kind, const std::vector<ipc::FacetCount>* counts);

    Store& store_;
    wxTextCtrl* search_;
    wxStaticText* error_;
    wxChoice* sort_;
    wxCheckBox* descending_;
    wxSlider* size_;
    wxListBox* tags_;
    wxListBox* years_;
    wxListBox* months_;
    wxListBox* cameras_;
    wxListBox* places_;
    wxTimer debounce_;
    const ipc::FacetsReply* rendered_facets_ = nullptr;
    std::optional<ipc::FacetsReply> shown_facets_;
    std::string rendered_query_;
};

}  // namespace lbx::shell
