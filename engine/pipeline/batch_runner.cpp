#include "pipeline/batch_runner.hpp"

#include "pipeline/bounded_queue.hpp"
#include "pipeline/result_delivery.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

namespace lbx::engine {

BatchSummary run_batch(const Pipeline& pipeline, const std::vector<std::string>& inputs, std::istream& path_list,
                       unsigned jobs, const std::atomic<bool>& stop, BatchCounts& counts,
                       const BatchCallbacks& callbacks) {
    return run_batch([&pipeline] { return make_inprocess_processor(pipeline); }, inputs, path_list, jobs, stop, counts,
                     callbacks);
}

BatchSummary run_batch(const ProcessorFactory& make_processor, const std::vector<std::string>& inputs,
                       std::istream& path_list, unsigned jobs, const std::atomic<bool>& stop, BatchCounts& counts,
                       const BatchCallbacks& callbacks) {
    PathList list(path_list);
    return run_batch(make_processor, inputs, list, jobs, stop, counts, callbacks);
}

BatchSummary run_batch(const ProcessorFactory& make_processor, const std::vector<std::string>& inputs,
                       PathList& path_list, unsigned jobs, const std::atomic<bool>& stop, BatchCounts& counts,
                       const BatchCallbacks& callbacks) {
    if (jobs == 0) jobs = 1;
    const auto start = std::chrono::steady_clock::now();
    // Paths are small: the walker may run well ahead, and the hysteresis of the queue then wakes it once
    // per 32 files taken, not once per file.
    BoundedQueue<InputFile> files(64 * jobs);
    BatchSummary summary;  // written by deliveries only
    ResultDelivery delivery(
        [&](PhotoResult& r) {
            if (r.interrupted) {
                ++summary.interrupted_files;
                return;
            }
            counts.processed.fetch_add(1);
            if (r.skipped) {
                ++summary.skipped;
                if (callbacks.on_skipped && !r.skip_reason.empty()) callbacks.on_skipped(r);
            } else if (r.unchanged) {
                ++summary.unchanged;
                if (callbacks.on_result) callbacks.on_result(r);
            } else {
                (r.ok() ? summary.ok : summary.failed) += 1;
                if (callbacks.on_result) callbacks.on_result(r);
            }
        },
        callbacks.on_tick, 4 * jobs);

    std::jthread walker([&] {
        walk_inputs(inputs, path_list, [&](InputFile f) {
            if (stop.load()) return false;
            if (callbacks.select && !callbacks.select(f)) return true;
            counts.discovered.fetch_add(1);
            if (callbacks.precheck) {
                if (std::optional<PhotoResult> known = callbacks.precheck(f)) {
                    delivery.add(std::move(*known));
                    return true;
                }
            }
            return files.push(std::move(f));
        });
        counts.walk_done.store(true);
        files.close();
    });

    const bool reads_stdin = std::find(inputs.begin(), inputs.end(), "-") != inputs.end();
    std::jthread counter;
    if (!reads_stdin) {
        counter = std::jthread([&] {
            std::istringstream none;
            bool finished = walk_inputs(inputs, none, [&](const InputFile& f) {
                if (callbacks.select && !callbacks.select(f)) return !stop.load();
                counts.expected.fetch_add(1);
                return !stop.load();
            });
            counts.expected_final.store(finished);
        });
    }

    std::mutex finished_mutex;
    std::condition_variable finished;
    unsigned running = jobs;  // under finished_mutex
    std::vector<std::jthread> workers;
    for (unsigned i = 0; i < jobs; ++i) {
        workers.emplace_back([&] {
            // Made, used and destroyed on this thread: a worker process dies with the thread that started it.
            std::unique_ptr<FileProcessor> processor = make_processor();
            while (!stop.load()) {
                std::optional<InputFile> f = files.pop();
                if (!f) break;
                delivery.add(processor->process(*f, stop));
            }
            processor.reset();
            std::lock_guard lock(finished_mutex);
            if (--running == 0) finished.notify_all();
        });
    }

    // This thread ticks the progress while no result comes, and turns a stop request into the end of the walk.
    bool stopping = false;
    for (;;) {
        if (stop.load() && !stopping) {
            stopping = true;
            files.close();  // the walker stops; queued but unstarted files are dropped
            files.clear();
        }
        std::unique_lock lock(finished_mutex);
        if (finished.wait_for(lock, std::chrono::milliseconds(200), [&] { return running == 0; })) break;
        lock.unlock();
        delivery.tick();
    }
    // The workers may have seen a stop request and ended before this loop did: close the input queue here
    // too, or a walker blocked on a full queue would never return.
    files.close();
    walker.join();
    if (counter.joinable()) counter.join();
    workers.clear();
    delivery.tick();  // what the walker's precheck added last
    summary.interrupted = stop.load();
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

}  // namespace lbx::engine
