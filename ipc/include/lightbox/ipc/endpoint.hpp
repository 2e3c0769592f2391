// The default endpoints: `ipc://` sockets in a per-user runtime directory that only its owner can enter
// (sdk_docs/protocol.md, "Sockets and endpoints"), so other users of the machine cannot connect.
#pragma once

#include "lightbox/ipc/expected.hpp"

#include <filesystem>
#include <string>

namespace lbx::ipc {

// `$XDG_RUNTIME_DIR/lightbox` when XDG_RUNTIME_DIR is an absolute path, else `/tmp/lightbox-<uid>`.
// Computes the path only; nothing is created.
std::filesystem::path default_runtime_dir();

// Creates `dir` (not its parents) with mode 0700 if it is missing, then checks it: a real directory (not a
// symlink), owned by the effective user, with no permission bits for group or others. Anything else is
// refused with an error naming the directory and what is wrong; nothing is changed in a directory that
// is refused.
Expected<std::filesystem::path> ensure_runtime_dir(const std::filesystem::path& dir);

// "ipc://<dir>/engine.cmd" and "ipc://<dir>/engine.events".
std::string command_endpoint(const std::filesystem::path& runtime_dir);
std::string event_endpoint(const std::filesystem::path& runtime_dir);

}  // namespace lbx::ipc
