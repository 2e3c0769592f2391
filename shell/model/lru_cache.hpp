// A bounded least-recently-used map: the shell's in-memory cache of decoded thumbnails (the views
// instantiate it with bitmaps; tests with plain values). Not thread-safe: it lives on the UI thread.
#pragma once

#include <cstddef>
#include <list>
#include <unordered_map>
#include <utility>

namespace lbx::shell {

template <class Key, class Value, class Hash = std::hash<Key>>
class LruCache {
public:
    explicit LruCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

    // The value, marked most recently used; nullptr when absent.
    const Value* get(const Key& key) {
        auto it = index_.find(key);
        if (it == index_.end()) return nullptr;
        order_.splice(order_.begin(), order_, it->second);
        return &it->second->second;
    }
    bool contains(const Key& key) const { return index_.count(key) != 0; }

    // Inserts or replaces, then drops the least recently used entries beyond the capacity.
    void put(const Key& key, Value value) {
        if (auto it = index_.find(key); it != index_.end()) {
            it->second->second = std::move(value);
            order_.splice(order_.begin(), order_, it->second);
            return;
        }
        order_.emplace_front(key, std::move(value));
        index_[key] = order_.begin();
        while (order_.size() > capacity_) {
            index_.erase(order_.back().first);
            order_.pop_back();
        }
    }
    void clear() { order_.clear(); index_.clear(); }

    std::size_t size() const { return order_.size(); }
    std::size_t capacity() const { return capacity_; }

private:
    std::size_t capacity_;
    std::list<std::pair<Key, Value>> order_;  // most recently used first
    std::unordered_map<Key, typename std::list<std::pair<Key, Value>>::iterator, Hash> index_;
};

}  // namespace lbx::shell
