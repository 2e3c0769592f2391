// A virtual X server for GUI tests (Xvfb on a free display, killed at the end) and screenshots of it
// (ImageMagick `import -window root`, read back as raw RGB with `convert`).
#pragma once

#include "support/child_process.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lbx::test {

class VirtualScreen {
public:
    // Nothing when Xvfb (or ImageMagick) is missing: the caller skips with a WARN.
    static std::unique_ptr<VirtualScreen> start(int width = 1280, int height = 800);
    std::string display() const { return ":" + std::to_string(number_); }
    std::string env() const { return "DISPLAY=" + display(); }
    ~VirtualScreen();

    VirtualScreen(int number, std::unique_ptr<ChildProcess> server) : number_(number), server_(std::move(server)) {}

private:
    int number_;
    std::unique_ptr<ChildProcess> server_;
};

struct Screenshot {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgb;
    uint32_t pixel(int x, int y) const {
        const std::size_t i = (static_cast<std::size_t>(y) * width + x) * 3;
        return (uint32_t{rgb[i]} << 16) | (uint32_t{rgb[i + 1]} << 8) | rgb[i + 2];
    }
};

// Takes a PNG of the whole screen into `png` and reads it back.
std::optional<Screenshot> take_screenshot(const VirtualScreen& screen, const std::filesystem::path& png);
double luminance_variance(const Screenshot& shot);
// Rectangles drawn with exactly `colour` (0xRRGGBB): their top-left corners (a pixel of the colour whose
// left and upper neighbours are not).
int count_frames(const Screenshot& shot, uint32_t colour);
// Their top-left corners, top to bottom, then left to right.
std::vector<std::pair<int, int>> frame_corners(const Screenshot& shot, uint32_t colour);
bool have_program(const std::string& name);
std::string find_program(const std::string& name);  // the path in $PATH, or empty

}  // namespace lbx::test
