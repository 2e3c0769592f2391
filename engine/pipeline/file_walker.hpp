// Turns the paths a user gives into a stream of files: folders are walked recursively in name order,
// hidden files and folders (".name") inside them are skipped, and "-" reads paths from a stream, one per
// line or NUL-terminated (PathList). Files are produced one at a time, so a run never holds the whole list in memory.
// What a walked folder holds besides regular files is reported too, never dropped in silence: a folder
// that cannot be listed, a special file (FIFO, socket, device) and a dangling or looping symlink each
// come out as an InputFile with a `problem`, so the pipeline gives them a result and the run a count.
#pragma once

#include <sys/types.h>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <vector>

namespace lbx::engine {

// What the walker found at a path instead of a file to read.
enum class WalkProblem {
    none,
    unlisted_folder,  // a folder that could not be listed: its files were not seen (the walk is incomplete)
    special_file,     // a FIFO, socket or device node found in a folder (or a symlink to one): never opened
    broken_link,      // a symlink found in a folder whose target is missing or that loops
};

struct InputFile {
    std::filesystem::path path;
    bool named_explicitly = false;  // given by the user, not found in a folder: never skipped silently
    std::string walk_error;         // with a problem: what it is, "cannot list folder: Permission denied"
    WalkProblem problem = WalkProblem::none;
};

// What "-" reads: one path per line (a trailing CR dropped, blank lines skipped), or with `nul_separated`
// NUL-terminated paths as `find -print0` writes them, where every other byte, a newline too, belongs to
// the path. A path never holds a NUL byte, so a NUL in a newline-separated list means the list was
// NUL-terminated: reading stops before that line and `error` says so, for the caller to report (a path
// cut at the NUL would name another file, and one with the NUL cannot be opened).
struct PathList {
    PathList(std::istream& in, bool nul = false) : stream(in), nul_separated(nul) {}
    std::istream& stream;
    bool nul_separated = false;
    std::string error;  // set by the walk: "stdin line 1 holds a NUL byte: ..."
};

// Calls `emit` for every file; stops early when it returns false. Returns false if stopped early (or at
// a malformed path list: `path_list.error`).
bool walk_inputs(const std::vector<std::string>& inputs, PathList& path_list, const std::function<bool(InputFile)>& emit);
// The same with a newline-separated list.
bool walk_inputs(const std::vector<std::string>& inputs, std::istream& path_list,
                 const std::function<bool(InputFile)>& emit);

// "a FIFO (named pipe)", "a socket", "a character device", ... for a stat() st_mode.
std::string file_type_text(mode_t mode);

}  // namespace lbx::engine
