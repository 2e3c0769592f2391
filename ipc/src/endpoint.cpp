// The per-user runtime directory and the default endpoints in it.
#include "lightbox/ipc/endpoint.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace lbx::ipc {
namespace {

Error dir_error(const std::filesystem::path& dir, std::string code, std::string what) {
    return make_error(Status::internal, "io", std::move(code), "runtime directory '" + dir.string() + "' " + what);
}

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

}  // namespace

std::filesystem::path default_runtime_dir() {
    if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg != nullptr && xdg[0] == '/') {
        return std::filesystem::path(xdg) / "lightbox";
    }
    return std::filesystem::path("/tmp") / ("lightbox-" + std::to_string(::geteuid()));
}

Expected<std::filesystem::path> ensure_runtime_dir(const std::filesystem::path& dir) {
    if (::mkdir(dir.c_str(), 0700) == 0) {
        // The umask may have removed bits; make it exactly 0700 (it is ours: we just created it).
        if (::chmod(dir.c_str(), 0700) != 0) {
            return unexpected(dir_error(dir, "chmod_failed", std::string("cannot be set to mode 0700: ") +
                                                                 std::strerror(errno)));
        }
    } else if (errno != EEXIST) {
        return unexpected(dir_error(dir, "create_failed", std::string("cannot be created: ") + std::strerror(errno)));
    }
    struct stat info {};
    if (::lstat(dir.c_str(), &info) != 0) {
        return unexpected(dir_error(dir, "stat_failed", std::string("cannot be read: ") + std::strerror(errno)));
    }
    if (S_ISLNK(info.st_mode)) return unexpected(dir_error(dir, "unsafe", "is a symbolic link"));
    if (!S_ISDIR(info.st_mode)) return unexpected(dir_error(dir, "unsafe", "is not a directory"));
    if (info.st_uid != ::geteuid()) {
        return unexpected(dir_error(dir, "unsafe", "is owned by uid " + std::to_string(info.st_uid) + ", not by uid " +
                                                       std::to_string(::geteuid())));
    }
    if ((info.st_mode & 077) != 0) {
        return unexpected(dir_error(dir, "unsafe", "has mode " + octal_mode(info.st_mode) +
                                                       ": other users could reach the engine (expected 0700)"));
    }
    return dir;
}

std::string command_endpoint(const std::filesystem::path& runtime_dir) {
    return "ipc://" + (runtime_dir / "engine.cmd").string();
}

std::string event_endpoint(const std::filesystem::path& runtime_dir) {
    return "ipc://" + (runtime_dir / "engine.events").string();
}

}  // namespace lbx::ipc
