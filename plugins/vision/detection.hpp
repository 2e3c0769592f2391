// What the detectors return, in pixels of the upright image they were given, and the greedy
// non-maximum suppression both use.
#pragma once

#include <opencv2/core.hpp>

#include <algorithm>
#include <vector>

namespace lbx::plugins::vision {

struct Detection {
    int label = 0;  // COCO-80 index for objects; 0 for faces
    float score = 0;
    cv::Rect2f box;
    std::vector<cv::Point2f> points;  // faces: 6 keypoints (see face_detector.hpp)
    int view = 0;                     // objects: which look at the photo found it (object_detector.cpp)
};

inline float iou(const cv::Rect2f& a, const cv::Rect2f& b) {
    const float inter = (a & b).area();
    const float uni = a.area() + b.area() - inter;
    return uni > 0 ? inter / uni : 0.f;
}

// Keeps the best-scoring detection of each group of same-label boxes overlapping more than `max_iou`.
inline std::vector<Detection> suppress_overlaps(std::vector<Detection> detections, float max_iou) {
    std::sort(detections.begin(), detections.end(), [](const Detection& a, const Detection& b) { return a.score > b.score; });
    std::vector<Detection> kept;
    for (Detection& d : detections) {
        const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const Detection& k) {
            return k.label == d.label && iou(k.box, d.box) > max_iou;
        });
        if (!overlaps) kept.push_back(std::move(d));
    }
    return kept;
}

}  // namespace lbx::plugins::vision
