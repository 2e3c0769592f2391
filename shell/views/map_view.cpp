#include "views/map_view.hpp"

#include <wx/dcbuffer.h>
#include <wx/graphics.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <system_error>
#include <variant>

namespace lbx::shell {
namespace {

const wxColour kSea(170, 205, 230);
const wxColour kLand(236, 232, 218);
const wxColour kBorder(190, 170, 160);
const wxColour kCoast(150, 160, 170);
const wxColour kCluster(214, 69, 65);
const wxColour kCityText(90, 90, 90);
constexpr std::size_t kMaxLabels = 200;

std::filesystem::path self_exe() {
    std::error_code ec;
    auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : path;
}

wxGraphicsPath path_of(wxGraphicsContext& gc, const MapCamera& camera, const std::vector<GeoPoint>& points,
                       bool closed) {
    wxGraphicsPath path = gc.CreatePath();
    bool first = true;
    for (const GeoPoint& p : points) {
        const ScreenPoint s = to_screen(camera, p);
        if (first)
            path.MoveToPoint(s.x, s.y);
        else
            path.AddLineToPoint(s.x, s.y);
        first = false;
    }
    if (closed) path.CloseSubpath();
    return path;
}

// Whether a line's or ring's points can show in the view (their bounding box meets it).
bool may_show(const std::vector<GeoPoint>& points, const GeoRect& view) {
    double south = 90, north = -90, west = 180, east = -180;
    for (const GeoPoint& p : points) {
        south = std::min(south, p.lat);
        north = std::max(north, p.lat);
        west = std::min(west, p.lon);
        east = std::max(east, p.lon);
    }
    return north >= view.south && south <= view.north && east >= view.west && west <= view.east;
}

std::string count_text(uint64_t count) {
    if (count < 10'000) return std::to_string(count);
    if (count < 1'000'000) return std::to_string(count / 1000) + "k";
    return std::to_string(count / 1'000'000) + "M";
}

}  // namespace

wxColour map_sea_colour() {
    return kSea;
}

const WorldMap* shared_world_map(std::string* error) {
    static const std::variant<WorldMap, std::string> loaded = load_world_map(world_map_file(self_exe()));
    if (const auto* map = std::get_if<WorldMap>(&loaded)) return map;
    if (error) *error = std::get<std::string>(loaded);
    return nullptr;
}

void draw_world(wxGraphicsContext& gc, const MapCamera& camera, const WorldMap& world, const wxFont& font) {
    const GeoRect view = visible_rect(camera);
    gc.SetBrush(wxBrush(kLand));
    gc.SetPen(wxPen(kCoast, 1));
    for (const auto& ring : world.land) {
        if (may_show(ring, view)) gc.DrawPath(path_of(gc, camera, ring, true));
    }
    gc.SetPen(wxPen(kBorder, 1, wxPENSTYLE_SOLID));
    for (const auto& line : world.borders) {
        if (may_show(line, view)) gc.StrokePath(path_of(gc, camera, line, false));
    }
    // City labels, biggest first, none over another.
    gc.SetFont(font.Smaller(), kCityText);
    gc.SetBrush(wxBrush(kCityText));
    gc.SetPen(*wxTRANSPARENT_PEN);
    std::vector<wxRect2DDouble> placed;
    for (const MapCity& city : world.cities) {
        if (placed.size() >= kMaxLabels) break;
        if (!city_shown_at(city, camera.zoom)) continue;
        if (city.at.lat < view.south || city.at.lat > view.north || city.at.lon < view.west || city.at.lon > view.east)
            continue;
        const ScreenPoint s = to_screen(camera, city.at);
        const wxString name = wxString::FromUTF8(city.name);
        double w = 0, h = 0;
        gc.GetTextExtent(name, &w, &h);
        const wxRect2DDouble box(s.x + 4, s.y - h / 2, w, h);
        if (std::any_of(placed.begin(), placed.end(), [&](const wxRect2DDouble& r) { return r.Intersects(box); }))
            continue;
        placed.push_back(box);
        gc.DrawEllipse(s.x - 2, s.y - 2, 4, 4);
        gc.DrawText(name, box.m_x, box.m_y);
    }
}

PlaceMap::PlaceMap(wxWindow* parent) : wxWindow(parent, wxID_ANY, wxDefaultPosition, wxSize(340, 170)) {
    SetName("place_map");
    SetMinSize(wxSize(200, 170));
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    Bind(wxEVT_PAINT, [this](wxPaintEvent&) { on_paint(); });
    Hide();
}

void PlaceMap::set_place(std::optional<GeoPoint> place) {
    place_ = place;
    Show(place.has_value());
    Refresh();
}

void PlaceMap::on_paint() {
    wxAutoBufferedPaintDC dc(this);
    dc.SetBackground(wxBrush(kSea));
    dc.Clear();
    const wxSize size = GetClientSize();
    std::unique_ptr<wxGraphicsContext> gc(wxGraphicsContext::Create(dc));
    if (!gc || !place_ || size.x <= 0 || size.y <= 0) return;
    MapCamera camera;
    camera.centre = *place_;
    camera.zoom = 5;
    camera.width = size.x;
    camera.height = size.y;
    camera = clamped(camera);
    if (const WorldMap* world = shared_world_map(nullptr)) draw_world(*gc, camera, *world, GetFont());
    const ScreenPoint at = to_screen(camera, *place_);
    gc->SetPen(wxPen(*wxWHITE, 2));
    gc->SetBrush(wxBrush(kCluster));
    gc->DrawEllipse(at.x - 6, at.y - 6, 12, 12);
}

double cluster_radius(uint64_t count) {
    return std::min(40.0, 12.0 + 5.0 * std::log10(static_cast<double>(std::max<uint64_t>(count, 1))) * 1.5);
}

MapView::MapView(wxWindow* parent, Store& store)
    : wxWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxWANTS_CHARS), store_(store) {
    SetName("map");
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    Bind(wxEVT_PAINT, [this](wxPaintEvent&) { on_paint(); });
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        on_size();
        e.Skip();
    });
    Bind(wxEVT_MOUSEWHEEL, [this](wxMouseEvent& e) { on_wheel(e); });
    Bind(wxEVT_LEFT_DOWN, [this](wxMouseEvent& e) {
        SetFocus();
        on_left_down(e);
    });
    Bind(wxEVT_MOTION, [this](wxMouseEvent& e) { on_motion(e); });
    Bind(wxEVT_LEFT_UP, [this](wxMouseEvent& e) { on_left_up(e); });
    Bind(wxEVT_LEFT_DCLICK, [this](wxMouseEvent& e) {
        press_.reset();
        change_camera(
            zoomed_at(store_.state().map.camera, 1, {static_cast<double>(e.GetX()), static_cast<double>(e.GetY())}));
    });
    Bind(wxEVT_MOUSE_CAPTURE_LOST, [this](wxMouseCaptureLostEvent&) { press_.reset(); });
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) { on_key(e); });
}

