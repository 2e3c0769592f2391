// check_models: load the converted CenterNet, the converted NanoDet, the shipped BlazeFace and the converted
// face embedding (dlib ResNet) with OpenCV 4.6 DNN and run them on a few photos, printing the COCO labels
// with scores (CenterNet; NanoDet's surest class), the faces, and the Euclidean distances between the faces'
// embeddings. A groundwork check, not part of the CMake build yet; the decoders follow
// /work/shared/docs/MODELS.md (see docs/models-groundwork.md).
//
// Build it with:
//   g++ -std=c++20 -O2 -Wno-deprecated-enum-enum-conversion -o build/check_models scripts/models/check_models.cpp $(pkg-config --cflags --libs opencv4)
// Run it with (MODELS is what scripts/fetch-models.sh filled; photos default to Debian darknet's):
//   build/check_models [--threshold T] [--dump DIR] MODELS [PHOTO...]
// --dump DIR writes, as raw float32, what scripts/models/check_against_tfjs.sh compares with TF.js (its three
// conversions): each photo's CenterNet input (NHWC) and OpenCV's outputs (NCHW), and its NanoDet input (NCHW)
// and OpenCV's six outputs, for tfjs_reference.js; and each face chip given to the embedding (150x150x3 RGB
// 0..255, plus the whole photo stretched to 150x150, so that every photo gives one) with OpenCV's 128
// floats, for face_embedding_reference.js.
// Each face BlazeFace reports (confirmed or not) is embedded three times: from a chip aligned on its eyes (the
// MODELS.md template), from the same with the face 8 % smaller and shifted by (4, 3) pixels, and from a plain
// square crop around its box, so the distance table shows what a different crop of the same face costs.
// Without MODELS/identity/face_embedding.onnx the identity part is skipped.
// Needs: libopencv-dev (4.6), darknet (for /usr/share/darknet/data/coco.names and the photos).

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace {

const std::string kDarknetData = "/usr/share/darknet/data/";

// CenterNet, MODELS.md: 512x512 RGB stretched, 0..255; heatmap peaks = 3x3 max; top 100; 0.35; NMS 0.4.
constexpr int kCenterNetSize = 512;
constexpr int kCenterNetStride = 4;
constexpr int kCenterNetTopK = 100;
float object_threshold = 0.35f;  // --threshold
constexpr float kObjectNmsIou = 0.4f;

// BlazeFace full-range, MODELS.md: 256x256 letterboxed RGB in [-1, 1], NHWC; 0.6; NMS 0.3.
constexpr int kFaceSize = 256;
constexpr float kFaceThreshold = 0.6f;
constexpr float kFaceNmsIou = 0.3f;
constexpr float kFaceConfident = 0.8f;
constexpr int kPersonLabel = 0;

// NanoDet (COCO-80), as plugins/vision/nanodet_detector.cpp: the photo stretched to 416x416 (INTER_AREA when
// shrinking), BGR, each channel (x - mean) / deviation, NCHW. Outputs per level (strides 32, 16, 8; cells row
// by row): sigmoid scores [1,cells,80] and box sides [1,cells,44] (11 bins each of left, top, right, bottom;
// a side is the softmax-expected bin times the stride, from the cell's centre).
constexpr int kNanoDetSize = 416;
const cv::Scalar kNanoDetMeanBgr(103.53, 116.28, 123.675);
const cv::Scalar kNanoDetDeviationBgr(57.375, 57.12, 58.395);
// The ONNX outputs: the three score levels, then the three side levels (TF.js: Identity_2, _1, _0, _5, _4, _3).
const std::vector<std::string> kNanoDetOutputs = {"cls_32", "cls_16", "cls_8", "reg_32", "reg_16", "reg_8"};

// Face embedding (dlib ResNet via face-api), MODELS.md: 150x150 RGB 0..255 NCHW in (our ONNX normalises),
// 128 floats out; the image-left eye goes to (47.7, 47.1), the image-right eye to (100.3, 47.1).
constexpr int kChipSize = 150;
const cv::Point2f kChipLeftEye(47.7f, 47.1f), kChipRightEye(100.3f, 47.1f);
constexpr float kBoxCropMargin = 0.1f;  // the plain crop: BlazeFace's box grown by 10 % on each side (about the
                                         // template's scale)

struct Detection {
    int label = 0;
    float score = 0;
    cv::Rect2f box;  // in image pixels
    cv::Point2f eyes[2];  // BlazeFace only: keypoints 0 and 1 (the subject's right and left eye), image pixels
};

float iou(const cv::Rect2f& a, const cv::Rect2f& b) {
    const float inter = (a & b).area();
    const float uni = a.area() + b.area() - inter;
    return uni > 0 ? inter / uni : 0.f;
}

// Greedy NMS over detections of the same label, best score first.
std::vector<Detection> nms(std::vector<Detection> dets, float max_iou) {
    std::sort(dets.begin(), dets.end(), [](const Detection& a, const Detection& b) { return a.score > b.score; });
    std::vector<Detection> kept;
    for (const Detection& d : dets) {
        const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const Detection& k) {
            return k.label == d.label && iou(k.box, d.box) > max_iou;
        });
        if (!overlaps) kept.push_back(d);
    }
    return kept;
}

