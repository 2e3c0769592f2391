// lightbox: the desktop app (shell/README.md). Usage errors, --help and --gallery list are answered
// before wx starts (they need no display).
#include "app/command_line.hpp"
#include "app/shell_app.hpp"
#include "views/gallery.hpp"

#include <cstdio>

wxIMPLEMENT_APP_NO_MAIN(lbx::shell::ShellApp);

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string error;
    const auto cl = lbx::shell::parse_command_line(args, error);
    if (!cl) {
        std::fprintf(stderr, "lightbox: %s\n%s", error.c_str(), lbx::shell::usage().c_str());
        return 2;
    }
    if (cl->help) {
        std::printf("%s", lbx::shell::usage().c_str());
        return 0;
    }
    if (cl->gallery == "list") {
        for (const auto& name : lbx::shell::gallery_views()) std::printf("%s\n", name.c_str());
        return 0;
    }
    if (!cl->gallery.empty()) {
        bool known = false;
        for (const auto& name : lbx::shell::gallery_views()) known = known || name == cl->gallery;
        if (!known) {
            std::fprintf(stderr, "lightbox: no gallery view '%s' (try --gallery list)\n", cl->gallery.c_str());
            return 2;
        }
    }
    return wxEntry(argc, argv);
}
