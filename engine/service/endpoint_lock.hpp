// Ownership of an `ipc://` endpoint. ZeroMQ's bind on an existing socket file silently takes it over, so
// the engine first takes an exclusive flock on "<socket>.lock": held, another engine owns the endpoint
// (refuse to start); free, any socket file there is stale, left by a killed engine, and is removed. The
// kernel releases the lock when the process dies, however it dies.
#pragma once

#include <lightbox/ipc/expected.hpp>

#include <filesystem>
#include <memory>
#include <vector>

namespace lbx::engine::service {

class EndpointLock {
public:
    // `sockets`: the socket files this engine will bind (command and events), removed when stale.
    static ipc::Expected<std::unique_ptr<EndpointLock>> acquire(const std::filesystem::path& command_socket,
                                                                std::vector<std::filesystem::path> sockets);
    ~EndpointLock();  // removes the socket files, then releases the lock
    EndpointLock(const EndpointLock&) = delete;
    EndpointLock& operator=(const EndpointLock&) = delete;

    EndpointLock(int fd, std::vector<std::filesystem::path> sockets) : fd_(fd), sockets_(std::move(sockets)) {}

private:
    int fd_;
    std::vector<std::filesystem::path> sockets_;
};

}  // namespace lbx::engine::service
