#include "views/thumbnail_grid.hpp"

#include "model/rotation.hpp"
#include "views/bitmaps.hpp"

#include <wx/dcbuffer.h>
#include <wx/graphics.h>
#include <wx/control.h>
#include <wx/msgdlg.h>
#include <wx/tooltip.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>

namespace lbx::shell {
namespace {
constexpr int kGap = 8;
constexpr int kCaption = 18;
constexpr int kFrame = 2;
constexpr int kRule = 2;  // the line under a heading
}  // namespace

ThumbnailGrid::ThumbnailGrid(wxWindow* parent, Store& store)
    : wxVScrolledWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxWANTS_CHARS | wxBORDER_NONE), store_(store) {
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    SetBackgroundColour(theme::kBackground);
    Bind(wxEVT_PAINT, &ThumbnailGrid::on_paint, this);
    Bind(wxEVT_KEY_DOWN, &ThumbnailGrid::on_key, this);
    Bind(wxEVT_LEFT_DOWN, [this](wxMouseEvent& e) { on_click(e, false); });
    Bind(wxEVT_LEFT_DCLICK, [this](wxMouseEvent& e) { on_click(e, true); });
    // The cell under the pointer: its path, and where the search's plain words matched it.
    Bind(wxEVT_MOTION, [this](wxMouseEvent& e) {
        e.Skip();
        const auto index = hit(e.GetPosition());
        const ipc::PhotoSummary* photo = index ? store_.state().results.at(*index) : nullptr;
        const std::string tip = photo ? photo->path + (photo->matched.empty() ? "" : "\nmatched " + photo->matched) : std::string();
        if (tip != tooltip_) {
            tooltip_ = tip;
            if (tip.empty()) UnsetToolTip();
            else SetToolTip(wxString::FromUTF8(tip));
        }
    });
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        render();  // the columns change with the width, and the rows with them
        e.Skip();
    });
    SetRowCount(0);
}

uint32_t ThumbnailGrid::cell_width() const { return store_.state().thumbnail_size + 2 * kGap; }
uint32_t ThumbnailGrid::cell_height() const { return store_.state().thumbnail_size + 2 * kGap + kCaption; }
wxCoord ThumbnailGrid::heading_height() const { return GetCharHeight() * 3 / 2 + 14; }
wxCoord ThumbnailGrid::OnGetRowHeight(size_t row) const {
    return layout_.is_heading(row) ? heading_height() : static_cast<wxCoord>(cell_height());
}

uint32_t ThumbnailGrid::columns() const {
    const int width = GetClientSize().GetWidth();
    return std::max<uint32_t>(1, static_cast<uint32_t>(std::max(width, 1)) / cell_width());
}

uint32_t ThumbnailGrid::rows_per_page() const {
    return std::max<uint32_t>(1, static_cast<uint32_t>(std::max(GetClientSize().GetHeight(), 1)) / cell_height());
}

void ThumbnailGrid::render() {
    const State& s = store_.state();
    GridLayout layout = grid_layout_of(s, columns());
    const bool new_query = s.results.generation != rendered_generation_;
    const bool relaid = layout != layout_ || s.thumbnail_size != rendered_size_ || new_query;
    if (relaid) {
        rendered_size_ = s.thumbnail_size;
        rendered_generation_ = s.results.generation;
        layout_ = std::move(layout);
        const std::size_t first = GetVisibleRowsBegin();
        SetRowCount(layout_.row_count());
        RefreshAll();  // the rows' heights change with the headings, not only their number
        if (!new_query && first < GetRowCount()) ScrollToRow(first);
        if (new_query) top_photo_id_.clear();
    }
    if (const auto top = s.results.index_of(top_photo_id_)) {
        // The same photos stay on the screen. Rows laid out anew (months counted again, headings come
        // with the facets): the photo's heading when it starts its month. Otherwise as it was.
        std::size_t wanted = relaid ? layout_.top_row_for(*top) : layout_.row_of(*top);
        if (!relaid && top_is_heading_ && wanted > 0 && layout_.is_heading(wanted - 1)) --wanted;
        if (wanted != GetVisibleRowsBegin()) ScrollToRow(wanted);
    }
    if (s.grid_jump.serial != rendered_jump_serial_) {
        // A timeline jump: its photo's row, under its month's heading, at the top (the paint records the
        // new top photo).
        rendered_jump_serial_ = s.grid_jump.serial;
        rendered_focus_ = s.focused;
        top_photo_id_.clear();
        if (s.grid_jump.serial != 0) ScrollToRow(layout_.top_row_for(s.grid_jump.index));
    }
    if (s.focused != rendered_focus_) {
        rendered_focus_ = s.focused;
        ensure_focus_visible();
    }
    // What is at the top now, for the next render: another action may come before the paint, and it
    // must keep this top, not the one the last paint saw.
    remember_top();
    Refresh(false);
}

