// The per-user runtime directory, the default endpoints in it and the rules for explicit endpoints.
#include "lightbox/ipc/endpoint.hpp"
#include "lightbox/ipc/error_codes.hpp"
#include "lightbox/ipc/xdg.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string_view>

namespace lbx::ipc {
namespace {

Error dir_error(const std::filesystem::path& dir, std::string code, std::string what) {
    return make_error(Status::internal, "io", std::move(code), "runtime directory '" + dir.string() + "' " + what);
}

Error endpoint_error(const std::string& endpoint, std::string what) {
    return make_error(Status::bad_request, "config", "bad_endpoint", "endpoint '" + endpoint + "' " + what);
}

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

bool is_loopback_host(std::string_view host) {
    if (host == "localhost" || host == "[::1]") return true;
    if (!host.starts_with("127.")) return false;
    int dots = 0;
    for (char c : host) {
        if (c == '.') ++dots;
        else if (c < '0' || c > '9') return false;
    }
    return dots == 3;
}

}  // namespace

std::filesystem::path default_runtime_dir() {
    if (auto xdg = xdg_base_dir(XdgDir::runtime)) return *xdg / "lightbox";
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

std::filesystem::path endpoints_file(const std::filesystem::path& runtime_dir) { return runtime_dir / "endpoints"; }
std::filesystem::path token_file(const std::filesystem::path& runtime_dir) { return runtime_dir / "token"; }

bool is_tcp(const std::string& endpoint) { return endpoint.starts_with("tcp://"); }

std::optional<std::filesystem::path> ipc_path(const std::string& endpoint) {
    if (!endpoint.starts_with("ipc://")) return std::nullopt;
    return std::filesystem::path(endpoint.substr(6));
}

Expected<EndpointPair> endpoints_for(const std::string& command) {
    if (auto path = ipc_path(command)) {
        if (path->empty() || !path->is_absolute()) return unexpected(endpoint_error(command, "needs an absolute path"));
        std::filesystem::path events = *path;
        if (events.extension() == ".cmd") events.replace_extension(".events");
        else events += ".events";
        return EndpointPair{command, "ipc://" + events.string()};
    }
    if (command.starts_with("inproc://")) {
        if (command.size() == 9) return unexpected(endpoint_error(command, "needs a name"));
        return EndpointPair{command, command + ".events"};
    }
    if (is_tcp(command)) {
        const std::string rest = command.substr(6);
        const auto colon = rest.rfind(':');
        if (colon == std::string::npos) return unexpected(endpoint_error(command, "needs a port (tcp://127.0.0.1:PORT)"));
        const std::string host = rest.substr(0, colon);
        const std::string port = rest.substr(colon + 1);
        if (!is_loopback_host(host)) {
            return unexpected(endpoint_error(command, "is not a loopback address: the engine only listens on "
                                                      "127.0.0.1, localhost or [::1]"));
        }
        if (port == "*" || port == "0") return EndpointPair{"tcp://" + host + ":*", "tcp://" + host + ":*"};
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value >= 65535) {
            return unexpected(endpoint_error(command, "has no valid port (1..65534, or * for any free port)"));
        }
        return EndpointPair{command, "tcp://" + host + ":" + std::to_string(value + 1)};
    }
    return unexpected(endpoint_error(command, "has an unknown transport (expected ipc://, tcp:// or inproc://)"));
}

Expected<void> write_endpoints_file(const std::filesystem::path& file, const EndpointPair& endpoints) {
    const std::filesystem::path temp = file.string() + ".tmp";
    ::unlink(temp.c_str());  // a leftover of a killed engine keeps its mode: start from a fresh file
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        return unexpected(make_error(Status::internal, "io", "write_failed",
                                     "cannot write '" + temp.string() + "': " + std::strerror(errno)));
    }
    const std::string text = "command " + endpoints.commands + "\nevents " + endpoints.events + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!written || ::rename(temp.c_str(), file.c_str()) != 0) {
        ::unlink(temp.c_str());
        return unexpected(make_error(Status::internal, "io", "write_failed",
                                     "cannot write '" + file.string() + "': " + std::strerror(errno)));
    }
    return {};
}

Expected<EndpointPair> read_endpoints_file(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return unexpected(make_error(Status::not_found, "io", codes::kNotFound, "no engine endpoints file '" + file.string() + "'"));
    EndpointPair pair;
    // One "KEY ENDPOINT" per line; the endpoint is the rest of the line (an ipc:// path may hold spaces).
    std::string line;
    while (std::getline(in, line)) {
        const auto space = line.find(' ');
        if (space == std::string::npos) continue;
        const std::string_view key = std::string_view(line).substr(0, space);
        if (key == "command") pair.commands = line.substr(space + 1);
        else if (key == "events") pair.events = line.substr(space + 1);
    }
    if (pair.commands.empty() || pair.events.empty()) {
        return unexpected(make_error(Status::internal, "io", "malformed", "endpoints file '" + file.string() + "' is incomplete"));
    }
    return pair;
}

}  // namespace lbx::ipc
