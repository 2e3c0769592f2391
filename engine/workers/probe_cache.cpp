#include "workers/probe_cache.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace lbx::engine {
namespace {

using nlohmann::json;

// "size:mtime_ns" of a file, "" when it cannot be read.
std::string stamp_of(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return {};
    return std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

// What the libraries were loaded against: the engine, the installed packages, the library path.
std::string system_stamp() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const char* library_path = std::getenv("LD_LIBRARY_PATH");
    return "engine " + (ec ? std::string("?") : stamp_of(exe)) + "; dpkg " + stamp_of("/var/lib/dpkg/status") +
           "; LD_LIBRARY_PATH " + (library_path ? library_path : "");
}

}  // namespace

bool ProbeCache::all_sound(const std::vector<std::filesystem::path>& files) const {
    std::ifstream in(file_, std::ios::binary);
    if (!in) return false;
    const json record = json::parse(std::string(std::istreambuf_iterator<char>(in), {}), nullptr, false);
    if (!record.is_object() || record.value("system", std::string()) != system_stamp()) return false;
    const auto sound = record.find("files");
    if (sound == record.end() || !sound->is_object()) return false;
    for (const auto& f : files) {
        const auto found = sound->find(f.string());
        const std::string stamp = stamp_of(f);
        if (found == sound->end() || !found->is_string() || stamp.empty() || found->get<std::string>() != stamp) return false;
    }
    return true;
}

void ProbeCache::record_sound(const std::vector<std::filesystem::path>& files) const {
    json record{{"system", system_stamp()}, {"files", json::object()}};
    for (const auto& f : files)
        if (const std::string stamp = stamp_of(f); !stamp.empty()) record["files"][f.string()] = stamp;
    std::error_code ec;
    std::filesystem::create_directories(file_.parent_path(), ec);
    // Written beside and renamed: two engines starting at once each leave a whole record.
    const std::filesystem::path tmp = file_.string() + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << record.dump();
        if (!out) {
            std::filesystem::remove(tmp, ec);
            return;
        }
    }
    std::filesystem::rename(tmp, file_, ec);
    if (ec) std::filesystem::remove(tmp, ec);
}

}  // namespace lbx::engine
