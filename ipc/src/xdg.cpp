#include "lightbox/ipc/xdg.hpp"

#include <cstdlib>

namespace lbx::ipc {

std::optional<std::filesystem::path> xdg_base_dir(XdgDir which) {
    const char* variable = which == XdgDir::data    ? "XDG_DATA_HOME"
                           : which == XdgDir::cache ? "XDG_CACHE_HOME"
                           : which == XdgDir::state ? "XDG_STATE_HOME"
                                                    : "XDG_RUNTIME_DIR";
    if (const char* value = std::getenv(variable); value != nullptr && value[0] == '/') return std::filesystem::path(value);
    if (which == XdgDir::runtime) return std::nullopt;
    const char* home = std::getenv("HOME");
    if (home == nullptr || home[0] == '\0') return std::nullopt;
    if (which == XdgDir::state) return std::filesystem::path(home) / ".local" / "state";
    return which == XdgDir::data ? std::filesystem::path(home) / ".local" / "share" : std::filesystem::path(home) / ".cache";
}

}  // namespace lbx::ipc
