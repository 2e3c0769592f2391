// The wxApp: parses the command line, builds the store, the main window and the engine session, and
// carries the session's actions to the UI thread (CallAfter on the app, dropped once the window closed).
#pragma once

#include "app/command_line.hpp"
#include "app/store.hpp"
#include "model/action_inbox.hpp"

#include <wx/app.h>

#include <chrono>
#include <memory>

namespace lbx::shell {

class MainFrame;
class UiProbe;
}  // namespace lbx::shell
class wxTimer;
namespace lbx::shell {

class ShellApp : public wxApp {
public:
    ShellApp();
    ~ShellApp() override;  // defined where UiProbe is complete
    bool OnInit() override;
    int OnExit() override;

private:
    bool start_gallery(const std::string& view);
    SessionOptions session_options(const CommandLine& cl);
    void drain_inbox();  // the UI thread: the session's actions that wait, as batches

    ActionInbox inbox_;  // from the session's thread
    std::unique_ptr<Store> store_;
    std::unique_ptr<UiProbe> probe_;
    std::unique_ptr<wxTimer> quit_timer_;  // --quit-after
    MainFrame* frame_ = nullptr;
    bool closing_ = false;  // the main window is going: actions still in flight are dropped
};

}  // namespace lbx::shell
