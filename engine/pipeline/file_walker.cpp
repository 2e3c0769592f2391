#include "pipeline/file_walker.hpp"

#include <sys/stat.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace lbx::engine {

namespace {

bool is_hidden(const std::filesystem::path& p) {
    const std::string name = p.filename().string();
    return !name.empty() && name[0] == '.';
}

// The kind of a special file in words, for its skip line.
std::string special_kind(std::filesystem::file_type type) {
    switch (type) {
        case std::filesystem::file_type::fifo:
            return "a FIFO (named pipe)";
        case std::filesystem::file_type::socket:
            return "a socket";
        case std::filesystem::file_type::character:
            return "a character device";
        case std::filesystem::file_type::block:
            return "a block device";
        default:
            return "not a regular file";
    }
}

// A symlink found in a folder: followed when it leads to a regular file; one to a folder is not followed
// (no loops); one that leads nowhere or to a special file is reported, since a photo may be missing.
bool emit_symlink(const std::filesystem::path& path, const std::function<bool(InputFile)>& emit) {
    struct stat target {};
    if (::stat(path.c_str(), &target) != 0) {
        const int error = errno;
        std::string what;
        if (error == ELOOP) {
            what = "symlink loop (too many levels of symbolic links)";
        } else if (error == ENOENT || error == ENOTDIR) {
            std::error_code ec;
            const std::filesystem::path to = std::filesystem::read_symlink(path, ec);
            what = "dangling symlink to '" + (ec ? std::string("?") : to.string()) + "' (no such file)";
        } else {
            what = std::string("cannot follow symlink: ") + std::strerror(error);
        }
        return emit(InputFile{path, false, std::move(what), WalkProblem::broken_link});
    }
    if (S_ISREG(target.st_mode)) return emit(InputFile{path, false, {}});
    if (S_ISDIR(target.st_mode)) return true;
    return emit(InputFile{path, false, "symlink to " + file_type_text(target.st_mode), WalkProblem::special_file});
}

// Depth-first, in name order, so two runs over the same tree see the same sequence. Directory
// symlinks are not followed (no loops); symlinks to files are.
bool walk_directory(const std::filesystem::path& dir, const std::function<bool(InputFile)>& emit) {
    std::error_code ec;
    std::vector<std::filesystem::directory_entry> entries;
    std::filesystem::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) return emit(InputFile{dir, true, "cannot list folder: " + ec.message(), WalkProblem::unlisted_folder});
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
    for (const auto& entry : entries) {
        if (is_hidden(entry.path())) continue;
        // The entry itself, not followed: the type comes from the listing, so a plain file costs no stat.
        std::error_code type_ec;
        const std::filesystem::file_type type = entry.symlink_status(type_ec).type();
        bool go_on = true;
        if (type_ec) {
            go_on = emit(InputFile{entry.path(), false, {}});  // gone since the listing: reading says so
        } else if (type == std::filesystem::file_type::directory) {
            go_on = walk_directory(entry.path(), emit);
        } else if (type == std::filesystem::file_type::regular) {
            go_on = emit(InputFile{entry.path(), false, {}});
        } else if (type == std::filesystem::file_type::symlink) {
            go_on = emit_symlink(entry.path(), emit);
        } else {
            go_on = emit(InputFile{entry.path(), false, special_kind(type), WalkProblem::special_file});
        }
        if (!go_on) return false;
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

std::string file_type_text(mode_t mode) {
    if (S_ISREG(mode)) return "a regular file";
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return special_kind(std::filesystem::file_type::fifo);
    if (S_ISSOCK(mode)) return special_kind(std::filesystem::file_type::socket);
    if (S_ISCHR(mode)) return special_kind(std::filesystem::file_type::character);
    if (S_ISBLK(mode)) return special_kind(std::filesystem::file_type::block);
    return special_kind(std::filesystem::file_type::unknown);
}

bool walk_inputs(const std::vector<std::string>& inputs, PathList& path_list, const std::function<bool(InputFile)>& emit) {
    for (const std::string& input : inputs) {
        if (input == "-") {
            const char separator = path_list.nul_separated ? '\0' : '\n';
            std::string line;
            uint64_t number = 0;
            while (std::getline(path_list.stream, line, separator)) {
                ++number;
                if (!path_list.nul_separated) {
                    if (line.find('\0') != std::string::npos) {
                        path_list.error = "stdin line " + std::to_string(number) +
                                          " holds a NUL byte: paths that end with NUL (find -print0) need -0";
                        return false;
                    }
                    if (!line.empty() && line.back() == '\r') line.pop_back();
                }
                if (line.empty()) continue;
                if (!walk_one(line, emit)) return false;
            }
        } else if (!walk_one(input, emit)) {
            return false;
        }
    }
    return true;
}

bool walk_inputs(const std::vector<std::string>& inputs, std::istream& path_list,
                 const std::function<bool(InputFile)>& emit) {
    PathList list(path_list);
    return walk_inputs(inputs, list, emit);
}

}  // namespace lbx::engine