bool write_floats(const std::string& path, const cv::Mat& m) {
    CV_Assert(m.isContinuous() && m.depth() == CV_32F);
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(m.ptr<float>()), static_cast<std::streamsize>(m.total() * m.elemSize()));
    if (!out) std::fprintf(stderr, "check_models: cannot write '%s'\n", path.c_str());
    return static_cast<bool>(out);
}

std::string stem_of(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    return name.substr(0, name.find_last_of('.'));
}

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// heat [1,80,128,128] (already sigmoid), wh [1,4,128,128]: left, top, right, bottom in 512-px units.
std::vector<Detection> decode_centernet(const cv::Mat& heat, const cv::Mat& wh, cv::Size image) {
    const int classes = heat.size[1], rows = heat.size[2], cols = heat.size[3];
    const float* h = heat.ptr<float>();
    const float* r = wh.ptr<float>();
    const size_t plane = static_cast<size_t>(rows) * cols;
    std::vector<Detection> peaks;
    for (int c = 0; c < classes; ++c) {
        const float* hc = h + c * plane;
        for (int y = 0; y < rows; ++y) {
            for (int x = 0; x < cols; ++x) {
                const float v = hc[y * cols + x];
                if (v < object_threshold) continue;
                bool is_peak = true;
                for (int dy = -1; dy <= 1 && is_peak; ++dy)
                    for (int dx = -1; dx <= 1; ++dx) {
                        const int yy = y + dy, xx = x + dx;
                        if (yy < 0 || yy >= rows || xx < 0 || xx >= cols) continue;
                        if (hc[yy * cols + xx] > v) { is_peak = false; break; }
                    }
                if (!is_peak) continue;
                const size_t at = static_cast<size_t>(y) * cols + x;
                const float cx = static_cast<float>(kCenterNetStride * x), cy = static_cast<float>(kCenterNetStride * y);
                const float x0 = cx - r[at], y0 = cy - r[plane + at];
                const float x1 = cx + r[2 * plane + at], y1 = cy + r[3 * plane + at];
                const float sx = static_cast<float>(image.width) / kCenterNetSize;
                const float sy = static_cast<float>(image.height) / kCenterNetSize;
                const cv::Rect2f box(x0 * sx, y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy);
                peaks.push_back({c, v, box & cv::Rect2f(0, 0, static_cast<float>(image.width),
                                                         static_cast<float>(image.height)), {}});
            }
        }
    }
    std::sort(peaks.begin(), peaks.end(), [](const Detection& a, const Detection& b) { return a.score > b.score; });
    if (peaks.size() > kCenterNetTopK) peaks.resize(kCenterNetTopK);
    return nms(std::move(peaks), kObjectNmsIou);
}

