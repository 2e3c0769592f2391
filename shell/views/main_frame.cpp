#include "views/main_frame.hpp"

#include "model/library_location.hpp"
#include "views/about.hpp"
#include "views/bitmaps.hpp"
#include "views/failures_view.hpp"
#include "views/filter_panel.hpp"
#include "views/folders_dialog.hpp"
#include "views/job_bar.hpp"
#include "views/library_dialog.hpp"
#include "views/map_view.hpp"
#include "views/people_view.hpp"
#include "views/photo_view.hpp"
#include "views/plugins_dialog.hpp"
#include "views/preferences_dialog.hpp"
#include "views/similar_view.hpp"
#include "views/timeline_bar.hpp"
#include "views/status_bar.hpp"
#include "views/thumbnail_grid.hpp"

#include <wx/artprov.h>
#include <wx/dnd.h>
#include <wx/eventfilter.h>
#include <wx/menu.h>
#include <wx/persist/toplevel.h>
#include <wx/simplebook.h>
#include <wx/sizer.h>
#include <wx/toolbar.h>

#include <cmath>
#include <filesystem>

namespace lbx::shell {
namespace {

enum MenuId {
    id_rescan = wxID_HIGHEST + 1, id_open_library, id_failures, id_plugins, id_small, id_medium, id_large, id_full_screen, id_people, id_boxes, id_map,
    id_slideshow, id_select_all, id_similar, id_folders,
    id_cancel_scan, id_pause_analysis
};

// Where a button is on the screen, for the status log (GUI tests click it there).
std::string centre_of(const wxRect& r) { return std::to_string(r.x + r.width / 2) + "," + std::to_string(r.y + r.height / 2); }

// Folders dropped on the window are scanned (files: their folder).
class FolderDrop : public wxFileDropTarget {
public:
    explicit FolderDrop(Store& store) : store_(store) {}
    bool OnDropFiles(wxCoord, wxCoord, const wxArrayString& names) override {
        std::vector<std::string> paths;
        for (const auto& name : names) paths.push_back(std::filesystem::absolute(name.utf8_string()).lexically_normal().string());
        store_.dispatch(AddFolders{paths});
        return !paths.empty();
    }

private:
    Store& store_;
};

}  // namespace

// Esc leaves full screen before the focused view sees it (the photo view and the grid take Esc on their
// own: close the photo, the preview), and F11 works while the menu bar and its accelerators are hidden.
// An event filter, because the views handle wxEVT_CHAR_HOOK before it reaches the frame.
class MainFrame::FullScreenKeys : public wxEventFilter {
public:
    FullScreenKeys(MainFrame& frame, Store& store) : frame_(frame), store_(store) { wxEvtHandler::AddFilter(this); }
    ~FullScreenKeys() override { wxEvtHandler::RemoveFilter(this); }
    FullScreenKeys(const FullScreenKeys&) = delete;
    FullScreenKeys& operator=(const FullScreenKeys&) = delete;

