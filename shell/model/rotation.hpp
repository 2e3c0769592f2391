// The user's rotation of a photo (protocol 8: PhotoInfo.rotation, PhotoSummary.rotation), kept by the
// engine in the library, applied by the views as they draw: the engine's thumbnails and boxes stay as
// the file's EXIF orientation made them (upright), and the views turn them by clockwise quarter turns.
// Pure geometry, no wx.
#pragma once

#include <lightbox/ipc/photo_info.hpp>

#include <cstdint>
#include <string>
#include <utility>

namespace lbx::shell {

// `turns` as 0..3 (any number of quarter turns, negative ones counter-clockwise).
uint32_t normal_turns(int64_t turns);

// A width and height as they are drawn after `turns` quarter turns: swapped when odd.
std::pair<double, double> turned_size(double width, double height, uint32_t turns);

// A box of the upright photo (fractions, PhotoRegion) where it lies in the photo turned clockwise `turns`
// times: one clockwise turn takes the point (x, y) to (1 - y, x).
ipc::PhotoRegion turned_region(const ipc::PhotoRegion& region, uint32_t turns);

// "0°", "90°", "180°", "270°": the photo view's log line and tooltips.
std::string rotation_label(uint32_t turns);

}  // namespace lbx::shell