cv::Mat nanodet_input(const cv::Mat& bgr) {
    cv::Mat square;
    const bool shrinking = bgr.cols >= kNanoDetSize && bgr.rows >= kNanoDetSize;
    cv::resize(bgr, square, {kNanoDetSize, kNanoDetSize}, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::Mat normalised;
    square.convertTo(normalised, CV_32FC3);
    cv::subtract(normalised, kNanoDetMeanBgr, normalised);
    cv::divide(normalised, kNanoDetDeviationBgr, normalised);
    return cv::dnn::blobFromImage(normalised, 1.0, {}, cv::Scalar(), /*swapRB=*/false, /*crop=*/false, CV_32F);
}

// NanoDet's surest class over all cells (outs in kNanoDetOutputs' order): enough to see the network runs
// sensibly; the plugin's nanodet_detector.cpp decodes the boxes.
Detection best_nanodet_class(const std::vector<cv::Mat>& outs) {
    Detection best{};
    for (int l = 0; l < 3; ++l) {
        const float* s = outs[l].ptr<float>();
        const int classes = outs[l].size[2];
        for (size_t i = 0; i < outs[l].total(); ++i)
            if (s[i] > best.score) best = {static_cast<int>(i % classes), s[i], {}, {}};
    }
    return best;
}

struct Letterbox {
    cv::Mat input;  // [1,256,256,3] float, RGB in [-1, 1]
    float scale = 1, pad_x = 0, pad_y = 0;
};

Letterbox letterbox_for_blazeface(const cv::Mat& bgr) {
    Letterbox lb;
    lb.scale = static_cast<float>(kFaceSize) / std::max(bgr.cols, bgr.rows);
    const int w = std::max(1, static_cast<int>(std::lround(bgr.cols * lb.scale)));
    const int h = std::max(1, static_cast<int>(std::lround(bgr.rows * lb.scale)));
    lb.pad_x = (kFaceSize - w) / 2.f;
    lb.pad_y = (kFaceSize - h) / 2.f;
    cv::Mat resized, rgb, canvas(kFaceSize, kFaceSize, CV_8UC3, cv::Scalar::all(0));
    cv::resize(bgr, resized, {w, h}, 0, 0, cv::INTER_AREA);
    cv::cvtColor(resized, rgb, cv::COLOR_BGR2RGB);
    rgb.copyTo(canvas(cv::Rect(static_cast<int>(lb.pad_x), static_cast<int>(lb.pad_y), w, h)));
    const int shape[] = {1, kFaceSize, kFaceSize, 3};
    lb.input.create(4, shape, CV_32F);
    cv::Mat hwc(kFaceSize, kFaceSize, CV_32FC3, lb.input.ptr<float>());
    canvas.convertTo(hwc, CV_32FC3, 2.0 / 255.0, -1.0);  // writes into lb.input
    return lb;
}

// scores [1,N,1] raw logits, boxes [1,N,16]; anchors: 16x16 grid x2, then 8x8 grid x6 (896 in all).
std::vector<Detection> decode_blazeface(const std::vector<cv::Mat>& outs, const Letterbox& lb) {
    struct Grid { int cells, per_cell; const cv::Mat* scores; const cv::Mat* boxes; };
    const Grid grids[] = {{16, 2, &outs[0], &outs[2]}, {8, 6, &outs[1], &outs[3]}};
    std::vector<Detection> faces;
    for (const Grid& g : grids) {
        const float* s = g.scores->ptr<float>();
        const float* b = g.boxes->ptr<float>();
        int i = 0;
        for (int y = 0; y < g.cells; ++y)
            for (int x = 0; x < g.cells; ++x)
                for (int k = 0; k < g.per_cell; ++k, ++i) {
                    const float score = 1.f / (1.f + std::exp(-s[i]));
                    if (score < kFaceThreshold) continue;
                    const float* v = b + 16 * i;
                    const float ax = (x + 0.5f) / g.cells, ay = (y + 0.5f) / g.cells;
                    const float cx = (ax + v[0] / kFaceSize) * kFaceSize, cy = (ay + v[1] / kFaceSize) * kFaceSize;
                    const float w = v[2], h = v[3];  // (w, h)/256 of the unit square = pixels of the 256 input
                    const float x0 = (cx - w / 2 - lb.pad_x) / lb.scale, y0 = (cy - h / 2 - lb.pad_y) / lb.scale;
                    Detection face{0, score, cv::Rect2f(x0, y0, w / lb.scale, h / lb.scale), {}};
                    for (int e = 0; e < 2; ++e)  // keypoints are offsets from the anchor, like the centre
                        face.eyes[e] = {((ax + v[4 + 2 * e] / kFaceSize) * kFaceSize - lb.pad_x) / lb.scale,
                                        ((ay + v[5 + 2 * e] / kFaceSize) * kFaceSize - lb.pad_y) / lb.scale};
                    faces.push_back(face);
                }
    }
    return nms(std::move(faces), kFaceNmsIou);
}

// The similarity transform that maps the image-left eye onto to_left and the image-right one onto to_right,
// applied with INTER_AREA pre-shrinking so that big faces do not alias.
cv::Mat aligned_chip(const cv::Mat& bgr, cv::Point2f left, cv::Point2f right, cv::Point2f to_left = kChipLeftEye,
                     cv::Point2f to_right = kChipRightEye) {
    if (left.x > right.x) std::swap(left, right);
    const cv::Point2f src = right - left, dst = to_right - to_left;
    float scale = std::hypot(dst.x, dst.y) / std::max(1e-3f, std::hypot(src.x, src.y));
    cv::Mat image = bgr;
    if (scale < 1.f) {  // shrink the photo first, then warp at (about) unit scale
        cv::resize(bgr, image, {}, scale, scale, cv::INTER_AREA);
        const float sx = static_cast<float>(image.cols) / bgr.cols, sy = static_cast<float>(image.rows) / bgr.rows;
        left = {left.x * sx, left.y * sy};
        right = {right.x * sx, right.y * sy};
        const cv::Point2f s2 = right - left;
        scale = std::hypot(dst.x, dst.y) / std::max(1e-3f, std::hypot(s2.x, s2.y));
    }
    const cv::Point2f s = right - left;
    const float angle = std::atan2(dst.y, dst.x) - std::atan2(s.y, s.x);
    const float a = scale * std::cos(angle), b = scale * std::sin(angle);
    // x' = a x - b y + tx, y' = b x + a y + ty, with left -> to_left.
    const cv::Matx23f m(a, -b, to_left.x - (a * left.x - b * left.y), b, a, to_left.y - (b * left.x + a * left.y));
    cv::Mat chip;
    cv::warpAffine(image, chip, m, {kChipSize, kChipSize}, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
    return chip;
}

// A square crop around the box, grown by kBoxCropMargin on each side, black outside the photo.
cv::Mat box_chip(const cv::Mat& bgr, const cv::Rect2f& box) {
    const float side = std::max(box.width, box.height) * (1 + 2 * kBoxCropMargin);
    const cv::Point2f centre(box.x + box.width / 2, box.y + box.height / 2);
    const cv::Rect square(cvRound(centre.x - side / 2), cvRound(centre.y - side / 2), cvRound(side), cvRound(side));
    cv::Mat canvas(square.size(), bgr.type(), cv::Scalar::all(0));
    const cv::Rect inside = square & cv::Rect(0, 0, bgr.cols, bgr.rows);
    if (!inside.empty()) bgr(inside).copyTo(canvas(inside - square.tl()));
    cv::Mat chip;
    cv::resize(canvas, chip, {kChipSize, kChipSize}, 0, 0, side > kChipSize ? cv::INTER_AREA : cv::INTER_LINEAR);
    return chip;
}

struct Embedded {
    std::string label;
    std::vector<float> embedding;
};

// chip: 150x150 BGR 8-bit. Returns the 128 floats; `rgb` receives the HWC float input (for --dump).
std::vector<float> embed(cv::dnn::Net& net, const cv::Mat& chip, cv::Mat* rgb, double* forward_ms) {
    const cv::Mat blob = cv::dnn::blobFromImage(chip, 1.0, {kChipSize, kChipSize}, cv::Scalar(), /*swapRB=*/true,
                                                /*crop=*/false, CV_32F);
    net.setInput(blob, "image");
    cv::TickMeter forward;
    forward.start();
    const cv::Mat out = net.forward("embedding");
    forward.stop();
    if (forward_ms) *forward_ms = forward.getTimeMilli();
    if (rgb) {
        cv::Mat rgb8;
        cv::cvtColor(chip, rgb8, cv::COLOR_BGR2RGB);
        rgb8.convertTo(*rgb, CV_32FC3);
    }
    CV_Assert(out.total() == 128 && out.depth() == CV_32F);
    return {out.ptr<float>(), out.ptr<float>() + out.total()};
}

float distance(const std::vector<float>& a, const std::vector<float>& b) {
    double sum = 0;
    for (size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * double(a[i] - b[i]);
    return static_cast<float>(std::sqrt(sum));
}

bool file_exists(const std::string& path) { return static_cast<bool>(std::ifstream(path)); }

}  // namespace

int main(int argc, char** argv) {
    int arg = 1;
    std::string dump_dir;
    while (arg + 1 < argc && std::string(argv[arg]).rfind("--", 0) == 0) {
        const std::string option = argv[arg];
        if (option == "--threshold") {
            object_threshold = std::stof(argv[arg + 1]);
        } else if (option == "--dump") {
            dump_dir = argv[arg + 1];
        } else {
            std::fprintf(stderr, "check_models: unknown option '%s'\n", option.c_str());
            return 2;
        }
        arg += 2;
    }
    if (arg >= argc) {
        std::fprintf(stderr, "usage: check_models [--threshold T] [--dump DIR] MODELS [PHOTO...]\n");
        return 2;
    }
    const std::string models = argv[arg];
    std::vector<std::string> photos(argv + arg + 1, argv + argc);
    if (photos.empty())
        for (const char* name : {"dog.jpg", "horses.jpg", "person.jpg"}) photos.push_back(kDarknetData + name);
    const std::vector<std::string> names = read_lines(kDarknetData + "coco.names");
    if (names.size() < 80) {
        std::fprintf(stderr, "check_models: cannot read 80 labels from '%scoco.names' (apt-get install darknet)\n",
                     kDarknetData.c_str());
        return 1;
    }
    cv::setNumThreads(1);  // MODELS.md timings are single-threaded

    cv::TickMeter load;
    load.start();
    cv::dnn::Net centernet = cv::dnn::readNetFromONNX(models + "/objects/centernet.onnx");
    load.stop();
    const double centernet_load_ms = load.getTimeMilli();
    load.reset();
    load.start();
    cv::dnn::Net nanodet = cv::dnn::readNetFromONNX(models + "/nanodet/nanodet.onnx");
    load.stop();
    const double nanodet_load_ms = load.getTimeMilli();
    load.reset();
    load.start();
    cv::dnn::Net blazeface = cv::dnn::readNetFromONNX(models + "/faces/face_detection_back_256x256_barracuda.onnx");
    load.stop();
    std::printf("loaded centernet.onnx in %.0f ms, nanodet.onnx in %.0f ms, blazeface in %.0f ms (OpenCV %s, "
                "1 thread)\n", centernet_load_ms, nanodet_load_ms, load.getTimeMilli(), CV_VERSION);
    const std::string embedding_path = models + "/identity/face_embedding.onnx";
    cv::dnn::Net embedder;
    if (file_exists(embedding_path)) {
        load.reset();
        load.start();
        embedder = cv::dnn::readNetFromONNX(embedding_path);
        load.stop();
        std::printf("loaded face_embedding.onnx in %.0f ms\n", load.getTimeMilli());
    } else {
        std::printf("identity: no %s, skipped (run scripts/fetch-models.sh)\n", embedding_path.c_str());
    }
    std::vector<Embedded> embedded;
    std::vector<double> embed_ms;

    int failures = 0;
    for (const std::string& path : photos) {
        const cv::Mat bgr = cv::imread(path, cv::IMREAD_COLOR);
        if (bgr.empty()) {
            std::fprintf(stderr, "check_models: cannot decode '%s'\n", path.c_str());
            ++failures;
            continue;
        }
        std::printf("%s (%dx%d)\n", path.c_str(), bgr.cols, bgr.rows);

        // Objects. Two passes: the first includes OpenCV's one-off layer set-up, the second is the steady state.
        cv::TickMeter total, forward;
        std::vector<cv::Mat> outs;
        std::vector<Detection> objects;
        for (int pass = 0; pass < 2; ++pass) {
            total.reset();
            forward.reset();
            total.start();
            const cv::Mat blob = cv::dnn::blobFromImage(bgr, 1.0, {kCenterNetSize, kCenterNetSize}, cv::Scalar(),
                                                        /*swapRB=*/true, /*crop=*/false, CV_32F);
            centernet.setInput(blob);
            forward.start();
            centernet.forward(outs, std::vector<std::string>{"tower_0/keypoints", "tower_0/wh"});
            forward.stop();
            objects = decode_centernet(outs[0], outs[1], bgr.size());
            total.stop();
        }
        if (!dump_dir.empty()) {
            // TF.js wants the same values in NHWC: [1,3,512,512] -> [512,512,3].
            cv::Mat blob = cv::dnn::blobFromImage(bgr, 1.0, {kCenterNetSize, kCenterNetSize}, cv::Scalar(), true, false,
                                                  CV_32F);
            std::vector<cv::Mat> planes;
            for (int c = 0; c < 3; ++c)
                planes.emplace_back(kCenterNetSize, kCenterNetSize, CV_32F, blob.ptr<float>(0, c));
            cv::Mat nhwc;
            cv::merge(planes, nhwc);
            const std::string base = dump_dir + "/" + stem_of(path);
            if (!write_floats(base + ".input.f32", nhwc) || !write_floats(base + ".keypoints.f32", outs[0]) ||
                !write_floats(base + ".wh.f32", outs[1]))
                ++failures;
        }
        std::printf("  objects (centernet): forward %.0f ms, with resize and decode %.0f ms\n",
                    forward.getTimeMilli(), total.getTimeMilli());
        for (const Detection& d : objects)
            std::printf("    %-12s %.2f  [%.0f %.0f %.0f %.0f]\n", names[d.label].c_str(), d.score, d.box.x, d.box.y,
                        d.box.x + d.box.width, d.box.y + d.box.height);

        // NanoDet, the second object detector; two passes as above.
        Detection second{};
        for (int pass = 0; pass < 2; ++pass) {
            total.reset();
            forward.reset();
            total.start();
            const cv::Mat blob = nanodet_input(bgr);
            nanodet.setInput(blob);
            forward.start();
            nanodet.forward(outs, kNanoDetOutputs);
            forward.stop();
            second = best_nanodet_class(outs);
            total.stop();
            if (pass == 1 && !dump_dir.empty()) {
                // The input as it is (NCHW, what TF.js's input_1 takes too) and the outputs ([1,cells,80|44]).
                const std::string base = dump_dir + "/" + stem_of(path) + ".nanodet_";
                bool written = write_floats(base + "input.f32", blob);
                for (size_t o = 0; o < outs.size(); ++o)
                    written = write_floats(base + kNanoDetOutputs[o] + ".f32", outs[o]) && written;
                if (!written) ++failures;
            }
        }
        std::printf("  objects (nanodet): forward %.0f ms, with resize %.0f ms; surest: %s %.2f\n", forward.getTimeMilli(),
                    total.getTimeMilli(), names[second.label].c_str(), second.score);

        // Faces.
        std::vector<Detection> faces;
        for (int pass = 0; pass < 2; ++pass) {
            total.reset();
            forward.reset();
            total.start();
            const Letterbox lb = letterbox_for_blazeface(bgr);
            blazeface.setInput(lb.input);
            forward.start();
            blazeface.forward(outs, std::vector<std::string>{"Identity:0", "Identity_1:0", "Identity_2:0",
                                                             "Identity_3:0"});
            forward.stop();
            faces = decode_blazeface(outs, lb);
            total.stop();
        }
        // MODELS.md: BlazeFace fires on pets' faces; keep a face only inside a person box or at >= 0.8.
        const auto confirmed = [&](const Detection& f) {
            return f.score >= kFaceConfident || std::any_of(objects.begin(), objects.end(), [&](const Detection& o) {
                       return o.label == kPersonLabel && (o.box & f.box).area() > 0.5f * f.box.area();
                   });
        };
        const auto kept = std::count_if(faces.begin(), faces.end(), confirmed);
        std::printf("  faces: %zu over %.1f, %td confirmed (forward %.0f ms, end to end %.0f ms)\n", faces.size(),
                    kFaceThreshold, kept, forward.getTimeMilli(), total.getTimeMilli());
        for (size_t i = 0; i < faces.size(); ++i) {
            const Detection& f = faces[i];
            std::printf("    face #%zu %.2f  [%.0f %.0f %.0f %.0f] eyes (%.0f %.0f) (%.0f %.0f)%s\n", i, f.score, f.box.x,
                        f.box.y, f.box.x + f.box.width, f.box.y + f.box.height, f.eyes[0].x, f.eyes[0].y, f.eyes[1].x,
                        f.eyes[1].y, confirmed(f) ? "" : "  (no person around it: dropped)");
        }

        // Identity: each face in the order listed, aligned, shifted and as a plain crop; with --dump also the
        // whole photo.
        if (embedder.empty()) continue;
        std::vector<std::pair<std::string, cv::Mat>> chips;
        const cv::Point2f centre(kChipSize / 2.f, kChipSize / 2.f), shift(4, 3);
        for (size_t i = 0; i < faces.size(); ++i) {
            const Detection& f = faces[i];
            const std::string face = stem_of(path) + "#" + std::to_string(i);
            chips.emplace_back(face + "/aligned", aligned_chip(bgr, f.eyes[0], f.eyes[1]));
            chips.emplace_back(face + "/shifted", aligned_chip(bgr, f.eyes[0], f.eyes[1],
                                                               centre + 0.92f * (kChipLeftEye - centre) + shift,
                                                               centre + 0.92f * (kChipRightEye - centre) + shift));
            chips.emplace_back(face + "/box", box_chip(bgr, f.box));
        }
        if (!dump_dir.empty()) {
            cv::Mat whole;
            cv::resize(bgr, whole, {kChipSize, kChipSize}, 0, 0, cv::INTER_AREA);
            chips.emplace_back(stem_of(path) + "#photo", whole);
        }
        for (const auto& [label, chip] : chips) {
            cv::Mat rgb;
            double ms = 0;
            if (embed_ms.empty()) embed(embedder, chip, nullptr, nullptr);  // the first run sets up the layers
            std::vector<float> e = embed(embedder, chip, &rgb, &ms);
            embed_ms.push_back(ms);
            if (!dump_dir.empty()) {
                std::string file = label;
                std::replace(file.begin(), file.end(), '#', '.');
                std::replace(file.begin(), file.end(), '/', '.');
                const std::string base = dump_dir + "/" + file;
                cv::imwrite(base + ".chip.png", chip);
                if (!write_floats(base + ".chip.f32", rgb) ||
                    !write_floats(base + ".embedding.f32", cv::Mat(1, static_cast<int>(e.size()), CV_32F, e.data())))
                    ++failures;
            }
            if (label.find("#photo") == std::string::npos) embedded.push_back({label, std::move(e)});
        }
    }

    if (!embed_ms.empty()) {
        std::sort(embed_ms.begin(), embed_ms.end());
        std::printf("identity: %zu chips, embedding forward %.1f ms median, %.1f ms max (1 thread)\n", embed_ms.size(),
                    embed_ms[embed_ms.size() / 2], embed_ms.back());
    }
    if (embedded.size() >= 2) {
        // Euclidean distances; MODELS.md: same person well below 0.5, different people above about 0.55.
        // Listed: the crops of one face against each other, and different faces cropped the same way.
        // Labels are PHOTO#FACE/CROP; different faces may still be the same person.
        std::printf("identity: Euclidean distances between face embeddings\n");
        std::map<std::string, std::vector<float>> groups;  // "same face, a vs b" or "different faces, crop"
        for (size_t i = 0; i < embedded.size(); ++i)
            for (size_t j = i + 1; j < embedded.size(); ++j) {
                const std::string& a = embedded[i].label;
                const std::string& b = embedded[j].label;
                const size_t sa = a.find('/'), sb = b.find('/');
                const bool same_face = a.compare(0, sa, b, 0, sb) == 0;
                const std::string crop_a = a.substr(sa + 1), crop_b = b.substr(sb + 1);
                if (!same_face && crop_a != crop_b) continue;
                const float d = distance(embedded[i].embedding, embedded[j].embedding);
                std::printf("  %.3f  %s  %s\n", d, a.c_str(), b.c_str());
                groups[same_face ? "same face, " + crop_a + " vs " + crop_b : "different faces, " + crop_a].push_back(d);
            }
        for (auto& [group, ds] : groups) {
            std::sort(ds.begin(), ds.end());
            std::printf("identity: %s: %zu pairs, min %.3f, median %.3f, max %.3f\n", group.c_str(), ds.size(),
                        ds.front(), ds[ds.size() / 2], ds.back());
        }
    }
    return failures == 0 ? 0 : 1;
}
