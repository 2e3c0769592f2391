#include "model/zoom.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace lbx::shell {
namespace {

constexpr std::array kSteps{0.25, 1.0 / 3, 0.5, 2.0 / 3, 1.0, 1.5, 2.0, 3.0, 4.0, kMaxZoom};
// Scales this close count as equal: a fitting scale of 0.4999 is not a step below 50 %.
constexpr double kSame = 1e-3;

}  // namespace

std::optional<double> zoom_step(std::optional<double> current, double fit, int steps) {
    double scale = current.value_or(fit);
    for (; steps > 0; --steps) {
        const auto next = std::find_if(kSteps.begin(), kSteps.end(), [&](double s) { return s > scale * (1 + kSame); });
        scale = next == kSteps.end() ? kMaxZoom : *next;
    }
    for (; steps < 0; ++steps) {
        const auto next = std::find_if(kSteps.rbegin(), kSteps.rend(), [&](double s) { return s < scale * (1 - kSame); });
        scale = next == kSteps.rend() ? kSteps.front() : *next;
    }
    // At or below the whole photo: fit (the window may change size later; the fit follows it).
    if (scale <= fit * (1 + kSame)) return std::nullopt;
    return scale;
}

std::string zoom_label_of(std::optional<double> zoom) {
    if (!zoom) return "Fit";
    char label[16];
    std::snprintf(label, sizeof label, "%.0f %%", *zoom * 100);
    return label;
}

}  // namespace lbx::shell
