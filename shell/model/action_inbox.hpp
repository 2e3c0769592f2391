// Actions on their way from the engine session's thread to the UI thread. The session pushes one at a
// time; the UI thread takes all that wait in one go and dispatches them as a batch (Store::
// dispatch_batch), so a burst of thumbnails costs one wake-up and one render instead of one each.
#pragma once

#include "model/actions.hpp"

#include <mutex>
#include <vector>

namespace lbx::shell {

class ActionInbox {
public:
    // Any thread. True when the UI thread must be woken (nothing was waiting and no drain is scheduled).
    bool push(Action action);
    // The UI thread: everything waiting, oldest first; the next push wakes it again.
    std::vector<Action> take();
    // The UI thread: actions taken but not dispatched (a batch's time ran out) go back before the rest;
    // true when a drain must be scheduled for them.
    bool put_back(std::vector<Action> rest);

private:
    std::mutex mutex_;
    std::vector<Action> waiting_;
    bool wake_pending_ = false;
};

}  // namespace lbx::shell
