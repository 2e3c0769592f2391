// CenterNet (MobileNetV3 backbone, COCO-80) from @vladmandic/human, converted to ONNX at install time
// (scripts/models/tfjs_to_onnx.py). Facts: ../../docs/models-groundwork.md and sdk_docs/analysis.md.
#pragma once

#include "detection.hpp"
#include "net_pool.hpp"

#include <functional>
#include <optional>
#include <string_view>

namespace lbx::plugins::vision {

// The COCO-80 class names in the model's output order, spelt as COCO does ("motorcycle", "airplane",
// "couch", "tv"; Debian darknet's coco.names has the same order with a few older spellings).
std::string_view coco_label(int index);
constexpr int kCocoClasses = 80;
constexpr int kCocoPerson = 0;

class ObjectDetector {
public:
    // `tiles`: besides the whole photo, look at tiles across its longer side at a larger scale (finds smaller
    // things; three forward passes for a 4:3 photo instead of one).
    ObjectDetector(NetPool& nets, float threshold, bool tiles) : nets_(nets), threshold_(threshold), tiles_(tiles) {}

    // Objects in an upright RGB image, best first, boxes in its pixels; nothing when `should_stop` turned
    // true between two forward passes (the host is ending the file's work).
    std::optional<std::vector<Detection>> detect(const cv::Mat& rgb, const std::function<bool()>& should_stop) const;

private:
    NetPool& nets_;
    float threshold_;
    bool tiles_;
};

}  // namespace lbx::plugins::vision
