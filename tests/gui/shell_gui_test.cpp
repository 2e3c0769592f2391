// The desktop app under Xvfb against a real engine (process mode) on generated photos: it scans them,
// shows one framed cell per photo with its thumbnail, selects and opens one, reports a SIGKILLed engine
// in the status bar and recovers with a new engine; 100 %; real key presses and clicks (xdotool); and
// every gallery view renders. Screenshots go to <build>/gui-artifacts/. Skipped with a WARN when Xvfb,
// ImageMagick (or, for the input test, xdotool) is missing.
#include "screen.hpp"

#include "catalog/catalog.hpp"
#include "sample/exif_writer.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/postgres_server.hpp"
#include "support/served_engine.hpp"

#include <lightbox/ipc/client.hpp>
#include <lightbox/ipc/endpoint.hpp>
#include <lightbox/ipc/replies.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <fstream>
#include <regex>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

using namespace lbx;
using namespace std::chrono_literals;

namespace {

constexpr uint32_t kCellFrame = 0x3c78d8;   // shell/views/bitmaps.hpp
constexpr uint32_t kFocusFrame = 0xffa500;
constexpr uint32_t kPersonFrame = 0x2e9e6a;
constexpr uint32_t kFaceBox = 0xffd400;
constexpr uint32_t kObjectBox = 0x00c8ff;
const std::filesystem::path kArtifacts = LIGHTBOX_TEST_GUI_ARTIFACTS;

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Waits until the status log has a line matching `pattern` (after `from` characters); returns the
// pattern's first group (or the whole match).
std::optional<std::string> wait_log(const std::filesystem::path& log, const std::string& pattern, std::chrono::milliseconds timeout,
                                    std::size_t from = 0, std::string* text_out = nullptr) {
    const std::regex re(pattern);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        const std::string text = read_text(log);
        if (text_out) *text_out = text;
        const std::string tail = text.size() > from ? text.substr(from) : std::string();
        std::smatch m;
        if (std::regex_search(tail, m, re)) return m.size() > 1 ? m[1].str() : m[0].str();
        std::this_thread::sleep_for(50ms);
    }
    return std::nullopt;
}

// The last "grid: N cells, M thumbnails" line.
std::pair<int, int> last_grid_line(const std::filesystem::path& log) {
    const std::string text = read_text(log);
    const std::regex re("grid: (\\d+) cells, (\\d+) thumbnails");
    std::pair<int, int> last{-1, -1};
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
        last = {std::stoi((*it)[1]), std::stoi((*it)[2])};
    }
    return last;
}

std::vector<std::string> app_env(const test::TempDir& dir, const test::VirtualScreen& screen) {
    return {screen.env(), "HOME=" + dir.path().string(), "XDG_CONFIG_HOME=" + (dir.path() / "config").string(),
            "XDG_DATA_HOME=" + (dir.path() / "data").string(), "XDG_CACHE_HOME=" + (dir.path() / "cache").string(),
            "XDG_RUNTIME_DIR=" + dir.path().string(), "LIGHTBOX_ENGINE_EXE=" LIGHTBOX_TEST_ENGINE_EXE,
            "LIGHTBOX_SHELL_STATUS_LOG=" + (dir.path() / "status.log").string(), "NO_AT_BRIDGE=1"};
}

// The app on a library in `dir` (library.lbx, runtime directory `runtime`), adding and scanning
// dir/photos, with the test `hooks` (--open-first, ...).
// Closes the app as a user does (SIGTERM: it stops the engine it started) when a test ends without
// having done so; a killed app would leave its engine serving a deleted folder after the test.
// A wx assert fails the test: in the app it is a modal dialog that stops the user (Debian's wx is
// built with asserts on).
struct CloseApp {
    void operator()(test::ChildProcess* app) const {
        if (app->pid() > 0) {
            app->send_signal(SIGTERM);
            app->wait(15s);
        }
        INFO("app stderr: " << app->err());
        CHECK(app->err().find("assert \"") == std::string::npos);
        std::default_delete<test::ChildProcess>{}(app);
    }
};
using RunningApp = std::unique_ptr<test::ChildProcess, CloseApp>;

// `catalog`: the library (default: dir/library.lbx), a file or a postgresql:// URI.
RunningApp start_app(const test::TempDir& dir, const test::VirtualScreen& screen, const std::vector<std::string>& hooks = {},
                     const std::string& catalog = {}) {
    std::vector<std::string> args{LIGHTBOX_TEST_SHELL_EXE, "--runtime-dir", (dir / "runtime").string(), "--catalog",
                                  catalog.empty() ? (dir / "library.lbx").string() : catalog};
    args.insert(args.end(), hooks.begin(), hooks.end());
    args.push_back((dir / "photos").string());
    return RunningApp(std::make_unique<test::ChildProcess>(args, app_env(dir, screen)).release());
}

// The app on the made-up "main" gallery (no engine behind it; status log dir/status.log), once its grid
// has painted.
std::unique_ptr<test::ChildProcess> start_main_gallery(const test::TempDir& dir, const test::VirtualScreen& screen) {
    auto app = std::make_unique<test::ChildProcess>(std::vector<std::string>{LIGHTBOX_TEST_SHELL_EXE, "--gallery", "main"}, app_env(dir, screen));
    std::string text;
    const bool shown = wait_log(dir.path() / "status.log", "grid: \\d+ cells", 20s, 0, &text).has_value();
    INFO("status log:\n" << text << "\napp stderr: " << app->err());
    REQUIRE(shown);
    return app;
}

// `count` different pictures (photos are keyed by their content: copies would be one photo).
void write_distinct_photos(const std::filesystem::path& dir, int count, uint32_t width, uint32_t height) {
    std::filesystem::create_directories(dir);
    for (int i = 0; i < count; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "photo-%04d.jpg", i);
        test::write_file(dir / name, sample::encode_jpeg(sample::make_scene(width, height, static_cast<uint32_t>(i + 1))));
    }
}

// `count` 800x600 pictures named PREFIX-N.jpg in `dir`, unlike write_distinct_photos' (other seeds, from
// `first_seed`): photos of another library or engine.
void write_other_photos(const std::filesystem::path& dir, const std::string& prefix, int count, uint32_t first_seed) {
    std::filesystem::create_directories(dir);
    for (int i = 0; i < count; ++i)
        test::write_file(dir / (prefix + "-" + std::to_string(i) + ".jpg"),
                         sample::encode_jpeg(sample::make_scene(800, 600, first_seed + static_cast<uint32_t>(i))));
}

// The photos in the library of the engine serving `runtime_dir` (-1: no answer).
long library_photos(const std::filesystem::path& runtime_dir) {
    auto endpoints = ipc::read_endpoints_file(ipc::endpoints_file(runtime_dir));
    if (!endpoints) return -1;
    zmq::context_t context;
    ipc::Client client(context, ipc::ClientOptions{endpoints->commands, "", 1000ms, 0});
    auto info = client.call(ipc::LibraryInfo{});
    return info ? static_cast<long>(info->photos) : -1;
}

// Every job the engine knows has ended, and the library holds `photos`.
bool scan_finished(const std::filesystem::path& runtime_dir, uint64_t photos) {
    auto endpoints = ipc::read_endpoints_file(ipc::endpoints_file(runtime_dir));
    if (!endpoints) return false;
    zmq::context_t context;
    ipc::Client client(context, ipc::ClientOptions{endpoints->commands, "", 1000ms, 0});
    auto jobs = client.call(ipc::ListJobs{});
    auto info = client.call(ipc::LibraryInfo{});
    if (!jobs || !info || jobs->jobs.empty()) return false;
    for (const auto& j : jobs->jobs) if (!ipc::is_final(j.progress.state)) return false;
    return info->photos == photos;
}

// Waits up to 60 s for scan_finished.
bool wait_scan_finished(const std::filesystem::path& runtime_dir, uint64_t photos) {
    for (int i = 0; i < 600; ++i) {
        if (scan_finished(runtime_dir, photos)) return true;
        std::this_thread::sleep_for(100ms);
    }
    return false;
}

// xdotool on `screen` (real X input through the XTEST extension), stopped after 15 s; its stdout.
test::ProcessResult xdotool(const test::VirtualScreen& screen, std::vector<std::string> args) {
    args.insert(args.begin(), {test::find_program("timeout"), "15", test::find_program("xdotool")});
    return test::run_process(args, {screen.env()});
}

// Gives the keyboard to the visible window whose title matches `title` (no window manager runs on
// the test screen, so nothing else would). False when there is none.
bool focus_window(const test::VirtualScreen& screen, const std::string& title) {
    auto found = xdotool(screen, {"search", "--onlyvisible", "--name", title});
    std::istringstream ids(found.out);
    std::string id;
    if (found.exit_code != 0 || !(ids >> id)) return false;
    return xdotool(screen, {"windowfocus", "--sync", id}).exit_code == 0;
}

// The last match of `pattern` in the status log: its two groups as an xdotool position ("X", "Y").
std::optional<std::pair<std::string, std::string>> last_position(const std::filesystem::path& log, const std::string& pattern) {
    const std::string text = read_text(log);
    const std::regex re(pattern);
    std::optional<std::pair<std::string, std::string>> found;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) found = {(*it)[1], (*it)[2]};
    return found;
}

// Clicks the button whose place the status log gives last (`pattern`: two groups, X and Y) until
// `took_effect` (which waits on the effect, a few seconds) says it worked. A sizer can still move the
// button after the line the test waited for; the app logs the new place after each layout, so a click
// that missed is retried at the newer place. Waits on events only, never a fixed time.
bool click_logged_button(const test::VirtualScreen& screen, const std::filesystem::path& log, const std::string& pattern,
                         const std::function<bool()>& took_effect, int tries = 4) {
    for (int i = 0; i < tries; ++i) {
        const auto at = last_position(log, pattern);
        if (!at) return false;
        if (xdotool(screen, {"mousemove", at->first, at->second, "click", "1"}).exit_code != 0) return false;
        if (took_effect()) return true;
    }
    return false;
}

// Whether a button is drawn at a logged place: more than a flat colour across its middle (its word).
bool shows_button_at(const test::Screenshot& s, const std::optional<std::pair<std::string, std::string>>& at) {
    if (!at) return false;
    const int x = std::stoi(at->first), y = std::stoi(at->second);
    std::set<uint32_t> colours;
    if (y < 0 || y >= s.height) return false;
    for (int dx = -20; dx <= 20; dx += 2) {
        if (x + dx >= 0 && x + dx < s.width) colours.insert(s.pixel(x + dx, y));
    }
    return colours.size() >= 3;
}

// A click, with a modifier key held when one is given ("ctrl").
test::ProcessResult click_at(const test::VirtualScreen& screen, int x, int y, const std::string& modifier = {}) {
    std::vector<std::string> args{"mousemove", std::to_string(x), std::to_string(y)};
    if (!modifier.empty()) args.insert(args.end(), {"keydown", modifier});
    args.insert(args.end(), {"click", "1"});
    if (!modifier.empty()) args.insert(args.end(), {"keyup", modifier});
    return xdotool(screen, args);
}

// Every cell frame on the screen (the focused one included), top to bottom, left to right.
std::vector<std::pair<int, int>> cell_corners(const test::Screenshot& shot) {
    auto cells = test::frame_corners(shot, kCellFrame);
    const auto focused = test::frame_corners(shot, kFocusFrame);
    cells.insert(cells.end(), focused.begin(), focused.end());
    std::sort(cells.begin(), cells.end(), [](auto a, auto b) { return std::pair(a.second, a.first) < std::pair(b.second, b.first); });
    return cells;
}

