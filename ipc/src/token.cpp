// TCP tokens: random, stored 0600, compared in constant time.
#include "lightbox/ipc/token.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace lbx::ipc {
namespace {

Error io_error(std::string code, std::string message) {
    return make_error(Status::internal, "io", std::move(code), std::move(message));
}

}  // namespace

Expected<std::string> generate_token() {
    std::array<unsigned char, 32> bytes{};
    std::size_t got = 0;
    while (got < bytes.size()) {
        const ssize_t n = ::getrandom(bytes.data() + got, bytes.size() - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return unexpected(io_error("random_failed", std::string("cannot get random bytes: ") + std::strerror(errno)));
        got += static_cast<std::size_t>(n);
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string token;
    for (unsigned char b : bytes) {
        token += kHex[b >> 4];
        token += kHex[b & 15];
    }
    return token;
}

Expected<void> write_token_file(const std::filesystem::path& file, const std::string& token) {
    ::unlink(file.c_str());  // a file left by an earlier engine may have other modes or be a symlink
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return unexpected(io_error("write_failed", "cannot create token file '" + file.string() + "': " + std::strerror(errno)));
    const bool ok = ::fchmod(fd, 0600) == 0 &&
                    ::write(fd, token.data(), token.size()) == static_cast<ssize_t>(token.size());
    ::close(fd);
    if (!ok) return unexpected(io_error("write_failed", "cannot write token file '" + file.string() + "'"));
    return {};
}

Expected<std::string> read_token_file(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string token;
    if (!in || !(in >> token)) {
        return unexpected(make_error(Status::unauthorized, "auth", "no_token",
                                     "cannot read the engine's token from '" + file.string() + "'"));
    }
    return token;
}

bool tokens_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace lbx::ipc
