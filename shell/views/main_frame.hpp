// The main window: menus (File, View, Library, Help), a toolbar, the filter panel beside a book of the
// grid, the photo view and the People page (Ctrl+P), the job bar and the status bar; Library > Folders
// (Ctrl+Shift+O) and the other windows it opens. Folders dropped on it are scanned. Its
// geometry is remembered with wxPersistenceManager.
#pragma once

#include "app/store.hpp"

#include <wx/frame.h>

#include <memory>

class wxSimplebook;

namespace lbx::shell {

class ThumbnailGrid;
class FilterPanel;
class PhotoView;
class PeopleView;
class MapView;
class SimilarView;
class TimelineBar;
class JobBar;
class StatusBar;
class FailuresView;
class PluginsDialog;
class FoldersDialog;
class PreferencesDialog;

class MainFrame : public wxFrame {
public:
    explicit MainFrame(Store& store);
    ~MainFrame() override;
    void render();
    // Goes through the store (State::full_screen): the page alone, without the filter panel and job bar.
    bool ShowFullScreen(bool show, long style = wxFULLSCREEN_ALL) override;
    ThumbnailGrid& grid() { return *grid_; }

private:
    void add_folder();
    void log_job_bar_buttons();
    template <class Window>
    void show_window(Window*& window);

    class FullScreenKeys;

    Store& store_;
    std::unique_ptr<FullScreenKeys> full_screen_keys_;
    FilterPanel* filters_;
    wxSimplebook* book_;
    ThumbnailGrid* grid_;
    PhotoView* photo_;
    PeopleView* people_;
    MapView* map_;
    SimilarView* similar_;
    TimelineBar* timeline_;
    std::string logged_first_visible_;
    std::string logged_headings_;  // the grid's date headings on the screen, as last logged
    JobBar* job_bar_;
    StatusBar* status_;
    FailuresView* failures_ = nullptr;
    PluginsDialog* plugins_ = nullptr;
    FoldersDialog* folders_ = nullptr;
    PreferencesDialog* preferences_ = nullptr;
    int page_shown_ = 0;  // the book's page: 0 grid, 1 photo, 2 people, 3 map, 4 duplicates and similar
    std::string title_catalog_ = "-";
    std::string logged_cancel_button_;  // the status log's last "job bar:" lines, of Cancel and of Pause/Resume
    std::string logged_pause_button_;
    std::string logged_interrupted_;  // the interrupted scan's row, as last logged
    std::string logged_trash_button_;
    std::string logged_query_ = "\n";  // the status log's last "query:" line (nothing logged yet)
};

}  // namespace lbx::shell
