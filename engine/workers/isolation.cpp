#include "workers/isolation.hpp"

#include <algorithm>
#include <unistd.h>

namespace lbx::engine {

Expected<IsolationMode> isolation_mode_from_name(const std::string& name) {
    if (name == "process") return IsolationMode::process;
    if (name == "none") return IsolationMode::none;
    return unexpected(make_error("config", "invalid_param", "isolation is 'process' or 'none', not '" + name + "'"));
}

const char* isolation_mode_name(IsolationMode mode) {
    return mode == IsolationMode::process ? "process" : "none";
}

uint64_t default_memory_cap(unsigned workers) {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long page_size = ::sysconf(_SC_PAGESIZE);
    const uint64_t physical = pages > 0 && page_size > 0 ? uint64_t(pages) * uint64_t(page_size) : uint64_t(4) << 30;
    const uint64_t share = physical / 10 * 8 / std::max(1u, workers);
    return std::max<uint64_t>(share, uint64_t(1) << 30);
}

std::chrono::milliseconds file_deadline(const IsolationOptions& options, uint64_t file_bytes) {
    const double mib = static_cast<double>(file_bytes) / (1024.0 * 1024.0);
    const double seconds = options.file_timeout_seconds + options.file_timeout_per_mib_seconds * mib;
    return std::chrono::milliseconds(static_cast<int64_t>(std::min(seconds, 86400.0) * 1000));
}

}  // namespace lbx::engine
