// Moving files to the desktop's trash, as the freedesktop.org Trash specification 1.0 says
// (https://specifications.freedesktop.org/trash-spec/trashspec-1.0.html), so that the file manager lists
// them and can put them back:
// - the home trash, $XDG_DATA_HOME/Trash (~/.local/share/Trash), for files on the home's file system;
// - for a file on another file system, the trash at the top of its mount: $topdir/.Trash/$uid when an
//   administrator made $topdir/.Trash (a folder, sticky, not a link), else $topdir/.Trash-$uid.
// Each trashed file gets files/NAME and info/NAME.trashinfo (its original path and deletion date). The
// info file is made first, with O_EXCL, which reserves NAME; then the file is renamed into files/. A
// file is never copied and deleted: where no trash on its own file system can be used, it stays where
// it is and the error says why. No wx, no GIO: tested without a desktop.
#pragma once

#include "lightbox/ipc/expected.hpp"

#include <filesystem>
#include <string>

namespace lbx::shell {

// The home trash: $XDG_DATA_HOME/Trash, or $HOME/.local/share/Trash when XDG_DATA_HOME is unset or relative.
std::filesystem::path home_trash();

// Moves `file` (an absolute path) to the trash of its file system: the home trash when it is on the
// same file system as `home` (home_trash() for the desktop's), else its mount's. Returns where the file
// went (…/files/NAME). Errors: not_found (no such file), internal (no usable trash, or the rename or
// the info file failed: the message names the file and the reason).
ipc::Expected<std::filesystem::path> move_to_trash(const std::filesystem::path& file, const std::filesystem::path& home);

// A trashinfo Path value: the path with every byte but unreserved ones and '/' written as %XX (RFC 2396).
std::string trash_path_escape(const std::string& path);

}  // namespace lbx::shell
