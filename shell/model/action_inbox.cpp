#include "model/action_inbox.hpp"

#include <iterator>
#include <utility>

namespace lbx::shell {

bool ActionInbox::push(Action action) {
    std::lock_guard lock(mutex_);
    waiting_.push_back(std::move(action));
    if (wake_pending_) return false;
    wake_pending_ = true;
    return true;
}

std::vector<Action> ActionInbox::take() {
    std::lock_guard lock(mutex_);
    wake_pending_ = false;
    return std::exchange(waiting_, {});
}

bool ActionInbox::put_back(std::vector<Action> rest) {
    if (rest.empty()) return false;
    std::lock_guard lock(mutex_);
    rest.insert(rest.end(), std::make_move_iterator(waiting_.begin()), std::make_move_iterator(waiting_.end()));
    waiting_ = std::move(rest);
    if (wake_pending_) return false;
    wake_pending_ = true;
    return true;
}

}  // namespace lbx::shell