// Screenshots until `pred` holds for one (or the timeout passes); the last one taken.
template <class Pred>
std::optional<test::Screenshot> wait_screen(const test::VirtualScreen& screen, const std::filesystem::path& png, Pred pred,
                                            std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::optional<test::Screenshot> shot;
    do {
        shot = test::take_screenshot(screen, png);
        if (shot && pred(*shot)) return shot;
        std::this_thread::sleep_for(100ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return shot;
}

// Whether the screen came to satisfy `pred` within the timeout (wait_screen returns its last shot either way).
template <class Pred>
bool screen_shows(const test::VirtualScreen& screen, const std::filesystem::path& png, Pred pred,
                  std::chrono::milliseconds timeout = 10s) {
    const auto shot = wait_screen(screen, png, pred, timeout);
    return shot && pred(*shot);
}

}  // namespace

TEST_CASE("the app scans 24 photos, shows their cells, opens one, and survives a killed engine", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen) {
        WARN("Xvfb or ImageMagick (import, convert) not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    write_distinct_photos(dir / "photos", 24, 640, 480);
    const auto log = dir.path() / "status.log";
    const auto runtime = dir.path() / "runtime";
    auto started = start_app(dir, *screen, {"--select-first"});
    test::ChildProcess& app = *started;

    std::string text;
    auto connected = wait_log(log, "engine: Engine connected \\(pid (\\d+)\\)", 60s, 0, &text);
    INFO("status log:\n" << text << "\napp stderr: " << app.err());
    REQUIRE(connected);
    const int first_pid = std::stoi(*connected);

    REQUIRE(wait_scan_finished(runtime, 24));
    REQUIRE(wait_log(log, "photos: 24 photos", 20s));
    // Every visible cell painted with its thumbnail.
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
        auto [cells, thumbs] = last_grid_line(log);
        if (cells > 0 && cells == thumbs) break;
        std::this_thread::sleep_for(100ms);
    }
    const auto [cells, thumbs] = last_grid_line(log);
    CHECK(cells >= 12);      // the window shows at least two rows of the 24
    CHECK(cells <= 24);
    CHECK(thumbs == cells);

    // The last paint reaches the X server some time after the log line: wait for it on the screen.
    const int painted = cells;
    const auto all_cells_shown = [painted](const test::Screenshot& s) {
        return test::count_frames(s, kCellFrame) + test::count_frames(s, kFocusFrame) == painted;
    };
    auto shot = wait_screen(*screen, kArtifacts / "main-after-scan.png", all_cells_shown);
    REQUIRE(shot);
    CHECK(test::luminance_variance(*shot) > 100);
    // One frame per painted cell: the focused first one in the focus colour, the others in the cell colour.
    CHECK(test::count_frames(*shot, kFocusFrame) == 1);
    CHECK(test::count_frames(*shot, kCellFrame) + test::count_frames(*shot, kFocusFrame) == cells);

    // SIGKILL the engine: the status bar says so within 3 s, then a new engine serves the library.
    const std::size_t before = read_text(log).size();
    const auto killed_at = std::chrono::steady_clock::now();
    REQUIRE(::kill(first_pid, SIGKILL) == 0);
    auto down = wait_log(log, "engine: Engine not responding", 5s, before);
    REQUIRE(down);
    CHECK(std::chrono::steady_clock::now() - killed_at < 3500ms);
    test::take_screenshot(*screen, kArtifacts / "main-engine-down.png");
    auto again = wait_log(log, "engine: Engine connected \\(pid (\\d+)\\)", 30s, before);
    REQUIRE(again);
    CHECK(std::stoi(*again) != first_pid);
    CHECK(library_photos(runtime) == 24);  // the new engine serves the same library
    auto recovered = wait_screen(*screen, kArtifacts / "main-recovered.png", all_cells_shown);
    REQUIRE(recovered);
    CHECK(test::count_frames(*recovered, kCellFrame) + test::count_frames(*recovered, kFocusFrame) == cells);

    // Closing remembers the library and the grid's size and sort (wxFileConfig, $HOME/.lightbox) ...
    app.send_signal(SIGTERM);
    const auto closed = app.wait(20s);
    CHECK_FALSE(closed.timed_out);
    CHECK(closed.exit_code == 0);
    const std::string config = read_text(dir.path() / ".lightbox");
    INFO("config:\n" << config);
    CHECK(config.find("LastCatalog=" + (dir / "library.lbx").string()) != std::string::npos);
    CHECK(config.find("ShowRegions=0") != std::string::npos);
    REQUIRE(config.find("ThumbnailSize=160") != std::string::npos);
    REQUIRE(config.find("Sort=taken") != std::string::npos);

    // ... so the next start without --catalog opens that library again, with the size and sort of the file
    // (changed here as a user would have left them: the second close writes back what it restored).
    std::string edited = config;
    edited.replace(edited.find("ThumbnailSize=160"), 17, "ThumbnailSize=256");
    edited.replace(edited.find("Sort=taken"), 10, "Sort=path");
    edited.replace(edited.find("ShowRegions=0"), 13, "ShowRegions=1");
    test::write_file(dir.path() / ".lightbox", std::vector<uint8_t>(edited.begin(), edited.end()));
    const std::size_t second_run = read_text(log).size();
    test::ChildProcess again_app({LIGHTBOX_TEST_SHELL_EXE, "--runtime-dir", runtime.string()}, app_env(dir, *screen));
    CHECK(wait_log(log, "photos: 24 photos", 30s, second_run));
    again_app.send_signal(SIGTERM);
    const auto closed_again = again_app.wait(20s);
    CHECK_FALSE(closed_again.timed_out);
    CHECK(closed_again.exit_code == 0);
    const std::string config_again = read_text(dir.path() / ".lightbox");
    INFO("config after the second run:\n" << config_again);
    CHECK(config_again.find("ThumbnailSize=256") != std::string::npos);
    CHECK(config_again.find("Sort=path") != std::string::npos);
    CHECK(config_again.find("ShowRegions=1") != std::string::npos);
}

TEST_CASE("the open-first hook shows the photo view with its metadata", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen) {
        WARN("Xvfb or ImageMagick not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    write_distinct_photos(dir / "photos", 6, 800, 600);
    const auto runtime = dir.path() / "runtime";
    auto started = start_app(dir, *screen, {"--open-first"});
    test::ChildProcess& app = *started;
    REQUIRE(wait_scan_finished(runtime, 6));
    // The photo view, painted: something on the screen, and no grid cell.
    auto shot = wait_screen(*screen, kArtifacts / "photo-view.png", [](const test::Screenshot& s) {
        return test::luminance_variance(s) > 100 && test::count_frames(s, kCellFrame) == 0;
    });
    REQUIRE(shot);
    CHECK(test::luminance_variance(*shot) > 100);
    CHECK(test::count_frames(*shot, kCellFrame) == 0);  // the grid is not shown: the photo is
    app.send_signal(SIGTERM);
    app.wait(20s);
}

TEST_CASE("the photo view's metadata panel shows the readable summary of a photo with known EXIF", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen) {
        WARN("Xvfb or ImageMagick not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    std::filesystem::create_directories(dir / "photos");
    sample::ExifSpec spec;
    spec.make = "Canon";
    spec.model = "Canon EOS 7D";
    spec.lens = "EF70-200mm f/4L USM";
    spec.date_time_original = "2023:06:01 08:00:00";
    spec.offset_time_original = "+02:00";
    spec.exposure_time = 1.0 / 125;
    spec.f_number = 11;
    spec.iso = 100;
    spec.focal_length = 70;
    const auto bytes = sample::with_exif(sample::encode_jpeg(sample::make_scene(1200, 800, 7)), spec);
    test::write_file(dir / "photos" / "known.jpg", bytes);
    const auto runtime = dir.path() / "runtime";
    const auto log = dir.path() / "status.log";
    auto started = start_app(dir, *screen, {"--open-first"});
    test::ChildProcess& app = *started;
    REQUIRE(wait_scan_finished(runtime, 1));
    // The panel said what it shows (the status log): every line of the summary, as the model makes it.
    std::string text;
    const auto summary = wait_log(log, "photo summary:([^\n]*)", 20s, 0, &text);
    INFO("status log:\n" << text);
    REQUIRE(summary);
    CHECK(summary->find("Taken=1 Jun 2023, 08:00:00 UTC+02:00;") != std::string::npos);
    CHECK(summary->find("Camera=Canon EOS 7D;") != std::string::npos);
    CHECK(summary->find("Lens=EF70-200mm f/4L USM;") != std::string::npos);
    CHECK(summary->find("Exposure=1/125 s · f/11 · ISO 100 · 70 mm;") != std::string::npos);
    CHECK(summary->find("Size=1200 × 800 (1 MP);") != std::string::npos);
    CHECK(summary->find("File=") != std::string::npos);
    // The summary is logged when the panel is filled, which can be a frame before the view replaces the
    // grid on screen: wait for the painted photo view, not for the first non-flat screen.
    auto shot = wait_screen(*screen, kArtifacts / "photo-view-metadata.png", [](const test::Screenshot& s) {
        return test::luminance_variance(s) > 100 && test::count_frames(s, kCellFrame) == 0;
    });
    REQUIRE(shot);
    CHECK(test::count_frames(*shot, kCellFrame) == 0);  // the photo view, not the grid
    app.send_signal(SIGTERM);
    app.wait(20s);
}

TEST_CASE("100 % shows the photo at its own resolution, fetched from the engine", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen) {
        WARN("Xvfb or ImageMagick not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    write_distinct_photos(dir / "photos", 3, 3000, 2000);  // larger than the 1024 px thumbnails and the window
    const auto runtime = dir.path() / "runtime";
    auto started = start_app(dir, *screen, {"--zoom-first"});
    test::ChildProcess& app = *started;
    REQUIRE(wait_scan_finished(runtime, 3));
    // The probe reports once the full-resolution image has arrived (or failed).
    CHECK(app.wait_for_stderr("probe: full resolution", 30s));
    auto shot = wait_screen(*screen, kArtifacts / "photo-view-100.png",
                            [](const test::Screenshot& s) { return test::luminance_variance(s) > 100; });
    REQUIRE(shot);
    CHECK(test::luminance_variance(*shot) > 100);
    app.send_signal(SIGTERM);
    const auto exited = app.wait(20s);
    INFO(exited.err);
    CHECK(exited.err.find("probe: full resolution 3000x2000") != std::string::npos);
}

TEST_CASE("real keys and clicks: focus, open, step, back, preview, Delete with Keep and Remove, several chosen with Ctrl and Shift, Ctrl+Q", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    write_distinct_photos(dir / "photos", 6, 800, 600);
    const auto log = dir.path() / "status.log";
    const auto runtime = dir.path() / "runtime";
    auto started = start_app(dir, *screen);
    test::ChildProcess& app = *started;
    REQUIRE(wait_scan_finished(runtime, 6));
    std::string text;
    const bool painted = wait_log(log, "grid: 6 cells, 6 thumbnails", 20s, 0, &text).has_value();
    INFO("status log:\n" << text << "\napp stderr: " << app.err());
    REQUIRE(painted);

    const auto png = kArtifacts / "keys.png";
    const auto first = wait_screen(*screen, png, [](const test::Screenshot& s) { return cell_corners(s).size() == 6; });
    REQUIRE(first);
    const auto cells = cell_corners(*first);
    REQUIRE(cells.size() == 6);
    const auto focus_on = [&](std::size_t index) {
        return [&, index](const test::Screenshot& s) {
            const auto f = test::frame_corners(s, kFocusFrame);
            return f.size() == 1 && f[0] == cells[index];
        };
    };
    const auto no_cells = [](const test::Screenshot& s) { return cell_corners(s).empty(); };
    const auto key = [&](const std::vector<std::string>& keys) {
        REQUIRE(focus_window(*screen, "^Lightbox - library$"));
        std::vector<std::string> args{"key", "--delay", "50"};
        args.insert(args.end(), keys.begin(), keys.end());
        REQUIRE(xdotool(*screen, args).exit_code == 0);
    };
    const auto centre = [&](std::size_t index) {
        return std::vector<std::string>{"mousemove", std::to_string(cells[index].first + 60), std::to_string(cells[index].second + 60)};
    };

    // A click focuses a cell; arrows, End and Home move the focus.
    auto click = centre(1);
    click.insert(click.end(), {"click", "1"});
    REQUIRE(xdotool(*screen, click).exit_code == 0);
    CHECK(screen_shows(*screen, png, focus_on(1)));
    key({"Right"});
    CHECK(screen_shows(*screen, png, focus_on(2)));
    key({"End"});
    CHECK(screen_shows(*screen, png, focus_on(5)));
    key({"Home"});
    CHECK(screen_shows(*screen, png, focus_on(0)));
    key({"Right"});
    CHECK(screen_shows(*screen, png, focus_on(1)));

    // Enter opens the photo view (no grid); Right steps to the next photo; Esc goes back, focused on it.
    key({"Return"});
    const auto photo_view = wait_screen(*screen, kArtifacts / "keys-photo-view.png", no_cells);
    CHECK((photo_view && no_cells(*photo_view)));
    key({"Right"});
    // The next photo is shown (the screen changes) before Esc goes back to the grid.
    CHECK(screen_shows(*screen, png, [&](const test::Screenshot& s) { return !photo_view || s.rgb != photo_view->rgb; }));
    key({"Escape"});
    CHECK(screen_shows(*screen, png, focus_on(2)));

    // Space previews over the grid (its frames darkened) and closes the preview again.
    key({"space"});
    CHECK(screen_shows(*screen, kArtifacts / "keys-preview.png", no_cells));
    key({"space"});
    CHECK(screen_shows(*screen, png, focus_on(2)));

    // Delete asks first; Esc keeps the photo.
    key({"Delete"});
    REQUIRE(xdotool(*screen, {"search", "--sync", "--onlyvisible", "--name", "Remove from library"}).exit_code == 0);
    test::take_screenshot(*screen, kArtifacts / "keys-delete-confirmation.png");
    REQUIRE(focus_window(*screen, "Remove from library"));
    REQUIRE(xdotool(*screen, {"key", "Escape"}).exit_code == 0);
    CHECK(screen_shows(*screen, png, focus_on(2)));
    CHECK(library_photos(runtime) == 6);

    // Delete again, then the dialog's other button: the photo leaves the library, and only the library.
    key({"Delete"});
    REQUIRE(xdotool(*screen, {"search", "--sync", "--onlyvisible", "--name", "Remove from library"}).exit_code == 0);
    REQUIRE(focus_window(*screen, "Remove from library"));
    REQUIRE(xdotool(*screen, {"key", "--delay", "100", "Tab", "Return"}).exit_code == 0);
    long photos = -1;
    for (int i = 0; i < 100 && (photos = library_photos(runtime)) != 5; ++i) std::this_thread::sleep_for(100ms);
    CHECK(photos == 5);
    CHECK(wait_log(log, "grid: 5 cells, 5 thumbnails", 10s));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir / "photos")) ++files;
    CHECK(files == 6);

    // Several at once: Ctrl+click adds a photo, Shift+click the range from it; Delete removes all three.
    auto with_key = [&](std::size_t index, const char* modifier) {
        auto args = centre(index);
        args.insert(args.end(), {"keydown", modifier, "click", "1", "keyup", modifier});
        REQUIRE(xdotool(*screen, args).exit_code == 0);
    };
    auto plain = centre(4);
    plain.insert(plain.end(), {"click", "1"});
    REQUIRE(xdotool(*screen, plain).exit_code == 0);
    with_key(1, "ctrl");
    with_key(3, "shift");
    CHECK(wait_log(log, "photos: 5 photos, 3 selected", 10s));
    test::take_screenshot(*screen, kArtifacts / "keys-selection.png");
    key({"Delete"});
    REQUIRE(xdotool(*screen, {"search", "--sync", "--onlyvisible", "--name", "Remove from library"}).exit_code == 0);
    REQUIRE(focus_window(*screen, "Remove from library"));
    REQUIRE(xdotool(*screen, {"key", "--delay", "100", "Tab", "Return"}).exit_code == 0);
    for (int i = 0; i < 100 && (photos = library_photos(runtime)) != 2; ++i) std::this_thread::sleep_for(100ms);
    CHECK(photos == 2);
    CHECK(wait_log(log, "grid: 2 cells, 2 thumbnails", 10s));

    // A double click opens the photo under the pointer; Ctrl+Q quits cleanly.
    auto double_click = centre(0);
    double_click.insert(double_click.end(), {"click", "--repeat", "2", "--delay", "80", "1"});
    REQUIRE(xdotool(*screen, double_click).exit_code == 0);
    CHECK(screen_shows(*screen, png, no_cells));
    key({"ctrl+q"});
    const auto quit = app.wait(20s);
    CHECK_FALSE(quit.timed_out);
    CHECK(quit.exit_code == 0);
}

TEST_CASE("the job bar Cancel button stops the running scan, Ctrl+3 and F1 reach their menu items, Preferences typed into apply with Enter", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    // Copies: quick to write, each one still read and decoded (~20 s): a scan long enough that, on a
    // loaded machine, the click still lands before it ends (a scan that ended by itself also hides the bar).
    constexpr int kPhotos = 2000;
    test::write_photo_set(dir / "photos", kPhotos, 1600, 1200);
    const auto log = dir.path() / "status.log";
    const auto runtime = dir.path() / "runtime";
    auto started = start_app(dir, *screen);
    test::ChildProcess& app = *started;

    // The job bar shows while the scan runs; the status log says where its Cancel button is.
    std::string text;
    const bool shown = wait_log(log, "job bar: cancel at \\d+,\\d+", 60s, 0, &text).has_value();
    INFO("status log:\n" << text << "\napp stderr: " << app.err());
    REQUIRE(shown);
    test::take_screenshot(*screen, kArtifacts / "job-bar.png");
    // Clicked where the bar last said its button is; again if the layout moved it under the pointer
    // (the bar logs its buttons' places whenever they change).
    const std::size_t now = read_text(log).size();
    REQUIRE(click_logged_button(*screen, log, "job bar: cancel at (\\d+),(\\d+)",
                                [&] { return wait_log(log, "job bar: (hidden|no scan)", 10s, now).has_value(); }));

    // The engine ends the job as cancelled, before the last photo, and the bar goes away.
    auto endpoints = ipc::read_endpoints_file(ipc::endpoints_file(runtime));
    REQUIRE(endpoints);
    zmq::context_t context;
    ipc::Client client(context, ipc::ClientOptions{endpoints->commands, "", 2000ms, 1});
    std::optional<ipc::JobProgress> job;
    for (int i = 0; i < 300; ++i) {
        auto jobs = client.call(ipc::ListJobs{});
        if (jobs && !jobs->jobs.empty() && ipc::is_final(jobs->jobs.front().progress.state)) {
            job = jobs->jobs.front().progress;
            break;
        }
        std::this_thread::sleep_for(100ms);
    }
    REQUIRE(job);
    CHECK(job->state == ipc::JobState::cancelled);
    CHECK(job->done < kPhotos);
    CHECK(wait_log(log, "job bar: hidden", 10s, now));

    // Ctrl+3: the large thumbnails (cells further apart).
    const auto spacing = [](const test::Screenshot& s) {
        const auto cells = cell_corners(s);
        return cells.size() >= 2 && cells[1].second == cells[0].second ? cells[1].first - cells[0].first : 0;
    };
    const auto before = wait_screen(*screen, kArtifacts / "keys.png", [&](const test::Screenshot& s) { return spacing(s) > 0; });
    REQUIRE(before);
    const int small_spacing = spacing(*before);
    const std::string main_window = "^Lightbox - library$";
    REQUIRE(focus_window(*screen, main_window));
    REQUIRE(xdotool(*screen, {"key", "ctrl+3"}).exit_code == 0);
    CHECK(screen_shows(*screen, kArtifacts / "keys.png", [&](const test::Screenshot& s) { return spacing(s) > small_spacing; }));

    // Ctrl+, opens Preferences; F1 the About box (closed again with Esc).
    REQUIRE(xdotool(*screen, {"key", "ctrl+comma"}).exit_code == 0);
    CHECK(xdotool(*screen, {"search", "--sync", "--onlyvisible", "--name", "Preferences"}).exit_code == 0);
    // Typed into its first field (the thumbnail sizes) and applied with Enter: the engine has it.
    REQUIRE(focus_window(*screen, "Preferences"));
    REQUIRE(xdotool(*screen, {"key", "ctrl+a"}).exit_code == 0);
    REQUIRE(xdotool(*screen, {"type", "--delay", "30", "200,900"}).exit_code == 0);
    test::take_screenshot(*screen, kArtifacts / "preferences-typed.png");
    REQUIRE(xdotool(*screen, {"key", "Return"}).exit_code == 0);
    std::string sizes;
    for (int i = 0; i < 100 && sizes != "200,900"; ++i) {
        if (auto settings = client.call(ipc::GetSettings{})) {
            for (const auto& setting : settings->settings) if (setting.key == "thumbnails.sizes") sizes = setting.value;
        }
        if (sizes != "200,900") std::this_thread::sleep_for(100ms);
    }
    CHECK(sizes == "200,900");
    CHECK(xdotool(*screen, {"search", "--onlyvisible", "--name", "Preferences"}).exit_code != 0);  // closed on apply
    REQUIRE(focus_window(*screen, main_window));
    REQUIRE(xdotool(*screen, {"key", "F1"}).exit_code == 0);
    CHECK(xdotool(*screen, {"search", "--sync", "--onlyvisible", "--name", "About Lightbox"}).exit_code == 0);
    test::take_screenshot(*screen, kArtifacts / "about.png");
    if (focus_window(*screen, "About Lightbox")) xdotool(*screen, {"key", "Escape"});

    app.send_signal(SIGTERM);
    const auto closed = app.wait(20s);
    CHECK_FALSE(closed.timed_out);
    CHECK(closed.exit_code == 0);
}

TEST_CASE("every gallery view renders something", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen) {
        WARN("Xvfb or ImageMagick not found: GUI test skipped");
        return;
    }
    auto list = test::run_process({LIGHTBOX_TEST_SHELL_EXE, "--gallery", "list"});
    REQUIRE(list.exit_code == 0);
    std::istringstream names(list.out);
    std::string view;
    int views = 0;
    test::TempDir dir;
    while (names >> view) {
        ++views;
        test::ChildProcess app({LIGHTBOX_TEST_SHELL_EXE, "--gallery", view}, app_env(dir, *screen));
        const bool has_grid = view == "grid" || view == "main";
        auto shot = wait_screen(*screen, kArtifacts / ("gallery-" + view + ".png"), [&](const test::Screenshot& s) {
            return test::luminance_variance(s) > 50 && (!has_grid || test::count_frames(s, kCellFrame) >= 10);
        });
        INFO("view " << view << ": " << app.err());
        REQUIRE(shot);
        CHECK(test::luminance_variance(*shot) > 50);
        if (has_grid) CHECK(test::count_frames(*shot, kCellFrame) >= 10);
        app.send_signal(SIGTERM);
        CHECK(app.wait(10s).exit_code != -1);
    }
    CHECK(views >= 8);
    CHECK(test::run_process({LIGHTBOX_TEST_SHELL_EXE, "--gallery", "nope"}).exit_code == 2);
}

TEST_CASE("the People page: a face per person with name and count, a click on a named person filters the grid, F2 names an unnamed one", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    const auto log = dir.path() / "status.log";
    // The main window on the People page, with the fixture's seven persons (no engine: the commands the
    // views would send are printed on stderr).
    test::ChildProcess app({LIGHTBOX_TEST_SHELL_EXE, "--gallery", "main-people"}, app_env(dir, *screen));
    std::string text;
    const auto painted = wait_log(log, "people: (\\d+ cells, \\d+ faces: [^\\n]*)", 20s, 0, &text);
    INFO("status log:\n" << text << "\napp stderr: " << app.err());
    REQUIRE(painted);
    // Most faces first; the names, or Unnamed, and the counts drawn under each face.
    CHECK(*painted == "7 cells, 7 faces: Anna 48, Ben 21, Unnamed 9, Chlo\u00e9 Martin 5, Unnamed 3, Unnamed 2, Unnamed 1");
    const auto shot = wait_screen(*screen, kArtifacts / "people.png",
                                  [](const test::Screenshot& s) { return test::count_frames(s, kPersonFrame) == 7; });
    REQUIRE(shot);
    CHECK(test::count_frames(*shot, kPersonFrame) == 7);
    CHECK(test::count_frames(*shot, kFocusFrame) == 0);  // nobody chosen
    CHECK(test::count_frames(*shot, kCellFrame) == 0);   // the grid is behind the page
    const auto cells = test::frame_corners(*shot, kPersonFrame);
    REQUIRE(cells.size() == 7);
    // Each cell shows a face cropped from its cover photo: skin between hair and eyes, not one flat colour.
    for (const auto& [x, y] : cells) {
        std::set<uint32_t> colours;
        for (int dy = 8; dy < 120; dy += 8)
            for (int dx = 8; dx < 120; dx += 8) colours.insert(shot->pixel(x + 2 + dx, y + 2 + dy));
        CHECK(colours.size() > 4);
    }

    // A click on an unnamed person chooses them (their frame in the focus colour) and sends nothing.
    REQUIRE(click_at(*screen, cells[2].first + 60, cells[2].second + 60).exit_code == 0);
    CHECK(screen_shows(*screen, kArtifacts / "people-chosen.png", [&](const test::Screenshot& s) {
        const auto f = test::frame_corners(s, kFocusFrame);
        return f.size() == 1 && f[0] == cells[2] && test::count_frames(s, kPersonFrame) == 6;
    }));
    // F2 asks for their name; typed and Enter: RenamePerson with it.
    REQUIRE(focus_window(*screen, "^Lightbox - library$"));
    REQUIRE(xdotool(*screen, {"key", "F2"}).exit_code == 0);
    REQUIRE(xdotool(*screen, {"search", "--sync", "--onlyvisible", "--name", "Rename person"}).exit_code == 0);
    REQUIRE(focus_window(*screen, "Rename person"));
    REQUIRE(xdotool(*screen, {"type", "--delay", "40", "Dora"}).exit_code == 0);
    test::take_screenshot(*screen, kArtifacts / "people-rename.png");
    REQUIRE(xdotool(*screen, {"key", "Return"}).exit_code == 0);
    CHECK(app.wait_for_stderr("gallery: sends RenamePerson 7 \"Dora\"", 10s));

    // A click on a named person: the grid again, its query their name.
    const std::size_t before = read_text(log).size();
    REQUIRE(click_at(*screen, cells[3].first + 60, cells[3].second + 60).exit_code == 0);
    CHECK(wait_log(log, "query: person:\"Chlo\u00e9 Martin\"", 10s, before));
    CHECK(wait_log(log, "view: grid", 10s, before));
    CHECK(app.wait_for_stderr("gallery: sends Query \"person:\"Chlo\u00e9 Martin\"\"", 10s));
    // (The gallery has no engine to answer the query: the grid is empty, the People list ticks her.)
    const auto grid = wait_screen(*screen, kArtifacts / "people-filtered.png",
                                  [](const test::Screenshot& s) { return test::count_frames(s, kPersonFrame) == 0; });
    REQUIRE(grid);
    CHECK(test::count_frames(*grid, kPersonFrame) == 0);

    // Ctrl+P: the People page again.
    const std::size_t back = read_text(log).size();
    REQUIRE(focus_window(*screen, "^Lightbox - library$"));
    REQUIRE(xdotool(*screen, {"key", "ctrl+p"}).exit_code == 0);
    CHECK(wait_log(log, "view: people", 10s, back));
    CHECK(screen_shows(*screen, kArtifacts / "people-again.png", [](const test::Screenshot& s) {
        return test::count_frames(s, kPersonFrame) + test::count_frames(s, kFocusFrame) == 7;  // the chosen one still chosen
    }));
    app.send_signal(SIGTERM);
    CHECK(app.wait(10s).exit_code != -1);
}

TEST_CASE("B draws the boxes of faces and objects over the photo and takes them away again, a right click on a face takes it out of its person, the analysis Pause button sends SetAnalysisPaused", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    {
        // The fixture photo has two faces and four objects (shell/model/fixtures.cpp).
        test::ChildProcess app({LIGHTBOX_TEST_SHELL_EXE, "--gallery", "photo-view"}, app_env(dir, *screen));
        const auto none = [](const test::Screenshot& s) {
            return test::luminance_variance(s) > 50 && test::count_frames(s, kFaceBox) == 0 && test::count_frames(s, kObjectBox) == 0;
        };
        REQUIRE(screen_shows(*screen, kArtifacts / "photo-view-no-boxes.png", none));
        REQUIRE(focus_window(*screen, "photo-view"));
        REQUIRE(xdotool(*screen, {"key", "b"}).exit_code == 0);
        const auto boxes = wait_screen(*screen, kArtifacts / "photo-view-boxes.png", [](const test::Screenshot& s) {
            return test::count_frames(s, kFaceBox) == 2 && test::count_frames(s, kObjectBox) == 4;
        });
        INFO("app stderr: " << app.err());
        REQUIRE(boxes);
        CHECK(test::count_frames(*boxes, kFaceBox) == 2);
        CHECK(test::count_frames(*boxes, kObjectBox) == 4);
        // A right click on Anna's face: "Not Anna: take this face out of the person", chosen with Enter.
        // Where the view last said the face is (the gallery prints the view's log lines).
        REQUIRE(app.wait_for_stderr("photo view: faces: Anna at", 10s));
        const std::string err = app.err();
        const std::regex face_at("photo view: faces: Anna at (\\d+),(\\d+)");
        std::string x, y;
        for (auto it = std::sregex_iterator(err.begin(), err.end(), face_at); it != std::sregex_iterator(); ++it) {
            x = (*it)[1];
            y = (*it)[2];
        }
        REQUIRE(xdotool(*screen, {"mousemove", x, y, "click", "3"}).exit_code == 0);
        REQUIRE(app.wait_for_stderr("photo view: face menu: Anna", 10s));
        REQUIRE(xdotool(*screen, {"key", "--delay", "200", "Down", "Return"}).exit_code == 0);
        CHECK(app.wait_for_stderr("gallery: sends RemoveFace fixture-3 org.lightbox.vision 4", 10s));
        REQUIRE(focus_window(*screen, "photo-view"));
        REQUIRE(xdotool(*screen, {"key", "b"}).exit_code == 0);
        CHECK(screen_shows(*screen, kArtifacts / "photo-view-no-boxes.png", none));
        app.send_signal(SIGTERM);
        CHECK(app.wait(10s).exit_code != -1);
    }
    {
        // The main window's job bar: a scan, and the analysis apart with its Pause button.
        const auto log = dir.path() / "status.log";
        test::ChildProcess app({LIGHTBOX_TEST_SHELL_EXE, "--gallery", "main"}, app_env(dir, *screen));
        std::string text;
        const bool shown = wait_log(log, "job bar: pause at \\d+,\\d+", 20s, 0, &text).has_value();
        INFO("status log:\n" << text << "\napp stderr: " << app.err());
        REQUIRE(shown);
        CHECK(last_position(log, "job bar: cancel at (\\d+),(\\d+)"));  // the scan's row too
        test::take_screenshot(*screen, kArtifacts / "job-bar-analysis.png");
        CHECK(click_logged_button(*screen, log, "job bar: pause at (\\d+),(\\d+)",
                                  [&] { return app.wait_for_stderr("gallery: sends SetAnalysisPaused paused", 10s); }));
        app.send_signal(SIGTERM);
        CHECK(app.wait(10s).exit_code != -1);
    }
}

TEST_CASE("analysis with a real engine: Pause and Resume in the job bar reach the engine, B boxes the objects found, the People page answers", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    const std::filesystem::path models = std::filesystem::path(LIGHTBOX_TEST_DATA_DIR) / "models";
    const std::filesystem::path darknet = "/usr/share/darknet/data";
    if (!std::filesystem::exists(models / "objects" / "centernet.onnx") || !std::filesystem::exists(darknet / "kite.jpg")) {
        WARN("no models in " << models.string() << " (scripts/fetch-models.sh) or no darknet photos: analysis GUI test skipped");
        return;
    }
    test::TempDir dir;
    // Enough photos that analysis runs for a while; real ones with people, kites and a dog first (by date).
    constexpr int kGenerated = 240;
    write_distinct_photos(dir / "photos", kGenerated, 640, 480);
    for (const char* name : {"kite.jpg", "person.jpg", "dog.jpg"}) std::filesystem::copy_file(darknet / name, dir / "photos" / name);
    const uint64_t photos = kGenerated + 3;
    const auto log = dir.path() / "status.log";
    const auto runtime = dir.path() / "runtime";
    auto env = app_env(dir, *screen);
    env.push_back("LIGHTBOX_ANALYSIS=on");
    std::vector<std::string> args{LIGHTBOX_TEST_SHELL_EXE, "--runtime-dir", runtime.string(), "--catalog", (dir / "library.lbx").string(),
                                  "--open-first", (dir / "photos").string()};
    test::ChildProcess app(args, env);

    std::string text;
    REQUIRE(wait_log(log, "engine: Engine connected", 60s, 0, &text));
    for (int i = 0; i < 600 && library_photos(runtime) != static_cast<long>(photos); ++i) std::this_thread::sleep_for(100ms);
    REQUIRE(library_photos(runtime) == static_cast<long>(photos));
    auto endpoints = ipc::read_endpoints_file(ipc::endpoints_file(runtime));
    REQUIRE(endpoints);
    zmq::context_t context;
    ipc::Client client(context, ipc::ClientOptions{endpoints->commands, "", 3000ms, 1});
    const auto analysis_running = [&] {
        auto jobs = client.call(ipc::ListJobs{});
        if (!jobs) return false;
        for (const auto& j : jobs->jobs) {
            if (j.progress.kind == ipc::JobKind::analysis && !ipc::is_final(j.progress.state) && j.progress.total > 0) return true;
        }
        return false;
    };
    bool running = false;
    for (int i = 0; i < 300 && !(running = analysis_running()); ++i) std::this_thread::sleep_for(100ms);
    INFO("status log:\n" << read_text(log) << "\napp stderr: " << app.err());
    REQUIRE(running);
    REQUIRE(wait_log(log, "job bar: pause at \\d+,\\d+", 20s));
    test::take_screenshot(*screen, kArtifacts / "analysis-running.png");
    const std::size_t before_pause = read_text(log).size();
    REQUIRE(click_logged_button(*screen, log, "job bar: pause at (\\d+),(\\d+)",
                                [&] { return wait_log(log, "job bar: resume at \\d+,\\d+", 10s, before_pause).has_value(); }));

    // The engine is paused, its job ends as paused, and the bar offers Resume with the photos waiting.
    std::optional<ipc::AnalysisReply> state;
    for (int i = 0; i < 100; ++i) {
        auto reply = client.call(ipc::GetAnalysis{});
        if (reply && reply->paused) {
            state = *reply;
            break;
        }
        std::this_thread::sleep_for(100ms);
    }
    REQUIRE(state);
    CHECK(state->pending > 0);
    REQUIRE(wait_log(log, "job bar: resume at \\d+,\\d+", 20s, before_pause));
    CHECK(screen_shows(*screen, kArtifacts / "analysis-paused.png", [&](const test::Screenshot& s) {
        return shows_button_at(s, last_position(log, "job bar: resume at (\\d+),(\\d+)"));
    }));
    // Its job stops once the photos in flight are done.
    bool stopped = false;
    for (int i = 0; i < 100 && !(stopped = !analysis_running()); ++i) std::this_thread::sleep_for(100ms);
    CHECK(stopped);
    const auto resume = last_position(log, "job bar: resume at (\\d+),(\\d+)");
    REQUIRE(resume);
    REQUIRE(xdotool(*screen, {"mousemove", resume->first, resume->second, "click", "1"}).exit_code == 0);
    bool resumed = false;
    for (int i = 0; i < 100 && !resumed; ++i) {
        auto reply = client.call(ipc::GetAnalysis{});
        resumed = reply && !reply->paused;
        if (!resumed) std::this_thread::sleep_for(100ms);
    }
    CHECK(resumed);

    // To the end: nothing waiting, the bar's analysis row gone.
    bool finished = false;
    for (int i = 0; i < 2400 && !finished; ++i) {
        auto reply = client.call(ipc::GetAnalysis{});
        finished = reply && !reply->paused && reply->pending == 0 && reply->job_id == 0;
        if (!finished) std::this_thread::sleep_for(100ms);
    }
    REQUIRE(finished);
    CHECK(wait_log(log, "job bar: no analysis", 20s, before_pause));

    // The earliest photo (kite.jpg: people and kites; --open-first opened whichever came first while the
    // scan ran): B draws the objects the engine found.
    REQUIRE(wait_log(log, "view: photo", 5s));
    REQUIRE(focus_window(*screen, "^Lightbox - library$"));
    const std::size_t before_open = read_text(log).size();
    REQUIRE(xdotool(*screen, {"key", "--delay", "300", "Escape", "Home", "Return"}).exit_code == 0);
    REQUIRE(wait_log(log, "view: photo", 10s, before_open));
    REQUIRE(xdotool(*screen, {"key", "b"}).exit_code == 0);
    const auto boxes = wait_screen(*screen, kArtifacts / "analysis-boxes.png",
                                   [](const test::Screenshot& s) { return test::count_frames(s, kObjectBox) >= 1; });
    REQUIRE(boxes);
    CHECK(test::count_frames(*boxes, kObjectBox) >= 1);
    REQUIRE(xdotool(*screen, {"key", "b"}).exit_code == 0);
    CHECK(screen_shows(*screen, kArtifacts / "analysis-no-boxes.png", [](const test::Screenshot& s) { return test::count_frames(s, kObjectBox) == 0; }));

    // Ctrl+P: the People page answers: persons, or the engine's word that it does not group them.
    const std::size_t before_people = read_text(log).size();
    REQUIRE(xdotool(*screen, {"key", "ctrl+p"}).exit_code == 0);
    CHECK(wait_log(log, "view: people", 10s, before_people));
    CHECK(wait_log(log, "people: \\d+ cells", 10s, before_people));
    test::take_screenshot(*screen, kArtifacts / "analysis-people.png");
    app.send_signal(SIGTERM);
    const auto closed = app.wait(30s);
    CHECK_FALSE(closed.timed_out);
    CHECK(closed.exit_code == 0);
}

TEST_CASE("an engine killed mid-scan: the job bar shows the scan interrupted with Resume once the new engine answers, and Resume finishes it", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    test::write_photo_set(dir / "photos", 600, 1600, 1200);  // 4 pictures in 600 files, each file read and decoded
    const auto log = dir.path() / "status.log";
    const auto runtime = dir.path() / "runtime";
    auto started = start_app(dir, *screen);
    test::ChildProcess& app = *started;

    std::string text;
    const auto connected = wait_log(log, "engine: Engine connected \\(pid (\\d+)\\)", 60s, 0, &text);
    INFO("status log:\n" << text << "\napp stderr: " << app.err());
    REQUIRE(connected);
    const int first_pid = std::stoi(*connected);
    REQUIRE(wait_log(log, "job bar: cancel at \\d+,\\d+", 60s));

    // Mid-scan: some photos done, most not.
    auto endpoints = ipc::read_endpoints_file(ipc::endpoints_file(runtime));
    REQUIRE(endpoints);
    uint64_t done = 0;
    {
        zmq::context_t context;
        ipc::Client client(context, ipc::ClientOptions{endpoints->commands, "", 2000ms, 1});
        for (int i = 0; i < 600 && done < 20; ++i) {
            auto jobs = client.call(ipc::ListJobs{});
            for (const auto& j : jobs ? jobs->jobs : std::vector<ipc::JobSnapshot>{}) {
                if (j.progress.kind == ipc::JobKind::scan && !ipc::is_final(j.progress.state)) done = j.progress.done;
            }
            if (done < 20) std::this_thread::sleep_for(50ms);
        }
    }
    REQUIRE(done >= 20);
    const std::size_t before = read_text(log).size();
    REQUIRE(::kill(first_pid, SIGKILL) == 0);

    // A new engine; as soon as it answers, the bar offers Resume for the interrupted scan (no Cancel of a
    // job that is gone), with the grid still there.
    const auto again = wait_log(log, "engine: Engine connected \\(pid (\\d+)\\)", 30s, before, &text);
    REQUIRE(again);
    CHECK(std::stoi(*again) != first_pid);
    const auto connected_at = std::chrono::steady_clock::now();
    REQUIRE(wait_log(log, "job bar: resume scan at \\d+,\\d+", 20s, before, &text));
    CHECK(std::chrono::steady_clock::now() - connected_at < 10s);
    CHECK(wait_log(log, "job bar: Scan interrupted: the engine stopped after \\d+ photos", 5s, before));
    // The button is drawn where the log says (after the last layout), with its word on it.
    CHECK(screen_shows(*screen, kArtifacts / "job-bar-interrupted.png", [&](const test::Screenshot& s) {
        return shows_button_at(s, last_position(log, "job bar: resume scan at (\\d+),(\\d+)"));
    }));

    // Resume: a rescan runs and completes; the bar goes away.
    const std::size_t before_resume = read_text(log).size();
    CHECK(click_logged_button(*screen, log, "job bar: resume scan at (\\d+),(\\d+)", [&] {
        return wait_log(log, "job bar: (cancel at \\d+,\\d+|hidden)", 20s, before_resume).has_value();
    }));
    endpoints = ipc::read_endpoints_file(ipc::endpoints_file(runtime));
    REQUIRE(endpoints);
    zmq::context_t context;
    ipc::Client client(context, ipc::ClientOptions{endpoints->commands, "", 2000ms, 1});
    std::optional<ipc::JobProgress> rescan;
    for (int i = 0; i < 1200 && !rescan; ++i) {
        if (auto jobs = client.call(ipc::ListJobs{})) {
            for (const auto& j : jobs->jobs) {
                if (j.progress.kind == ipc::JobKind::scan && j.progress.state == ipc::JobState::completed) rescan = j.progress;
            }
        }
        if (!rescan) std::this_thread::sleep_for(100ms);
    }
    INFO("status log:\n" << read_text(log));
    REQUIRE(rescan);
    CHECK(rescan->total == 600);
    CHECK(rescan->done == 600);
    CHECK(library_photos(runtime) == 4);
    CHECK(wait_log(log, "job bar: hidden", 20s, before_resume));
    test::take_screenshot(*screen, kArtifacts / "job-bar-resumed.png");

    app.send_signal(SIGTERM);
    const auto closed = app.wait(20s);
    CHECK_FALSE(closed.timed_out);
    CHECK(closed.exit_code == 0);
}

TEST_CASE("an engine hung (SIGSTOP) and replaced: the cells that came into view meanwhile get their thumbnails without a scroll", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    write_distinct_photos(dir / "photos", 72, 640, 480);  // more than one screen of cells
    const auto log = dir.path() / "status.log";
    const auto runtime = dir.path() / "runtime";
    auto started = start_app(dir, *screen);
    test::ChildProcess& app = *started;

    std::string text;
    const auto connected = wait_log(log, "engine: Engine connected \\(pid (\\d+)\\)", 60s, 0, &text);
    INFO("status log:\n" << text << "\napp stderr: " << app.err());
    REQUIRE(connected);
    const int pid = std::stoi(*connected);
    REQUIRE(wait_scan_finished(runtime, 72));
    REQUIRE(wait_log(log, "photos: 72 photos", 20s));
    // The first screen painted with its thumbnails.
    std::pair<int, int> grid{-1, -1};
    for (int i = 0; i < 400 && !(grid.first > 0 && grid.first == grid.second); ++i) {
        grid = last_grid_line(log);
        if (grid.first != grid.second || grid.first <= 0) std::this_thread::sleep_for(50ms);
    }
    REQUIRE(grid.first > 0);
    REQUIRE(grid.first == grid.second);
    REQUIRE(grid.first < 72);  // the end of the grid is out of view

    // The engine hangs; End brings cells into view that it was never asked for.
    const std::size_t before = read_text(log).size();
    REQUIRE(::kill(pid, SIGSTOP) == 0);
    REQUIRE(focus_window(*screen, "^Lightbox - library$"));
    REQUIRE(xdotool(*screen, {"key", "End"}).exit_code == 0);
    const auto down = wait_log(log, "engine: Engine not responding", 10s, before);
    ::kill(pid, SIGKILL);  // the session kills a hung engine it started; make sure of it
    REQUIRE(down);
    test::take_screenshot(*screen, kArtifacts / "main-engine-hung.png");
    const auto again = wait_log(log, "engine: Engine connected \\(pid (\\d+)\\)", 30s, before);
    REQUIRE(again);
    CHECK(std::stoi(*again) != pid);
    const std::size_t connected_at = read_text(log).find("engine: Engine connected (pid " + *again + ")", before);
    REQUIRE(connected_at != std::string::npos);

    // No input since End: every cell on the screen gets its thumbnail from the new engine.
    const auto painted = wait_log(log, "grid: ([1-9]\\d*) cells, \\1 thumbnails", 20s, connected_at);
    INFO("status log:\n" << read_text(log));
    REQUIRE(painted);
    const int cells = std::stoi(*painted);
    // On the screen: the focus on the last photo, and no cell left grey (its centre shows the picture).
    const auto no_grey_cell = [cells](const test::Screenshot& s) {
        const auto corners = cell_corners(s);
        if (static_cast<int>(corners.size()) != cells || test::count_frames(s, kFocusFrame) != 1) return false;
        for (const auto& [x, y] : corners) {
            if (s.pixel(x + 2 + 80, y + 2 + 80) == 0x44474c) return false;  // theme::kPlaceholder, medium cells (160)
        }
        return true;
    };
    CHECK(screen_shows(*screen, kArtifacts / "main-engine-replaced.png", no_grey_cell, 20s));

    app.send_signal(SIGTERM);
    const auto closed = app.wait(20s);
    CHECK_FALSE(closed.timed_out);
    CHECK(closed.exit_code == 0);
}

TEST_CASE("full screen shows the page alone, Esc leaves full screen first, then closes the photo", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    const auto log = dir.path() / "status.log";
    auto started = start_main_gallery(dir, *screen);
    test::ChildProcess& app = *started;
    // The filter panel's search box (white) is where the full screen page has the grid or photo.
    const auto panel_shown = [](const test::Screenshot& s) { return s.pixel(200, 130) == 0xffffff; };
    REQUIRE(screen_shows(*screen, kArtifacts / "full-screen-before.png", panel_shown));

    const auto key = [&](const char* name) {
        REQUIRE(focus_window(*screen, "^Lightbox - library$"));
        REQUIRE(xdotool(*screen, {"key", name}).exit_code == 0);
    };
    std::size_t from = read_text(log).size();
    key("Return");
    REQUIRE(wait_log(log, "view: photo", 10s, from));
    from = read_text(log).size();
    key("F11");
    REQUIRE(wait_log(log, "full screen: on", 10s, from));
    CHECK(screen_shows(*screen, kArtifacts / "full-screen-photo.png",
                       [&](const test::Screenshot& s) { return !panel_shown(s) && test::count_frames(s, kCellFrame) == 0; }));
    // Esc: out of full screen, the photo still open; Esc again: back to the grid.
    from = read_text(log).size();
    key("Escape");
    REQUIRE(wait_log(log, "full screen: off", 10s, from));
    CHECK(screen_shows(*screen, kArtifacts / "full-screen-left.png", panel_shown));
    CHECK(read_text(log).find("view: grid", from) == std::string::npos);
    key("Escape");
    CHECK(wait_log(log, "view: grid", 10s, from));
    app.send_signal(SIGTERM);
    CHECK(app.wait(10s).exit_code != -1);
}

TEST_CASE("the photo view zooms with + and - and the mouse wheel, F5 runs a slideshow of the photo alone until Esc", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    const auto log = dir.path() / "status.log";
    auto started = start_main_gallery(dir, *screen);
    test::ChildProcess& app = *started;
    const auto key = [&](const char* name) {
        REQUIRE(focus_window(*screen, "^Lightbox - library$"));
        REQUIRE(xdotool(*screen, {"key", name}).exit_code == 0);
    };
    std::size_t from = read_text(log).size();
    key("Return");
    REQUIRE(wait_log(log, "photo view: photo \\d+", 10s, from));
    REQUIRE(wait_log(log, "photo view: zoom Fit", 10s, from));

    // + zooms in a step, - back to the whole photo; the wheel over the photo zooms in and out.
    from = read_text(log).size();
    key("plus");
    CHECK(wait_log(log, "photo view: zoom \\d+ %", 10s, from));
    from = read_text(log).size();
    key("minus");
    CHECK(wait_log(log, "photo view: zoom Fit", 10s, from));
    from = read_text(log).size();
    REQUIRE(xdotool(*screen, {"mousemove", "500", "450", "click", "4"}).exit_code == 0);  // wheel up
    CHECK(wait_log(log, "photo view: zoom \\d+ %", 10s, from));
    CHECK(screen_shows(*screen, kArtifacts / "photo-view-zoomed.png", [](const test::Screenshot& s) { return test::luminance_variance(s) > 100; }));
    from = read_text(log).size();
    REQUIRE(xdotool(*screen, {"mousemove", "500", "450", "click", "5"}).exit_code == 0);  // wheel down
    CHECK(wait_log(log, "photo view: zoom Fit", 10s, from));

    // F5: full screen with the photo alone, the next photo after a few seconds; Esc ends both.
    from = read_text(log).size();
    key("F5");
    REQUIRE(wait_log(log, "photo view: slideshow on", 10s, from));
    CHECK(wait_log(log, "full screen: on", 10s, from));
    CHECK(wait_log(log, "photo view: side column hidden", 10s, from));
    CHECK(wait_log(log, "photo view: photo \\d+", 15s, from));  // logged when it changes: the next one
    CHECK(screen_shows(*screen, kArtifacts / "slideshow.png", [](const test::Screenshot& s) {
        // No filter panel (its white search box) and no side column (its white metadata list).
        return s.pixel(200, 130) != 0xffffff && s.pixel(s.width - 20, s.height / 2) != 0xffffff;
    }));
    from = read_text(log).size();
    key("Escape");
    CHECK(wait_log(log, "full screen: off", 10s, from));
    CHECK(wait_log(log, "photo view: slideshow off", 10s, from));
    CHECK(wait_log(log, "photo view: side column shown", 10s, from));
    CHECK(read_text(log).find("view: grid", from) == std::string::npos);  // the photo stays open
    app.send_signal(SIGTERM);
    CHECK(app.wait(10s).exit_code != -1);
}

TEST_CASE("Esc in the search box empties it and shows every photo", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    const auto log = dir.path() / "status.log";
    // The fixture's query is "beach year:2019"; no engine: the Query the box sends is printed.
    auto started = start_main_gallery(dir, *screen);
    test::ChildProcess& app = *started;
    const std::size_t from = read_text(log).size();
    REQUIRE(click_at(*screen, 100, 130).exit_code == 0);  // into the search box
    REQUIRE(xdotool(*screen, {"key", "Escape"}).exit_code == 0);
    CHECK(wait_log(log, "query: \\n", 10s, from));
    CHECK(app.wait_for_stderr("gallery: sends Query \"\"", 10s));
    test::take_screenshot(*screen, kArtifacts / "search-emptied.png");
    app.send_signal(SIGTERM);
    CHECK(app.wait(10s).exit_code != -1);
}

TEST_CASE("the Map page: clusters of geotagged photos split as the wheel zooms in, a click on one filters the grid", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    std::filesystem::create_directories(dir / "photos");
    // Two photos in Paris and one in Versailles (17 km away), two in Tokyo, one in New York, one nowhere.
    const std::vector<std::pair<double, double>> places = {{48.8566, 2.3522}, {48.8606, 2.3376}, {48.8049, 2.1204},
                                                           {35.6762, 139.6503}, {35.68, 139.70}, {40.7128, -74.006}};
    for (std::size_t i = 0; i <= places.size(); ++i) {
        sample::ExifSpec spec;
        spec.make = "Canon";
        spec.model = "Canon EOS 7D";
        if (i < places.size()) {
            spec.gps_lat = places[i].first;
            spec.gps_lon = places[i].second;
        }
        test::write_file(dir / "photos" / ("place-" + std::to_string(i) + ".jpg"),
                         sample::with_exif(sample::encode_jpeg(sample::make_scene(640, 480, static_cast<uint32_t>(i + 1))), spec));
    }
    const auto runtime = dir.path() / "runtime";
    const auto log = dir.path() / "status.log";
    auto started = start_app(dir, *screen);
    test::ChildProcess& app = *started;
    REQUIRE(wait_scan_finished(runtime, 7));
    std::string text;
    REQUIRE(wait_log(log, "photos: 7 photos", 20s, 0, &text));

    // Ctrl+M: the whole world, three clusters (Europe's three photos in one).
    REQUIRE(focus_window(*screen, "Lightbox"));
    REQUIRE(xdotool(*screen, {"key", "ctrl+m"}).exit_code == 0);
    const auto world = wait_log(log, "map: zoom (\\d+), 3 clusters, 6 photos: 3 at \\d+,\\d+", 20s, 0, &text);
    INFO("status log:\n" << text << "\napp stderr: " << app.err());
    REQUIRE(world);
    CHECK(std::stoi(*world) <= 2);
    // Saved once the map is on the screen (land and clusters: not a flat fill), not after a fixed wait.
    CHECK(screen_shows(*screen, kArtifacts / "map-world.png", [](const test::Screenshot& shot) { return test::luminance_variance(shot) > 100; }));
    const auto europe = last_position(log, "map: zoom \\d+, 3 clusters, 6 photos: 3 at (\\d+),(\\d+)");
    REQUIRE(europe);

    // The wheel over Europe, a notch at a time (a world shorter than the view stays centred, so the
    // cluster moves while the first notches zoom): at zoom 9 Paris and Versailles are clusters of their own.
    auto over = europe;
    for (int zoom = std::stoi(*world); zoom < 9; ++zoom) {
        const std::size_t before_notch = read_text(log).size();
        REQUIRE(xdotool(*screen, {"mousemove", over->first, over->second, "click", "4"}).exit_code == 0);
        const std::string next = "map: zoom " + std::to_string(zoom + 1) + ", \\d+ clusters, \\d+ photos: ";
        const bool answered = wait_log(log, next + (zoom + 1 < 9 ? "3 at" : "2 at \\d+,\\d+; 1 at"), 20s, before_notch, &text).has_value();
        INFO("status log after the wheel:\n" << text);
        REQUIRE(answered);
        over = last_position(log, next + (zoom + 1 < 9 ? "3 at (\\d+),(\\d+)" : "2 at (\\d+),(\\d+)"));
        REQUIRE(over);
    }
    // Saved once the map is on the screen (land and clusters: not a flat fill), not after a fixed wait.
    CHECK(screen_shows(*screen, kArtifacts / "map-zoomed.png", [](const test::Screenshot& shot) { return test::luminance_variance(shot) > 100; }));
    const auto paris = over;  // the biggest cluster at zoom 9: the two photos in Paris

    // A click on Paris: the grid shows its two photos, with a within: term in the query.
    const std::size_t before_click = read_text(log).size();
    REQUIRE(click_at(*screen, std::stoi(paris->first), std::stoi(paris->second)).exit_code == 0);
    CHECK(wait_log(log, "view: grid", 10s, before_click));
    CHECK(wait_log(log, "query: within:48\\.8\\d*,2\\.3\\d*,48\\.8\\d*,2\\.3\\d*", 10s, before_click));
    CHECK(wait_log(log, "photos: 2 of 7 photos", 10s, before_click, &text));
    CHECK(wait_log(log, "grid: 2 cells, 2 thumbnails", 10s, before_click));
    test::take_screenshot(*screen, kArtifacts / "map-filtered-grid.png");
    app.send_signal(SIGTERM);
    app.wait(20s);
}

TEST_CASE("the photo view shows a small map of where a geotagged photo was taken, none for one without a place", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen) {
        WARN("Xvfb or ImageMagick not found: GUI test skipped");
        return;
    }
    // The map's sea colour (views/map_view.cpp), drawn without anti-aliasing behind the land.
    const auto sea_pixels = [](const test::Screenshot& s) {
        int n = 0;
        for (int y = 0; y < s.height; ++y)
            for (int x = 0; x < s.width; ++x) n += s.pixel(x, y) == 0xAACDE6;
        return n;
    };
    for (const bool geotagged : {true, false}) {
        test::TempDir dir;
        std::filesystem::create_directories(dir / "photos");
        sample::ExifSpec spec;
        spec.make = "Canon";
        if (geotagged) {
            spec.gps_lat = 43.2965;  // Marseille, by the sea
            spec.gps_lon = 5.3698;
        }
        test::write_file(dir / "photos" / "one.jpg", sample::with_exif(sample::encode_jpeg(sample::make_scene(800, 600, 3)), spec));
        auto started = start_app(dir, *screen, {"--open-first"});
        test::ChildProcess& app = *started;
        REQUIRE(wait_scan_finished(dir.path() / "runtime", 1));
        REQUIRE(wait_log(dir.path() / "status.log", "photo summary:", 20s));
        const auto png = kArtifacts / (geotagged ? "photo-view-place-map.png" : "photo-view-no-place.png");
        if (geotagged) CHECK(screen_shows(*screen, png, [&](const test::Screenshot& s) { return sea_pixels(s) > 2000; }));
        else {
            // Once the view has said it has no map and the photo is painted (not a flat fill), no sea shows.
            REQUIRE(wait_log(dir.path() / "status.log", "photo view: no place map", 20s));
            const auto shot = wait_screen(*screen, png, [](const test::Screenshot& s) { return test::luminance_variance(s) > 100; });
            REQUIRE(shot);
            CHECK(sea_pixels(*shot) == 0);
        }
        app.send_signal(SIGTERM);
        app.wait(20s);
    }
}

