#include "views/filter_panel.hpp"

#include "views/bitmaps.hpp"

#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/listbox.h>
#include <wx/sizer.h>
#include <wx/slider.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace lbx::shell {

FilterPanel::FilterPanel(wxWindow* parent, Store& store) : wxPanel(parent, wxID_ANY), store_(store), debounce_(this) {
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    const auto heading = [&](const char* text) {
        auto* label = new wxStaticText(this, wxID_ANY, text);
        label->SetFont(label->GetFont().Bold());
        sizer->Add(label, 0, wxLEFT | wxRIGHT | wxTOP, 6);
    };
    heading("Search");
    search_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    search_->SetHint("beach year:2019 -tag:blurry");
    sizer->Add(search_, 0, wxEXPAND | wxALL, 6);
    error_ = new wxStaticText(this, wxID_ANY, "");
    error_->SetForegroundColour(theme::kError);
    sizer->Add(error_, 0, wxEXPAND | wxLEFT | wxRIGHT, 6);

    auto* sort_row = new wxBoxSizer(wxHORIZONTAL);
    sort_ = new wxChoice(this, wxID_ANY);
    sort_->Append("Date taken");
    sort_->Append("Name");
    sort_->Append("Date added");
    sort_->SetSelection(0);
    descending_ = new wxCheckBox(this, wxID_ANY, "Newest first");
    sort_row->Add(new wxStaticText(this, wxID_ANY, "Sort"), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    sort_row->Add(sort_, 1);
    sizer->Add(sort_row, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, 6);
    sizer->Add(descending_, 0, wxLEFT | wxRIGHT | wxBOTTOM | wxTOP, 6);  // its own row: "Date taken" stays readable
    auto* size_row = new wxBoxSizer(wxHORIZONTAL);
    size_ = new wxSlider(this, wxID_ANY, static_cast<int>(store_.state().thumbnail_size), 64, 512);
    size_row->Add(new wxStaticText(this, wxID_ANY, "Size"), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    size_row->Add(size_, 1);
    sizer->Add(size_row, 0, wxEXPAND | wxLEFT | wxRIGHT, 6);

    const auto list = [&](const char* title) {
        heading(title);
        auto* box = new wxListBox(this, wxID_ANY);
        // A fixed minimum: GTK's best size of a list box grows with its rows, and five lists of many
        // tags or places would then ask for more than the window has and overlap. They share the rest.
        box->SetMinSize(wxSize(120, 48));
        sizer->Add(box, 1, wxEXPAND | wxLEFT | wxRIGHT, 6);
        return box;
    };
    tags_ = list("Tags");
    years_ = list("Years");
    months_ = list("Months");
    cameras_ = list("Cameras");
    places_ = list("Places");
    SetSizer(sizer);
    SetMinSize(wxSize(230, -1));

    // As you type: the query goes after a pause, so a fast typist does not send one per key.
    search_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { debounce_.StartOnce(150); });
    search_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) {
        debounce_.Stop();
        store_.dispatch(QueryEdited{search_->GetValue().utf8_string()});
    });
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { store_.dispatch(QueryEdited{search_->GetValue().utf8_string()}); });
    const auto sort_changed = [this](wxCommandEvent&) {
        static constexpr ipc::QuerySort sorts[] = {ipc::QuerySort::taken, ipc::QuerySort::path, ipc::QuerySort::added};
        store_.dispatch(SortChanged{sorts[std::max(0, sort_->GetSelection())], descending_->GetValue()});
    };
    sort_->Bind(wxEVT_CHOICE, sort_changed);
    descending_->Bind(wxEVT_CHECKBOX, sort_changed);
    size_->Bind(wxEVT_SLIDER, [this](wxCommandEvent&) { store_.dispatch(ThumbnailSizeChanged{static_cast<uint32_t>(size_->GetValue())}); });
    tags_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { chosen(tags_, FacetKind::tag, shown_facets_ ? &shown_facets_->tags : nullptr); });
    years_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { chosen(years_, FacetKind::year, shown_facets_ ? &shown_facets_->years : nullptr); });
    months_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { chosen(months_, FacetKind::month, shown_facets_ ? &shown_facets_->months : nullptr); });
    cameras_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { chosen(cameras_, FacetKind::camera, shown_facets_ ? &shown_facets_->cameras : nullptr); });
    places_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { chosen(places_, FacetKind::place, shown_facets_ ? &shown_facets_->places : nullptr); });
    render();
}

void FilterPanel::chosen(wxListBox* list, FacetKind kind, const std::vector<ipc::FacetCount>* counts) {
    const int i = list->GetSelection();
    if (!counts || i < 0 || static_cast<std::size_t>(i) >= counts->size()) return;
    const std::string value = (*counts)[static_cast<std::size_t>(i)].value;
    list->SetSelection(wxNOT_FOUND);
    store_.dispatch(FacetChosen{kind, value});
}

void FilterPanel::fill(wxListBox* list, const std::vector<ipc::FacetCount>& counts) {
    wxArrayString items;
    for (const auto& c : counts) items.Add(wxString::FromUTF8(c.value) + wxString::Format(" (%llu)", static_cast<unsigned long long>(c.count)));
    list->Set(items);
}

void FilterPanel::render() {
    const State& s = store_.state();
    // The box shows what the user typed; a facet click changes the query from outside: show that.
    if (s.query.text != rendered_query_) {
        rendered_query_ = s.query.text;
        if (search_->GetValue().utf8_string() != s.query.text && !debounce_.IsRunning()) search_->ChangeValue(wxString::FromUTF8(s.query.text));
    }
    if (size_->GetValue() != static_cast<int>(s.thumbnail_size)) size_->SetValue(static_cast<int>(s.thumbnail_size));
    const int sort_index = s.query.sort == ipc::QuerySort::path ? 1 : s.query.sort == ipc::QuerySort::added ? 2 : 0;
    if (sort_->GetSelection() != sort_index) sort_->SetSelection(sort_index);
    if (descending_->GetValue() != s.query.descending) descending_->SetValue(s.query.descending);
    const wxString error = s.query.error ? wxString::FromUTF8(*s.query.error) : wxString();
    if (error_->GetLabel() != error) {
        error_->SetLabel(error);
        error_->Wrap(std::max(GetClientSize().GetWidth() - 12, 100));
        Layout();
    }
    if (s.facets != shown_facets_) {
        shown_facets_ = s.facets;
        const ipc::FacetsReply empty;
        const ipc::FacetsReply& f = s.facets ? *s.facets : empty;
        fill(tags_, f.tags);
        fill(years_, f.years);
        fill(months_, f.months);
        fill(cameras_, f.cameras);
        fill(places_, f.places);
    }
}

}  // namespace lbx::shell
