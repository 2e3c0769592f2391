// Files for tests: a temporary directory removed at the end of the test, and whole-file read/write.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lbx::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

std::vector<uint8_t> read_file(const std::filesystem::path& path);
// The permission bits (07777) of a path itself (not followed); throws when it cannot be read.
unsigned file_mode(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes);

// ../shared/corpus when it is present beside the checkout, else an empty path.
std::filesystem::path shared_corpus_dir();

}  // namespace lbx::test