void MapView::render() {
    if (!world_ && world_error_.empty()) {
        // Read when the page is first shown (~10 ms), not at start-up.
        world_ = shared_world_map(&world_error_);
    }
    if (store_.state().map.camera.width == 0) on_size();
    Refresh();
}

void MapView::on_size() {
    const wxSize size = GetClientSize();
    if (size.x <= 0 || size.y <= 0) return;
    const MapCamera& now = store_.state().map.camera;
    if (now.width == size.x && now.height == size.y) return;
    MapCamera camera = now;
    if (now.width == 0) {
        camera = fitted(size.x, size.y);  // the whole world, the first time
    } else {
        camera.width = size.x;
        camera.height = size.y;
    }
    change_camera(camera);
}

void MapView::change_camera(const MapCamera& camera) {
    store_.dispatch(MapCameraChanged{camera});
    Refresh();
}

void MapView::on_wheel(const wxMouseEvent& e) {
    if (e.GetWheelRotation() == 0) return;
    const int steps = e.GetWheelRotation() > 0 ? 1 : -1;
    change_camera(
        zoomed_at(store_.state().map.camera, steps, {static_cast<double>(e.GetX()), static_cast<double>(e.GetY())}));
}

void MapView::on_left_down(const wxMouseEvent& e) {
    const ScreenPoint at{static_cast<double>(e.GetX()), static_cast<double>(e.GetY())};
    press_ = Press{at, store_.state().map.camera, e.ShiftDown(), false, at};
    if (!HasCapture()) CaptureMouse();
}

