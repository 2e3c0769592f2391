// `lightbox-engine worker`: a worker process, started by the engine itself (run, serve, thumbs prewarm)
// with its channel and stage marker on descriptors 3 and 4. Not for users: hidden from --help. The engine
// starts lightbox-engine-worker (engine/worker_main.cpp) instead when it is there: it starts faster.
#include "cli/commands.hpp"
#include "cli/engine_paths.hpp"

namespace lbx::engine::cli {

int worker_command(const WorkerArguments& arguments) { return run_worker(arguments); }

IsolationOptions isolation_options(const IsolationFlags& flags) {
    IsolationOptions o;
    o.mode = flags.mode == "none" ? IsolationMode::none : IsolationMode::process;
    o.file_timeout_seconds = flags.file_timeout_s;
    o.memory_cap_bytes = flags.worker_memory_mb * 1024 * 1024;
    o.stop_grace_seconds = flags.stop_grace_s;
    o.worker_executable = worker_program_in(executable_dir());
    return o;
}

}  // namespace lbx::engine::cli
