// The host's decoded pixels as an OpenCV image turned upright (EXIF orientation applied): detectors find
// people standing, not lying, and every region is reported in upright coordinates (plugin API 1.2).
#pragma once

#include <lightbox/plugin.hpp>

#include <opencv2/core.hpp>

namespace lbx::plugins::vision {

// An RGB (CV_8UC3) image; it shares the host's pixels when orientation is 1, so it is valid during the
// stage call only.
cv::Mat upright_rgb(const sdk::ImageView& image, uint32_t orientation);

}  // namespace lbx::plugins::vision
