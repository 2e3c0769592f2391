// The supervisor's side of one worker process: starts it (lazily, again after each death), sends it one
// file at a time and waits for the result while it watches three things: the file's deadline, the worker's
// resident memory against its cap, and the batch's stop request. A worker that dies, hangs or grows too
// large is killed and replaced; the file fails with `crashed`, `timeout` or `out_of_memory`, naming the
// stage and the plugin that were running (read from the StageMarker the worker filled in).
#pragma once

#include "workers/file_processor.hpp"
#include "workers/stage_marker.hpp"

#include <sys/types.h>

namespace lbx::engine {

class WorkerProcess final : public FileProcessor {
public:
    explicit WorkerProcess(std::shared_ptr<Supervision> supervision);
    ~WorkerProcess() override;  // closes the channel, waits briefly, then kills
    WorkerProcess(const WorkerProcess&) = delete;
    WorkerProcess& operator=(const WorkerProcess&) = delete;

    PhotoResult process(const InputFile& file, const std::atomic<bool>& stop) override;

    // A probe (the supervision's setup with probe_only): a worker that loads the plugins and builds the
    // pipeline, answers and ends. A plugin that crashes or hangs there is recorded (record_start_fault)
    // and the probe runs again without it. Returns the worker's answer (the optional stages it left
    // out), or why no worker could start.
    Expected<WorkerReady> probe(const std::atomic<bool>& stop);
    // Starts the worker now, not at its first file, and keeps it running for the files that follow (the
    // batch's first worker builds the pipeline the supervisor plans with: build_supervised_pipeline). A
    // plugin that crashes or hangs while it starts is recorded and left out, as in probe().
    Expected<WorkerReady> start_now(const std::atomic<bool>& stop);

    pid_t pid() const { return pid_; }

private:
    enum class Wait { frame, died, timeout, memory, stopped };
    struct Death {
        int status = 0;  // waitpid's
        bool reaped = false;
    };

    // Starts a worker; `file` is the one waiting for it (named in a fault at start-up). An error with code
    // plugin_not_loaded: a plugin crashed or hung while the worker started, and was recorded so that the
    // next start goes without it.
    Expected<void> start(const std::atomic<bool>& stop, const std::string& file);
    // start() until a worker runs, each plugin that fails at start-up left out in turn.
    Expected<void> start_without_failing_plugins(const std::atomic<bool>& stop, const std::string& file);
    void stop_worker(bool graceful);
    // Waits for the next frame until `deadline`; watches memory and, when `stop` is given, the stop request.
    // With `step_limit` (a worker starting): a timeout too when the worker's stage marker names the same
    // library or stage for longer than that.
    Wait wait_frame(std::chrono::steady_clock::time_point deadline, const std::atomic<bool>* stop,  // by value: extended at the deadline
                    std::optional<std::chrono::steady_clock::duration> step_limit = std::nullopt);
    Death reap();
    PhotoResult fault(PhotoResult r, const char* code, const std::string& what);
    uint64_t resident_bytes() const;

    std::shared_ptr<Supervision> supervision_;
    uint64_t memory_cap_ = 0;
    std::chrono::steady_clock::time_point next_memory_check_{};  // when wait_frame next reads the worker's size
    pid_t pid_ = -1;
    int channel_ = -1;
    std::optional<StageMarker> marker_;
    FrameReader reader_;
    std::vector<uint8_t> frame_;
    uint64_t generation_ = 0;
    uint64_t peak_resident_ = 0;  // of the file in flight
    bool deadline_passed_ = false;  // the file in flight was asked to stop at its deadline
    // Why the last start failed: the files that follow fail at once with it instead of each waiting for
    // another start that fails the same way (a plugin that hangs or crashes while it loads), until a
    // quarantine changes what the workers load.
    std::optional<Error> start_failure_;
    WorkerReady ready_;  // the last started worker's answer
    uint64_t start_failure_generation_ = 0;
};

}  // namespace lbx::engine
