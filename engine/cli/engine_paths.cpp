#include "cli/engine_paths.hpp"

#include <system_error>

namespace lbx::engine::cli {

std::filesystem::path executable_dir() {
    std::error_code ec;
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::current_path() : exe.parent_path();
}

std::filesystem::path default_config_file() {
    return (executable_dir() / ".." / "share" / "lightbox" / "config" / "default.toml").lexically_normal();
}

}  // namespace lbx::engine::cli