TEST_CASE("similar: a resized copy and its original form one group on the page Ctrl+D opens", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    std::filesystem::create_directories(dir / "photos");
    const sample::RgbImage picture = sample::make_marked_scene(1200, 800, 9);
    // The resized copy: each pixel the mean of a 4x4 block, as an editor's resize makes it.
    sample::RgbImage small(300, 200);
    for (uint32_t y = 0; y < 200; ++y)
        for (uint32_t x = 0; x < 300; ++x) {
            uint32_t r = 0, g = 0, b = 0;
            for (uint32_t dy = 0; dy < 4; ++dy)
                for (uint32_t dx = 0; dx < 4; ++dx) {
                    const auto c = picture.at(4 * x + dx, 4 * y + dy);
                    r += c.r, g += c.g, b += c.b;
                }
            small.set(x, y, {uint8_t(r / 16), uint8_t(g / 16), uint8_t(b / 16)});
        }
    test::write_file(dir / "photos" / "original.jpg", sample::encode_jpeg(picture, 95));
    test::write_file(dir / "photos" / "small.jpg", sample::encode_jpeg(small, 75));
    test::write_file(dir / "photos" / "other.jpg", sample::encode_jpeg(sample::make_marked_scene(1200, 800, 4), 95));
    const auto log = dir.path() / "status.log";
    auto started = start_app(dir, *screen);
    test::ChildProcess& app = *started;
    REQUIRE(wait_scan_finished(dir / "runtime", 3));
    std::string text;
    const bool painted = wait_log(log, "grid: 3 cells, 3 thumbnails", 20s, 0, &text).has_value();
    INFO("status log:\n" << text << "\napp stderr: " << app.err());
    REQUIRE(painted);

    REQUIRE(focus_window(*screen, "^Lightbox - library$"));
    REQUIRE(xdotool(*screen, {"key", "--delay", "50", "ctrl+d"}).exit_code == 0);
    CHECK(wait_log(log, "view: similar", 10s));
    const std::string photos = (dir / "photos").string();
    // One group: the original (most pixels, kept) first, its resized copy; the unrelated photo in none.
    const std::string group = "similar: 1 group: 2 photos, 2 files; group 1: " + photos + "/original.jpg \\(keep\\), " + photos +
                              "/small.jpg; thumbnails 2/2";
    const auto shown = wait_log(log, group, 20s, 0, &text);
    INFO("status log:\n" << text);
    CHECK(shown);
    CHECK(read_text(log).find("other.jpg") == std::string::npos);
    // The two thumbnails reach the X server some time after the log line: wait for both red corner
    // markers of the generated picture (make_marked_scene: a fifth of each side, at 128 pixels about
    // 25 x 17 each); the grid is not on screen, so no other red is there.
    const auto red_pixels = [](const test::Screenshot& s) {
        int n = 0;
        for (int y = 0; y < s.height; ++y)
            for (int x = 0; x < s.width; ++x) {
                const uint32_t p = s.pixel(x, y);
                n += (p >> 16) > 200 && ((p >> 8) & 0xFF) < 60 && (p & 0xFF) < 60;
            }
        return n;
    };
    const auto shot = wait_screen(*screen, kArtifacts / "similar.png", [&](const test::Screenshot& s) { return red_pixels(s) > 600; });
    REQUIRE(shot);
    CHECK(red_pixels(*shot) > 600);
    CHECK(test::luminance_variance(*shot) > 100);
}

