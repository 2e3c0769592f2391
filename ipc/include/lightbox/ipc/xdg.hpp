// The XDG base directories (freedesktop.org "XDG Base Directory Specification"), looked up in one place
// for the engine's catalog and user plugins (data), its thumbnails (cache) and the service's sockets
// (runtime), the plugin quarantine (state), and for the clients that find them.
#pragma once

#include <filesystem>
#include <optional>

namespace lbx::ipc {

enum class XdgDir {
    data,     // $XDG_DATA_HOME, else $HOME/.local/share
    cache,    // $XDG_CACHE_HOME, else $HOME/.cache
    runtime,  // $XDG_RUNTIME_DIR; the specification gives it no default under $HOME
    state,    // $XDG_STATE_HOME, else $HOME/.local/state (the plugin quarantine record)
};

// The base directory (without "lightbox"). A variable counts only when it is an absolute path, as the
// specification says; nothing when neither it nor $HOME is set (callers choose their own fallback: a
// folder anyone may create, such as one under /tmp, is no place to load plugins from).
std::optional<std::filesystem::path> xdg_base_dir(XdgDir which);

}  // namespace lbx::ipc
