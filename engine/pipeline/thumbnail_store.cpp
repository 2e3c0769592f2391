#include "pipeline/thumbnail_store.hpp"

#include "pipeline/photo_result.hpp"

#include <lightbox/ipc/xdg.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>

namespace lbx::engine {

std::filesystem::path ThumbnailStore::path_for(const std::string& hash, uint32_t size, const std::string& mime_type) const {
    const char* ext = mime_type == "image/webp" ? ".webp" : (mime_type == "image/png" ? ".png" : ".jpg");
    const std::string folder = size == kFullResolutionSize ? std::string("full") : std::to_string(size);
    return root_ / folder / hash.substr(0, 2) / (hash + ext);
}

Expected<std::filesystem::path> ThumbnailStore::write(const std::string& hash, uint32_t size,
                                                      const std::string& mime_type,
                                                      std::span<const uint8_t> data) const {
    const std::filesystem::path target = path_for(hash, size, mime_type);
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    if (ec) return unexpected(make_error("io", "write_failed", "cannot create '" + target.parent_path().string() + "': " + ec.message()));
    // A name unique per machine, process and write, so concurrent writers of the same hash never collide,
    // also engines on several machines sharing the folder over a network filesystem (a PostgreSQL
    // library's shared thumbnails): the rename then replaces the file whole, whoever wins.
    static std::atomic<uint64_t> counter{0};
    static const std::string host = [] {
        char name[256] = {};
        return ::gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("host");
    }();
    const std::filesystem::path tmp = target.string() + ".tmp." + host + "." + std::to_string(getpid()) + "." +
                                      std::to_string(counter.fetch_add(1));
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return unexpected(make_error("io", "write_failed", "cannot write '" + tmp.string() + "': " + std::strerror(errno)));
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            std::string why = std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            return unexpected(make_error("io", "write_failed", "cannot write '" + tmp.string() + "': " + why));
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        std::string why = std::strerror(errno);
        ::unlink(tmp.c_str());
        return unexpected(make_error("io", "write_failed", "cannot rename to '" + target.string() + "': " + why));
    }
    return target;
}

std::filesystem::path default_thumbnail_dir() {
    const auto cache = ipc::xdg_base_dir(ipc::XdgDir::cache).value_or(std::filesystem::path("/tmp") / ".cache");
    return cache / "lightbox" / "thumbs";
}

}  // namespace lbx::engine
