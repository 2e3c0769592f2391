#include "views/people_view.hpp"

#include "model/reducer.hpp"
#include "model/regions.hpp"
#include "views/bitmaps.hpp"

#include <wx/button.h>
#include <wx/choicdlg.h>
#include <wx/dcclient.h>
#include <wx/graphics.h>
#include <wx/menu.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textdlg.h>
#include <wx/valtext.h>
#include <wx/vscroll.h>

#include <set>

namespace lbx::shell {
namespace {

constexpr int kFace = 128;     // the face's square
constexpr int kGap = 12;
constexpr int kCaption = 40;   // the name, then the counts
constexpr int kFrame = 2;
constexpr int kCellWidth = kFace + 2 * kGap;
constexpr int kCellHeight = kFace + 2 * kGap + kCaption;

const char* kMiddleDot = "\xc2\xb7";  // U+00B7, between the counts

std::string counts_line(const ipc::Person& p) {
    return std::to_string(p.faces) + (p.faces == 1 ? " face " : " faces ") + kMiddleDot + " " + std::to_string(p.photos) +
           (p.photos == 1 ? " photo" : " photos");
}

// What the page says instead of cells.
wxString empty_message(const State& s) {
    const PeopleState& people = s.people;
    if (people.unsupported) {
        return "People are not available: this engine does not group faces into people yet.\n(" +
               wxString::FromUTF8(*people.unsupported) + ")";
    }
    if (s.engine.status != EngineStatus::connected) return "Waiting for the engine...";
    if (s.analysis && !s.analysis->enabled) {
        return "No people: content analysis is off in this engine.\n"
               "Faces are found when the engine runs with --analysis on and its models are installed.";
    }
    if (!people.total) return people.error ? "Cannot list people: " + wxString::FromUTF8(*people.error) : wxString("loading...");
    const auto analysing = running_jobs(s, ipc::JobKind::analysis);
    if (!analysing.empty()) {
        const ipc::JobProgress& p = analysing.front()->progress;
        return wxString::Format("No people yet: faces are grouped into people as photos are analysed (%llu of %llu so far).",
                                static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.total));
    }
    if (s.analysis && s.analysis->paused && s.analysis->pending > 0) {
        return wxString::Format("No people yet. Analysis is paused with %llu photos waiting: resume it in the job bar.",
                                static_cast<unsigned long long>(s.analysis->pending));
    }
    return "No people found. Faces are grouped into people as photos are analysed.";
}

// The index of the one chosen person among the loaded pages.
std::optional<uint64_t> chosen_index(const PeopleState& people) {
    if (people.selected.size() != 1) return std::nullopt;
    for (const auto& [page, persons] : people.pages) {
        for (std::size_t i = 0; i < persons.size(); ++i) {
            if (persons[i].id == *people.selected.begin()) return page * PeopleState::kPageSize + i;
        }
    }
    return std::nullopt;
}

}  // namespace

std::string people_summary(const State& s) {
    const PeopleState& people = s.people;
    if (!people.total || (people.unsupported && people.count() == 0)) return {};
    uint64_t loaded = 0, named = 0;
    for (const auto& [page, persons] : people.pages) {
        loaded += persons.size();
        for (const auto& p : persons) named += p.name.empty() ? 0 : 1;
    }
    std::string text = std::to_string(*people.total) + (*people.total == 1 ? " person" : " people");
    if (loaded == *people.total && loaded > 0) text += ", " + std::to_string(named) + " named";
    if (!people.selected.empty()) text += ", " + std::to_string(people.selected.size()) + " chosen";
    return text;
}

