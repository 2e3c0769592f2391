// The main window: menus (File, View, Library, Help), a toolbar, the filter panel beside a book of the
// grid and the photo view, the job bar and the status bar. Folders dropped on it are scanned. Its
// geometry is remembered with wxPersistenceManager.
#pragma once

#include "app/store.hpp"

#include <wx/frame.h>

class wxSimplebook;

namespace lbx::shell {

class ThumbnailGrid;
class FilterPanel;
class PhotoView;
class JobBar;
class StatusBar;
class FailuresView;
class PluginsDialog;
class PreferencesDialog;

class MainFrame : public wxFrame {
public:
    explicit MainFrame(Store& store);
    void render();
    ThumbnailGrid& grid() { return *grid_; }

private:
    void add_folder();
    template <class Window>
    void show_window(Window*& window);

    Store& store_;
    FilterPanel* filters_;
    wxSimplebook* book_;
    ThumbnailGrid* grid_;
    PhotoView* photo_;
    JobBar* job_bar_;
    StatusBar* status_;
    FailuresView* failures_ = nullptr;
    PluginsDialog* plugins_ = nullptr;
    PreferencesDialog* preferences_ = nullptr;
    bool photo_shown_ = false;
    std::string title_catalog_ = "-";
    std::string logged_cancel_button_;  // the status log's last "job bar:" line
};

}  // namespace lbx::shell
