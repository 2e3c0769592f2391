// check_models: load the converted CenterNet and the shipped BlazeFace with OpenCV 4.6 DNN and run them on
// a few photos, printing the COCO labels with scores and the number of faces. A groundwork check, not part of
// the CMake build yet; the decoders follow /work/shared/docs/MODELS.md (see docs/models-groundwork.md).
//
// Build it with:
//   g++ -std=c++20 -O2 -Wno-deprecated-enum-enum-conversion -o build/check_models scripts/models/check_models.cpp $(pkg-config --cflags --libs opencv4)
// Run it with (MODELS is what scripts/fetch-models.sh filled; photos default to Debian darknet's):
//   build/check_models [--threshold T] [--dump DIR] MODELS [PHOTO...]
// --dump DIR writes each photo's CenterNet input (NHWC) and OpenCV's outputs (NCHW) as raw float32 for
// tfjs_reference.js, which compares them with TF.js (scripts/models/check_against_tfjs.sh).
// Needs: libopencv-dev (4.6), darknet (for /usr/share/darknet/data/coco.names and the photos).

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
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

struct Detection {
    int label = 0;
    float score = 0;
    cv::Rect2f box;  // in image pixels
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
                                                         static_cast<float>(image.height))});
            }
        }
    }
    std::sort(peaks.begin(), peaks.end(), [](const Detection& a, const Detection& b) { return a.score > b.score; });
    if (peaks.size() > kCenterNetTopK) peaks.resize(kCenterNetTopK);
    return nms(std::move(peaks), kObjectNmsIou);
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
                    faces.push_back({0, score, cv::Rect2f(x0, y0, w / lb.scale, h / lb.scale)});
                }
    }
    return nms(std::move(faces), kFaceNmsIou);
}

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
    cv::dnn::Net blazeface = cv::dnn::readNetFromONNX(models + "/faces/face_detection_back_256x256_barracuda.onnx");
    load.stop();
    std::printf("loaded centernet.onnx in %.0f ms, blazeface in %.0f ms (OpenCV %s, 1 thread)\n", centernet_load_ms,
                load.getTimeMilli(), CV_VERSION);

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
        std::printf("  objects: forward %.0f ms, with resize and decode %.0f ms\n", forward.getTimeMilli(),
                    total.getTimeMilli());
        for (const Detection& d : objects)
            std::printf("    %-12s %.2f  [%.0f %.0f %.0f %.0f]\n", names[d.label].c_str(), d.score, d.box.x, d.box.y,
                        d.box.x + d.box.width, d.box.y + d.box.height);

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
        for (const Detection& f : faces)
            std::printf("    face %.2f  [%.0f %.0f %.0f %.0f]%s\n", f.score, f.box.x, f.box.y, f.box.x + f.box.width,
                        f.box.y + f.box.height, confirmed(f) ? "" : "  (no person around it: dropped)");
    }
    return failures == 0 ? 0 : 1;
}
