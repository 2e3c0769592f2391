#include "screen.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <unistd.h>

namespace lbx::test {

std::string find_program(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    for (std::size_t start = 0; start <= dirs.size();) {
        const std::size_t end = dirs.find(':', start) == std::string::npos ? dirs.size() : dirs.find(':', start);
        const std::string candidate = dirs.substr(start, end - start) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        start = end + 1;
    }
    return {};
}

bool have_program(const std::string& name) { return !find_program(name).empty(); }

std::unique_ptr<VirtualScreen> VirtualScreen::start(int width, int height) {
    if (!have_program("Xvfb") || !have_program("import") || !have_program("convert")) return nullptr;
    // A display number no one uses: its lock file is absent.
    // A few tries: a display taken between the check and Xvfb's start makes that Xvfb exit.
    for (int n = 90 + static_cast<int>(::getpid() % 50), tries = 0; tries < 5; ++n, ++tries) {
        if (std::filesystem::exists("/tmp/.X" + std::to_string(n) + "-lock")) continue;
        auto server = std::make_unique<ChildProcess>(std::vector<std::string>{
            find_program("Xvfb"), ":" + std::to_string(n), "-screen", "0", std::to_string(width) + "x" + std::to_string(height) + "x24", "-nolisten", "tcp"});
        const std::string socket = "/tmp/.X11-unix/X" + std::to_string(n);
        for (int i = 0; i < 100 && !std::filesystem::exists(socket); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (std::filesystem::exists(socket)) return std::make_unique<VirtualScreen>(n, std::move(server));
    }
    return nullptr;
}

VirtualScreen::~VirtualScreen() {
    server_->send_signal(SIGTERM);
    server_->wait(std::chrono::seconds(5));
}

std::optional<Screenshot> take_screenshot(const VirtualScreen& screen, const std::filesystem::path& png) {
    std::filesystem::create_directories(png.parent_path());
    auto shot = run_process({find_program("import"), "-window", "root", png.string()}, {screen.env()});
    if (shot.exit_code != 0) return std::nullopt;
    auto size = run_process({find_program("identify"), "-format", "%w %h", png.string()});
    auto raw = run_process({find_program("convert"), png.string(), "-depth", "8", "rgb:-"});
    Screenshot s;
    if (std::sscanf(size.out.c_str(), "%d %d", &s.width, &s.height) != 2) return std::nullopt;
    s.rgb.assign(raw.out.begin(), raw.out.end());
    if (s.rgb.size() != static_cast<std::size_t>(s.width) * s.height * 3) return std::nullopt;
    return s;
}

double luminance_variance(const Screenshot& shot) {
    double sum = 0, sum2 = 0;
    const std::size_t n = shot.rgb.size() / 3;
    for (std::size_t i = 0; i < n; ++i) {
        const double y = 0.299 * shot.rgb[3 * i] + 0.587 * shot.rgb[3 * i + 1] + 0.114 * shot.rgb[3 * i + 2];
        sum += y;
        sum2 += y * y;
    }
    const double mean = sum / n;
    return sum2 / n - mean * mean;
}

std::vector<std::pair<int, int>> frame_corners(const Screenshot& shot, uint32_t colour) {
    std::vector<std::pair<int, int>> corners;
    for (int y = 0; y < shot.height; ++y) {
        for (int x = 0; x < shot.width; ++x) {
            if (shot.pixel(x, y) != colour) continue;
            const bool left = x > 0 && shot.pixel(x - 1, y) == colour;
            const bool up = y > 0 && shot.pixel(x, y - 1) == colour;
            // A corner with a frame's edges going right and down, at least 20 pixels each.
            if (left || up || x + 20 >= shot.width || y + 20 >= shot.height) continue;
            if (shot.pixel(x + 20, y) == colour && shot.pixel(x, y + 20) == colour) corners.emplace_back(x, y);
        }
    }
    return corners;
}

int count_frames(const Screenshot& shot, uint32_t colour) { return static_cast<int>(frame_corners(shot, colour).size()); }

}  // namespace lbx::test