void ThumbnailGrid::remember_top() {
    const std::size_t begin = GetVisibleRowsBegin();
    const ipc::PhotoSummary* top = store_.state().results.at(layout_.first_index_from(begin));
    top_photo_id_ = top ? top->id : std::string();
    top_is_heading_ = layout_.is_heading(begin);
}

void ThumbnailGrid::ensure_focus_visible() {
    const State& s = store_.state();
    if (!s.focused || layout_.row_count() == 0) return;
    const std::size_t row = layout_.row_of(*s.focused);
    if (row < GetVisibleRowsBegin()) {
        ScrollToRow(row > 0 && layout_.is_heading(row - 1) ? row - 1 : row);  // with its month's heading
    } else if (row + 1 >= GetVisibleRowsEnd()) {
        // The row at the bottom, whole: as many rows above it as fit (headings are lower than cells).
        const wxCoord height = GetClientSize().GetHeight();
        std::size_t top = row;
        wxCoord used = OnGetRowHeight(row);
        while (top > 0 && used + OnGetRowHeight(top - 1) <= height) used += OnGetRowHeight(--top);
        ScrollToRow(top);
    }
}

void ThumbnailGrid::scroll_to_row_now(std::size_t row) {
    ScrollToRow(row);
    Refresh(false);
    Update();
}

