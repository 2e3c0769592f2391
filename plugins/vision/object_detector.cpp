#include "object_detector.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <array>

namespace lbx::plugins::vision {

namespace {

// The model's input: RGB stretched (not letterboxed) to 512x512, values 0..255, NCHW. Its outputs: a
// sigmoid heatmap [1,80,128,128] and box sides [1,4,128,128] (left, top, right, bottom in 512-px units).
constexpr int kInputSize = 512;
constexpr int kStride = 4;
constexpr std::size_t kTopK = 100;
constexpr float kNmsIou = 0.4f;

constexpr std::array<std::string_view, kCocoClasses> kCocoLabels = {
    "person",        "bicycle",      "car",           "motorcycle",    "airplane",     "bus",           "train",
    "truck",         "boat",         "traffic light", "fire hydrant",  "stop sign",    "parking meter", "bench",
    "bird",          "cat",          "dog",           "horse",         "sheep",        "cow",           "elephant",
    "bear",          "zebra",        "giraffe",       "backpack",      "umbrella",     "handbag",       "tie",
    "suitcase",      "frisbee",      "skis",          "snowboard",     "sports ball",  "kite",          "baseball bat",
    "baseball glove", "skateboard",  "surfboard",     "tennis racket", "bottle",       "wine glass",    "cup",
    "fork",          "knife",        "spoon",         "bowl",          "banana",       "apple",         "sandwich",
    "orange",        "broccoli",     "carrot",        "hot dog",       "pizza",        "donut",         "cake",
    "chair",         "couch",        "potted plant",  "bed",           "dining table", "toilet",        "tv",
    "laptop",        "mouse",        "remote",        "keyboard",      "cell phone",   "microwave",     "oven",
    "toaster",       "sink",         "refrigerator",  "book",          "clock",        "vase",          "scissors",
    "teddy bear",    "hair drier",   "toothbrush"};

}  // namespace

std::string_view coco_label(int index) {
    return index >= 0 && index < kCocoClasses ? kCocoLabels[static_cast<std::size_t>(index)] : std::string_view("object");
}

std::vector<Detection> ObjectDetector::detect(const cv::Mat& rgb) const {
    cv::Mat resized;
    // Shrinking averages (INTER_AREA); the rare small photo is enlarged smoothly.
    cv::resize(rgb, resized, {kInputSize, kInputSize}, 0, 0,
               rgb.cols >= kInputSize && rgb.rows >= kInputSize ? cv::INTER_AREA : cv::INTER_LINEAR);
    const cv::Mat blob = cv::dnn::blobFromImage(resized, 1.0, {}, cv::Scalar(), /*swapRB=*/false, /*crop=*/false, CV_32F);
    std::vector<cv::Mat> outs;
    {
        NetPool::Lease lease = nets_.borrow();
        lease.net().setInput(blob);
        lease.net().forward(outs, std::vector<std::string>{"tower_0/keypoints", "tower_0/wh"});
    }
    const cv::Mat& heat = outs[0];
    const cv::Mat& sides = outs[1];
    const int classes = std::min(heat.size[1], kCocoClasses), rows = heat.size[2], cols = heat.size[3];
    const std::size_t plane = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
    const float* h = heat.ptr<float>();
    const float* r = sides.ptr<float>();
    const float sx = static_cast<float>(rgb.cols) / kInputSize, sy = static_cast<float>(rgb.rows) / kInputSize;
    const cv::Rect2f whole(0, 0, static_cast<float>(rgb.cols), static_cast<float>(rgb.rows));

    // Peaks: cells at or above the threshold that equal the maximum of their 3x3 neighbourhood.
    std::vector<Detection> peaks;
    for (int c = 0; c < classes; ++c) {
        const float* hc = h + static_cast<std::size_t>(c) * plane;
        for (int y = 0; y < rows; ++y) {
            for (int x = 0; x < cols; ++x) {
                const float v = hc[y * cols + x];
                if (v < threshold_) continue;
                bool peak = true;
                for (int dy = -1; dy <= 1 && peak; ++dy)
                    for (int dx = -1; dx <= 1 && peak; ++dx) {
                        const int yy = y + dy, xx = x + dx;
                        if (yy >= 0 && yy < rows && xx >= 0 && xx < cols && hc[yy * cols + xx] > v) peak = false;
                    }
                if (!peak) continue;
                const std::size_t at = static_cast<std::size_t>(y) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(x);
                const float cx = static_cast<float>(kStride * x), cy = static_cast<float>(kStride * y);
                const float x0 = (cx - r[at]) * sx, y0 = (cy - r[plane + at]) * sy;
                const float x1 = (cx + r[2 * plane + at]) * sx, y1 = (cy + r[3 * plane + at]) * sy;
                const cv::Rect2f box = cv::Rect2f(x0, y0, x1 - x0, y1 - y0) & whole;
                if (box.width <= 0 || box.height <= 0) continue;
                peaks.push_back({c, v, box, {}});
            }
        }
    }
    std::sort(peaks.begin(), peaks.end(), [](const Detection& a, const Detection& b) { return a.score > b.score; });
    if (peaks.size() > kTopK) peaks.resize(kTopK);
    return suppress_overlaps(std::move(peaks), kNmsIou);
}

}  // namespace lbx::plugins::vision
