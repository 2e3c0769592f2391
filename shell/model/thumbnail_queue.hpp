// Which thumbnails to ask the engine for, and in which order (no sockets; unit-tested). The grid says
// which cells are visible now, most important first; that list replaces whatever was waiting, so cells
// scrolled away are never asked for. A thumbnail the engine is still making (not_ready /
// thumbnail_pending) waits for its `thumb/ready` event, then goes to the front if it is still wanted.
#pragma once

#include "model/thumb_key.hpp"

#include <deque>
#include <optional>
#include <unordered_set>
#include <vector>

namespace lbx::shell {

class ThumbnailQueue {
public:
    // The visible cells, latest first; already-pending ones stay pending, the rest are dropped.
    void set_wanted(std::vector<ThumbKey> wanted);
    // The next thumbnail to ask for (it leaves the queue).
    std::optional<ThumbKey> next();
    // It was asked for and no answer came in time: asked again first, if it is still wanted.
    void retry(const ThumbKey& key);
    // The engine answered thumbnail_pending: wait for thumb/ready.
    void mark_pending(const ThumbKey& key);
    // thumb/ready for (photo, size): ask again, first, if the cell is still wanted.
    void on_ready(const ThumbKey& key);
    // After a restart of the engine nothing it promised will come: ask again for what is still wanted.
    void requeue_pending();

    std::size_t queued() const { return queue_.size(); }
    std::size_t pending() const { return pending_.size(); }

private:
    std::deque<ThumbKey> queue_;
    std::unordered_set<ThumbKey, ThumbKeyHash> pending_;
    std::unordered_set<ThumbKey, ThumbKeyHash> wanted_;
};

}  // namespace lbx::shell