// The cells: a virtual list of rows, drawn here.
class PeopleCells : public wxVScrolledWindow {
public:
    PeopleCells(PeopleView* page, Store& store)
        : wxVScrolledWindow(page, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxWANTS_CHARS | wxBORDER_NONE), page_(page), store_(store) {
        SetBackgroundStyle(wxBG_STYLE_PAINT);
        SetBackgroundColour(theme::kBackground);
        Bind(wxEVT_PAINT, &PeopleCells::on_paint, this);
        Bind(wxEVT_LEFT_DOWN, &PeopleCells::on_click, this);
        Bind(wxEVT_LEFT_DCLICK, &PeopleCells::on_double_click, this);
        Bind(wxEVT_RIGHT_DOWN, &PeopleCells::on_right_click, this);
        Bind(wxEVT_KEY_DOWN, &PeopleCells::on_key, this);
        Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
            rendered_total_ = ~0ull;  // the columns change with the width
            render();
            e.Skip();
        });
        SetRowCount(0);
    }

    void render() {
        const State& s = store_.state();
        const uint64_t total = s.people.count();
        if (total != rendered_total_) {
            rendered_total_ = total;
            const std::size_t first = GetVisibleRowsBegin();
            SetRowCount(static_cast<std::size_t>((total + columns() - 1) / columns()));
            if (first < GetRowCount()) ScrollToRow(first);
        }
        const std::optional<uint64_t> chosen = chosen_index(s.people);
        if (chosen != rendered_choice_) {
            rendered_choice_ = chosen;
            if (chosen) {
                const std::size_t row = static_cast<std::size_t>(*chosen / columns());
                if (row < GetVisibleRowsBegin()) ScrollToRow(row);
                else if (row + 1 >= GetVisibleRowsEnd() && row >= rows_per_page()) ScrollToRow(row + 1 - rows_per_page());
            }
        }
        Refresh(false);
    }

    std::function<void(const std::string&)> on_painted;

