// The virtual thumbnail grid: a wxVScrolledWindow that draws its cells itself. Only the visible rows
// exist: their pages of results are asked for (PageNeeded) and their thumbnails wanted from the
// session; others cost nothing, so 100 000 photos scroll like 100. Sorted by date taken, a heading row
// ("June 2019", "No date") starts each month (the rows are model/grid_layout.hpp's). Keys: arrows, Page
// Up/Down, Home/End move the focus; Enter opens; Space previews; Delete removes from the library after a
// confirmation.
#pragma once

#include "app/store.hpp"
#include "model/grid_layout.hpp"

#include <wx/vscroll.h>

#include <functional>

class wxDC;
class wxGraphicsContext;

namespace lbx::shell {

class ThumbnailGrid : public wxVScrolledWindow {
public:
    ThumbnailGrid(wxWindow* parent, Store& store);

    void render();
    // The results index of the first visible cell (the status log says where the grid is scrolled).
    uint64_t first_visible_index() const { return layout_.first_index_from(GetVisibleRowsBegin()); }
    uint32_t columns() const;
    uint32_t rows_per_page() const;
    // The bench scrolls with this: the first visible row, and a synchronous repaint.
    void scroll_to_row_now(std::size_t row);
    std::size_t painted_cells() const { return painted_cells_; }
    std::size_t painted_thumbnails() const { return painted_thumbnails_; }
    uint64_t paints() const { return paints_; }  // paints so far (the bench waits for one after a jump)
    double slowest_paint_ms() const { return slowest_paint_ms_; }  // the UI bench: is a stall a paint?
    // The headings on the screen at the last paint: their text and row (the status log).
    const std::vector<std::pair<std::string, std::size_t>>& painted_headings() const { return painted_headings_; }
    // Called after each paint with the cells and thumbnails drawn (the status log for GUI tests).
    std::function<void(std::size_t cells, std::size_t thumbnails)> on_painted;

private:
    wxCoord OnGetRowHeight(size_t row) const override;
    uint32_t cell_width() const;
    uint32_t cell_height() const;
    wxCoord heading_height() const;
    void on_paint(wxPaintEvent& event);
    // Space: the focused photo over the grid, as large as the window allows.
    void paint_preview(wxDC& dc, wxGraphicsContext* gc, uint32_t grid_size);
    void on_key(wxKeyEvent& event);
    void on_click(wxMouseEvent& event, bool open);
    void confirm_remove();
    void ensure_focus_visible();
    void remember_top();  // the photo at the top (and whether its heading is) as the grid is scrolled now
    std::optional<uint64_t> hit(wxPoint point) const;

    Store& store_;
    std::string tooltip_;  // the one set, so that moving within a cell does not reset it
    GridLayout layout_;    // the rows as last rendered: the paint, the hit test and the scrolling use it
    uint64_t rendered_generation_ = ~0ull;
    uint32_t rendered_size_ = 0;
    std::optional<uint64_t> rendered_focus_;
    uint64_t rendered_jump_serial_ = 0;
    // The photo in the first visible cell at the last paint: a scan that adds photos before it moves it
    // down, and the grid scrolls with it, so that what is on the screen stays there.
    std::string top_photo_id_;
    bool top_is_heading_ = false;  // the first visible row was that photo's heading
    std::vector<std::pair<std::string, std::size_t>> painted_headings_;
    std::size_t painted_cells_ = 0;
    std::size_t painted_thumbnails_ = 0;
    uint64_t paints_ = 0;
    double slowest_paint_ms_ = 0;
};

}  // namespace lbx::shell
