#include "model/thumbnail_queue.hpp"

namespace lbx::shell {

void ThumbnailQueue::set_wanted(std::vector<ThumbKey> wanted) {
    wanted_.clear();
    queue_.clear();
    for (auto& key : wanted) {
        if (!wanted_.insert(key).second) continue;  // listed twice
        if (!pending_.count(key)) queue_.push_back(std::move(key));
    }
    for (auto it = pending_.begin(); it != pending_.end();) {
        it = wanted_.count(*it) ? std::next(it) : pending_.erase(it);
    }
}

std::optional<ThumbKey> ThumbnailQueue::next() {
    if (queue_.empty()) return std::nullopt;
    ThumbKey key = std::move(queue_.front());
    queue_.pop_front();
    return key;
}

void ThumbnailQueue::retry(const ThumbKey& key) {
    if (wanted_.count(key) && !pending_.count(key)) queue_.push_front(key);
}

void ThumbnailQueue::mark_pending(const ThumbKey& key) {
    if (wanted_.count(key)) pending_.insert(key);
}

void ThumbnailQueue::on_ready(const ThumbKey& key) {
    if (pending_.erase(key) && wanted_.count(key)) queue_.push_front(key);
}

void ThumbnailQueue::requeue_pending() {
    for (const auto& key : pending_) queue_.push_front(key);
    pending_.clear();
}

}  // namespace lbx::shell