private:
    wxCoord OnGetRowHeight(size_t) const override { return kCellHeight; }

    uint32_t columns() const { return std::max<uint32_t>(1, static_cast<uint32_t>(std::max(GetClientSize().GetWidth(), 1)) / kCellWidth); }
    std::size_t rows_per_page() const { return std::max<std::size_t>(1, static_cast<std::size_t>(std::max(GetClientSize().GetHeight(), 1)) / kCellHeight); }
    int left_margin() const { return (GetClientSize().GetWidth() - static_cast<int>(columns()) * kCellWidth) / 2; }

    std::optional<uint64_t> hit(wxPoint point) const {
        const int x0 = left_margin();
        if (point.x < x0) return std::nullopt;
        const uint64_t col = static_cast<uint64_t>(point.x - x0) / kCellWidth;
        if (col >= columns()) return std::nullopt;
        const uint64_t index = (GetVisibleRowsBegin() + static_cast<uint64_t>(point.y) / kCellHeight) * columns() + col;
        if (index >= store_.state().people.count()) return std::nullopt;
        return index;
    }

    const ipc::Person* person_at(wxPoint point) const {
        const auto index = hit(point);
        return index ? store_.state().people.at(*index) : nullptr;
    }

    // The cover thumbnail: the size the face needs, else any size already here until it comes.
    const wxBitmap* cover(const ipc::Person& p, std::vector<ThumbKey>& wanted) {
        const ThumbKey key{p.cover_photo_id, face_thumbnail_size(p)};
        if (const wxBitmap* exact = store_.thumbnail(key)) return exact;
        if (!store_.state().missing_thumbnails.count(p.cover_photo_id)) wanted.push_back(key);
        for (uint32_t size : {0u, 1024u, 256u}) {
            if (const wxBitmap* other = store_.thumbnail({p.cover_photo_id, size})) return other;
        }
        return nullptr;
    }

    void on_paint(wxPaintEvent&) {
        wxPaintDC dc(this);  // GTK double-buffers windows itself
        dc.SetBackground(wxBrush(theme::kBackground));
        dc.Clear();
        const State& s = store_.state();
        const PeopleState& people = s.people;
        if (people.count() == 0) {
            store_.want_thumbnails(ThumbSlot::people, {});
            dc.SetTextForeground(theme::kCaption);
            const wxSize area = GetClientSize();
            dc.DrawLabel(empty_message(s), wxRect(20, 0, std::max(0, area.x - 40), area.y), wxALIGN_CENTER);
            if (on_painted) on_painted("people: 0 cells");
            return;
        }
        std::unique_ptr<wxGraphicsContext> gc(wxGraphicsContext::Create(dc));
        const wxFont name_font = GetFont().Bold();
        const wxFont unnamed_font = GetFont().Italic();
        const wxFont counts_font = GetFont().Smaller();
        const uint32_t cols = columns();
        const int x0 = left_margin();
        std::vector<ThumbKey> wanted;
        std::set<uint64_t> pages_missing;
        std::size_t cells = 0, faces = 0;
        std::string captions;
        const std::size_t begin = GetVisibleRowsBegin(), end = GetVisibleRowsEnd();
        for (std::size_t row = begin; row < end; ++row) {
            for (uint32_t c = 0; c < cols; ++c) {
                const uint64_t index = row * cols + c;
                if (index >= people.count()) break;
                const int x = x0 + static_cast<int>(c) * kCellWidth + kGap;
                const int y = static_cast<int>(row - begin) * kCellHeight + kGap;
                ++cells;
                const ipc::Person* p = people.at(index);
                const bool chosen = p && people.selected.count(p->id);
                // Every cell has a frame (GUI tests count them); the chosen ones in the focus colour.
                dc.SetPen(*wxTRANSPARENT_PEN);
                dc.SetBrush(wxBrush(chosen ? theme::kFocusFrame : theme::kPersonFrame));
                dc.DrawRectangle(x - kFrame, y - kFrame, kFace + 2 * kFrame, kFace + 2 * kFrame);
                dc.SetBrush(wxBrush(theme::kPlaceholder));
                dc.DrawRectangle(x, y, kFace, kFace);
                if (!p) {
                    pages_missing.insert(index / PeopleState::kPageSize);
                    continue;
                }
                const wxBitmap* bitmap = p->cover_photo_id.empty() ? nullptr : cover(*p, wanted);
                dc.SetFont(counts_font);
                dc.SetTextForeground(theme::kCaption);
                if (bitmap && bitmap->IsOk() && gc) {
                    const Rect crop = face_crop(*p, bitmap->GetWidth(), bitmap->GetHeight());
                    const wxRect part = wxRect(static_cast<int>(crop.x), static_cast<int>(crop.y), std::max(1, static_cast<int>(crop.width)),
                                               std::max(1, static_cast<int>(crop.height)))
                                            .Intersect(wxRect(0, 0, bitmap->GetWidth(), bitmap->GetHeight()));
                    if (!part.IsEmpty()) {
                        // Turned as the user turned the cover photo (the thumbnail is upright as the file says).
                        draw_turned(*gc, bitmap->GetSubBitmap(part), x, y, kFace, kFace, p->cover_rotation);
                        ++faces;
                    }
                } else if (p->cover_photo_id.empty() || s.missing_thumbnails.count(p->cover_photo_id)) {
                    dc.DrawLabel("no face", wxRect(x, y, kFace, kFace), wxALIGN_CENTER);
                }
                if (chosen && gc) {
                    gc->SetPen(wxPen(theme::kSelection, 3));
                    gc->SetBrush(wxBrush(wxColour(theme::kSelection.Red(), theme::kSelection.Green(), theme::kSelection.Blue(), 70)));
                    gc->DrawRectangle(x + 1.5, y + 1.5, kFace - 3, kFace - 3);
                }
                const std::string caption = person_caption(*p);
                dc.SetFont(p->name.empty() ? unnamed_font : name_font);
                dc.SetTextForeground(p->name.empty() ? theme::kCaption : *wxWHITE);
                dc.DrawLabel(wxString::FromUTF8(caption), wxRect(x - kGap / 2, y + kFace + 4, kFace + kGap, kCaption / 2),
                             wxALIGN_CENTER_HORIZONTAL | wxALIGN_TOP);
                dc.SetFont(counts_font);
                dc.SetTextForeground(theme::kCaption);
                dc.DrawLabel(wxString::FromUTF8(counts_line(*p)), wxRect(x - kGap / 2, y + kFace + 4 + kCaption / 2, kFace + kGap, kCaption / 2),
                             wxALIGN_CENTER_HORIZONTAL | wxALIGN_TOP);
                captions += (captions.empty() ? "" : ", ") + caption + " " + std::to_string(p->faces);
            }
        }
        store_.want_thumbnails(ThumbSlot::people, std::move(wanted));
        if (on_painted) on_painted("people: " + std::to_string(cells) + " cells, " + std::to_string(faces) + " faces: " + captions);
        // Dispatching while painting would re-enter the store: ask for pages after the paint.
        for (uint64_t page : pages_missing) {
            if (!people.requested.count(page)) CallAfter([this, page] { store_.dispatch(PersonsPageNeeded{page}); });
        }
    }

    void on_click(wxMouseEvent& e) {
        SetFocus();
        const ipc::Person* p = person_at(e.GetPosition());
        if (!p) return;
        const uint64_t id = p->id;
        if (e.ControlDown() || e.ShiftDown()) store_.dispatch(ChoosePerson{id, SelectMode::toggle});
        else if (person_query(*p)) store_.dispatch(ShowPersonPhotos{id});
        else store_.dispatch(ChoosePerson{id});  // unnamed: chosen, to be named (the hint says so)
    }

    void on_double_click(wxMouseEvent& e) {
        const ipc::Person* p = person_at(e.GetPosition());
        if (p && !person_query(*p)) page_->rename(p->id);  // naming is what an unnamed person needs
    }

    void on_right_click(wxMouseEvent& e) {
        SetFocus();
        const ipc::Person* p = person_at(e.GetPosition());
        if (!p) return;
        // Copied: the store changes below, and the menu runs the event loop.
        const uint64_t id = p->id;
        const bool named = person_query(*p).has_value();
        const wxString caption = wxString::FromUTF8(person_caption(*p));
        if (!store_.state().people.selected.count(id)) store_.dispatch(ChoosePerson{id});
        const std::size_t others = store_.state().people.selected.size() - 1;
        enum { show = 1, rename, merge };
        wxMenu menu;
        menu.Append(show, named ? "Show " + caption + "'s photos" : wxString("Name this person to see their photos"))->Enable(named);
        menu.Append(rename, "Rename...\tF2");
        menu.Append(merge, others == 1 ? "Merge the other chosen person into " + caption
                                       : wxString::Format("Merge the %zu other chosen people into ", others) + caption)
            ->Enable(others > 0);
        switch (GetPopupMenuSelectionFromUser(menu, e.GetPosition())) {
            case show: store_.dispatch(ShowPersonPhotos{id}); break;
            case rename: page_->rename(id); break;
            case merge: store_.dispatch(MergeChosenInto{id}); break;
            default: break;
        }
    }

    void on_key(wxKeyEvent& e) {
        const PeopleState& people = store_.state().people;
        const std::optional<uint64_t> chosen = chosen_index(people);
        const auto move = [&](int64_t by) {
            if (people.count() == 0) return;
            const int64_t from = chosen ? static_cast<int64_t>(*chosen) : -by;  // nothing chosen: the first
            const int64_t to = std::clamp<int64_t>(from + by, 0, static_cast<int64_t>(people.count()) - 1);
            if (const ipc::Person* p = people.at(static_cast<uint64_t>(to))) store_.dispatch(ChoosePerson{p->id});
            else store_.dispatch(PersonsPageNeeded{static_cast<uint64_t>(to) / PeopleState::kPageSize});
        };
        const int64_t cols = columns();
        switch (e.GetKeyCode()) {
            case WXK_ESCAPE: store_.dispatch(ShowPeople{false}); break;
            case WXK_LEFT: move(-1); break;
            case WXK_RIGHT: move(1); break;
            case WXK_UP: move(-cols); break;
            case WXK_DOWN: move(cols); break;
            case WXK_F2:
                if (people.selected.size() == 1) page_->rename(*people.selected.begin());
                break;
            case WXK_RETURN:
            case WXK_NUMPAD_ENTER:
                if (chosen) {
                    const ipc::Person* p = people.at(*chosen);
                    if (p && person_query(*p)) store_.dispatch(ShowPersonPhotos{p->id});
                    else if (p) page_->rename(p->id);
                }
                break;
            default: e.Skip();
        }
    }

    PeopleView* page_;
    Store& store_;
    uint64_t rendered_total_ = ~0ull;
    std::optional<uint64_t> rendered_choice_;
};