TEST_CASE("timeline: a click on a year beside the grid scrolls the grid to that year's first photo", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    std::filesystem::create_directories(dir / "photos");
    // 48 photos of 2018, then 12 of 2019: more than a screen of cells before 2019 starts.
    for (int i = 0; i < 60; ++i) {
        sample::ExifSpec spec;
        char date[32];
        std::snprintf(date, sizeof date, "%d:%02d:10 12:00:00", i < 48 ? 2018 : 2019, i < 48 ? 1 + i / 8 : 3);
        spec.date_time_original = date;
        char name[32];
        std::snprintf(name, sizeof name, "dated-%02d.jpg", i);
        test::write_file(dir / "photos" / name, sample::with_exif(sample::encode_jpeg(sample::make_scene(320, 240, static_cast<uint32_t>(i + 1))), spec));
    }
    const auto runtime = dir.path() / "runtime";
    const auto log = dir.path() / "status.log";
    auto started = start_app(dir, *screen);
    test::ChildProcess& app = *started;
    REQUIRE(wait_scan_finished(runtime, 60));
    std::string text;
    const auto year = wait_log(log, "timeline: 2018 at \\d+,\\d+; 2019 at (\\d+),\\d+", 30s, 0, &text);
    INFO("status log:\n" << text << "\napp stderr: " << app.err());
    REQUIRE(year);
    const auto at = last_position(log, "timeline: 2018 at \\d+,\\d+; 2019 at (\\d+),(\\d+)");
    REQUIRE(at);
    const std::size_t before = read_text(log).size();
    REQUIRE(click_at(*screen, std::stoi(at->first), std::stoi(at->second)).exit_code == 0);
    // 2019 starts at the 49th photo: its row is at the top (the first visible index is that row's start).
    const auto first = wait_log(log, "grid: first visible (4[0-8])\\b", 10s, before, &text);
    INFO("status log after the click:\n" << text);
    CHECK(first);
    CHECK(screen_shows(*screen, kArtifacts / "timeline.png", [](const test::Screenshot& s) { return test::luminance_variance(s) > 100; }));
    app.send_signal(SIGTERM);
    app.wait(20s);
}