void ThumbnailGrid::on_paint(wxPaintEvent&) {
    const auto started = std::chrono::steady_clock::now();
    wxPaintDC dc(this);  // GTK double-buffers windows itself
    dc.SetBackground(wxBrush(theme::kBackground));
    dc.Clear();
    const State& s = store_.state();
    const uint32_t cols = layout_.columns();
    const int cw = static_cast<int>(cell_width());
    const int size = static_cast<int>(s.thumbnail_size);
    const uint32_t request = grid_request_size(s.thumbnail_size);
    std::unique_ptr<wxGraphicsContext> gc(wxGraphicsContext::Create(dc));
    dc.SetFont(GetFont().Smaller());
    dc.SetTextForeground(theme::kCaption);

    std::vector<ThumbKey> wanted;
    std::set<uint64_t> pages_missing;
    painted_cells_ = 0;
    painted_thumbnails_ = 0;
    painted_headings_.clear();
    const std::size_t begin = GetVisibleRowsBegin();
    const std::size_t end = std::min(GetVisibleRowsEnd(), layout_.row_count());
    remember_top();
    const int x0 = (GetClientSize().GetWidth() - static_cast<int>(cols) * cw) / 2;
    int row_y = 0;
    for (std::size_t row = begin; row < end; row_y += OnGetRowHeight(row), ++row) {
        const GridRow cells = layout_.row(row);
        if (cells.heading) {
            // The month's name over its first row, left-aligned with the cells, a rule under it.
            const wxCoord hh = heading_height();
            wxFont font = GetFont().Larger();
            font.MakeBold();
            dc.SetFont(font);
            dc.DrawLabel(wxString::FromUTF8(cells.text), wxRect(x0 + kGap, row_y, static_cast<int>(cols) * cw - 2 * kGap, hh - kRule - 2),
                         wxALIGN_LEFT | wxALIGN_BOTTOM);
            dc.SetFont(GetFont().Smaller());
            dc.SetPen(*wxTRANSPARENT_PEN);
            dc.SetBrush(wxBrush(theme::kHeadingRule));
            dc.DrawRectangle(x0 + kGap, row_y + hh - kRule, static_cast<int>(cols) * cw - 2 * kGap, kRule);
            painted_headings_.emplace_back(cells.text, row);
            continue;
        }
        for (uint32_t c = 0; c < cells.count; ++c) {
            const uint64_t index = cells.first_index + c;
            if (index >= s.results.count()) break;
            const int x = x0 + static_cast<int>(c) * cw + kGap;
            const int y = row_y + kGap;
            ++painted_cells_;
            const bool focused = s.focused && *s.focused == index;
            // The frame: every cell has one (GUI tests count them), the focused one stands out.
            dc.SetPen(*wxTRANSPARENT_PEN);
            dc.SetBrush(wxBrush(focused ? theme::kFocusFrame : theme::kCellFrame));
            dc.DrawRectangle(x - kFrame, y - kFrame, size + 2 * kFrame, size + 2 * kFrame);
            dc.SetBrush(wxBrush(theme::kPlaceholder));
            dc.DrawRectangle(x, y, size, size);
            const ipc::PhotoSummary* photo = s.results.at(index);
            if (!photo) {
                pages_missing.insert(index / ResultPages::kPageSize);
                continue;
            }
            const ThumbKey key{photo->id, request};
            const wxBitmap* bitmap = photo->id.empty() ? nullptr : store_.thumbnail(key);
            if (bitmap && bitmap->IsOk() && gc) {
                // Fit the thumbnail in the square, upright as the engine made it, turned as the user asked.
                const auto [bw, bh] = turned_size(bitmap->GetWidth(), bitmap->GetHeight(), photo->rotation);
                const double scale = std::min(size / bw, size / bh);
                const double w = bw * scale, h = bh * scale;
                draw_turned(*gc, *bitmap, x + (size - w) / 2, y + (size - h) / 2, w, h, photo->rotation);
                ++painted_thumbnails_;
            } else if (s.missing_thumbnails.count(photo->id) || photo->id.empty()) {
                dc.DrawLabel("no thumbnail", wxRect(x, y, size, size), wxALIGN_CENTER);
            } else {
                wanted.push_back(key);
            }
            if (gc && !photo->id.empty() && s.selection.ids.count(photo->id)) {
                // Chosen: tinted inside the frame (the frame's colour stays: the GUI tests count frames).
                gc->SetPen(wxPen(theme::kSelection, 3));
                gc->SetBrush(wxBrush(wxColour(theme::kSelection.Red(), theme::kSelection.Green(), theme::kSelection.Blue(), 90)));
                gc->DrawRectangle(x + 1.5, y + 1.5, size - 3, size - 3);
            }
            // Cut in the middle to the cell's width (the start and the extension stay readable), never over
            // the neighbours; the whole name is the cell's tooltip.
            const wxString name = wxString::FromUTF8(std::filesystem::path(photo->path).filename().string());
            dc.DrawLabel(wxControl::Ellipsize(name, dc, wxELLIPSIZE_MIDDLE, size), wxRect(x, y + size + 2, size, kCaption),
                         wxALIGN_CENTER_HORIZONTAL | wxALIGN_TOP);
        }
    }
    if (const auto message = empty_results_message(s)) {
        // No cell: say why in words, where the cells would be.
        dc.SetFont(GetFont());
        dc.DrawLabel(wxString::FromUTF8(*message), wxRect(GetClientSize()).Deflate(24), wxALIGN_CENTER);
    }
    store_.want_thumbnails(ThumbSlot::grid, std::move(wanted));
    paint_preview(dc, gc.get(), request);
    ++paints_;
    slowest_paint_ms_ = std::max(slowest_paint_ms_, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    if (on_painted) on_painted(painted_cells_, painted_thumbnails_);
    // Dispatching while painting would re-enter the store: ask for pages after the paint.
    for (uint64_t page : pages_missing) {
        if (!store_.state().results.requested.count(page)) CallAfter([this, page] { store_.dispatch(PageNeeded{page}); });
    }
}

void ThumbnailGrid::paint_preview(wxDC& dc, wxGraphicsContext* gc, uint32_t grid_size) {
    const State& s = store_.state();
    const ipc::PhotoSummary* photo = s.previewing ? focused_photo(s) : nullptr;
    if (!photo || photo->id.empty() || !gc) {
        store_.want_thumbnails(ThumbSlot::preview, {});
        return;
    }
    // The largest thumbnail; until it comes, the grid's one scaled up.
    const ThumbKey large{photo->id, 0};
    const wxBitmap* bitmap = store_.thumbnail(large);
    store_.want_thumbnails(ThumbSlot::preview, bitmap ? std::vector<ThumbKey>{} : std::vector<ThumbKey>{large});
    if (!bitmap) bitmap = store_.thumbnail({photo->id, grid_size});

    const wxSize area = GetClientSize();
    gc->SetPen(*wxTRANSPARENT_PEN);
    gc->SetBrush(wxBrush(wxColour(0, 0, 0, 200)));
    gc->DrawRectangle(0, 0, area.x, area.y);
    const wxString name = wxString::FromUTF8(std::filesystem::path(photo->path).filename().string());
    dc.SetTextForeground(*wxWHITE);
    dc.DrawLabel(name + "    (Space or Esc: back to the grid, Enter: open)", wxRect(0, area.y - 28, area.x, 24), wxALIGN_CENTER);
    const double room_w = area.x - 40.0, room_h = area.y - 60.0;
    if (!bitmap || !bitmap->IsOk() || room_w <= 0 || room_h <= 0) {
        dc.DrawLabel(s.missing_thumbnails.count(photo->id) ? "no preview" : "loading...", wxRect(area), wxALIGN_CENTER);
        return;
    }
    const auto [bw, bh] = turned_size(bitmap->GetWidth(), bitmap->GetHeight(), photo->rotation);
    const double scale = std::min(room_w / bw, room_h / bh);
    const double w = bw * scale, h = bh * scale;
    draw_turned(*gc, *bitmap, (area.x - w) / 2, 20 + (room_h - h) / 2, w, h, photo->rotation);
}

std::optional<uint64_t> ThumbnailGrid::hit(wxPoint point) const {
    const uint32_t cols = layout_.columns();
    const int cw = static_cast<int>(cell_width());
    const int x0 = (GetClientSize().GetWidth() - static_cast<int>(cols) * cw) / 2;
    if (point.x < x0) return std::nullopt;
    const uint64_t col = static_cast<uint64_t>(point.x - x0) / static_cast<uint64_t>(cw);
    if (col >= cols) return std::nullopt;
    const int row = VirtualHitTest(point.y);  // a heading's row holds no photo: none
    if (row == wxNOT_FOUND) return std::nullopt;
    const auto index = layout_.index_at(static_cast<std::size_t>(row), static_cast<uint32_t>(col));
    if (!index || *index >= store_.state().results.count()) return std::nullopt;
    return index;
}

void ThumbnailGrid::on_click(wxMouseEvent& event, bool open) {
    SetFocus();
    if (auto index = hit(event.GetPosition())) {
        const SelectMode mode = open ? SelectMode::replace
                                : event.ShiftDown() ? SelectMode::extend
                                : event.ControlDown() ? SelectMode::toggle : SelectMode::replace;
        store_.dispatch(FocusIndex{*index, mode});
        if (open) store_.dispatch(OpenFocused{});
    }
}

void ThumbnailGrid::confirm_remove() {
    const State& s = store_.state();
    const std::vector<std::string> ids = selected_ids(s);
    const ipc::PhotoSummary* photo = focused_photo(s);
    if (ids.empty() || !photo) return;  // nothing chosen, or a Shift range still loading
    const wxString what = ids.size() == 1 && ids.front() == photo->id
        ? "\"" + wxString::FromUTF8(std::filesystem::path(photo->path).filename().string()) + "\""
        : wxString::Format("%zu photos", ids.size());
    const wxString files = ids.size() == 1 ? "The file on disk is not touched; scanning its folder again adds it back."
                                           : "The files on disk are not touched; scanning their folders again adds them back.";
    // A confirmation is fine here: it waits on the user, never on the engine.
    wxMessageDialog dialog(this, "Remove " + what + " from the library?\n\n" + files, "Remove from library",
                           wxYES_NO | wxNO_DEFAULT | wxICON_QUESTION);
    dialog.SetYesNoLabels("Remove from library", "Keep");
    if (dialog.ShowModal() == wxID_YES) store_.dispatch(RemoveSelectedConfirmed{});
}

void ThumbnailGrid::on_key(wxKeyEvent& event) {
    const auto move = [&](NavKey key) { store_.dispatch(MoveFocus{key, columns(), rows_per_page(), event.ShiftDown()}); };
    switch (event.GetKeyCode()) {
        case WXK_LEFT: move(NavKey::left); break;
        case WXK_RIGHT: move(NavKey::right); break;
        case WXK_UP: move(NavKey::up); break;
        case WXK_DOWN: move(NavKey::down); break;
        case WXK_PAGEUP: move(NavKey::page_up); break;
        case WXK_PAGEDOWN: move(NavKey::page_down); break;
        case WXK_HOME: move(NavKey::home); break;
        case WXK_END: move(NavKey::end); break;
        case WXK_RETURN:
        case WXK_NUMPAD_ENTER: store_.dispatch(OpenFocused{}); break;  // also from the Space preview
        case WXK_SPACE: store_.dispatch(TogglePreview{}); break;
        case WXK_ESCAPE:
            if (store_.state().previewing) store_.dispatch(TogglePreview{});
            else event.Skip();
            break;
        case WXK_DELETE: confirm_remove(); break;
        case 'A':
            if (event.GetModifiers() == wxMOD_CONTROL) store_.dispatch(SelectAll{});
            else event.Skip();
            break;
        default: event.Skip();
    }
}

}  // namespace lbx::shell
