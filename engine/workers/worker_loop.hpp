// The worker process's side (`lightbox-engine worker`, started only by a supervisor): loads the plugins
// once, builds the pipeline the supervisor sent, then processes one file per task until its channel closes.
// Before each stage call it writes the stage into the shared StageMarker, so its death can be explained.
#pragma once

#include <cstdint>

namespace lbx::engine {

struct WorkerArguments {
    int channel_fd = 3;
    int marker_fd = 4;
    uint64_t memory_cap_bytes = 0;  // 0: no cap
    int parent_pid = 0;             // the worker exits when this process is gone
};

// Returns the process exit code: 0 when the supervisor closed the channel.
int run_worker(const WorkerArguments& arguments);

}  // namespace lbx::engine