    int FilterEvent(wxEvent& event) override {
        if (event.GetEventType() != wxEVT_CHAR_HOOK || !store_.state().full_screen) return Event_Skip;
        const auto& key = static_cast<wxKeyEvent&>(event);
        if ((key.GetKeyCode() != WXK_ESCAPE && key.GetKeyCode() != WXK_F11) || key.HasAnyModifiers()) return Event_Skip;
        auto* window = dynamic_cast<wxWindow*>(event.GetEventObject());
        if (!window || wxGetTopLevelParent(window) != &frame_) return Event_Skip;  // a dialog's Esc is its own
        store_.dispatch(SetFullScreen{false});
        return Event_Processed;
    }

private:
    MainFrame& frame_;
    Store& store_;
};

MainFrame::MainFrame(Store& store)
    : wxFrame(nullptr, wxID_ANY, "Lightbox", wxDefaultPosition, wxSize(1200, 760)), store_(store) {
    SetName("main");  // the persistence key
    auto* file = new wxMenu;
    file->Append(wxID_OPEN, "&Add Folder...\tCtrl+O", "Add a folder to the library and scan it");
    file->Append(id_rescan, "&Rescan\tCtrl+R", "Scan every folder of the library again");
    file->Append(id_open_library, "Open &Library...\tCtrl+L", "Switch to another library: a file, or a PostgreSQL library shared by several computers");
    file->AppendSeparator();
    file->Append(wxID_PREFERENCES, "&Preferences...\tCtrl+,");
    file->AppendSeparator();
    file->Append(wxID_EXIT, "&Quit\tCtrl+Q");
    auto* view = new wxMenu;
    view->Append(id_small, "&Small thumbnails\tCtrl+1");
    view->Append(id_medium, "&Medium thumbnails\tCtrl+2");
    view->Append(id_large, "&Large thumbnails\tCtrl+3");
    view->AppendSeparator();
    view->AppendCheckItem(id_people, "&People\tCtrl+P", "One face per person: see their photos, name and merge them");
    view->AppendCheckItem(id_map, "&Map\tCtrl+M", "Where the photos were taken: click a group to see its photos");
    view->AppendCheckItem(id_similar, "&Duplicates and Similar\tCtrl+D",
                          "Exact copies and near-identical photos: choose what to keep, remove or trash the rest");
    // No accelerator: a plain B would be taken from the search box. The photo view handles the key.
    view->AppendCheckItem(id_boxes, "Face and Object &Boxes (B in the photo view)", "Draw what analysis found over the photo");
    view->AppendSeparator();
    view->Append(id_full_screen, "&Full Screen\tF11");
    view->Append(id_slideshow, "&Slideshow\tF5", "From the focused photo, one every few seconds, in full screen; Esc ends it");
    // No accelerator: Ctrl+A in the search box selects its text. The grid handles the key.
    view->Append(id_select_all, "Select &All Matches (Ctrl+A in the grid)", "Every photo the search matches, for Delete");
    auto* library = new wxMenu;
    library->Append(id_cancel_scan, "&Cancel Scan", "Stop the running scan; what it did is kept");
    library->Append(id_pause_analysis, "&Pause Analysis", "Stop finding faces and objects for now, or go on");
    library->AppendSeparator();
    library->Append(id_folders, "F&olders...\tCtrl+Shift+O", "The library's folders: add, remove from the library, rescan one");
    library->Append(id_failures, "&Files that failed...\tCtrl+Shift+F");
    library->Append(id_plugins, "&Plugins...");
    auto* help = new wxMenu;
    help->Append(wxID_ABOUT, "&About Lightbox\tF1");
    auto* bar = new wxMenuBar;
    bar->Append(file, "&File");
    bar->Append(view, "&View");
    bar->Append(library, "&Library");
    bar->Append(help, "&Help");
    SetMenuBar(bar);

    wxToolBar* tools = CreateToolBar(wxTB_HORIZONTAL | wxTB_TEXT);
    tools->AddTool(wxID_OPEN, "Add Folder", wxArtProvider::GetBitmap(wxART_FOLDER_OPEN, wxART_TOOLBAR), "Add a folder to the library");
    tools->AddTool(id_rescan, "Rescan", wxArtProvider::GetBitmap(wxART_REDO, wxART_TOOLBAR), "Scan the library's folders again");
    tools->AddCheckTool(id_people, "People", wxArtProvider::GetBitmap(wxART_REPORT_VIEW, wxART_TOOLBAR), wxNullBitmap,
                        "One face per person (Ctrl+P)");
    tools->AddCheckTool(id_map, "Map", wxArtProvider::GetBitmap(wxART_GO_HOME, wxART_TOOLBAR), wxNullBitmap,
                        "Where the photos were taken (Ctrl+M)");
    tools->Realize();

    auto* panel = new wxPanel(this);
    auto* columns = new wxBoxSizer(wxHORIZONTAL);
    filters_ = new FilterPanel(panel, store_);
    book_ = new wxSimplebook(panel);
    grid_ = new ThumbnailGrid(book_, store_);
    photo_ = new PhotoView(book_, store_);
    people_ = new PeopleView(book_, store_);
    book_->AddPage(grid_, "grid");
    book_->AddPage(photo_, "photo");
    map_ = new MapView(book_, store_);
    similar_ = new SimilarView(book_, store_);
    book_->AddPage(people_, "people");
    book_->AddPage(map_, "map");
    book_->AddPage(similar_, "similar");
    columns->Add(filters_, 0, wxEXPAND);
    columns->Add(book_, 1, wxEXPAND);
    timeline_ = new TimelineBar(panel, store_);
    timeline_->Hide();  // until the grid has a timeline to show
    timeline_->set_on_log([this](const std::string& line) { status_->log(line); });
    columns->Add(timeline_, 0, wxEXPAND);
    auto* rows = new wxBoxSizer(wxVERTICAL);
    rows->Add(columns, 1, wxEXPAND);
    job_bar_ = new JobBar(panel, store_);
    rows->Add(job_bar_, 0, wxEXPAND);
    panel->SetSizer(rows);
    status_ = new StatusBar(this, store_);
    SetStatusBar(status_);
    SetDropTarget(new FolderDrop(store_));
    grid_->on_painted = [this](std::size_t cells, std::size_t thumbnails) {
        const auto message = empty_results_message(store_.state());
        status_->log("grid: " + std::to_string(cells) + " cells, " + std::to_string(thumbnails) + " thumbnails" +
                     (message ? ": " + *message : std::string()));
        // The date headings on the screen, when they change: "grid: heading June 2019 at row 0".
        std::string headings;
        for (const auto& [text, row] : grid_->painted_headings()) headings += text + " at row " + std::to_string(row) + "\n";
        if (headings != logged_headings_) {
            logged_headings_ = headings;
            for (const auto& [text, row] : grid_->painted_headings()) status_->log("grid: heading " + text + " at row " + std::to_string(row));
        }
    };
    people_->set_on_painted([this](const std::string& line) { status_->log(line); });
    map_->set_on_painted([this](const std::string& line, double ms) {
        status_->log(line);
        status_->log("map painted in " + std::to_string(static_cast<int>(std::ceil(ms))) + " ms");
    });
    photo_->set_on_log([this](const std::string& line) { status_->log(line); });
    similar_->set_on_rendered([this](const std::string& line) { status_->log(line); });

    Bind(wxEVT_IDLE, [this](wxIdleEvent& e) {
        log_job_bar_buttons();
        e.Skip();
    });
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { add_folder(); }, wxID_OPEN);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(RescanRequested{}); }, id_rescan);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { choose_library(this, store_); }, id_open_library);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { Close(); }, wxID_EXIT);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(ThumbnailSizeChanged{112}); }, id_small);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(ThumbnailSizeChanged{160}); }, id_medium);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(ThumbnailSizeChanged{256}); }, id_large);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(RefreshFailures{}); show_window(failures_); }, id_failures);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(RefreshPlugins{}); show_window(plugins_); }, id_plugins);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) {
        store_.dispatch(ShowFolders{true});
        show_window(folders_);
        folders_->set_on_log([this](const std::string& line) { status_->log(line); });
        folders_->render();
    }, id_folders);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(SetFullScreen{!store_.state().full_screen}); }, id_full_screen);
    full_screen_keys_ = std::make_unique<FullScreenKeys>(*this, store_);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) {
        const State& s = store_.state();
        store_.dispatch(ShowPeople{!s.people.shown || s.open_photo.has_value()});  // shown in front, or hidden
    }, id_people);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) {
        const State& s = store_.state();
        store_.dispatch(ShowMap{!s.map.shown || s.open_photo.has_value()});
    }, id_map);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) {
        const State& s = store_.state();
        store_.dispatch(ShowSimilar{!s.similar.shown || s.open_photo.has_value()});  // shown in front, or hidden
    }, id_similar);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(ToggleRegions{}); }, id_boxes);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) {
        if (!store_.state().open_photo) store_.dispatch(OpenFocused{});
        store_.dispatch(SetSlideshow{!store_.state().slideshow});
    }, id_slideshow);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(SelectAll{}); }, id_select_all);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) {
        const auto scans = running_jobs(store_.state(), ipc::JobKind::scan);
        if (!scans.empty()) store_.dispatch(CancelJobRequested{scans.front()->progress.job_id});
        else store_.dispatch(ResumeInterruptedScans{});
    }, id_cancel_scan);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) {
        if (const auto line = analysis_line(store_.state())) store_.dispatch(PauseAnalysisRequested{line->pauses});
    }, id_pause_analysis);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { show_window(preferences_); }, wxID_PREFERENCES);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { show_about(this, store_.state().engine.version); }, wxID_ABOUT);

    wxPersistentRegisterAndRestore(this, "main");
    grid_->SetFocus();
}

