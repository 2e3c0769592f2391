// The photo view's zoom steps (mouse wheel, + and -): pure arithmetic, no wx.
#pragma once

#include <optional>
#include <string>

namespace lbx::shell {

// The largest scale the photo view zooms to (800 %): beyond it one pixel of the photo is a block.
inline constexpr double kMaxZoom = 8.0;

// The scale `steps` zoom steps from `current` (none: the photo fits the window at `fit`). Steps are the
// usual ones of image viewers (25 %, 33 %, 50 %, 67 %, 100 %, 150 %, 200 %, 300 %, 400 %, 800 %); going
// below the fitting scale fits the window again (none), so that zooming out always ends on the whole
// photo. `fit` is the scale at which the whole photo shows (at most 1: small photos are not enlarged).
std::optional<double> zoom_step(std::optional<double> current, double fit, int steps);

// "Fit", "100 %", "150 %": what the zoom button says.
std::string zoom_label_of(std::optional<double> zoom);

}  // namespace lbx::shell
