// A blocking queue with a fixed capacity: producers wait when it is full, so memory stays bounded
// however many files a run covers. close() wakes everyone; pop() then drains what is left.
//
// A producer that found the queue full waits until it has drained to half (hysteresis): a fast
// producer (the walker) beside slower consumers would otherwise be woken, and sleep again, for every
// item taken, a futex wake and two context switches per file, which was a quarter of the time of a
// metadata-only run.
#pragma once

#include <condition_variable>
#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace lbx::engine {

template <typename T>
class BoundedQueue {
public:
    explicit BoundedQueue(std::size_t capacity) : capacity_(capacity ? capacity : 1) {}

    // False when the queue was closed before the item could be added.
    bool push(T item) {
        std::unique_lock lock(mutex_);
        if (items_.size() >= capacity_) not_full_.wait(lock, [&] { return closed_ || items_.size() <= low_water(); });
        if (closed_) return false;
        items_.push_back(std::move(item));
        not_empty_.notify_one();
        return true;
    }

    // Nothing once the queue is closed and empty.
    std::optional<T> pop() {
        std::unique_lock lock(mutex_);
        not_empty_.wait(lock, [&] { return closed_ || !items_.empty(); });
        return take(lock);
    }

    // Like pop(), but gives up after `timeout`; `timed_out` tells a timeout from the end of the queue.
    std::optional<T> pop_for(std::chrono::milliseconds timeout, bool& timed_out) {
        std::unique_lock lock(mutex_);
        timed_out = !not_empty_.wait_for(lock, timeout, [&] { return closed_ || !items_.empty(); });
        return timed_out ? std::nullopt : take(lock);
    }

    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        not_empty_.notify_all();
        not_full_.notify_all();
    }

    // Drops what is waiting (used when a run is interrupted).
    void clear() {
        std::lock_guard lock(mutex_);
        items_.clear();
        not_full_.notify_all();
    }

private:
    std::optional<T> take(std::unique_lock<std::mutex>&) {
        if (items_.empty()) return std::nullopt;
        T item = std::move(items_.front());
        items_.pop_front();
        if (items_.size() <= low_water()) not_full_.notify_all();  // no system call when nobody waits
        return item;
    }

    std::size_t low_water() const { return capacity_ / 2; }

    std::mutex mutex_;
    std::condition_variable not_empty_;
    std::condition_variable not_full_;
    std::deque<T> items_;
    std::size_t capacity_;
    bool closed_ = false;
};

}  // namespace lbx::engine