MainFrame::~MainFrame() = default;

bool MainFrame::ShowFullScreen(bool show, long) {
    // Whoever asks (the photo view's button too), the state decides and render() shows it.
    store_.dispatch(SetFullScreen{show});
    return true;
}

template <class Window>
void MainFrame::show_window(Window*& window) {
    if (!window) {
        window = new Window(this, store_);
        // Forget it when closed, so the next menu click makes a new one.
        window->Bind(wxEVT_CLOSE_WINDOW, [&window](wxCloseEvent& e) { window = nullptr; e.Skip(); });
    }
    window->Show();
    window->Raise();
}

void MainFrame::add_folder() { choose_folder_to_add(this, store_); }

void MainFrame::render() {
    const State& s = store_.state();
    const std::string catalog = s.library ? s.library->catalog : "";
    if (catalog != title_catalog_) {
        title_catalog_ = catalog;
        SetTitle(catalog.empty() ? wxString("Lightbox") : "Lightbox - " + wxString::FromUTF8(library_name(catalog)));
    }
    const bool photo = s.open_photo.has_value();
    const int page = photo ? 1 : s.people.shown ? 2 : s.map.shown ? 3 : s.similar.shown ? 4 : 0;
    if (page != page_shown_) {
        page_shown_ = page;
        book_->SetSelection(static_cast<std::size_t>(page));
        if (page == 2) people_->focus_cells();
        else if (page == 3) map_->SetFocus();
        else if (page == 4) similar_->SetFocus();
        else (photo ? static_cast<wxWindow*>(photo_) : grid_)->SetFocus();
        status_->log(page == 1 ? "view: photo" : page == 2 ? "view: people" : page == 3 ? "view: map" : page == 4 ? "view: similar" : "view: grid");
    }
    GetMenuBar()->Check(id_people, page == 2);
    GetMenuBar()->Check(id_map, page == 3);
    GetMenuBar()->Check(id_similar, page == 4);
    GetMenuBar()->Check(id_boxes, s.show_regions);
    // The job bar's buttons, for the keyboard.
    const bool scanning = !running_jobs(s, ipc::JobKind::scan).empty();
    const bool resumable = !scanning && !interrupted_scans(s).empty();
    const wxString scan_label = resumable ? "&Resume Interrupted Scan" : "&Cancel Scan";
    if (GetMenuBar()->GetLabel(id_cancel_scan) != scan_label) GetMenuBar()->SetLabel(id_cancel_scan, scan_label);
    GetMenuBar()->Enable(id_cancel_scan, scanning || (resumable && !s.resume_sent));
    const auto analysis = analysis_line(s);
    const wxString pause_label = analysis && !analysis->pauses ? "&Resume Analysis" : "&Pause Analysis";
    if (GetMenuBar()->GetLabel(id_pause_analysis) != pause_label) GetMenuBar()->SetLabel(id_pause_analysis, pause_label);
    GetMenuBar()->Enable(id_pause_analysis, analysis && !s.analysis_pause_sent);
    if (GetToolBar()->GetToolState(id_people) != (page == 2)) GetToolBar()->ToggleTool(id_people, page == 2);
    if (GetToolBar()->GetToolState(id_map) != (page == 3)) GetToolBar()->ToggleTool(id_map, page == 3);
    if (s.query.text != logged_query_) {
        logged_query_ = s.query.text;
        status_->log("query: " + s.query.text);
    }
    filters_->render();
    photo_->render();  // also says it wants no preview once closed
    if (page == 0) {
        grid_->render();
        const std::string first = "grid: first visible " + std::to_string(grid_->first_visible_index());
        if (first != logged_first_visible_) status_->log(logged_first_visible_ = first);
    }
    if (page == 2) people_->render();
    else store_.want_thumbnails(ThumbSlot::people, {});
    if (page == 3) map_->render();
    if (page == 4) {
        similar_->render();
        const wxRect trash = similar_->trash_button_rect();
        const std::string trash_line = trash.width > 0 ? "similar: trash button at " + centre_of(trash) : "";
        if (trash_line != logged_trash_button_) {
            logged_trash_button_ = trash_line;
            if (!trash_line.empty()) status_->log(trash_line);
        }
    } else {
        store_.want_thumbnails(ThumbSlot::similar, {});
    }
    timeline_->render();
    const bool timeline_wanted = page == 0 && !s.full_screen && timeline_->has_timeline();
    if (timeline_->IsShown() != timeline_wanted) {
        timeline_->Show(timeline_wanted);
        timeline_->GetParent()->Layout();
    }
    const bool bar_was = job_bar_->IsShown(), filters_were = filters_->IsShown();
    job_bar_->render();
    // Full screen: the page alone (the bar's buttons are in the Library menu when it comes back).
    if (s.full_screen) job_bar_->Hide();
    filters_->Show(!s.full_screen);
    if (bar_was != job_bar_->IsShown() || filters_were != filters_->IsShown()) job_bar_->GetParent()->Layout();
    if (IsFullScreen() != s.full_screen) {
        wxFrame::ShowFullScreen(s.full_screen);
        status_->log(s.full_screen ? "full screen: on" : "full screen: off");
    }
    log_job_bar_buttons();
    status_->render();
    if (failures_) failures_->render();
    if (plugins_) plugins_->render();
    if (folders_) folders_->render();
    if (preferences_) preferences_->render();
}