void MapView::on_motion(const wxMouseEvent& e) {
    if (!press_ || !e.LeftIsDown()) return;
    press_->now = {static_cast<double>(e.GetX()), static_cast<double>(e.GetY())};
    const double dx = press_->now.x - press_->at.x, dy = press_->now.y - press_->at.y;
    if (!press_->moved && std::hypot(dx, dy) < 4) return;  // a click's jitter
    press_->moved = true;
    if (press_->box)
        Refresh();
    else
        change_camera(panned(press_->camera, dx, dy));
}

void MapView::on_left_up(const wxMouseEvent& e) {
    if (HasCapture()) ReleaseMouse();
    if (!press_) return;
    const Press press = *press_;
    press_.reset();
    const ScreenPoint at{static_cast<double>(e.GetX()), static_cast<double>(e.GetY())};
    if (press.box && press.moved) {
        const MapCamera& camera = store_.state().map.camera;
        const GeoPoint a = to_geo(camera, press.at), b = to_geo(camera, at);
        store_.dispatch(MapAreaChosen{
            GeoRect{std::min(a.lat, b.lat), std::min(a.lon, b.lon), std::max(a.lat, b.lat), std::max(a.lon, b.lon)}});
        return;
    }
    if (press.moved) return;  // a drag
    const auto& clusters = store_.state().map.clusters;
    if (const auto index = cluster_at(at); index && clusters) {
        const ipc::MapCluster& c = clusters->clusters[*index];
        store_.dispatch(MapAreaChosen{GeoRect{c.south, c.west, c.north, c.east}});
    }
}

void MapView::on_key(wxKeyEvent& e) {
    const MapCamera& camera = store_.state().map.camera;
    const ScreenPoint middle{camera.width / 2.0, camera.height / 2.0};
    switch (e.GetKeyCode()) {
        case '+':
        case '=':
        case WXK_NUMPAD_ADD:
            change_camera(zoomed_at(camera, 1, middle));
            return;
        case '-':
        case WXK_NUMPAD_SUBTRACT:
            change_camera(zoomed_at(camera, -1, middle));
            return;
        case WXK_LEFT:
            change_camera(panned(camera, kMapCellPixels, 0));
            return;
        case WXK_RIGHT:
            change_camera(panned(camera, -kMapCellPixels, 0));
            return;
        case WXK_UP:
            change_camera(panned(camera, 0, kMapCellPixels));
            return;
        case WXK_DOWN:
            change_camera(panned(camera, 0, -kMapCellPixels));
            return;
        case WXK_ESCAPE:
            if (!store_.state().full_screen) {
                store_.dispatch(ShowMap{false});
                return;
            }
            break;
        default:
            break;
    }
    e.Skip();
}

std::optional<std::size_t> MapView::cluster_at(ScreenPoint p) const {
    const auto& clusters = store_.state().map.clusters;
    if (!clusters) return std::nullopt;
    const MapCamera& camera = store_.state().map.camera;
    // Drawn biggest first, so the last one under the point is on top.
    for (std::size_t i = clusters->clusters.size(); i-- > 0;) {
        const ipc::MapCluster& c = clusters->clusters[i];
        const ScreenPoint s = to_screen(camera, {c.lat, c.lon});
        if (std::hypot(s.x - p.x, s.y - p.y) <= cluster_radius(c.count)) return i;
    }
    return std::nullopt;
}

