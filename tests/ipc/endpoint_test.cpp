// The per-user runtime directory: created 0700, refused when it is a symlink, a file, too open or owned
// by another user; the default location follows XDG_RUNTIME_DIR.
#include "support/test_files.hpp"

#include "lightbox/ipc/endpoint.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

using namespace lbx;
namespace fs = std::filesystem;

namespace {


// Sets or unsets an environment variable for the scope and restores it afterwards.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~ScopedEnv() {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("the default runtime directory follows XDG_RUNTIME_DIR", "[ipc]") {
    {
        ScopedEnv env("XDG_RUNTIME_DIR", "/run/user/1234");
        CHECK(ipc::default_runtime_dir() == fs::path("/run/user/1234/lightbox"));
    }
    const fs::path fallback = "/tmp/lightbox-" + std::to_string(::geteuid());
    {
        ScopedEnv env("XDG_RUNTIME_DIR", nullptr);
        CHECK(ipc::default_runtime_dir() == fallback);
    }
    {
        ScopedEnv env("XDG_RUNTIME_DIR", "relative/dir");  // not absolute: ignored, as the XDG spec says
        CHECK(ipc::default_runtime_dir() == fallback);
    }
    {
        ScopedEnv env("XDG_RUNTIME_DIR", "");
        CHECK(ipc::default_runtime_dir() == fallback);
    }
    CHECK(ipc::command_endpoint("/run/user/1234/lightbox") == "ipc:///run/user/1234/lightbox/engine.cmd");
    CHECK(ipc::event_endpoint("/run/user/1234/lightbox") == "ipc:///run/user/1234/lightbox/engine.events");
}

TEST_CASE("the runtime directory is created with mode 0700, whatever the umask", "[ipc]") {
    test::TempDir tmp;
    const fs::path dir = tmp / "lightbox";
    const mode_t old_umask = ::umask(0);  // the most permissive umask
    auto created = ipc::ensure_runtime_dir(dir);
    ::umask(old_umask);
    REQUIRE(created);
    CHECK(*created == dir);
    CHECK(fs::is_directory(dir));
    CHECK(lbx::test::file_mode(dir) == 0700);
    // A second engine start finds it as it left it.
    auto again = ipc::ensure_runtime_dir(dir);
    REQUIRE(again);
    CHECK(lbx::test::file_mode(dir) == 0700);
}

TEST_CASE("an unsafe runtime directory is refused and left alone", "[ipc]") {
    test::TempDir tmp;
    SECTION("readable by others") {
        const fs::path dir = tmp / "open";
        fs::create_directory(dir);
        ::chmod(dir.c_str(), 0755);
        auto result = ipc::ensure_runtime_dir(dir);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == "unsafe");
        CHECK(result.error().message ==
              "runtime directory '" + dir.string() + "' has mode 0755: other users could reach the engine (expected 0700)");
        CHECK(lbx::test::file_mode(dir) == 0755);  // not changed
    }
    SECTION("a symbolic link, even to a safe directory") {
        const fs::path target = tmp / "target";
        REQUIRE(ipc::ensure_runtime_dir(target));
        const fs::path link = tmp / "link";
        fs::create_directory_symlink(target, link);
        auto result = ipc::ensure_runtime_dir(link);
        REQUIRE_FALSE(result);
        CHECK(result.error().message == "runtime directory '" + link.string() + "' is a symbolic link");
    }
    SECTION("a regular file") {
        const fs::path file = tmp / "file";
        std::ofstream(file) << "x";
        auto result = ipc::ensure_runtime_dir(file);
        REQUIRE_FALSE(result);
        CHECK(result.error().message == "runtime directory '" + file.string() + "' is not a directory");
    }
    SECTION("a missing parent") {
        auto result = ipc::ensure_runtime_dir(tmp / "no" / "such" / "parent");
        REQUIRE_FALSE(result);
        CHECK(result.error().code == "create_failed");
    }
    SECTION("owned by another user") {
        if (::geteuid() != 0) {
            WARN("skipped: needs root to make a directory owned by another user");
            return;
        }
        const fs::path dir = tmp / "theirs";
        fs::create_directory(dir);
        ::chmod(dir.c_str(), 0700);
        REQUIRE(::chown(dir.c_str(), 65534, 65534) == 0);
        auto result = ipc::ensure_runtime_dir(dir);
        REQUIRE_FALSE(result);
        CHECK(result.error().message == "runtime directory '" + dir.string() + "' is owned by uid 65534, not by uid 0");
    }
}
