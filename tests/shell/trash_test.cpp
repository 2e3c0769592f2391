// Moving files to the freedesktop.org trash: files/NAME and info/NAME.trashinfo with the original path
// (escaped) and the deletion date, names that never overwrite what the trash holds, and errors as values.
#include "desktop/trash.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace lbx::shell;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("lbx-trash-" + std::to_string(std::random_device{}()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("a file goes to files/ with its trashinfo, and a second of the same name gets another name", "[shell][trash]") {
    TempDir dir;
    const fs::path trash = dir.path / "data" / "Trash";
    const fs::path photo = dir.path / "photos" / "a copy (2).jpg";
    write(photo, "one");
    auto moved = move_to_trash(photo, trash);
    if (!moved) FAIL(moved.error().message);
    CHECK(*moved == trash / "files" / "a copy (2).jpg");
    CHECK_FALSE(fs::exists(photo));
    CHECK(read(*moved) == "one");
    const std::string info = read(trash / "info" / "a copy (2).jpg.trashinfo");
    CHECK(info.rfind("[Trash Info]\nPath=" + trash_path_escape(photo.string()) + "\nDeletionDate=", 0) == 0);
    CHECK(info.find("%20copy%20%282%29.jpg") != std::string::npos);
    CHECK(info.size() == std::string("[Trash Info]\nPath=" + trash_path_escape(photo.string()) + "\nDeletionDate=2026-01-01T00:00:00\n").size());
    CHECK((fs::status(trash).permissions() & fs::perms::all) == fs::perms::owner_all);

    write(photo, "two");
    auto again = move_to_trash(photo, trash);
    REQUIRE(again);
    CHECK(*again == trash / "files" / "a copy (2).2.jpg");
    CHECK(read(*again) == "two");
    CHECK(read(trash / "files" / "a copy (2).jpg") == "one");  // never overwritten
    CHECK(fs::exists(trash / "info" / "a copy (2).2.jpg.trashinfo"));
}

TEST_CASE("a missing file or a relative path is an error and touches nothing", "[shell][trash]") {
    TempDir dir;
    const fs::path trash = dir.path / "Trash";
    auto missing = move_to_trash(dir.path / "gone.jpg", trash);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().status == lbx::ipc::Status::not_found);
    CHECK(missing.error().message == "cannot move '" + (dir.path / "gone.jpg").string() + "' to the trash: no such file");
    auto relative = move_to_trash("a.jpg", trash);
    REQUIRE_FALSE(relative);
    CHECK_FALSE(fs::exists(trash / "info"));
}

TEST_CASE("the home trash follows XDG_DATA_HOME, else HOME", "[shell][trash]") {
    const char* saved_data = std::getenv("XDG_DATA_HOME");
    const std::string data = saved_data ? saved_data : "";
    ::setenv("XDG_DATA_HOME", "/x/data", 1);
    CHECK(home_trash() == fs::path("/x/data/Trash"));
    ::setenv("XDG_DATA_HOME", "relative", 1);  // the spec ignores a relative value
    ::setenv("HOME", ::getenv("HOME") ? ::getenv("HOME") : "/home/u", 1);
    CHECK(home_trash() == fs::path(::getenv("HOME")) / ".local/share/Trash");
    if (saved_data) ::setenv("XDG_DATA_HOME", data.c_str(), 1);
    else ::unsetenv("XDG_DATA_HOME");
}

TEST_CASE("trashinfo paths escape everything but unreserved characters and slashes", "[shell][trash]") {
    CHECK(trash_path_escape("/p/a b/ü%.jpg") == "/p/a%20b/%C3%BC%25.jpg");
    CHECK(trash_path_escape("/p/IMG_0001-x~1.JPG") == "/p/IMG_0001-x~1.JPG");
}

// The top of the file system `path` lies on: its highest ancestor on the same device. /dev/shm is one
// on most machines; in a chroot with only /dev bound in, it is a folder of /dev's.
fs::path mount_top(const fs::path& path) {
    struct stat own {};
    if (::stat(path.c_str(), &own) != 0) return path;
    fs::path top = path;
    for (fs::path up = path.parent_path(); up != top; top = up, up = up.parent_path()) {
        struct stat above {};
        if (::stat(up.c_str(), &above) != 0 || above.st_dev != own.st_dev) break;
    }
    return top;
}

TEST_CASE("a file on another file system goes to the trash at the top of its mount", "[shell][trash]") {
    TempDir home;
    const fs::path other = "/dev/shm";
    struct stat a {}, b {};
    if (::stat(other.c_str(), &a) != 0 || ::stat(home.path.c_str(), &b) != 0 || a.st_dev == b.st_dev || ::access(other.c_str(), W_OK) != 0) {
        WARN("no writable second file system at /dev/shm: not checked");
        return;
    }
    const fs::path photo = other / ("lbx-trash-test-" + std::to_string(std::random_device{}()) + ".jpg");
    write(photo, "x");
    auto moved = move_to_trash(photo, home.path / "Trash");
    if (!moved) {
        fs::remove(photo);
        FAIL(moved.error().message);
    }
    const fs::path top = mount_top(other);
    const fs::path trash = top / (".Trash-" + std::to_string(::getuid()));
    CHECK(moved->parent_path() == trash / "files");
    const fs::path info = trash / "info" / (moved->filename().string() + ".trashinfo");
    // A top-directory trash gives the path relative to the mount's top.
    CHECK(read(info).find("\nPath=" + photo.lexically_relative(top).string() + "\n") != std::string::npos);
    fs::remove(*moved);
    fs::remove(info);
    CHECK_FALSE(fs::exists(home.path / "Trash" / "files" / photo.filename()));
}
