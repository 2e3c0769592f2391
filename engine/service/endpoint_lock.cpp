#include "service/endpoint_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace lbx::engine::service {

ipc::Expected<std::unique_ptr<EndpointLock>> EndpointLock::acquire(const std::filesystem::path& command_socket,
                                                                   std::vector<std::filesystem::path> sockets) {
    const std::filesystem::path lock_file = command_socket.string() + ".lock";
    const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return ipc::unexpected(ipc::make_error(ipc::Status::internal, "io", "lock_failed",
                                               "cannot open lock file '" + lock_file.string() + "': " + std::strerror(errno)));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = {};
        [[maybe_unused]] ssize_t n = ::pread(fd, pid, sizeof pid - 1, 0);
        ::close(fd);
        std::string owner = pid[0] ? " (pid " + std::string(pid, std::strcspn(pid, "\n")) + ")" : "";
        return ipc::unexpected(ipc::make_error(ipc::Status::busy, "engine", "endpoint_in_use",
                                               "another engine" + owner + " is already serving at ipc://" +
                                                   command_socket.string()));
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) [[maybe_unused]] ssize_t n = ::pwrite(fd, pid.data(), pid.size(), 0);
    for (const auto& socket : sockets) ::unlink(socket.c_str());  // stale: their owner is gone
    return std::make_unique<EndpointLock>(fd, std::move(sockets));
}

EndpointLock::~EndpointLock() {
    for (const auto& socket : sockets_) ::unlink(socket.c_str());
    ::close(fd_);
}

}  // namespace lbx::engine::service
