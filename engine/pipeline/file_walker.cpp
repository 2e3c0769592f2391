#include "pipeline/file_walker.hpp"

#include <algorithm>
#include <system_error>

namespace lbx::engine {

namespace {

bool is_hidden(const std::filesystem::path& p) {
    const std::string name = p.filename().string();
    return !name.empty() && name[0] == '.';
}

// Depth-first, in name order, so two runs over the same tree see the same sequence. Directory
// symlinks are not followed (no loops); symlinks to files are.
bool walk_directory(const std::filesystem::path& dir, const std::function<bool(InputFile)>& emit) {
    std::error_code ec;
    std::vector<std::filesystem::directory_entry> entries;
    std::filesystem::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) return emit(InputFile{dir, true, "cannot list folder: " + ec.message()});
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
    for (const auto& entry : entries) {
        if (is_hidden(entry.path())) continue;
        std::error_code type_ec;
        if (entry.is_directory(type_ec) && !entry.is_symlink(type_ec)) {
            if (!walk_directory(entry.path(), emit)) return false;
        } else if (entry.is_regular_file(type_ec)) {
            if (!emit(InputFile{entry.path(), false, {}})) return false;
        }
    }
    return true;
}

bool walk_one(const std::string& input, const std::function<bool(InputFile)>& emit) {
    std::filesystem::path p(input);
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) return walk_directory(p, emit);
    return emit(InputFile{p, true, {}});  // a missing file fails when it is read, with the OS's reason
}

}  // namespace

bool walk_inputs(const std::vector<std::string>& inputs, std::istream& path_list,
                 const std::function<bool(InputFile)>& emit) {
    for (const std::string& input : inputs) {
        if (input == "-") {
            std::string line;
            while (std::getline(path_list, line)) {
                if (!line.empty() && line.back() == '\r') line.pop_back();
                if (line.empty()) continue;
                if (!walk_one(line, emit)) return false;
            }
        } else if (!walk_one(input, emit)) {
            return false;
        }
    }
    return true;
}

}  // namespace lbx::engine
