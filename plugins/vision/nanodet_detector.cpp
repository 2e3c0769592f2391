#include "nanodet_detector.hpp"

#include "object_detector.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cmath>
#include <string>

namespace lbx::plugins::vision {

namespace {

// Input NCHW [1,3,416,416]: the whole photo stretched to the square, BGR, each channel less NanoDet's
// training mean and divided by its deviation (the graph does not normalise). Outputs per level (strides
// 32, 16 and 8: 13x13, 26x26 and 52x52 cells, row by row): sigmoid class scores [1,cells,80] and box side
// distributions [1,cells,44], 11 bins for each of left, top, right, bottom; a side is the expected bin
// (softmax-weighted) times the stride, measured from the cell's centre.
constexpr int kInputSize = 416;
constexpr int kBins = 11;
constexpr float kNmsIou = 0.6f;
const cv::Scalar kMeanBgr(103.53, 116.28, 123.675);
const cv::Scalar kDeviationBgr(57.375, 57.12, 58.395);

struct Level {
    int stride;
    const char* scores;
    const char* sides;
};
constexpr std::array<Level, 3> kLevels{{{32, "cls_32", "reg_32"}, {16, "cls_16", "reg_16"}, {8, "cls_8", "reg_8"}}};

cv::Mat input_of(const cv::Mat& rgb) {
    cv::Mat square;
    const bool shrinking = rgb.cols >= kInputSize && rgb.rows >= kInputSize;
    cv::resize(rgb, square, {kInputSize, kInputSize}, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::Mat bgr;
    cv::cvtColor(square, bgr, cv::COLOR_RGB2BGR);
    bgr.convertTo(bgr, CV_32FC3);
    cv::subtract(bgr, kMeanBgr, bgr);
    cv::divide(bgr, kDeviationBgr, bgr);
    return cv::dnn::blobFromImage(bgr, 1.0, {}, cv::Scalar(), /*swapRB=*/false, /*crop=*/false, CV_32F);
}

// The expected value of one side's distribution, in bins.
float expected_bin(const float* logits) {
    float top = logits[0];
    for (int b = 1; b < kBins; ++b) top = std::max(top, logits[b]);
    float sum = 0, weighted = 0;
    for (int b = 0; b < kBins; ++b) {
        const float e = std::exp(logits[b] - top);
        sum += e;
        weighted += e * float(b);
    }
    return weighted / sum;
}

}  // namespace

std::vector<Detection> NanoDetDetector::detect(const cv::Mat& rgb) const {
    if (rgb.empty()) return {};
    std::vector<cv::Mat> outs;
    {
        NetPool::Lease lease = nets_.borrow();
        lease.net().setInput(input_of(rgb));
        std::vector<std::string> names;
        for (const Level& level : kLevels) names.push_back(level.scores);
        for (const Level& level : kLevels) names.push_back(level.sides);
        lease.net().forward(outs, names);
    }
    const float sx = float(rgb.cols) / kInputSize, sy = float(rgb.rows) / kInputSize;
    const cv::Rect2f whole(0, 0, float(rgb.cols), float(rgb.rows));
    std::vector<Detection> found;
    for (std::size_t l = 0; l < kLevels.size(); ++l) {
        const int stride = kLevels[l].stride, grid = kInputSize / stride;
        const cv::Mat& scores = outs[l];
        const cv::Mat& sides = outs[l + kLevels.size()];
        const int classes = std::min(scores.size[2], kCocoClasses);
        for (int cell = 0; cell < grid * grid; ++cell) {
            const float* s = scores.ptr<float>() + std::size_t(cell) * std::size_t(scores.size[2]);
            const float* d = sides.ptr<float>() + std::size_t(cell) * std::size_t(sides.size[2]);
            for (int c = 0; c < classes; ++c) {
                if (s[c] < threshold_) continue;
                const float cx = (float(cell % grid) + 0.5f) * float(stride), cy = (float(cell / grid) + 0.5f) * float(stride);
                const float x0 = (cx - expected_bin(d) * float(stride)) * sx;
                const float y0 = (cy - expected_bin(d + kBins) * float(stride)) * sy;
                const float x1 = (cx + expected_bin(d + 2 * kBins) * float(stride)) * sx;
                const float y1 = (cy + expected_bin(d + 3 * kBins) * float(stride)) * sy;
                const cv::Rect2f box = cv::Rect2f(x0, y0, x1 - x0, y1 - y0) & whole;
                if (box.width > 0 && box.height > 0) found.push_back({c, s[c], box, {}, 0});
            }
        }
    }
    return suppress_overlaps(std::move(found), kNmsIou);
}

}  // namespace lbx::plugins::vision
