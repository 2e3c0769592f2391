#include "cli/interrupt_guard.hpp"

#include <csignal>
#include <ctime>
#include <pthread.h>
#include <unistd.h>

namespace lbx::engine::cli {

namespace {
sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}
}  // namespace

InterruptGuard::InterruptGuard(std::atomic<bool>& stop, std::function<void()> on_first_signal) {
    sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    watcher_ = std::jthread([this, &stop, on_first_signal = std::move(on_first_signal)] {
        sigset_t signals = stop_signals();
        const timespec poll{1, 0};  // a safety net: the destructor wakes the watcher at once
        while (!done_.load()) {
            int sig = sigtimedwait(&signals, nullptr, &poll);
            if (done_.load()) break;  // the wake-up sent by the destructor, not the user
            if (sig < 0) continue;
            if (stop.exchange(true)) _exit(128 + sig);  // second signal: the user really wants out
            if (on_first_signal) on_first_signal();
        }
    });
}

InterruptGuard::~InterruptGuard() {
    done_.store(true);
    if (watcher_.joinable()) {
        pthread_kill(watcher_.native_handle(), SIGTERM);  // thread-directed: only the watcher sees it
        watcher_.join();
    }
    sigset_t set = stop_signals();
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

}  // namespace lbx::engine::cli
