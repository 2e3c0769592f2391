#include "object_detector.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace lbx::plugins::vision {

namespace {

// The model's input: RGB 512x512, values 0..255, NCHW. Its outputs: a sigmoid heatmap [1,80,128,128] and
// box sides [1,4,128,128] (left, top, right, bottom in 512-px units).
constexpr int kInputSize = 512;
constexpr int kStride = 4;
constexpr std::size_t kTopK = 100;
constexpr float kNmsIou = 0.4f;
constexpr float kContainedAcrossViews = 0.7f;
constexpr float kSameBoxIou = 0.8f;
constexpr int kMaxTiles = 4;

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

namespace {

// One 512x512 look at the photo: which part of it (`area`, in image pixels), where that part lands in the
// model's input (`placed`, in input pixels; the rest is black padding), and which look it is.
struct View {
    cv::Rect area;
    cv::Rect placed;
    int index = 0;
};

// Where `area` lands in the model's input when letterboxed: its aspect ratio kept, centred.
cv::Rect letterboxed(const cv::Size& area) {
    const double scale = double(kInputSize) / std::max(area.width, area.height);
    const int w = std::max(1, int(std::lround(area.width * scale))), h = std::max(1, int(std::lround(area.height * scale)));
    return cv::Rect((kInputSize - w) / 2, (kInputSize - h) / 2, w, h);
}

// The whole photo letterboxed (its aspect ratio kept: on the 149 labelled corpus photos that found more
// people, animals and vehicles than stretching it to a square), then, with `tiles`, tiles across the longer
// side, as deep as the shorter: smaller things at 1.3-1.6x the scale of the whole. Together the tiles are
// 1.25 times as long as the photo, so neighbours overlap by a quarter of a tile or more; at least square.
std::vector<View> views_of(int width, int height, bool tiles) {
    std::vector<View> views{{cv::Rect(0, 0, width, height), letterboxed({width, height}), 0}};
    const int longer = std::max(width, height), shorter = std::min(width, height);
    if (!tiles || longer < shorter * 6 / 5) return views;  // a nearly square photo gains nothing from tiles
    const int count = std::min(kMaxTiles, (longer + shorter - 1) / shorter);
    const int length = std::max(shorter, int(std::ceil(longer * 1.25 / count)));
    for (int i = 0; i < count; ++i) {
        const int offset = int(std::lround(double(longer - length) * i / (count - 1)));
        const cv::Rect area = width >= height ? cv::Rect(offset, 0, length, shorter) : cv::Rect(0, offset, shorter, length);
        views.push_back({area, letterboxed(area.size()), i + 1});
    }
    return views;
}

// The view's pixels as the model's input: RGB 0..255, NCHW, black around a letterboxed photo.
cv::Mat input_of(const cv::Mat& rgb, const View& view) {
    const cv::Mat part = rgb(view.area);
    cv::Mat canvas = cv::Mat::zeros(kInputSize, kInputSize, rgb.type());
    // Shrinking averages (INTER_AREA); the rare small photo is enlarged smoothly.
    const bool shrinking = part.cols >= view.placed.width && part.rows >= view.placed.height;
    cv::resize(part, canvas(view.placed), view.placed.size(), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    return cv::dnn::blobFromImage(canvas, 1.0, {}, cv::Scalar(), /*swapRB=*/false, /*crop=*/false, CV_32F);
}

// Whether a box a tile found reaches one of the tile's edges inside the photo: the thing goes on beyond
// the tile, so this is part of it (often scored higher than the whole); a view that sees all of it finds it.
bool cut_off(const View& view, const cv::Rect2f& whole, float x0, float y0, float x1, float y1) {
    if (view.index == 0) return false;
    const float margin = float(kStride) * float(view.area.width) / float(view.placed.width);
    const cv::Rect2f tile(view.area);
    return (tile.x > whole.x && x0 <= tile.x + margin) || (tile.y > whole.y && y0 <= tile.y + margin) ||
           (tile.br().x < whole.br().x && x1 >= tile.br().x - margin) ||
           (tile.br().y < whole.br().y && y1 >= tile.br().y - margin);
}

// Peaks of one view's heatmap at or above `threshold`: cells equal to the maximum of their 3x3
// neighbourhood whose centre lies on the photo, with their boxes in image pixels.
void add_peaks(const cv::Mat& heat, const cv::Mat& sides, const View& view, float threshold, const cv::Rect2f& whole,
               std::vector<Detection>& out) {
    const int classes = std::min(heat.size[1], kCocoClasses), rows = heat.size[2], cols = heat.size[3];
    const std::size_t plane = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
    const float* h = heat.ptr<float>();
    const float* r = sides.ptr<float>();
    const float sx = float(view.area.width) / float(view.placed.width), sy = float(view.area.height) / float(view.placed.height);
    const auto image_x = [&](float x) { return (x - float(view.placed.x)) * sx + float(view.area.x); };
    const auto image_y = [&](float y) { return (y - float(view.placed.y)) * sy + float(view.area.y); };
    for (int c = 0; c < classes; ++c) {
        const float* hc = h + static_cast<std::size_t>(c) * plane;
        for (int y = 0; y < rows; ++y) {
            for (int x = 0; x < cols; ++x) {
                const float v = hc[y * cols + x];
                if (v < threshold) continue;
                bool peak = true;
                for (int dy = -1; dy <= 1 && peak; ++dy)
                    for (int dx = -1; dx <= 1 && peak; ++dx) {
                        const int yy = y + dy, xx = x + dx;
                        if (yy >= 0 && yy < rows && xx >= 0 && xx < cols && hc[yy * cols + xx] > v) peak = false;
                    }
                if (!peak) continue;
                const float cx = float(kStride * x), cy = float(kStride * y);
                if (!view.placed.contains(cv::Point(kStride * x, kStride * y))) continue;  // in the padding
                const std::size_t at = static_cast<std::size_t>(y) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(x);
                const float x0 = image_x(cx - r[at]), y0 = image_y(cy - r[plane + at]);
                const float x1 = image_x(cx + r[2 * plane + at]), y1 = image_y(cy + r[3 * plane + at]);
                if (cut_off(view, whole, x0, y0, x1, y1)) continue;
                const cv::Rect2f box = cv::Rect2f(x0, y0, x1 - x0, y1 - y0) & whole;
                if (box.width <= 0 || box.height <= 0) continue;
                out.push_back({c, v, box, {}, view.index});
            }
        }
    }
}

// Two looks at one thing: the same label, and boxes overlapping by IoU or, from different views (a tile
// sees part of what the whole photo shows), one mostly inside the other; or two labels on nearly the same
// box (a horse also read as a cow at half its confidence).
bool same_thing(const Detection& a, const Detection& b) {
    if (a.label != b.label) return iou(a.box, b.box) > kSameBoxIou;  // one thing, two names: the likelier
    if (iou(a.box, b.box) > kNmsIou) return true;
    if (a.view == b.view) return false;
    const float smaller = std::min(a.box.area(), b.box.area());
    return smaller > 0 && (a.box & b.box).area() / smaller > kContainedAcrossViews;
}

}  // namespace

std::optional<std::vector<Detection>> ObjectDetector::detect(const cv::Mat& rgb,
                                                             const std::function<bool()>& should_stop) const {
    if (rgb.empty()) return std::vector<Detection>{};  // nothing to letterbox
    const cv::Rect2f whole(0, 0, static_cast<float>(rgb.cols), static_cast<float>(rgb.rows));
    std::vector<Detection> peaks;
    {
        NetPool::Lease lease = nets_.borrow();
        for (const View& view : views_of(rgb.cols, rgb.rows, tiles_)) {
            if (view.index > 0 && should_stop()) return std::nullopt;
            std::vector<cv::Mat> outs;
            lease.net().setInput(input_of(rgb, view));
            lease.net().forward(outs, std::vector<std::string>{"tower_0/keypoints", "tower_0/wh"});
            add_peaks(outs[0], outs[1], view, threshold_, whole, peaks);
        }
    }
    std::sort(peaks.begin(), peaks.end(), [](const Detection& a, const Detection& b) { return a.score > b.score; });
    if (peaks.size() > kTopK) peaks.resize(kTopK);
    std::vector<Detection> kept;
    for (Detection& d : peaks)
        if (std::none_of(kept.begin(), kept.end(), [&](const Detection& k) { return same_thing(k, d); })) kept.push_back(std::move(d));
    return kept;
}

}  // namespace lbx::plugins::vision
