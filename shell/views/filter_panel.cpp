#include "views/filter_panel.hpp"

#include "model/reducer.hpp"
#include "views/bitmaps.hpp"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/listbox.h>
#include <wx/sizer.h>
#include <wx/scrolwin.h>
#include <wx/slider.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include <utility>

namespace lbx::shell {

FilterPanel::FilterPanel(wxWindow* parent, Store& store) : wxPanel(parent, wxID_ANY), store_(store), debounce_(this) {
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    const auto heading = [&](const char* text) {
        auto* label = new wxStaticText(this, wxID_ANY, text);
        label->SetFont(label->GetFont().Bold());
        sizer->Add(label, 0, wxLEFT | wxRIGHT | wxTOP, 6);
    };
    heading("Search");
    auto* search_row = new wxBoxSizer(wxHORIZONTAL);
    search_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    search_->SetHint("beach year:2019 -tag:blurry");
    clear_ = new wxButton(this, wxID_ANY, wxString::FromUTF8("\u2715"), wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT);
    clear_->SetToolTip("Empty the search (Esc in the search box)");
    search_row->Add(search_, 1, wxALIGN_CENTER_VERTICAL);
    search_row->Add(clear_, 0, wxALIGN_CENTER_VERTICAL | wxLEFT, 4);
    sizer->Add(search_row, 0, wxEXPAND | wxALL, 6);
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

    // The facet lists scroll together below the search, so that eight of them stay usable in a short window.
    facets_ = new wxScrolledWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxVSCROLL);
    facets_->SetScrollRate(0, 12);
    auto* facet_sizer = new wxBoxSizer(wxVERTICAL);
    const auto section = [&](const char* title, FacetKind kind, std::vector<ipc::FacetCount> ipc::FacetsReply::*counts,
                             bool hidden_when_empty) {
        auto* label = new wxStaticText(facets_, wxID_ANY, title);
        label->SetFont(label->GetFont().Bold());
        facet_sizer->Add(label, 0, wxLEFT | wxRIGHT | wxTOP, 6);
        auto* box = new wxListBox(facets_, wxID_ANY);
        // A fixed minimum of about three rows: GTK's best size of a list box grows with its rows, and
        // lists of many tags or places would then ask for more than the window has. They share the rest,
        // and scroll together below that.
        box->SetMinSize(wxSize(120, 80));
        facet_sizer->Add(box, 1, wxEXPAND | wxLEFT | wxRIGHT, 6);
        sections_.push_back(Section{kind, counts, hidden_when_empty, label, box});
    };
    section("People", FacetKind::person, &ipc::FacetsReply::people, true);
    section("Groups", FacetKind::group, &ipc::FacetsReply::groups, true);
    section("Labels", FacetKind::label, &ipc::FacetsReply::labels, true);
    section("Tags", FacetKind::tag, &ipc::FacetsReply::tags, false);
    section("Years", FacetKind::year, &ipc::FacetsReply::years, false);
    section("Months", FacetKind::month, &ipc::FacetsReply::months, false);
    section("Cameras", FacetKind::camera, &ipc::FacetsReply::cameras, false);
    section("Places", FacetKind::place, &ipc::FacetsReply::places, false);
    facet_sizer->AddSpacer(6);
    facets_->SetSizer(facet_sizer);
    sizer->Add(facets_, 1, wxEXPAND | wxTOP, 4);
    SetSizer(sizer);
    SetMinSize(wxSize(230, -1));

    // As you type: the query goes after a pause, so a fast typist does not send one per key.
    search_->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { debounce_.StartOnce(150); });
    search_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) {
        debounce_.Stop();
        store_.dispatch(QueryEdited{search_->GetValue().utf8_string()});
    });
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { store_.dispatch(QueryEdited{search_->GetValue().utf8_string()}); });
    clear_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { clear_search(); });
    // Esc in the box empties it (when it is empty already, Esc goes on to the window: full screen, ...).
    search_->Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (e.GetKeyCode() == WXK_ESCAPE && !e.HasAnyModifiers() && !search_->IsEmpty()) clear_search();
        else e.Skip();
    });
    const auto sort_changed = [this](wxCommandEvent&) {
        static constexpr ipc::QuerySort sorts[] = {ipc::QuerySort::taken, ipc::QuerySort::path, ipc::QuerySort::added};
        store_.dispatch(SortChanged{sorts[std::max(0, sort_->GetSelection())], descending_->GetValue()});
    };
    sort_->Bind(wxEVT_CHOICE, sort_changed);
    descending_->Bind(wxEVT_CHECKBOX, sort_changed);
    size_->Bind(wxEVT_SLIDER, [this](wxCommandEvent&) { store_.dispatch(ThumbnailSizeChanged{static_cast<uint32_t>(size_->GetValue())}); });
    for (std::size_t i = 0; i < sections_.size(); ++i) {
        sections_[i].list->Bind(wxEVT_LISTBOX, [this, i](wxCommandEvent&) { chosen(sections_[i]); });
    }
    render();
}

void FilterPanel::clear_search() {
    debounce_.Stop();
    search_->ChangeValue("");
    store_.dispatch(QueryEdited{""});
}

void FilterPanel::chosen(const Section& section) {
    const int i = section.list->GetSelection();
    section.list->SetSelection(wxNOT_FOUND);
    if (!shown_facets_ || i < 0) return;
    const std::vector<ipc::FacetCount>& counts = (*shown_facets_).*section.counts;
    if (static_cast<std::size_t>(i) >= counts.size()) return;
    store_.dispatch(FacetChosen{section.kind, counts[static_cast<std::size_t>(i)].value});
}

void FilterPanel::fill(Section& section, const std::vector<ipc::FacetCount>& counts) {
    // Ticked: the query has the term, and a click takes it out.
    const std::string& query = store_.state().query.text;
    wxArrayString items;
    for (const auto& c : counts) {
        const std::string label = section.kind == FacetKind::camera ? camera_label(c.value) : c.value;
        items.Add((has_facet(query, section.kind, c.value) ? wxString::FromUTF8("\u2713 ") : wxString()) + wxString::FromUTF8(label) +
                  wxString::Format(" (%llu)", static_cast<unsigned long long>(c.count)));
    }
    if (section.list->GetStrings() != items) section.list->Set(items);
    const bool shown = !(section.hidden_when_empty && counts.empty());
    if (section.list->IsShown() != shown) {
        section.heading->Show(shown);
        section.list->Show(shown);
        layout_needed_ = true;
    }
}

void FilterPanel::render() {
    const State& s = store_.state();
    // The box shows what the user typed; a facet click changes the query from outside: show that.
    if (s.query.text != rendered_query_) {
        rendered_query_ = s.query.text;
        if (search_->GetValue().utf8_string() != s.query.text && !debounce_.IsRunning()) search_->ChangeValue(wxString::FromUTF8(s.query.text));
    }
    clear_->Enable(!s.query.text.empty() || !search_->IsEmpty());
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
    if (s.facets != shown_facets_ || s.query.text != shown_facets_query_) {
        shown_facets_ = s.facets;
        shown_facets_query_ = s.query.text;
        const ipc::FacetsReply empty;
        const ipc::FacetsReply& f = s.facets ? *s.facets : empty;
        for (auto& section : sections_) fill(section, f.*section.counts);
        if (std::exchange(layout_needed_, false)) {
            facets_->FitInside();
            Layout();
        }
    }
}

}  // namespace lbx::shell