TEST_CASE("the failures window opens with Ctrl+Shift+F, shows the whole reason of the chosen file, and Esc closes it", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    const auto log = dir.path() / "status.log";
    auto started = start_main_gallery(dir, *screen);
    test::ChildProcess& app = *started;
    REQUIRE(focus_window(*screen, "^Lightbox - library$"));
    REQUIRE(xdotool(*screen, {"key", "ctrl+shift+f"}).exit_code == 0);
    const auto window_open = [&] {
        return xdotool(*screen, {"search", "--onlyvisible", "--name", "^Lightbox - Files that failed"}).exit_code == 0;
    };
    bool opened = false;
    for (int i = 0; i < 100 && !(opened = window_open()); ++i) std::this_thread::sleep_for(100ms);
    REQUIRE(opened);
    REQUIRE(focus_window(*screen, "^Lightbox - Files that failed"));
    REQUIRE(xdotool(*screen, {"key", "Down"}).exit_code == 0);  // the first file chosen: its reason below
    CHECK(screen_shows(*screen, kArtifacts / "failures-window.png", [](const test::Screenshot& s) { return test::luminance_variance(s) > 100; }));
    REQUIRE(xdotool(*screen, {"key", "Escape"}).exit_code == 0);
    bool closed = false;
    for (int i = 0; i < 100 && !(closed = !window_open()); ++i) std::this_thread::sleep_for(100ms);
    CHECK(closed);
    app.send_signal(SIGTERM);
    CHECK(app.wait(10s).exit_code != -1);
}

