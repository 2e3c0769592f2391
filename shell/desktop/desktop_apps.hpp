// The desktop's applications for a file ("Open with"), read through GIO: the .desktop files under
// $XDG_DATA_HOME and $XDG_DATA_DIRS that declare the file's MIME type, and the user's default from
// mimeapps.list. No wx here, so the lookup and the launch are tested without a window.
#pragma once

#include "lightbox/ipc/error.hpp"
#include "lightbox/ipc/expected.hpp"

#include <string>
#include <vector>

namespace lbx::shell {

struct DesktopApp {
    std::string id;    // the desktop file's name, "org.gnome.eog.desktop"
    std::string name;  // as the desktop shows it, "Image Viewer"
    bool is_default = false;
};

// The MIME type the desktop gives `path` by its name; `fallback` (the engine's "image/<format>") when the
// desktop cannot tell (no shared-mime-info, or an unknown extension).
std::string desktop_mime_type(const std::string& path, const std::string& fallback);

// The applications that open files of `mime_type`, the user's default first, then by name.
std::vector<DesktopApp> apps_for_type(const std::string& mime_type);

// Starts application `app_id` on `path` without waiting for it. Errors: not_found (no such application),
// internal (it could not be started; GIO's message).
ipc::Expected<void> open_with(const std::string& app_id, const std::string& path);

}  // namespace lbx::shell
