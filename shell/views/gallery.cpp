#include "views/gallery.hpp"

#include "app/store.hpp"
#include "model/fixtures.hpp"
#include "model/regions.hpp"

#include <lightbox/ipc/error_codes.hpp>
#include "views/bitmaps.hpp"
#include "views/failures_view.hpp"
#include "views/filter_panel.hpp"
#include "views/job_bar.hpp"
#include "views/main_frame.hpp"
#include "views/people_view.hpp"
#include "views/photo_view.hpp"
#include "views/plugins_dialog.hpp"
#include "views/preferences_dialog.hpp"
#include "views/status_bar.hpp"
#include "views/thumbnail_grid.hpp"

#include <wx/frame.h>
#include <wx/sizer.h>

#include <cstdio>
#include <type_traits>

namespace lbx::shell {

std::vector<std::string> gallery_views() {
    return {"main",       "grid",          "grid-preview", "filter-panel", "photo-view", "photo-view-boxes",
            "job-bar",    "job-bar-paused", "job-bar-interrupted", "people",       "people-unsupported", "main-people",
            "failures",   "plugins",       "preferences",  "status-bar"};
}

std::unique_ptr<Store> make_gallery_store() {
    State state = fixture_state();
    auto store = std::make_unique<Store>(state);
    const uint32_t size = grid_request_size(state.thumbnail_size);
    for (const auto& [page, rows] : state.results.pages) {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            // Landscape and portrait pictures, and one still "loading" for the placeholder.
            if (i == 5) continue;
            const bool portrait = i % 4 == 1;
            store->put_thumbnail({rows[i].id, size}, fixture_picture(static_cast<int>(i), portrait ? 192 : 256, portrait ? 256 : 192));
        }
    }
    // The open photo with a figure in each box analysis found, and the persons' cover photos with a face
    // in the cover box.
    std::vector<FixtureFigure> figures;
    for (const auto& r : state.open_photo->info->regions) figures.push_back({r.kind == "face", r.x, r.y, r.width, r.height});
    store->put_thumbnail({"fixture-3", 0}, fixture_picture(3, 1024, 768, figures));
    for (const auto& [page, persons] : state.people.pages) {
        for (const auto& p : persons) {
            const int seed = static_cast<int>(p.id);
            const bool portrait = p.id % 3 == 2;
            const std::vector<FixtureFigure> face{{true, p.cover_x, p.cover_y, p.cover_width, p.cover_height}};
            store->put_thumbnail({p.cover_photo_id, face_thumbnail_size(p)},
                                 fixture_picture(seed, portrait ? 192 : 256, portrait ? 256 : 192, face));
        }
    }
    // No engine: what the views would send is printed, for the tests and for whoever works on a view.
    store->on_command([](const Command& command) {
        std::fprintf(stderr, "gallery: sends %s\n", describe(command.request).c_str());
        std::fflush(stderr);
    });
    return store;
}

namespace {

// A frame holding one panel-like view that re-renders on the store's changes.
template <class View>
wxFrame* host(Store& store, const std::string& name, wxSize size) {
    auto* frame = new wxFrame(nullptr, wxID_ANY, "Lightbox gallery - " + wxString::FromUTF8(name), wxDefaultPosition, size);
    auto* view = new View(frame, store);
    auto* sizer = new wxBoxSizer(wxVERTICAL);
    sizer->Add(view, 1, wxEXPAND);
    frame->SetSizer(sizer);
    store.subscribe([view] { view->render(); });
    // The view's status log lines (places of buttons and faces, for the GUI tests) on stderr.
    if constexpr (std::is_same_v<View, PhotoView>) {
        view->set_on_log([](const std::string& line) {
            std::fprintf(stderr, "gallery: log %s\n", line.c_str());
            std::fflush(stderr);
        });
    }
    view->render();
    frame->Show();
    return frame;
}

}  // namespace

