// Endpoints: the per-user runtime directory that only its owner can enter (sdk_docs/protocol.md,
// "Sockets and endpoints"), the default `ipc://` sockets in it, the files an engine leaves there
// (endpoints, token), and the rules for explicit endpoints (ipc, loopback tcp, inproc).
#pragma once

#include "lightbox/ipc/expected.hpp"

#include <filesystem>
#include <optional>
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

// Files the engine writes in its runtime directory: its endpoints once it is ready, and the TCP token.
std::filesystem::path endpoints_file(const std::filesystem::path& runtime_dir);
std::filesystem::path token_file(const std::filesystem::path& runtime_dir);

struct EndpointPair {
    std::string commands;
    std::string events;
    friend bool operator==(const EndpointPair&, const EndpointPair&) = default;
};

// The event endpoint that goes with a command endpoint, after checking the command endpoint:
//   ipc://DIR/NAME.cmd -> ipc://DIR/NAME.events (any other ipc path P -> P.events),
//   tcp://127.0.0.1:PORT -> tcp://127.0.0.1:PORT+1 (PORT `*` or 0: both ephemeral),
//   inproc://NAME -> inproc://NAME.events.
// TCP hosts must be loopback (127.x.x.x, localhost or [::1]): the engine is not a network service.
Expected<EndpointPair> endpoints_for(const std::string& command_endpoint);

bool is_tcp(const std::string& endpoint);
// The socket file of an `ipc://` endpoint; nothing for other transports.
std::optional<std::filesystem::path> ipc_path(const std::string& endpoint);

// "command ENDPOINT\nevents ENDPOINT\n", written to a temporary name and renamed, mode 0600.
Expected<void> write_endpoints_file(const std::filesystem::path& file, const EndpointPair& endpoints);
Expected<EndpointPair> read_endpoints_file(const std::filesystem::path& file);

}  // namespace lbx::ipc
