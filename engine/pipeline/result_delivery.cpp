#include "pipeline/result_delivery.hpp"

#include <utility>

namespace lbx::engine {

ResultDelivery::ResultDelivery(std::function<void(PhotoResult&)> deliver, std::function<void()> tick, std::size_t backlog)
    : deliver_(std::move(deliver)), tick_(std::move(tick)), backlog_(backlog == 0 ? 1 : backlog) {}

void ResultDelivery::add(PhotoResult result) {
    bool over_backlog = false;
    {
        std::lock_guard lock(pending_mutex_);
        pending_.push_back(std::move(result));
        over_backlog = pending_.size() > backlog_;
    }
    if (over_backlog) {
        std::lock_guard turn(delivering_);  // wait for the delivering thread, then help
        drain_locked();
    }
    try_drain();
}

void ResultDelivery::tick() {
    {
        std::lock_guard turn(delivering_);
        drain_locked();
        if (tick_) tick_();
    }
    try_drain();
}

void ResultDelivery::drain_locked() {
    std::vector<PhotoResult> batch;
    for (;;) {
        {
            std::lock_guard lock(pending_mutex_);
            if (pending_.empty()) return;
            batch.swap(pending_);
        }
        for (PhotoResult& r : batch) deliver_(r);
        batch.clear();
        if (tick_) tick_();
    }
}

void ResultDelivery::try_drain() {
    for (;;) {
        {
            std::unique_lock turn(delivering_, std::try_to_lock);
            if (!turn.owns_lock()) return;  // the delivering thread looks at pending_ again before it lets go
            drain_locked();
        }
        // A result added after drain_locked's last look found delivering_ taken and left it to us.
        std::lock_guard lock(pending_mutex_);
        if (pending_.empty()) return;
    }
}

}  // namespace lbx::engine
