#include "app/shell_app.hpp"

#include "model/engine_process.hpp"
#include "model/inproc_engine.hpp"
#include "views/bitmaps.hpp"
#include "views/gallery.hpp"
#include "views/main_frame.hpp"
#include "views/ui_probe.hpp"

#include <lightbox/ipc/endpoint.hpp>

#include <wx/config.h>
#include <wx/image.h>
#include <wx/timer.h>

#include <csignal>
#include <cstdio>
#include <filesystem>

namespace lbx::shell {
namespace {

const char* kLastLibraryKey = "/Library/LastCatalog";
const char* kThumbnailSizeKey = "/View/ThumbnailSize";
const char* kSortKey = "/View/Sort";
const char* kDescendingKey = "/View/Descending";
const char* kShowRegionsKey = "/View/ShowRegions";

// The grid's size and sort, and the photo view's boxes, as the user left them; anything unreadable keeps
// the defaults.
void restore_view(State& state) {
    wxConfigBase* config = wxConfigBase::Get();
    long size = 0;
    if (config->Read(kThumbnailSizeKey, &size) && size >= 64 && size <= 512) state.thumbnail_size = static_cast<uint32_t>(size);
    wxString sort;
    if (config->Read(kSortKey, &sort)) {
        if (sort == "path") state.query.sort = ipc::QuerySort::path;
        else if (sort == "added") state.query.sort = ipc::QuerySort::added;
        else if (sort == "taken") state.query.sort = ipc::QuerySort::taken;
    }
    bool descending = false;
    if (config->Read(kDescendingKey, &descending)) state.query.descending = descending;
    bool regions = false;
    if (config->Read(kShowRegionsKey, &regions)) state.show_regions = regions;
}

void remember_view(const State& state) {
    wxConfigBase* config = wxConfigBase::Get();
    if (state.library) config->Write(kLastLibraryKey, wxString::FromUTF8(state.library->catalog));
    config->Write(kThumbnailSizeKey, static_cast<long>(state.thumbnail_size));
    config->Write(kSortKey, state.query.sort == ipc::QuerySort::path ? "path" : state.query.sort == ipc::QuerySort::added ? "added" : "taken");
    config->Write(kDescendingKey, state.query.descending);
    config->Write(kShowRegionsKey, state.show_regions);
    config->Flush();  // now, not at exit: a session killed later keeps them
}

std::filesystem::path self_exe() {
    std::error_code ec;
    auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : path;
}

}  // namespace

ShellApp::ShellApp() = default;
ShellApp::~ShellApp() = default;

SessionOptions ShellApp::session_options(const CommandLine& cl) {
    SessionOptions options;
    options.mode = cl.engine == "inproc" ? EngineMode::inproc : EngineMode::process;
    options.engine_exe = find_engine_exe(self_exe());
    options.inproc_library = find_inproc_library(self_exe());
    options.runtime_dir = cl.runtime_dir.empty() ? ipc::default_runtime_dir() : std::filesystem::path(cl.runtime_dir);
    options.catalog = store_->state().wanted_catalog;
    options.decode = decode_thumbnail;
    // From the session's thread to the UI thread; nothing is delivered to a closing window.
    options.deliver = [this](Action action) {
        if (inbox_.push(std::move(action))) CallAfter([this] { drain_inbox(); });
    };
    return options;
}

void ShellApp::drain_inbox() {
    std::vector<Action> actions = inbox_.take();
    if (closing_ || !store_ || actions.empty()) return;
    // A slice at a time: the timers, paints and input of the event loop run between slices.
    const std::size_t done = store_->dispatch_batch(actions, std::chrono::milliseconds(8));
    actions.erase(actions.begin(), actions.begin() + static_cast<std::ptrdiff_t>(done));
    if (inbox_.put_back(std::move(actions))) CallAfter([this] { drain_inbox(); });
}

bool ShellApp::start_gallery(const std::string& view) {
    store_ = make_gallery_store();
    if (!show_gallery(view, *store_)) {
        std::fprintf(stderr, "lightbox: no gallery view '%s' (try --gallery list)\n", view.c_str());
        return false;
    }
    return true;
}

bool ShellApp::OnInit() {
    const auto started = std::chrono::steady_clock::now();
    SetAppName("lightbox");
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.push_back(argv[i].utf8_string());
    std::string error;
    auto cl = parse_command_line(args, error);
    if (!cl) return false;  // main() reported it before wx started
    wxInitAllImageHandlers();  // before the session thread decodes anything
    // SIGTERM/SIGINT close the window like Quit (wx runs the handler in the event loop, not in the
    // signal), so the engine this app started is stopped too instead of being left running.
    for (int signal_number : {SIGTERM, SIGINT}) {
        SetSignalHandler(signal_number, [](int) {
            if (wxTheApp && wxTheApp->GetTopWindow()) wxTheApp->GetTopWindow()->Close();
            else if (wxTheApp) wxTheApp->ExitMainLoop();
            // The closed frame is deleted, and the loop left, in idle time: ask for it now, not at the next X event.
            wxWakeUpIdle();
        });
    }
    if (!cl->gallery.empty()) return start_gallery(cl->gallery);

    State initial;
    wxString last;
    initial.wanted_catalog = !cl->catalog.empty() ? cl->catalog
                             : wxConfigBase::Get()->Read(kLastLibraryKey, &last) ? last.utf8_string() : std::string();
    restore_view(initial);
    store_ = std::make_unique<Store>(std::move(initial));
    frame_ = new MainFrame(*store_);
    probe_ = std::make_unique<UiProbe>(*store_, *frame_, ProbeOptions{cl->select_first, cl->open_first, cl->zoom_first, cl->bench_ui, started});
    store_->subscribe([this] {
        frame_->render();
        probe_->on_change();
    });
    frame_->Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& e) {
        closing_ = true;
        remember_view(store_->state());
        frame_->Hide();  // gone at once for the user, while the session stops the engine it started
        store_->detach();  // joins the session's thread and stops the engine it started
        e.Skip();
    });
    frame_->Show();
    store_->attach(std::make_unique<EngineSession>(session_options(*cl)));
    if (!cl->folders.empty()) store_->dispatch(AddFolders{cl->folders});
    frame_->render();
    if (cl->quit_after_ms > 0) {
        quit_timer_ = std::make_unique<wxTimer>();
        quit_timer_->Bind(wxEVT_TIMER, [this](wxTimerEvent&) { if (frame_) frame_->Close(); });
        quit_timer_->StartOnce(cl->quit_after_ms);
    }
    return true;
}

int ShellApp::OnExit() {
    closing_ = true;
    quit_timer_.reset();
    if (store_) store_->detach();
    probe_.reset();
    return 0;
}

}  // namespace lbx::shell
