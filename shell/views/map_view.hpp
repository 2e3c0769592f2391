// The Map page (View > Map, Ctrl+M): the query's geotagged photos as clusters with counts over an offline
// world map (model/world_map.hpp: Natural Earth land and borders, the gazetteer's big towns as labels
// when zoomed in). The engine bins the photos for the view and zoom (GetMapClusters), so the page draws
// a few hundred circles whatever the library's size; clusters split as the zoom grows.
//
// Mouse wheel and double-click zoom (around the pointer), drag pans, + and - zoom, arrows pan, Esc goes
// back to the grid. A click on a cluster, or a box drawn with Shift+drag, shows its photos in the grid
// (a `within:` term in the query). The projection and all pixel arithmetic are model/map_camera.hpp's.
#pragma once

#include "app/store.hpp"
#include "model/world_map.hpp"

#include <wx/colour.h>
#include <wx/font.h>
#include <wx/window.h>

#include <functional>
#include <optional>
#include <string>

class wxGraphicsContext;

namespace lbx::shell {

class MapView : public wxWindow {
public:
    MapView(wxWindow* parent, Store& store);
    void render();
    // After each paint: "map: zoom 3, 2 clusters, 14 photos: 12 at 640,300; 2 at 700,310" (screen
    // positions, biggest first, at most 20; the status log for GUI tests) and the paint's duration.
    void set_on_painted(std::function<void(const std::string&, double)> on_painted) {
        on_painted_ = std::move(on_painted);
    }

private:
    void on_paint();
    void on_size();
    void on_wheel(const wxMouseEvent& e);
    void on_left_down(const wxMouseEvent& e);
    void on_motion(const wxMouseEvent& e);
    void on_left_up(const wxMouseEvent& e);
    void on_key(wxKeyEvent& e);
    void change_camera(const MapCamera& camera);
    // The cluster under a point of the view (the topmost: the last drawn), by index in the state's reply.
    std::optional<std::size_t> cluster_at(ScreenPoint p) const;

    Store& store_;
    const WorldMap* world_ = nullptr;
    std::string world_error_;
    MapCamera drawn_;  // the camera of the last paint
    // A press of the left button: where, with which camera, whether Shift was held (a box), moved yet.
    struct Press {
        ScreenPoint at;
        MapCamera camera;
        bool box = false;
        bool moved = false;
        ScreenPoint now;
    };
    std::optional<Press> press_;
    std::string logged_;
    std::function<void(const std::string&, double)> on_painted_;
};

// The world map file, read once for the app (the Map page and the photo view's place map share it);
// nullptr with the reason in `error` when it cannot be read.
const WorldMap* shared_world_map(std::string* error);
// Land, borders and the labels of the cities shown at the camera's zoom, over a sea-coloured background
// the caller has cleared to map_sea_colour().
void draw_world(wxGraphicsContext& gc, const MapCamera& camera, const WorldMap& world, const wxFont& font);
wxColour map_sea_colour();

// The photo view's small map of where the photo was taken (its GPS position, protocol 6 `capture`): the
// world around it at zoom 5 with a marker; hidden for a photo without a position.
class PlaceMap : public wxWindow {
public:
    explicit PlaceMap(wxWindow* parent);
    void set_place(std::optional<GeoPoint> place);

private:
    void on_paint();
    std::optional<GeoPoint> place_;
};

// A cluster's circle radius in pixels: grows with the log of its count, from 12 (1 photo) to 40.
double cluster_radius(uint64_t count);

}  // namespace lbx::shell
