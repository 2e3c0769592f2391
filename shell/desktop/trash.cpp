#include "desktop/trash.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lbx::shell {
namespace fs = std::filesystem;

namespace {

ipc::Unexpected<ipc::Error> trash_error(const fs::path& file, const std::string& why) {
    return ipc::unexpected(ipc::make_error(ipc::Status::internal, "trash", "trash_failed",
                                           "cannot move '" + file.string() + "' to the trash: " + why));
}

std::string errno_text(int error) { return std::strerror(error); }

// The trash folder's files/ and info/, made when missing (mode 0700: the spec's, trash is private).
bool make_trash_dirs(const fs::path& trash, std::string& why) {
    for (const fs::path& dir : {trash, trash / "files", trash / "info"}) {
        std::error_code ignored;
        if (dir == trash) fs::create_directories(dir.parent_path(), ignored);  // $XDG_DATA_HOME itself may not exist yet
        if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
            why = "cannot make '" + dir.string() + "': " + errno_text(errno);
            return false;
        }
        struct stat st {};
        if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
            why = "'" + dir.string() + "' is not a folder";
            return false;
        }
    }
    return true;
}

// The top of the mount `file` is on: the highest ancestor on the same device.
fs::path mount_top(const fs::path& file, dev_t device) {
    fs::path top = file.parent_path();
    while (top.has_relative_path()) {
        struct stat st {};
        const fs::path up = top.parent_path();
        if (::stat(up.c_str(), &st) != 0 || st.st_dev != device) break;
        top = up;
    }
    return top;
}

// The trash to use for a file on another file system than the home trash, and the Path the info file
// gives (relative to the mount's top, as the spec asks of top-directory trashes).
bool mount_trash(const fs::path& file, dev_t device, fs::path& trash, fs::path& top, std::string& why) {
    top = mount_top(file, device);
    const std::string uid = std::to_string(::getuid());
    // $topdir/.Trash/$uid: only when .Trash is a real folder with the sticky bit (else another user could
    // have planted it), never through a link.
    const fs::path admin = top / ".Trash";
    struct stat st {};
    if (::lstat(admin.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX)) {
        trash = admin / uid;
        std::string ignored;
        if (make_trash_dirs(trash, ignored)) return true;
    }
    trash = top / (".Trash-" + uid);
    if (!make_trash_dirs(trash, why)) return false;
    struct stat own {};
    if (::lstat(trash.c_str(), &own) != 0 || own.st_uid != ::getuid()) {
        why = "'" + trash.string() + "' belongs to another user";
        return false;
    }
    return true;
}

std::string deletion_date() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &local);
    return text;
}

// Reserves a NAME in `trash` by making info/NAME.trashinfo with O_EXCL: "a.jpg", then "a.2.jpg", ...
bool reserve_name(const fs::path& trash, const fs::path& file, const std::string& info_text, std::string& name, std::string& why) {
    const std::string stem = file.stem().string(), extension = file.extension().string();
    for (int n = 1; n < 10'000; ++n) {
        name = n == 1 ? file.filename().string() : stem + "." + std::to_string(n) + extension;
        const fs::path info = trash / "info" / (name + ".trashinfo");
        const int fd = ::open(info.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno == EEXIST) continue;
        if (fd < 0) {
            why = "cannot write '" + info.string() + "': " + errno_text(errno);
            return false;
        }
        // Taken in files/ by something not listed in info/ (another program's half-done move): next name.
        struct stat st {};
        if (::lstat((trash / "files" / name).c_str(), &st) == 0) {
            ::close(fd);
            ::unlink(info.c_str());
            continue;
        }
        const bool written = ::write(fd, info_text.data(), info_text.size()) == static_cast<ssize_t>(info_text.size());
        const int write_error = errno;
        ::close(fd);
        if (!written) {
            ::unlink(info.c_str());
            why = "cannot write '" + info.string() + "': " + errno_text(write_error);
            return false;
        }
        return true;
    }
    why = "no free name in '" + trash.string() + "'";
    return false;
}

}  // namespace

fs::path home_trash() {
    const char* data_home = std::getenv("XDG_DATA_HOME");
    if (data_home != nullptr && data_home[0] == '/') return fs::path(data_home) / "Trash";
    const char* home = std::getenv("HOME");
    return fs::path(home != nullptr ? home : "/") / ".local" / "share" / "Trash";
}

std::string trash_path_escape(const std::string& path) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        const bool plain = std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
        if (plain) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    return out;
}

ipc::Expected<fs::path> move_to_trash(const fs::path& file, const fs::path& home) {
    struct stat st {};
    if (!file.is_absolute()) return trash_error(file, "not an absolute path");
    if (::lstat(file.c_str(), &st) != 0) {
        if (errno == ENOENT)
            return ipc::unexpected(ipc::make_error(ipc::Status::not_found, "trash", "not_found",
                                                   "cannot move '" + file.string() + "' to the trash: no such file"));
        return trash_error(file, errno_text(errno));
    }
    // The home trash when the file is on its file system (the home trash's nearest existing folder tells).
    fs::path trash = home;
    fs::path probe = home;
    struct stat home_st {};
    while (::stat(probe.c_str(), &home_st) != 0 && probe.has_relative_path()) probe = probe.parent_path();
    std::string why;
    std::string info_path = file.string();
    if (home_st.st_dev != st.st_dev) {
        fs::path top;
        if (!mount_trash(file, st.st_dev, trash, top, why)) return trash_error(file, why);
        info_path = fs::relative(file, top).string();
    } else if (!make_trash_dirs(trash, why)) {
        return trash_error(file, why);
    }
    const std::string info_text = "[Trash Info]\nPath=" + trash_path_escape(info_path) + "\nDeletionDate=" + deletion_date() + "\n";
    std::string name;
    if (!reserve_name(trash, file, info_text, name, why)) return trash_error(file, why);
    const fs::path target = trash / "files" / name;
    if (::rename(file.c_str(), target.c_str()) != 0) {
        const int error = errno;
        ::unlink((trash / "info" / (name + ".trashinfo")).c_str());
        return trash_error(file, "cannot rename it to '" + target.string() + "': " + errno_text(error));
    }
    return target;
}

}  // namespace lbx::shell
