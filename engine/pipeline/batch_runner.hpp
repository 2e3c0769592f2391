// Runs a pipeline over many files: a walker thread feeds a bounded queue, `jobs` threads each process
// whole files (parallelism across files) through a FileProcessor of their own (a supervised worker process,
// or the stages in-process), and the results reach the callbacks in completion order, one at a time, on
// whichever of the batch's threads has one (result_delivery.hpp: no thread hand-off per file); the caller's
// thread ticks the progress meanwhile. Queues are bounded, so memory does not grow with the number of files. A stop request ends the walk and drops queued
// files; files already in a worker's hands are finished within the stop grace period and reported, or
// dropped as interrupted (neither stored nor reported: the next scan does them).
#pragma once

#include "pipeline/file_walker.hpp"
#include "pipeline/pipeline.hpp"
#include "workers/file_processor.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <vector>

namespace lbx::engine {

struct BatchCounts {
    std::atomic<uint64_t> discovered{0};  // files handed to the workers so far
    std::atomic<bool> walk_done{false};   // discovered is final
    // A separate, cheap walk (names only) counts the files ahead of the work, so progress can show a
    // total and an ETA early. Not done for paths read from stdin.
    std::atomic<uint64_t> expected{0};
    std::atomic<bool> expected_final{false};
    std::atomic<uint64_t> processed{0};   // results received, skipped files included
};

struct BatchSummary {
    uint64_t ok = 0;
    uint64_t failed = 0;
    uint64_t skipped = 0;
    uint64_t unchanged = 0;  // not read: known to the catalog with the same size and mtime
    uint64_t interrupted_files = 0;  // in flight at a stop and not finished within the grace period
    double seconds = 0;
    bool interrupted = false;
};

// Never called concurrently, each call happens-before the next; any of the batch's threads may make them
// (the caller's, the walker's for `precheck` results, or a worker's).
struct BatchCallbacks {
    std::function<void(const PhotoResult&)> on_result;  // every processed or unchanged file, skipped ones excluded
    // A skipped entry with a skip_reason (a FIFO, a socket, a broken symlink not named like a photo): worth
    // a line, though not a result. Ordinary skips (notes.txt) are only counted.
    std::function<void(const PhotoResult&)> on_skipped;
    std::function<void()> on_tick;                      // a few times per second, for progress
    // On the walker thread, before a file is queued: a result means the file needs no processing (it is
    // delivered as it is, with `unchanged` set, and never read). Unset: every file is processed.
    std::function<std::optional<PhotoResult>(const InputFile&)> precheck;
    // On the walker thread: false leaves the file out of this batch altogether (another shard's): not
    // counted, never read, no result. Unset: every file is the batch's.
    std::function<bool(const InputFile&)> select;
};

// `path_list` is what an input "-" reads; a malformed list stops the walk with its `error` set.
BatchSummary run_batch(const ProcessorFactory& make_processor, const std::vector<std::string>& inputs,
                       PathList& path_list, unsigned jobs, const std::atomic<bool>& stop, BatchCounts& counts,
                       const BatchCallbacks& callbacks);
// The same with a newline-separated list.
BatchSummary run_batch(const ProcessorFactory& make_processor, const std::vector<std::string>& inputs,
                       std::istream& path_list, unsigned jobs, const std::atomic<bool>& stop, BatchCounts& counts,
                       const BatchCallbacks& callbacks);

// The same with the stages on the batch's own threads (--isolation none).
BatchSummary run_batch(const Pipeline& pipeline, const std::vector<std::string>& inputs, std::istream& path_list,
                       unsigned jobs, const std::atomic<bool>& stop, BatchCounts& counts,
                       const BatchCallbacks& callbacks);

}  // namespace lbx::engine
