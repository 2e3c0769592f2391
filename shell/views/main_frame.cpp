#include "views/main_frame.hpp"

#include "views/about.hpp"
#include "views/bitmaps.hpp"
#include "views/failures_view.hpp"
#include "views/filter_panel.hpp"
#include "views/job_bar.hpp"
#include "views/photo_view.hpp"
#include "views/plugins_dialog.hpp"
#include "views/preferences_dialog.hpp"
#include "views/status_bar.hpp"
#include "views/thumbnail_grid.hpp"

#include <wx/artprov.h>
#include <wx/dirdlg.h>
#include <wx/dnd.h>
#include <wx/menu.h>
#include <wx/persist/toplevel.h>
#include <wx/simplebook.h>
#include <wx/sizer.h>
#include <wx/toolbar.h>

#include <filesystem>

namespace lbx::shell {
namespace {

enum MenuId { id_rescan = wxID_HIGHEST + 1, id_failures, id_plugins, id_small, id_medium, id_large, id_full_screen };

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

MainFrame::MainFrame(Store& store)
    : wxFrame(nullptr, wxID_ANY, "Lightbox", wxDefaultPosition, wxSize(1200, 760)), store_(store) {
    SetName("main");  // the persistence key
    auto* file = new wxMenu;
    file->Append(wxID_OPEN, "&Add Folder...\tCtrl+O", "Add a folder to the library and scan it");
    file->Append(id_rescan, "&Rescan\tF5", "Scan every folder of the library again");
    file->AppendSeparator();
    file->Append(wxID_PREFERENCES, "&Preferences...\tCtrl+,");
    file->AppendSeparator();
    file->Append(wxID_EXIT, "&Quit\tCtrl+Q");
    auto* view = new wxMenu;
    view->Append(id_small, "&Small thumbnails\tCtrl+1");
    view->Append(id_medium, "&Medium thumbnails\tCtrl+2");
    view->Append(id_large, "&Large thumbnails\tCtrl+3");
    view->AppendSeparator();
    view->Append(id_full_screen, "&Full Screen\tF11");
    auto* library = new wxMenu;
    library->Append(id_failures, "&Files that failed...");
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
    tools->Realize();

    auto* panel = new wxPanel(this);
    auto* columns = new wxBoxSizer(wxHORIZONTAL);
    filters_ = new FilterPanel(panel, store_);
    book_ = new wxSimplebook(panel);
    grid_ = new ThumbnailGrid(book_, store_);
    photo_ = new PhotoView(book_, store_);
    book_->AddPage(grid_, "grid");
    book_->AddPage(photo_, "photo");
    columns->Add(filters_, 0, wxEXPAND);
    columns->Add(book_, 1, wxEXPAND);
    auto* rows = new wxBoxSizer(wxVERTICAL);
    rows->Add(columns, 1, wxEXPAND);
    job_bar_ = new JobBar(panel, store_);
    rows->Add(job_bar_, 0, wxEXPAND);
    panel->SetSizer(rows);
    status_ = new StatusBar(this, store_);
    SetStatusBar(status_);
    SetDropTarget(new FolderDrop(store_));
    grid_->on_painted = [this](std::size_t cells, std::size_t thumbnails) {
        status_->log("grid: " + std::to_string(cells) + " cells, " + std::to_string(thumbnails) + " thumbnails");
    };

    Bind(wxEVT_MENU, [this](wxCommandEvent&) { add_folder(); }, wxID_OPEN);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(RescanRequested{}); }, id_rescan);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { Close(); }, wxID_EXIT);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(ThumbnailSizeChanged{112}); }, id_small);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(ThumbnailSizeChanged{160}); }, id_medium);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(ThumbnailSizeChanged{256}); }, id_large);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(RefreshFailures{}); show_window(failures_); }, id_failures);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { store_.dispatch(RefreshPlugins{}); show_window(plugins_); }, id_plugins);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { ShowFullScreen(!IsFullScreen()); }, id_full_screen);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { show_window(preferences_); }, wxID_PREFERENCES);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { show_about(this, store_.state().engine.version); }, wxID_ABOUT);

    wxPersistentRegisterAndRestore(this, "main");
    grid_->SetFocus();
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

void MainFrame::add_folder() {
    // The folder dialog waits on the user only; the scan itself is a command the session sends.
    wxDirDialog dialog(this, "Add a folder to the library", wxGetHomeDir(), wxDD_DIR_MUST_EXIST);
    if (dialog.ShowModal() == wxID_OK) store_.dispatch(AddFolders{{dialog.GetPath().utf8_string()}});
}

void MainFrame::render() {
    const State& s = store_.state();
    const std::string catalog = s.library ? s.library->catalog : "";
    if (catalog != title_catalog_) {
        title_catalog_ = catalog;
        SetTitle(catalog.empty() ? wxString("Lightbox") : "Lightbox - " + wxString::FromUTF8(std::filesystem::path(catalog).stem().string()));
    }
    const bool photo = s.open_photo.has_value();
    if (photo != photo_shown_) {
        photo_shown_ = photo;
        book_->SetSelection(photo ? 1 : 0);
        (photo ? static_cast<wxWindow*>(photo_) : grid_)->SetFocus();
    }
    filters_->render();
    photo_->render();  // also says it wants no preview once closed
    if (!photo) grid_->render();
    const bool bar_was = job_bar_->IsShown();
    job_bar_->render();
    if (bar_was != job_bar_->IsShown()) job_bar_->GetParent()->Layout();
    // For the status log: where Cancel is, so that a test can click the real button.
    const wxRect cancel = job_bar_->cancel_button_rect();
    const std::string cancel_line = job_bar_->IsShown() && cancel.width > 0
        ? "job bar: cancel at " + std::to_string(cancel.x + cancel.width / 2) + "," + std::to_string(cancel.y + cancel.height / 2)
        : "job bar: hidden";
    if (cancel_line != logged_cancel_button_) {
        logged_cancel_button_ = cancel_line;
        status_->log(cancel_line);
    }
    status_->render();
    if (failures_) failures_->render();
    if (plugins_) plugins_->render();
    if (preferences_) preferences_->render();
}

}  // namespace lbx::shell