PeopleView::PeopleView(wxWindow* parent, Store& store) : wxPanel(parent, wxID_ANY), store_(store) {
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    const auto button = [&](const char* label, auto handler) {
        auto* b = new wxButton(this, wxID_ANY, label, wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT);
        b->Bind(wxEVT_BUTTON, handler);
        buttons->Add(b, 0, wxRIGHT, 4);
        return b;
    };
    button("Back to grid", [this](wxCommandEvent&) { store_.dispatch(ShowPeople{false}); });
    rename_ = button("Rename... (F2)", [this](wxCommandEvent&) {
        const auto& chosen = store_.state().people.selected;
        if (chosen.size() == 1) rename(*chosen.begin());
    });
    merge_ = button("Merge...", [this](wxCommandEvent&) { merge_chosen(); });
    button("Refresh", [this](wxCommandEvent&) { store_.dispatch(RefreshPersons{}); });
    summary_ = new wxStaticText(this, wxID_ANY, "");
    buttons->Add(summary_, 1, wxALIGN_CENTER_VERTICAL | wxLEFT, 8);
    sizer->Add(buttons, 0, wxEXPAND | wxALL, 4);
    hint_ = new wxStaticText(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END);
    sizer->Add(hint_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    cells_ = new PeopleCells(this, store_);
    sizer->Add(cells_, 1, wxEXPAND);
    SetSizer(sizer);
    render();
}

void PeopleView::set_on_painted(std::function<void(const std::string&)> on_painted) { cells_->on_painted = std::move(on_painted); }

void PeopleView::focus_cells() { cells_->SetFocus(); }

void PeopleView::render() {
    const State& s = store_.state();
    const PeopleState& people = s.people;
    const wxString summary = wxString::FromUTF8(people_summary(s));
    if (summary_->GetLabel() != summary) summary_->SetLabel(summary);

    // One line under the buttons: what went wrong, else what a click does with what is chosen.
    wxString hint;
    bool error = false;
    const ipc::Person* single = people.selected.size() == 1 ? people.find(*people.selected.begin()) : nullptr;
    if (people.error) {
        hint = wxString::FromUTF8(*people.error);
        error = true;
    } else if (people.unsupported && people.count() > 0) {
        hint = "this engine does not group faces into people: " + wxString::FromUTF8(*people.unsupported);
        error = true;
    } else if (single && !person_query(*single)) {
        hint = single->name.empty() ? wxString("Unnamed people cannot be searched for: name this one (F2, or double-click) to see their photos")
                                    : wxString("This name cannot be searched for (it has a double quote): rename them to see their photos");
    } else if (people.count() == 0) {
        hint = "";  // the page says why in its middle
    } else if (people.selected.size() > 1) {
        hint = "Merge... puts the chosen people's faces into one of them; Ctrl+click adds or takes out a person";
    } else {
        hint = "Click a person to see their photos; Ctrl+click chooses several to merge; right-click or F2 renames";
    }
    const wxColour colour = error ? theme::kError : GetForegroundColour();
    if (hint_->GetLabel() != hint || hint_->GetForegroundColour() != colour) {
        hint_->SetForegroundColour(colour);
        hint_->SetLabel(hint);
    }
    const bool connected = s.engine.status == EngineStatus::connected && !people.unsupported;
    rename_->Enable(connected && people.selected.size() == 1);
    merge_->Enable(connected && people.selected.size() >= 2);
    cells_->render();
}

void PeopleView::rename(uint64_t person_id) {
    const ipc::Person* p = store_.state().people.find(person_id);
    if (!p) return;
    // Copied: the dialog runs the event loop, and the store may change meanwhile.
    const std::string name = p->name;
    const wxString prompt = name.empty()
        ? wxString::Format("Name this person (%llu faces) to see their photos:", static_cast<unsigned long long>(p->faces))
        : wxString("A new name for " + wxString::FromUTF8(name) + " (empty: unnamed again):");
    wxTextEntryDialog dialog(this, prompt, "Rename person", wxString::FromUTF8(name));
    // The query language cannot find a name with a double quote: it cannot be typed.
    wxTextValidator no_quotes(wxFILTER_EXCLUDE_CHAR_LIST);
    no_quotes.SetCharExcludes("\"");
    dialog.SetTextValidator(no_quotes);
    if (dialog.ShowModal() == wxID_OK) store_.dispatch(RenamePersonRequested{person_id, dialog.GetValue().utf8_string()});
    focus_cells();
}

void PeopleView::merge_chosen() {
    const PeopleState& people = store_.state().people;
    std::vector<uint64_t> ids;
    wxArrayString choices;
    int keep = 0;
    for (uint64_t id : people.selected) {
        const ipc::Person* p = people.find(id);
        if (!p) continue;
        // Keep by default the named one with the most faces (or the unnamed one with the most).
        if (!ids.empty()) {
            const ipc::Person* best = people.find(ids[static_cast<std::size_t>(keep)]);
            if (std::pair(!p->name.empty(), p->faces) > std::pair(!best->name.empty(), best->faces)) keep = static_cast<int>(ids.size());
        }
        ids.push_back(id);
        choices.Add(wxString::FromUTF8(person_caption(*p)) + wxString::Format("  (%llu faces)", static_cast<unsigned long long>(p->faces)));
    }
    if (ids.size() < 2) return;
    wxSingleChoiceDialog dialog(this, wxString::Format("Merge the %zu chosen people into one. Keep:", ids.size()), "Merge people", choices);
    dialog.SetSelection(keep);
    if (dialog.ShowModal() == wxID_OK) store_.dispatch(MergeChosenInto{ids[static_cast<std::size_t>(dialog.GetSelection())]});
    focus_cells();
}

}  // namespace lbx::shell
