// Turns Ctrl-C (SIGINT) and SIGTERM into a stop request without a global flag: the signals are blocked
// in every thread and one watcher thread waits for them. A second Ctrl-C ends the process at once.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace lbx::engine::cli {

class InterruptGuard {
public:
    // Must be created before any other thread, so every thread inherits the blocked signal mask.
    InterruptGuard(std::atomic<bool>& stop, std::function<void()> on_first_signal);
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

private:
    std::atomic<bool> done_{false};
    std::jthread watcher_;
};

}  // namespace lbx::engine::cli