wxFrame* show_gallery(const std::string& view, Store& store) {
    if (view == "main") {
        store.dispatch(ClosePhoto{});  // the grid: the photo view has a gallery entry of its own
        auto* frame = new MainFrame(store);
        store.subscribe([frame] { frame->render(); });
        frame->Show();
        frame->render();
        return frame;
    }
    if (view == "grid") return host<ThumbnailGrid>(store, view, wxSize(1000, 700));
    if (view == "grid-preview") {
        store.dispatch(ClosePhoto{});
        store.dispatch(TogglePreview{});  // on the fixture's focused photo, which has a large thumbnail
        return host<ThumbnailGrid>(store, view, wxSize(1000, 700));
    }
    if (view == "filter-panel") return host<FilterPanel>(store, view, wxSize(280, 700));
    if (view == "photo-view") return host<PhotoView>(store, view, wxSize(1200, 760));
    if (view == "photo-view-boxes") {
        store.dispatch(ToggleRegions{});
        return host<PhotoView>(store, view, wxSize(1200, 760));
    }
    if (view == "job-bar") return host<JobBar>(store, view, wxSize(900, 110));
    if (view == "job-bar-paused") {
        // The engine said paused; the job that ran ended so.
        store.dispatch(PauseAnalysisRequested{true});
        ipc::AnalysisReply paused = *store.state().analysis;
        paused.paused = true;
        paused.job_id = 0;
        store.dispatch(ReplyArrived{ipc::SetAnalysisPaused{true}, 0, ipc::Reply{paused}});
        ipc::JobProgress ended = store.state().jobs.at(8).progress;
        ended.state = ipc::JobState::paused;
        ++ended.sequence;
        store.dispatch(EventArrived{ipc::Event{ipc::JobProgressEvent{ended}}});
        return host<JobBar>(store, view, wxSize(900, 110));
    }
    if (view == "job-bar-interrupted") {
        // The engine was killed mid-scan: the next one lists the scan as interrupted (under its own id).
        ipc::JobSnapshot interrupted;
        interrupted.progress.job_id = 1;
        interrupted.progress.state = ipc::JobState::interrupted;
        interrupted.progress.done = interrupted.progress.total = 158;
        interrupted.progress.current_path = "/home/ada/Pictures";
        store.dispatch(EngineConnected{"0.1.0", 4343});
        store.dispatch(ReplyArrived{ipc::ListJobs{}, 0, ipc::Reply{ipc::JobList{{interrupted}}}});
        return host<JobBar>(store, view, wxSize(900, 110));
    }
    if (view == "people" || view == "people-unsupported") {
        store.dispatch(ClosePhoto{});
        store.dispatch(ShowPeople{true});
        if (view == "people-unsupported") {
            // An engine without people (this branch's engine until persons are grouped): nobody listed, and why.
            const ipc::ListPersons list{0, PeopleState::kPageSize};
            store.dispatch(ReplyArrived{list, 0, ipc::Reply{ipc::PersonList{}}});
            const auto unsupported = ipc::make_error(ipc::Status::bad_request, "engine", ipc::codes::kUnsupported,
                                                     "ListPersons: people are not grouped by this engine yet");
            store.dispatch(ReplyArrived{list, 0, ipc::unexpected(unsupported)});
        }
        return host<PeopleView>(store, view, wxSize(1000, 640));
    }
    if (view == "main-people") {
        store.dispatch(ClosePhoto{});
        store.dispatch(ShowPeople{true});
        auto* frame = new MainFrame(store);
        store.subscribe([frame] { frame->render(); });
        frame->Show();
        frame->render();
        return frame;
    }
    if (view == "status-bar") {
        auto* frame = new wxFrame(nullptr, wxID_ANY, "Lightbox gallery - status-bar", wxDefaultPosition, wxSize(900, 120));
        auto* bar = new StatusBar(frame, store);
        frame->SetStatusBar(bar);
        frame->Show();
        return frame;
    }
    wxFrame* frame = nullptr;
    if (view == "failures") frame = new FailuresView(nullptr, store);
    if (view == "plugins") frame = new PluginsDialog(nullptr, store);
    if (view == "preferences") frame = new PreferencesDialog(nullptr, store);
    if (frame) frame->Show();
    return frame;
}

}  // namespace lbx::shell
