// Turns the paths a user gives into a stream of files: folders are walked recursively in name order,
// hidden files and folders (".name") inside them are skipped, and "-" reads one path per line from a
// stream. Files are produced one at a time, so a run never holds the whole list in memory.
#pragma once

#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <vector>

namespace lbx::engine {

struct InputFile {
    std::filesystem::path path;
    bool named_explicitly = false;  // given by the user, not found in a folder: never skipped silently
    std::string walk_error;         // set when a folder could not be listed
};

// Calls `emit` for every file; stops early when it returns false. Returns false if stopped early.
bool walk_inputs(const std::vector<std::string>& inputs, std::istream& path_list,
                 const std::function<bool(InputFile)>& emit);

}  // namespace lbx::engine