void MapView::on_paint() {
    const auto started = std::chrono::steady_clock::now();
    wxAutoBufferedPaintDC dc(this);
    dc.SetBackground(wxBrush(kSea));
    dc.Clear();
    const State& state = store_.state();
    const MapCamera& camera = state.map.camera;
    drawn_ = camera;
    std::unique_ptr<wxGraphicsContext> gc(wxGraphicsContext::Create(dc));
    if (!gc || camera.width == 0) return;

    // The world's edge, then the land and the borders.
    const ScreenPoint nw = to_screen(camera, {90, -180}), se = to_screen(camera, {-90, 180});
    gc->SetPen(wxPen(kCoast, 1));
    gc->SetBrush(*wxTRANSPARENT_BRUSH);
    gc->DrawRectangle(nw.x, nw.y, se.x - nw.x, se.y - nw.y);
    if (world_) {
        draw_world(*gc, camera, *world_, GetFont());
    } else {
        gc->SetFont(GetFont(), *wxBLACK);
        gc->DrawText(wxString::FromUTF8(world_error_), 10, 30);
    }

    // The clusters, biggest first (the small ones on top stay clickable).
    std::string line = "map: zoom " + std::to_string(camera.zoom);
    if (state.map.clusters) {
        const auto& reply = *state.map.clusters;
        wxFont bold = GetFont().Bold();
        gc->SetFont(bold, *wxWHITE);
        gc->SetPen(wxPen(*wxWHITE, 2));
        gc->SetBrush(wxBrush(kCluster));
        std::string positions;
        std::size_t logged = 0;
        const wxPoint origin = ClientToScreen(wxPoint(0, 0));
        for (const ipc::MapCluster& c : reply.clusters) {
            const ScreenPoint s = to_screen(camera, {c.lat, c.lon});
            const double r = cluster_radius(c.count);
            if (s.x < -r || s.y < -r || s.x > camera.width + r || s.y > camera.height + r) continue;
            gc->DrawEllipse(s.x - r, s.y - r, 2 * r, 2 * r);
            const wxString text = count_text(c.count);
            double w = 0, h = 0;
            gc->GetTextExtent(text, &w, &h);
            gc->DrawText(text, s.x - w / 2, s.y - h / 2);
            if (logged++ < 20) {
                positions += (positions.empty() ? "" : "; ") + std::to_string(c.count) + " at " +
                             std::to_string(origin.x + static_cast<int>(s.x)) + "," +
                             std::to_string(origin.y + static_cast<int>(s.y));
            }
        }
        line += ", " + std::to_string(reply.clusters.size()) + " clusters, " + std::to_string(reply.photos) +
                " photos: " + positions;
    }

    // The box being drawn (Shift+drag).
    if (press_ && press_->box && press_->moved) {
        gc->SetPen(wxPen(kCluster, 2, wxPENSTYLE_SHORT_DASH));
        gc->SetBrush(wxBrush(wxColour(214, 69, 65, 40)));
        gc->DrawRectangle(std::min(press_->at.x, press_->now.x), std::min(press_->at.y, press_->now.y),
                          std::abs(press_->now.x - press_->at.x), std::abs(press_->now.y - press_->at.y));
    }

    // What the page says: the count, or the error, and how to use it.
    std::string caption;
    if (state.map.error)
        caption = *state.map.error;
    else if (state.map.clusters)
        caption = std::to_string(state.map.clusters->photos) + " photos with a place here" +
                  (state.map.clusters->truncated ? " (the smallest groups are not shown)" : "");
    caption +=
        (caption.empty() ? "" : "  ·  ") +
        std::string("wheel or +/- zoom, drag to move, click a group or Shift+drag a box to see its photos, Esc back");
    gc->SetFont(GetFont(), wxColour(40, 40, 40));
    double w = 0, h = 0;
    gc->GetTextExtent(wxString::FromUTF8(caption), &w, &h);
    gc->SetBrush(wxBrush(wxColour(255, 255, 255, 200)));
    gc->SetPen(*wxTRANSPARENT_PEN);
    gc->DrawRectangle(0, 0, w + 16, h + 8);
    gc->DrawText(wxString::FromUTF8(caption), 8, 4);
    gc.reset();

    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (on_painted_ && line != logged_) {
        logged_ = line;
        on_painted_(line, ms);
    }
}

}  // namespace lbx::shell
