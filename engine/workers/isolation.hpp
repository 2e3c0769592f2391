// How stage work is isolated from the process that owns the results. `process` (the default everywhere)
// runs every file in a worker process the engine supervises: a crash, a hang or a memory blow-up in a
// plugin costs that one file. `none` runs the stages on threads of the engine itself, for debugging and
// for measuring what isolation costs (bench/).
#pragma once

#include "core/expected.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

namespace lbx::engine {

enum class IsolationMode { process, none };

struct IsolationOptions {
    IsolationMode mode = IsolationMode::process;
    // The lightbox-engine executable that runs `worker`; empty: the one beside the running program.
    std::filesystem::path worker_executable;
    // A file's deadline: base + per_mib for each MiB of the file (a 12 MP JPEG of 5 MiB: 40 s by default).
    double file_timeout_seconds = 30;
    double file_timeout_per_mib_seconds = 2;
    // A worker's memory cap; 0: sized to the machine (default_memory_cap).
    uint64_t memory_cap_bytes = 0;
    // After a stop request (Ctrl-C, cancel, Shutdown, SIGTERM), how long the stages of the files in flight
    // may take to return before their workers are killed.
    double stop_grace_seconds = 3;
};

Expected<IsolationMode> isolation_mode_from_name(const std::string& name);  // "process" or "none"
const char* isolation_mode_name(IsolationMode mode);

// Each of `workers` workers may use 80 % of the machine's memory shared out between them, and at least
// 1 GiB: an allocation bomb in one worker fails in that worker before the kernel's OOM killer picks a victim.
uint64_t default_memory_cap(unsigned workers);

std::chrono::milliseconds file_deadline(const IsolationOptions& options, uint64_t file_bytes);

}  // namespace lbx::engine
