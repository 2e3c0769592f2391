// OpenCV DNN networks for one model, shared by the threads that call a stage. A cv::dnn::Net is not safe
// to run from two threads at once, and the plugin API lets the host call a stage from several (in-process
// isolation), so each call borrows a network of its own; networks are made from the same ONNX bytes when
// more are needed and kept for the next call. In a worker process (one file at a time) there is one.
#pragma once

#include <opencv2/dnn.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace lbx::plugins::vision {

class NetPool {
public:
    // Loads one network at once, so that a model OpenCV cannot read fails the stage's creation
    // (lbx::sdk::Error naming `name`), not its first photo.
    NetPool(std::vector<uint8_t> onnx, std::string name);

    class Lease {
    public:
        Lease(NetPool& pool, std::unique_ptr<cv::dnn::Net> net) : pool_(pool), net_(std::move(net)) {}
        ~Lease() { pool_.give_back(std::move(net_)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        cv::dnn::Net& net() { return *net_; }

    private:
        NetPool& pool_;
        std::unique_ptr<cv::dnn::Net> net_;
    };

    Lease borrow();

private:
    std::unique_ptr<cv::dnn::Net> load() const;
    void give_back(std::unique_ptr<cv::dnn::Net> net);

    std::vector<uint8_t> onnx_;
    std::string name_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<cv::dnn::Net>> idle_;
};

// Tells OpenCV how many threads one forward pass may use: the host's hint (a worker runs one file at a
// time, so 1 is usual), or 1 when the host says nothing, since the engine already runs files in parallel.
// OpenCV's thread count is process-wide; every stage of this plugin asks for the same value per call.
void use_threads(uint32_t threads_hint);

}  // namespace lbx::plugins::vision
