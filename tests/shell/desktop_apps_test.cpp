// "Open with" against real desktop files: GIO reads them from a private $XDG_DATA_HOME (the machine's own
// applications are hidden by an empty $XDG_DATA_DIRS) and starts a real program, a script that writes
// down the file it was given.
#include "desktop/desktop_apps.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

using namespace lbx::shell;
namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_desktop_file(const fs::path& applications, const std::string& id, const std::string& name,
                        const fs::path& program, const std::string& mime_types) {
    write_text(applications / id, "[Desktop Entry]\nType=Application\nName=" + name + "\nExec=" + program.string() +
                                      " %f\nMimeType=" + mime_types + "\n");
}

}  // namespace

TEST_CASE("Open with lists the desktop's applications for the type, the default first, and starts one on the file", "[shell][desktop]") {
    char pattern[] = "/tmp/lbx-desktop-XXXXXX";
    REQUIRE(mkdtemp(pattern));
    const fs::path root = pattern;
    // GIO reads these once, at its first use: set before anything asks.
    setenv("XDG_DATA_HOME", (root / "data").c_str(), 1);
    setenv("XDG_DATA_DIRS", (root / "no-system-data").c_str(), 1);
    setenv("XDG_CONFIG_HOME", (root / "config").c_str(), 1);
    setenv("XDG_CONFIG_DIRS", (root / "no-system-config").c_str(), 1);

    const fs::path viewer = root / "viewer.sh";
    const fs::path opened = root / "opened.txt";
    write_text(viewer, "#!/bin/sh\nprintf '%s' \"$1\" > " + opened.string() + ".part && mv " + opened.string() +
                           ".part " + opened.string() + "\n");
    fs::permissions(viewer, fs::perms::owner_all);
    const fs::path applications = root / "data" / "applications";
    write_desktop_file(applications, "lightbox-test-viewer.desktop", "Zed Viewer", viewer, "image/jpeg;image/png;");
    write_desktop_file(applications, "lightbox-test-editor.desktop", "Alpha Editor", "/bin/true", "image/jpeg;");
    write_desktop_file(applications, "lightbox-test-player.desktop", "Player", "/bin/true", "video/mp4;");
    // What update-desktop-database writes (Debian runs it whenever a package installs a desktop file):
    // GIO finds applications by type through this index, not by reading every desktop file.
    write_text(applications / "mimeinfo.cache",
               "[MIME Cache]\nimage/jpeg=lightbox-test-editor.desktop;lightbox-test-viewer.desktop;\n"
               "image/png=lightbox-test-viewer.desktop;\nvideo/mp4=lightbox-test-player.desktop;\n");
    // The user's choice, which outranks the index's order.
    write_text(root / "config" / "mimeapps.list", "[Default Applications]\nimage/jpeg=lightbox-test-viewer.desktop\n");

    const auto jpeg_apps = apps_for_type("image/jpeg");
    REQUIRE(jpeg_apps.size() == 2);
    CHECK(jpeg_apps[0].id == "lightbox-test-viewer.desktop");  // the default first, though Z sorts last
    CHECK(jpeg_apps[0].name == "Zed Viewer");
    CHECK(jpeg_apps[0].is_default);
    CHECK(jpeg_apps[1].id == "lightbox-test-editor.desktop");
    CHECK_FALSE(jpeg_apps[1].is_default);

    const auto png_apps = apps_for_type("image/png");
    REQUIRE(png_apps.size() == 1);
    CHECK(png_apps[0].id == "lightbox-test-viewer.desktop");
    CHECK(apps_for_type("image/heic").empty());
    CHECK(apps_for_type("").empty());

    // The desktop's type of a name, else the engine's: a photo without its usual extension is still one.
    CHECK(desktop_mime_type(root / "no-extension", "image/jpeg") == "image/jpeg");

    const fs::path photo = root / "a photo with spaces.jpg";
    write_text(photo, "not really a jpeg; the viewer only writes its argument down");
    REQUIRE(open_with("lightbox-test-viewer.desktop", photo.string()));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!fs::exists(opened) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(fs::exists(opened));
    CHECK(read_text(opened) == photo.string());

    const auto missing = open_with("lightbox-no-such-app.desktop", photo.string());
    REQUIRE_FALSE(missing);
    CHECK(missing.error().status == lbx::ipc::Status::not_found);
    CHECK(missing.error().code == "no_application");
    CHECK(missing.error().message.find("lightbox-no-such-app.desktop") != std::string::npos);

    fs::remove_all(root);
}
