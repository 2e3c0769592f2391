#include "face_detector.hpp"

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace lbx::plugins::vision {

namespace {

// Input NHWC [1,256,256,3], RGB in [-1, 1], letterboxed (aspect kept, padded). 896 anchors: a 16x16 grid
// with 2 per cell, then an 8x8 grid with 6. Outputs: raw scores [1,512,1] and [1,384,1], and 16 values per
// anchor [1,512,16] and [1,384,16]: centre offset, size, then 6 keypoint offsets, all in input pixels.
constexpr int kInputSize = 256;
constexpr float kNmsIou = 0.3f;

struct Letterbox {
    cv::Mat input;
    float scale = 1, pad_x = 0, pad_y = 0;
};

Letterbox letterbox(const cv::Mat& rgb) {
    Letterbox lb;
    lb.scale = static_cast<float>(kInputSize) / static_cast<float>(std::max(rgb.cols, rgb.rows));
    const int w = std::clamp(static_cast<int>(std::lround(static_cast<float>(rgb.cols) * lb.scale)), 1, kInputSize);
    const int h = std::clamp(static_cast<int>(std::lround(static_cast<float>(rgb.rows) * lb.scale)), 1, kInputSize);
    const int x = (kInputSize - w) / 2, y = (kInputSize - h) / 2;
    lb.pad_x = static_cast<float>(x);
    lb.pad_y = static_cast<float>(y);
    cv::Mat canvas(kInputSize, kInputSize, CV_8UC3, cv::Scalar::all(0));
    cv::resize(rgb, canvas(cv::Rect(x, y, w, h)), {w, h}, 0, 0, w < rgb.cols ? cv::INTER_AREA : cv::INTER_LINEAR);
    const int shape[] = {1, kInputSize, kInputSize, 3};
    lb.input.create(4, shape, CV_32F);
    cv::Mat hwc(kInputSize, kInputSize, CV_32FC3, lb.input.ptr<float>());
    canvas.convertTo(hwc, CV_32FC3, 2.0 / 255.0, -1.0);  // writes into lb.input
    return lb;
}

}  // namespace

std::vector<Detection> FaceDetector::detect(const cv::Mat& rgb) const {
    const Letterbox lb = letterbox(rgb);
    std::vector<cv::Mat> outs;
    {
        NetPool::Lease lease = nets_.borrow();
        lease.net().setInput(lb.input);
        lease.net().forward(outs, std::vector<std::string>{"Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"});
    }
    struct Grid {
        int cells, per_cell;
        const cv::Mat& scores;
        const cv::Mat& values;
    };
    const Grid grids[] = {{16, 2, outs[0], outs[2]}, {8, 6, outs[1], outs[3]}};
    // Back from the letterboxed input to the image's pixels.
    const auto to_image = [&lb](float ix, float iy) { return cv::Point2f((ix - lb.pad_x) / lb.scale, (iy - lb.pad_y) / lb.scale); };
    const cv::Rect2f whole(0, 0, static_cast<float>(rgb.cols), static_cast<float>(rgb.rows));
    const float min_logit = std::log(threshold_ / (1 - threshold_));  // compare before the exp

    std::vector<Detection> faces;
    for (const Grid& g : grids) {
        const float* s = g.scores.ptr<float>();
        const float* v = g.values.ptr<float>();
        int i = 0;
        for (int y = 0; y < g.cells; ++y)
            for (int x = 0; x < g.cells; ++x)
                for (int k = 0; k < g.per_cell; ++k, ++i) {
                    if (!(s[i] >= min_logit)) continue;  // also drops a NaN
                    const float* a = v + 16 * i;
                    const float ax = (static_cast<float>(x) + 0.5f) / static_cast<float>(g.cells) * kInputSize;
                    const float ay = (static_cast<float>(y) + 0.5f) / static_cast<float>(g.cells) * kInputSize;
                    const cv::Point2f c = to_image(ax + a[0], ay + a[1]);
                    const float w = a[2] / lb.scale, h = a[3] / lb.scale;
                    Detection d{0, 1.f / (1.f + std::exp(-s[i])), cv::Rect2f(c.x - w / 2, c.y - h / 2, w, h) & whole, {}};
                    if (d.box.width <= 0 || d.box.height <= 0) continue;
                    for (int p = 0; p < kFaceKeypoints; ++p) d.points.push_back(to_image(ax + a[4 + 2 * p], ay + a[5 + 2 * p]));
                    faces.push_back(std::move(d));
                }
    }
    return suppress_overlaps(std::move(faces), kNmsIou);
}

}  // namespace lbx::plugins::vision
