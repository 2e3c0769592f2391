// lightbox-bench-forward: the bare forward rate of the analysis models, the ceiling the analysis phase is
// compared with (bench/run_analysis_bench.sh; target: lightbox's phase 2 at least 0.8 of it).
//
//   lightbox-bench-forward MODELS PHOTOS FACES_PER_PHOTO [OBJECT_PASSES_PER_PHOTO]
//
// Loads the four ONNX models the vision plugin runs (MODELS is what scripts/fetch-models.sh filled) into
// OpenCV DNN, one thread (as in a worker: parallelism comes from running one process per core), and times
// PHOTOS "photos" of bare work: OBJECT_PASSES_PER_PHOTO CenterNet forwards on average (1x3x512x512; default
// 1; the objects stage looks at the whole photo and at its tiles, three passes for a 4:3 photo), one NanoDet
// forward (1x3x416x416, the second opinion on the whole photo), one BlazeFace forward (1x256x256x3) and, for FACES_PER_PHOTO faces on average, one face-embedding forward
// (1x3x150x150) each. No decoding, resizing, decoding of outputs or storing: only what the networks
// themselves cost. The inputs are fixed pseudo-random values (the cost of a forward pass does not depend
// on them). Prints one line:
//   forward PHOTOS SECONDS objects_ms nanodet_ms faces_ms identity_ms
// Exit 0, or 1 when a model cannot be loaded or run.
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;

struct Model {
    cv::dnn::Net net;
    cv::Mat input;
    double seconds = 0;  // spent in forward(), all calls
    long calls = 0;

    Model(const std::filesystem::path& file, std::initializer_list<int> shape) {
        net = cv::dnn::readNetFromONNX(file.string());
        if (net.empty()) throw std::runtime_error("OpenCV read no network from " + file.string());
        net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        const std::vector<int> dims(shape);
        input.create(static_cast<int>(dims.size()), dims.data(), CV_32F);
        cv::RNG rng(20261205);
        rng.fill(input, cv::RNG::UNIFORM, 0.0, 1.0);
    }

    // One forward pass, every output read, as the plugin's stages do.
    void forward() {
        const auto t0 = Clock::now();
        net.setInput(input);
        std::vector<cv::Mat> outputs;
        net.forward(outputs, net.getUnconnectedOutLayersNames());
        seconds += std::chrono::duration<double>(Clock::now() - t0).count();
        ++calls;
    }

    double ms_per_call() const { return calls ? 1000.0 * seconds / static_cast<double>(calls) : 0.0; }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4 && argc != 5) {
        std::fputs("usage: lightbox-bench-forward MODELS PHOTOS FACES_PER_PHOTO [OBJECT_PASSES_PER_PHOTO]\n", stderr);
        return 2;
    }
    try {
        const std::filesystem::path models = argv[1];
        const long photos = std::stol(argv[2]);
        const double faces_per_photo = std::stod(argv[3]);
        const double object_passes_per_photo = argc == 5 ? std::stod(argv[4]) : 1.0;
        if (photos <= 0 || faces_per_photo < 0 || object_passes_per_photo < 1)
            throw std::invalid_argument("PHOTOS > 0, FACES_PER_PHOTO >= 0 and OBJECT_PASSES_PER_PHOTO >= 1");
        cv::setNumThreads(1);
        Model objects(models / "objects/centernet.onnx", {1, 3, 512, 512});
        Model confirming(models / "nanodet/nanodet.onnx", {1, 3, 416, 416});
        Model faces(models / "faces/face_detection_back_256x256_barracuda.onnx", {1, 256, 256, 3});
        Model identity(models / "identity/face_embedding.onnx", {1, 3, 150, 150});
        // One unmeasured pass each: OpenCV allocates its buffers on the first forward.
        for (Model* m : {&objects, &confirming, &faces, &identity}) {
            m->forward();
            m->seconds = 0;
            m->calls = 0;
        }

        const auto t0 = Clock::now();
        // Fractions carried to the next photo, so that the totals are photos * average.
        double faces_owed = 0, object_passes_owed = 0;
        for (long i = 0; i < photos; ++i) {
            object_passes_owed += object_passes_per_photo;
            for (; object_passes_owed >= 1.0; object_passes_owed -= 1.0) objects.forward();
            confirming.forward();
            faces.forward();
            faces_owed += faces_per_photo;
            for (; faces_owed >= 1.0; faces_owed -= 1.0) identity.forward();
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf("forward %ld %.3f %.2f %.2f %.2f %.2f\n", photos, seconds, objects.ms_per_call(),
                    confirming.ms_per_call(), faces.ms_per_call(), identity.ms_per_call());
        return 0;
    } catch (const cv::Exception& e) {
        std::fprintf(stderr, "lightbox-bench-forward: OpenCV: %s\n", e.what());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lightbox-bench-forward: %s\n", e.what());
    }
    return 1;
}
