// Progress on stderr: a live bar with count, rate and ETA on a terminal; a plain line every few seconds
// otherwise (logs, pipes); a summary at the end.
#pragma once

#include "pipeline/batch_runner.hpp"

#include <chrono>
#include <cstdio>
#include <string>

namespace lbx::engine::cli {

class ProgressReporter {
public:
    ProgressReporter(std::FILE* out, const BatchCounts& counts, bool enabled);

    void file_done(bool ok);
    void tick();                         // redraws when due
    void clear_line();                   // before other output goes to the terminal
    void finish(const BatchSummary& summary, const std::string& thumbnail_dir);

private:
    void draw();

    std::FILE* out_;
    const BatchCounts& counts_;
    bool enabled_;
    bool tty_;
    uint64_t failed_ = 0;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
    bool line_open_ = false;
};

}  // namespace lbx::engine::cli
