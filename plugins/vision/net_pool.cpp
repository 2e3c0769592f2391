#include "net_pool.hpp"

#include <lightbox/plugin.hpp>

#include <opencv2/core.hpp>

namespace lbx::plugins::vision {

NetPool::NetPool(std::vector<uint8_t> onnx, std::string name) : onnx_(std::move(onnx)), name_(std::move(name)) {
    idle_.push_back(load());
}

std::unique_ptr<cv::dnn::Net> NetPool::load() const {
    try {
        auto net = std::make_unique<cv::dnn::Net>(
            cv::dnn::readNetFromONNX(reinterpret_cast<const char*>(onnx_.data()), onnx_.size()));
        if (net->empty()) throw sdk::Error(LBX_E_IO, "OpenCV read no network from model '" + name_ + "'");
        net->setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net->setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        return net;
    } catch (const cv::Exception& e) {
        throw sdk::Error(LBX_E_IO, "OpenCV cannot load model '" + name_ + "': " + e.msg);
    }
}

NetPool::Lease NetPool::borrow() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            std::unique_ptr<cv::dnn::Net> net = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(net));
        }
    }
    return Lease(*this, load());  // another thread holds the others: one more, kept afterwards
}

void NetPool::give_back(std::unique_ptr<cv::dnn::Net> net) {
    if (!net) return;
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(net));
}

void use_threads(uint32_t threads_hint) {
    const int wanted = threads_hint == 0 ? 1 : static_cast<int>(threads_hint);
    if (cv::getNumThreads() != wanted) cv::setNumThreads(wanted);
}

}  // namespace lbx::plugins::vision
