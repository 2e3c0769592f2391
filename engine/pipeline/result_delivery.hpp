// Hands a batch's results to its callbacks one at a time, on whichever thread has one, without a thread
// hand-off per file (flat combining): a thread adds its result; if no other thread is delivering, it
// delivers everything pending itself, otherwise the thread delivering takes the new result along.
//
// Why: the batch used to pass every result through a queue to the caller's thread, which slept between
// results; waking it was a futex call and two context switches per file, a fifth of a metadata-only
// run's time (1 000 JPEGs: 121 -> 97 ms median). Callbacks still never run concurrently, and each
// delivery happens-before the next, so they need no locking of their own; they just may run on any of the
// batch's threads.
#pragma once

#include "pipeline/photo_result.hpp"

#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

namespace lbx::engine {

class ResultDelivery {
public:
    // `deliver` is called for each result, `tick` after each delivered run of results and from tick().
    // More than `backlog` results pending makes the adding thread wait for its turn and deliver (a slow
    // callback, such as a catalog on a busy server, then slows the producers instead of piling up results).
    ResultDelivery(std::function<void(PhotoResult&)> deliver, std::function<void()> tick, std::size_t backlog);

    // From any thread.
    void add(PhotoResult result);
    // Delivers what is pending and calls `tick`, waiting for a delivering thread to finish first.
    void tick();

private:
    // Delivers until nothing is pending; the caller holds delivering_.
    void drain_locked();
    // add()'s part: deliver unless another thread is (then it will see what was added).
    void try_drain();

    std::function<void(PhotoResult&)> deliver_;
    std::function<void()> tick_;
    std::size_t backlog_;
    std::mutex pending_mutex_;
    std::vector<PhotoResult> pending_;  // under pending_mutex_
    std::mutex delivering_;             // held by the one thread that runs the callbacks
};

}  // namespace lbx::engine
