#include "catalog/scan_filter.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <sys/stat.h>

namespace lbx::engine::catalog {

std::optional<PhotoResult> ScanFilter::precheck(const InputFile& file) const {
    if (file.problem != WalkProblem::none) return std::nullopt;
    auto it = known_.find(file.path.string());
    if (it == known_.end()) return std::nullopt;
    struct stat st {};
    if (::stat(file.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;  // reading reports it
    const int64_t mtime_ns = int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
    const FileState& known = it->second;
    if (known.size != static_cast<uint64_t>(st.st_size) || known.mtime_ns != mtime_ns) return std::nullopt;
    if (known.status == ipc::file_state::kFailed && retry_failed_) return std::nullopt;
    PhotoResult r;
    r.path = file.path.string();
    r.unchanged = true;
    r.hash = known.hash;
    r.file_size = known.size;
    r.mtime_ns = mtime_ns;
    // Not read again, yet still failed: the result carries the recorded failure, so the run reports it
    // as failed (and exits 1) rather than as a plain unchanged file.
    if (known.status == "failed") {
        r.failure = known.failure.value_or(
            StageFailure{"read", "engine", "engine", "", "failed", "failed in an earlier scan (no recorded reason)"});
    }
    return r;
}

}  // namespace lbx::engine::catalog
