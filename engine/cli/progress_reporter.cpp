#include "cli/progress_reporter.hpp"

#include <unistd.h>

namespace lbx::engine::cli {

namespace {

std::string clock_text(double seconds) {
    long s = static_cast<long>(seconds + 0.5);
    char b[32];
    if (s >= 3600) std::snprintf(b, sizeof b, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    else std::snprintf(b, sizeof b, "%ld:%02ld", s / 60, s % 60);
    return b;
}

}  // namespace

ProgressReporter::ProgressReporter(std::FILE* out, const BatchCounts& counts, bool enabled)
    : out_(out), counts_(counts), enabled_(enabled), tty_(isatty(fileno(out)) != 0),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

void ProgressReporter::file_done(bool ok) {
    if (!ok) ++failed_;
    tick();
}

void ProgressReporter::tick() {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    auto due = tty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
    if (now - last_draw_ < due) return;
    last_draw_ = now;
    draw();
}

void ProgressReporter::draw() {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    // Counted in files looked at (skipped non-photos included), so the numerator meets the total.
    const uint64_t done = counts_.processed.load();
    const double rate = elapsed > 0 ? done / elapsed : 0;
    bool total_known = counts_.expected_final.load() || counts_.walk_done.load();
    uint64_t total = counts_.expected_final.load() ? counts_.expected.load() : counts_.discovered.load();
    if (!counts_.expected_final.load() && counts_.expected.load() > total) total = counts_.expected.load();
    if (total < done) total = done;
    std::string eta = "?";
    if (total_known && rate > 0) eta = clock_text((total - done) / rate);
    char text[256];
    if (tty_) {
        const int width = 28;
        int filled = total_known && total ? static_cast<int>(width * double(done) / total) : 0;
        std::string bar(filled, '#');
        bar.resize(width, total_known ? '.' : ' ');
        std::snprintf(text, sizeof text, "\r[%s] %llu/%llu%s  %.1f files/s  ETA %s  %llu failed\x1b[K", bar.c_str(),
                      static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                      total_known ? "" : "+", rate, eta.c_str(), static_cast<unsigned long long>(failed_));
        line_open_ = true;
    } else {
        std::snprintf(text, sizeof text, "progress: %llu/%llu%s files, %llu failed, %.1f files/s, ETA %s\n",
                      static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                      total_known ? "" : "+", static_cast<unsigned long long>(failed_), rate, eta.c_str());
    }
    std::fputs(text, out_);
    std::fflush(out_);
}

void ProgressReporter::clear_line() {
    if (line_open_) {
        std::fputs("\r\x1b[K", out_);
        line_open_ = false;
    }
}

void ProgressReporter::finish(const BatchSummary& s, const std::string& thumbnail_dir) {
    clear_line();
    const uint64_t n = s.ok + s.failed;
    std::fprintf(out_, "%s%llu files: %llu ok, %llu failed", s.interrupted ? "interrupted after " : "",
                 static_cast<unsigned long long>(n), static_cast<unsigned long long>(s.ok),
                 static_cast<unsigned long long>(s.failed));
    if (s.unchanged) std::fprintf(out_, ", %llu unchanged (not read)", static_cast<unsigned long long>(s.unchanged));
    if (s.skipped) std::fprintf(out_, ", %llu skipped (not photos)", static_cast<unsigned long long>(s.skipped));
    std::fprintf(out_, " in %.2f s (%.1f files/s)\n", s.seconds, s.seconds > 0 ? n / s.seconds : 0.0);
    if (!thumbnail_dir.empty()) std::fprintf(out_, "thumbnails: %s\n", thumbnail_dir.c_str());
    std::fflush(out_);
}

}  // namespace lbx::engine::cli
