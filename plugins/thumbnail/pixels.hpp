// RGB8 pixel buffers shared by the thumbnail stage's parts: a borrowed view (the host's image, or a
// buffer made here) and an owned, tightly packed buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace lbx::plugins::thumbnail {

// Rows of `width` RGB8 pixels, `stride` bytes apart. Borrowed: the owner keeps the pixels alive.
struct RgbView {
    const uint8_t* pixels = nullptr;
    uint32_t width = 0;
    uint32_t height = 0;
    std::size_t stride = 0;

    const uint8_t* row(uint32_t y) const { return pixels + static_cast<std::size_t>(y) * stride; }
    uint32_t long_edge() const { return width > height ? width : height; }
};

// An owned RGB8 image, rows packed (stride = 3 * width). The pixels are left uninitialised on
// construction: every producer here writes each one.
class RgbBuffer {
public:
    RgbBuffer() = default;
    RgbBuffer(uint32_t width, uint32_t height)
        : width_(width),
          height_(height),
          pixels_(std::make_unique_for_overwrite<uint8_t[]>(static_cast<std::size_t>(width) * height * 3)) {}

    uint32_t width() const { return width_; }
    uint32_t height() const { return height_; }
    std::size_t stride() const { return static_cast<std::size_t>(width_) * 3; }
    uint8_t* row(uint32_t y) { return pixels_.get() + static_cast<std::size_t>(y) * stride(); }
    const uint8_t* row(uint32_t y) const { return pixels_.get() + static_cast<std::size_t>(y) * stride(); }
    RgbView view() const { return RgbView{pixels_.get(), width_, height_, stride()}; }

private:
    uint32_t width_ = 0;
    uint32_t height_ = 0;
    std::unique_ptr<uint8_t[]> pixels_;
};

}  // namespace lbx::plugins::thumbnail