TEST_CASE("date headings over each month, and Library > Folders lists two folders, removes one after its confirmation, the grid then shows the other's photos", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    constexpr uint32_t kHeadingRule = 0x7a5cc8;  // shell/views/bitmaps.hpp
    test::TempDir dir;
    const auto trip = dir.path() / "trip", garden = dir.path() / "garden";
    // trip: three photos of June 2019; garden: two of July 2019 and one without a date.
    const auto write_photo = [](const std::filesystem::path& file, const char* date, uint32_t seed) {
        std::filesystem::create_directories(file.parent_path());
        auto jpeg = sample::encode_jpeg(sample::make_scene(320, 240, seed));
        if (date) {
            sample::ExifSpec spec;
            spec.date_time_original = date;
            jpeg = sample::with_exif(jpeg, spec);
        }
        test::write_file(file, jpeg);
    };
    for (int i = 0; i < 3; ++i) write_photo(trip / ("trip-" + std::to_string(i) + ".jpg"), "2019:06:10 12:00:00", 10 + i);
    write_photo(garden / "garden-0.jpg", "2019:07:02 09:00:00", 20);
    write_photo(garden / "garden-1.jpg", "2019:07:03 09:00:00", 21);
    write_photo(garden / "garden-undated.jpg", nullptr, 22);
    const auto runtime = dir.path() / "runtime";
    const auto log = dir.path() / "status.log";
    test::ChildProcess app({LIGHTBOX_TEST_SHELL_EXE, "--runtime-dir", runtime.string(), "--catalog", (dir / "library.lbx").string(),
                            trip.string(), garden.string()},
                           app_env(dir, *screen));
    REQUIRE(wait_scan_finished(runtime, 6));
    std::string text;
    const bool painted = wait_log(log, "grid: 6 cells, 6 thumbnails", 30s, 0, &text).has_value();
    INFO("status log:\n" << text << "\napp stderr: " << app.err());
    REQUIRE(painted);

    // Sorted by date taken (the default): June's heading, its row, July's, its row, "No date" last.
    CHECK(wait_log(log, "grid: heading June 2019 at row 0\n", 20s));
    CHECK(wait_log(log, "grid: heading July 2019 at row 2\n", 20s));
    CHECK(wait_log(log, "grid: heading No date at row 4\n", 20s));
    // On the screen: each heading's rule above its own photos (a month starts a row of its own).
    // A heading's rule: a line of its colour, 2 pixels high and wider than a cell (frame_corners wants
    // 20 pixels down); the left end of its top line.
    const auto heading_rules = [&](const test::Screenshot& s) {
        std::vector<std::pair<int, int>> rules;
        for (int y = 1; y < s.height; ++y) {
            for (int x = 1; x + 200 < s.width; ++x) {
                if (s.pixel(x, y) == kHeadingRule && s.pixel(x - 1, y) != kHeadingRule && s.pixel(x, y - 1) != kHeadingRule &&
                    s.pixel(x + 200, y) == kHeadingRule)
                    rules.emplace_back(x, y);
            }
        }
        return rules;
    };
    const auto cells_under_headings = [&](const test::Screenshot& s) {
        auto rules = heading_rules(s);
        std::vector<int> per_heading(rules.size(), 0);
        for (const auto& cell : cell_corners(s)) {
            int under = -1;
            for (std::size_t i = 0; i < rules.size(); ++i)
                if (rules[i].second < cell.second) under = static_cast<int>(i);
            if (under < 0) return std::vector<int>{};  // a cell above every heading
            ++per_heading[static_cast<std::size_t>(under)];
        }
        return per_heading;
    };
    CHECK(screen_shows(*screen, kArtifacts / "grid-headings.png",
                       [&](const test::Screenshot& s) { return cells_under_headings(s) == std::vector<int>{3, 2, 1}; }));

    // Library > Folders (Ctrl+Shift+O): both folders with their photos.
    REQUIRE(focus_window(*screen, "^Lightbox - library$"));
    REQUIRE(xdotool(*screen, {"key", "ctrl+shift+o"}).exit_code == 0);
    const auto window_open = [&] {
        return xdotool(*screen, {"search", "--onlyvisible", "--name", "^Lightbox - Library folders"}).exit_code == 0;
    };
    bool opened = false;
    for (int i = 0; i < 100 && !(opened = window_open()); ++i) std::this_thread::sleep_for(100ms);
    REQUIRE(opened);
    // The window's list, as it logs it (paths taken literally in the pattern).
    const auto folders_line = [](const std::string& line) {
        return std::regex_replace("folders: " + line + "\n", std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
    };
    CHECK(wait_log(log, folders_line(garden.string() + " 3 photos; " + trip.string() + " 3 photos"), 10s));
    test::take_screenshot(*screen, kArtifacts / "folders-window.png");

    // The first folder (garden) is chosen; Down chooses trip, Up garden again; Delete asks, and the
    // dialog's other button removes it from the library.
    const auto chosen_line = [](const std::filesystem::path& folder) {
        return std::regex_replace("folders: chosen " + folder.string() + "\n", std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
    };
    CHECK(wait_log(log, chosen_line(garden), 10s));
    REQUIRE(focus_window(*screen, "^Lightbox - Library folders"));
    REQUIRE(xdotool(*screen, {"key", "Down"}).exit_code == 0);
    CHECK(wait_log(log, chosen_line(trip), 10s));
    const std::size_t before_up = read_text(log).size();
    REQUIRE(xdotool(*screen, {"key", "Up"}).exit_code == 0);
    const bool garden_again = wait_log(log, chosen_line(garden), 10s, before_up).has_value();
    REQUIRE(garden_again);
    REQUIRE(xdotool(*screen, {"key", "Delete"}).exit_code == 0);
    REQUIRE(xdotool(*screen, {"search", "--sync", "--onlyvisible", "--name", "Remove folder from library"}).exit_code == 0);
    test::take_screenshot(*screen, kArtifacts / "folders-remove-confirmation.png");
    REQUIRE(focus_window(*screen, "Remove folder from library"));
    REQUIRE(xdotool(*screen, {"key", "--delay", "100", "Tab", "Return"}).exit_code == 0);
    long photos = -1;
    for (int i = 0; i < 100 && (photos = library_photos(runtime)) != 3; ++i) std::this_thread::sleep_for(100ms);
    CHECK(photos == 3);
    CHECK(wait_log(log, folders_line(trip.string() + " 3 photos"), 10s));
    CHECK(wait_log(log, "grid: 3 cells, 3 thumbnails", 10s));
    test::take_screenshot(*screen, kArtifacts / "folders-window-after-remove.png");

    // Esc closes the window (it covers the grid: no window manager places it).
    REQUIRE(focus_window(*screen, "^Lightbox - Library folders"));
    REQUIRE(xdotool(*screen, {"key", "Escape"}).exit_code == 0);
    bool closed = false;
    for (int i = 0; i < 100 && !(closed = !window_open()); ++i) std::this_thread::sleep_for(100ms);
    CHECK(closed);
    // The grid shows trip's photos alone, under June's heading; garden's files are still on disk.
    CHECK(screen_shows(*screen, kArtifacts / "folders-after-remove.png",
                       [&](const test::Screenshot& s) { return cells_under_headings(s) == std::vector<int>{3}; }));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(garden)) ++files;
    CHECK(files == 3);
    {
        auto endpoints = ipc::read_endpoints_file(ipc::endpoints_file(runtime));
        REQUIRE(endpoints);
        zmq::context_t context;
        ipc::Client client(context, ipc::ClientOptions{endpoints->commands, "", 1000ms, 0});
        auto info = client.call(ipc::LibraryInfo{});
        REQUIRE(info);
        CHECK(info->roots == std::vector<std::string>{trip.string()});  // a rescan does not walk garden again
    }

    app.send_signal(SIGTERM);
    app.wait(20s);
}

namespace {

// Where the reddish and the greenish pixels of a screenshot lie on average (x, y), and how many there are:
// the photo of the rotation test is red above green, upright.
struct ColourCentres {
    double red_x = 0, red_y = 0, green_x = 0, green_y = 0;
    long red = 0, green = 0;
};

ColourCentres colour_centres(const test::Screenshot& shot) {
    ColourCentres c;
    for (int y = 0; y < shot.height; ++y) {
        for (int x = 0; x < shot.width; ++x) {
            const uint32_t p = shot.pixel(x, y);
            const int r = static_cast<int>(p >> 16), g = static_cast<int>((p >> 8) & 0xff), b = static_cast<int>(p & 0xff);
            if (r > 180 && g < 80 && b < 80) {
                c.red_x += x;
                c.red_y += y;
                ++c.red;
            } else if (g > 150 && r < 80 && b < 80) {
                c.green_x += x;
                c.green_y += y;
                ++c.green;
            }
        }
    }
    if (c.red > 0) c.red_x /= c.red, c.red_y /= c.red;
    if (c.green > 0) c.green_x /= c.green, c.green_y /= c.green;
    return c;
}

// The photo drawn upright (red above green) or turned a quarter clockwise (red right of green).
bool shows_upright(const test::Screenshot& shot) {
    const ColourCentres c = colour_centres(shot);
    return c.red > 2000 && c.green > 2000 && c.red_y + 40 < c.green_y && std::abs(c.red_x - c.green_x) < 20;
}
bool shows_turned_right(const test::Screenshot& shot) {
    const ColourCentres c = colour_centres(shot);
    return c.red > 2000 && c.green > 2000 && c.red_x > c.green_x + 40 && std::abs(c.red_y - c.green_y) < 20;
}

// The last first group of `pattern` in the status log, after `from` characters.
std::optional<std::string> last_match(const std::filesystem::path& log, const std::string& pattern, std::size_t from) {
    const std::string text = read_text(log);
    const std::string tail = text.size() > from ? text.substr(from) : std::string();
    const std::regex re(pattern);
    std::optional<std::string> found;
    for (auto it = std::sregex_iterator(tail.begin(), tail.end(), re); it != std::sregex_iterator(); ++it) found = (*it)[1].str();
    return found;
}

}  // namespace

TEST_CASE("the photo view removes an automatic tag for good and rotates the photo: a rescan that reads the file again and a restart keep both", "[gui]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    test::TempDir dir;
    std::filesystem::create_directories(dir / "photos");
    sample::RgbImage halves(640, 480, {0, 200, 0});
    halves.fill_rect(0, 0, 640, 240, {230, 20, 20});
    const auto file = dir / "photos" / "halves.jpg";
    test::write_file(file, sample::encode_jpeg(halves));  // 640 x 480: the rule tag "landscape"
    const auto log = dir.path() / "status.log";
    const auto runtime = dir.path() / "runtime";
    auto started = start_app(dir, *screen, {"--open-first"});
    REQUIRE(wait_scan_finished(runtime, 1));
    std::string text;
    const bool listed = wait_log(log, "photo view: tags: [^\n]*landscape", 20s, 0, &text).has_value();
    INFO("status log:\n" << text << "\napp stderr: " << started->err());
    REQUIRE(listed);
    REQUIRE(wait_log(log, "photo view: rotation 0\xc2\xb0", 10s));
    REQUIRE(screen_shows(*screen, kArtifacts / "photo-view-upright.png", shows_upright));

    // ] turns it a quarter to the right, at once and in the library.
    REQUIRE(focus_window(*screen, "^Lightbox - library$"));
    std::size_t from = read_text(log).size();
    REQUIRE(xdotool(*screen, {"key", "bracketright"}).exit_code == 0);
    REQUIRE(wait_log(log, "photo view: rotation 90\xc2\xb0", 10s, from));
    CHECK(screen_shows(*screen, kArtifacts / "photo-view-rotated.png", shows_turned_right));

    // A click on the tag list, Down to "landscape", a click on Remove.
    REQUIRE(wait_log(log, "photo view: remove tag at \\d+,\\d+; tags at \\d+,\\d+", 10s));
    std::this_thread::sleep_for(500ms);  // the layout settles
    const auto tags_at = last_position(log, "photo view: remove tag at \\d+,\\d+; tags at (\\d+),(\\d+)");
    const auto remove_at = last_position(log, "photo view: remove tag at (\\d+),(\\d+)");
    REQUIRE(tags_at);
    REQUIRE(remove_at);
    from = read_text(log).size();
    REQUIRE(click_at(*screen, std::stoi(tags_at->first), std::stoi(tags_at->second)).exit_code == 0);
    REQUIRE(wait_log(log, "photo view: tag chosen: ", 10s, from));
    for (int i = 0; i < 40 && last_match(log, "photo view: tag chosen: ([^\n]*)", from) != "landscape"; ++i) {
        const std::size_t before = read_text(log).size();
        REQUIRE(xdotool(*screen, {"key", "Down"}).exit_code == 0);
        if (!wait_log(log, "photo view: tag chosen: ", 5s, before)) break;  // the last row
    }
    REQUIRE(last_match(log, "photo view: tag chosen: ([^\n]*)", from) == "landscape");
    from = read_text(log).size();
    REQUIRE(click_at(*screen, std::stoi(remove_at->first), std::stoi(remove_at->second)).exit_code == 0);
    CHECK(wait_log(log, "message: removed tag 'landscape' from halves\\.jpg; it will not be added again", 10s, from));
    CHECK(wait_log(log, "photo view: tags: (?:(?!landscape)[^\n;])*; rejected: landscape\n", 10s, from));
    test::take_screenshot(*screen, kArtifacts / "photo-view-tag-rejected.png");

    // The file changes on disk (its time): Ctrl+R rescans and reads it again; the tag stays away.
    auto endpoints = ipc::read_endpoints_file(ipc::endpoints_file(runtime));
    REQUIRE(endpoints);
    zmq::context_t context;
    ipc::Client client(context, ipc::ClientOptions{endpoints->commands, "", 3000ms, 1});
    const auto jobs_before = client.call(ipc::ListJobs{});
    REQUIRE(jobs_before);
    const auto mtime_in_catalog = [&] {
        auto catalog = engine::catalog::Catalog::open_read_only(dir / "library.lbx");
        REQUIRE(catalog);
        auto states = (*catalog)->file_states();
        REQUIRE(states);
        return states->at(file.string()).mtime_ns;
    };
    const int64_t mtime_before = mtime_in_catalog();
    std::filesystem::last_write_time(file, std::filesystem::last_write_time(file) + 10s);
    REQUIRE(focus_window(*screen, "^Lightbox - library$"));
    REQUIRE(xdotool(*screen, {"key", "ctrl+r"}).exit_code == 0);
    // Ids grow, and the engine keeps only the last finished jobs: the rescan is a job of a larger id.
    uint64_t last_id = 0;
    for (const auto& j : jobs_before->jobs) last_id = std::max(last_id, j.progress.job_id);
    bool rescanned = false;
    for (int i = 0; i < 300 && !rescanned; ++i) {
        auto jobs = client.call(ipc::ListJobs{});
        rescanned = jobs &&
                    std::any_of(jobs->jobs.begin(), jobs->jobs.end(), [&](const ipc::JobSnapshot& j) { return j.progress.job_id > last_id; }) &&
                    std::all_of(jobs->jobs.begin(), jobs->jobs.end(), [](const ipc::JobSnapshot& j) { return ipc::is_final(j.progress.state); });
        if (!rescanned) std::this_thread::sleep_for(100ms);
    }
    INFO("status log now:\n" << read_text(log));
    REQUIRE(rescanned);
    CHECK(mtime_in_catalog() != mtime_before);  // the rescan read the file and wrote its tags again
    auto ids = client.call(ipc::Query{"", ipc::QuerySort::path, false, 0, 0});
    REQUIRE(ids);
    REQUIRE(ids->photos.size() == 1);
    CHECK(ids->photos[0].rotation == 1);
    auto photo = client.call(ipc::GetPhoto{ids->photos[0].id});
    REQUIRE(photo);
    CHECK(photo->photo.rotation == 1);
    CHECK(photo->photo.rejected_tags == std::vector<std::string>{"landscape"});
    CHECK_FALSE(std::any_of(photo->photo.tags.begin(), photo->photo.tags.end(), [](const ipc::PhotoTag& t) { return t.name == "landscape"; }));
    CHECK(client.call(ipc::Query{"tag:landscape", ipc::QuerySort::path, false, 0, 0})->total == 0);

    // Esc: the grid's cell is turned too.
    from = read_text(log).size();
    REQUIRE(focus_window(*screen, "^Lightbox - library$"));
    REQUIRE(xdotool(*screen, {"key", "Escape"}).exit_code == 0);
    REQUIRE(wait_log(log, "view: grid", 10s, from));
    CHECK(screen_shows(*screen, kArtifacts / "grid-rotated.png", shows_turned_right));
    started->send_signal(SIGTERM);
    CHECK(started->wait(30s).exit_code != -1);

    // Started again on the same library: the photo opens turned, without the tag.
    from = read_text(log).size();
    auto again = start_app(dir, *screen, {"--open-first"});
    CHECK(wait_log(log, "photo view: rotation 90\xc2\xb0", 60s, from));
    CHECK(wait_log(log, "photo view: tags: (?:(?!landscape)[^\n;])*; rejected: landscape\n", 30s, from));
    CHECK(screen_shows(*screen, kArtifacts / "photo-view-rotated-restart.png", shows_turned_right));
    again->send_signal(SIGTERM);
    CHECK(again->wait(30s).exit_code != -1);
}

TEST_CASE("on a PostgreSQL library the app shows the photos another engine adds to it", "[gui][postgres]") {
    auto screen = test::VirtualScreen::start();
    if (!screen) {
        WARN("Xvfb or ImageMagick not found: GUI test skipped");
        return;
    }
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    const std::string uri = server->create_database();
    test::TempDir dir;
    write_distinct_photos(dir / "photos", 3, 800, 600);
    // Other pictures (photos are keyed by content), in a folder this app never scans.
    write_other_photos(dir / "theirs", "theirs", 5, 100);
    const auto runtime = dir.path() / "runtime";
    const auto log = dir.path() / "status.log";
    auto started = start_app(dir, *screen, {}, uri);
    test::ChildProcess& app = *started;
    REQUIRE(wait_scan_finished(runtime, 3));
    REQUIRE(wait_log(log, "photos: 3 photos", 20s));
    // Another engine (another machine's, as far as the app's engine knows) scans into the same library.
    auto other = test::run_engine({"run", "--no-progress", "--analysis", "off", "--catalog", uri, (dir / "theirs").string()});
    INFO(other.err);
    REQUIRE(other.exit_code == 0);
    std::string text;
    const bool shown = wait_log(log, "photos: 8 photos", 30s, 0, &text).has_value();
    INFO("status log:\n" << text);
    CHECK(shown);
    CHECK(screen_shows(*screen, kArtifacts / "postgres-other-engine.png",
                       [](const test::Screenshot& s) { return cell_corners(s).size() == 8; }));
    app.send_signal(SIGTERM);
    app.wait(20s);
}

TEST_CASE("File > Open Library (Ctrl+L): a URI typed into the dialog switches the app to a PostgreSQL library, one with a password is refused", "[gui][postgres]") {
    auto screen = test::VirtualScreen::start();
    if (!screen || test::find_program("xdotool").empty()) {
        WARN("Xvfb, ImageMagick or xdotool not found: GUI test skipped");
        return;
    }
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    const std::string uri = server->create_database();
    test::TempDir dir;
    write_distinct_photos(dir / "photos", 3, 800, 600);
    // The shared library already holds five other photos, scanned by another engine.
    write_other_photos(dir / "shared", "shared", 5, 200);
    auto filled = test::run_engine({"run", "--no-progress", "--analysis", "off", "--catalog", uri, (dir / "shared").string()});
    INFO(filled.err);
    REQUIRE(filled.exit_code == 0);

    const auto runtime = dir.path() / "runtime";
    const auto log = dir.path() / "status.log";
    auto started = start_app(dir, *screen);  // on its own file library first
    test::ChildProcess& app = *started;
    REQUIRE(wait_scan_finished(runtime, 3));
    REQUIRE(wait_log(log, "photos: 3 photos", 20s));

    const auto open_library = [&](const std::string& typed) {
        REQUIRE(focus_window(*screen, "^Lightbox - "));
        REQUIRE(xdotool(*screen, {"key", "ctrl+l"}).exit_code == 0);
        REQUIRE(xdotool(*screen, {"search", "--sync", "--onlyvisible", "--name", "^Open Library$"}).exit_code == 0);
        REQUIRE(focus_window(*screen, "^Open Library$"));
        REQUIRE(xdotool(*screen, {"key", "ctrl+a", "BackSpace"}).exit_code == 0);
        REQUIRE(xdotool(*screen, {"type", "--delay", "20", typed}).exit_code == 0);
        test::take_screenshot(*screen, kArtifacts / "open-library-typed.png");
        REQUIRE(xdotool(*screen, {"key", "Return"}).exit_code == 0);
    };

    // A password in the URI: refused in the status bar, the library stays.
    std::size_t from = read_text(log).size();
    open_library("postgresql://anna:secret@localhost/photos");
    std::string text;
    const bool refused = wait_log(log, "message: .*~/\\.pgpass", 20s, from, &text).has_value();
    INFO("status log:\n" << text);
    CHECK(refused);
    CHECK(text.find("secret") == std::string::npos);

    from = read_text(log).size();
    open_library(uri);
    const bool switched = wait_log(log, "photos: 5 photos", 30s, from, &text).has_value() &&
                          wait_log(log, "message: Library test_\\d+ opened", 10s, from, &text).has_value();
    INFO("status log:\n" << text << "\napp stderr: " << app.err());
    CHECK(switched);
    CHECK(screen_shows(*screen, kArtifacts / "open-library-postgres.png",
                       [](const test::Screenshot& s) { return cell_corners(s).size() == 5; }));
    // The engine serves it, and the window says which (postgresql:///test_N?host=...: its database).
    CHECK(library_photos(runtime) == 5);
    const std::string database = uri.substr(std::string("postgresql:///").size(), uri.find('?') - std::string("postgresql:///").size());
    CHECK(xdotool(*screen, {"search", "--onlyvisible", "--name", "^Lightbox - " + database + "$"}).exit_code == 0);
    app.send_signal(SIGTERM);
    app.wait(20s);
}