// For the status log: where the job bar's buttons are, so that a test can click the real ones. Also
// after each layout (on idle): a sizer may move a button after the render that showed it.
void MainFrame::log_job_bar_buttons() {
    const wxRect cancel = job_bar_->cancel_button_rect();
    const std::string cancel_line = cancel.width > 0 ? (job_bar_->scan_button_resumes() ? "job bar: resume scan at " : "job bar: cancel at ") + centre_of(cancel)
                                    : job_bar_->IsShown() ? "job bar: no scan" : "job bar: hidden";
    if (cancel_line != logged_cancel_button_) {
        logged_cancel_button_ = cancel_line;
        status_->log(cancel_line);
    }
    // What an interrupted scan's row says (a running scan's changes with every photo: not logged).
    const std::string interrupted_line = job_bar_->scan_button_resumes() ? "job bar: " + job_bar_->scan_text() : "";
    if (interrupted_line != logged_interrupted_) {
        logged_interrupted_ = interrupted_line;
        if (!interrupted_line.empty()) status_->log(interrupted_line);
    }
    const wxRect pause = job_bar_->pause_button_rect();
    const std::string pause_line = pause.width > 0
        ? (job_bar_->pause_button_resumes() ? "job bar: resume at " : "job bar: pause at ") + centre_of(pause)
        : "job bar: no analysis";
    if (pause_line != logged_pause_button_) {
        logged_pause_button_ = pause_line;
        status_->log(pause_line);
    }
}

}  // namespace lbx::shell
