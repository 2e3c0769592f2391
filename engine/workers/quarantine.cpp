#include "workers/quarantine.hpp"

#include <lightbox/ipc/xdg.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lbx::engine {

namespace {

using nlohmann::json;

// The library's identity: a rebuilt or replaced plugin lifts its quarantine.
struct LibraryStamp {
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    bool exists = false;
};

LibraryStamp stamp_of(const std::filesystem::path& library) {
    struct stat st {};
    if (::stat(library.c_str(), &st) != 0) return {};
    return LibraryStamp{static_cast<uint64_t>(st.st_size), int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec, true};
}

// Holds an exclusive flock on `<file>.lock` for one read-modify-write.
class FileLock {
public:
    explicit FileLock(const std::filesystem::path& file) {
        std::error_code ec;
        std::filesystem::create_directories(file.parent_path(), ec);
        fd_ = ::open((file.string() + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd_ >= 0) {
            while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
            }
        }
    }
    ~FileLock() {
        if (fd_ >= 0) ::close(fd_);  // closing releases the lock
    }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_ = -1;
};

json read_record(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return json::object();
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return json::object();  // a damaged record starts afresh
    return j;
}

void write_record(const std::filesystem::path& file, const json& j) {
    const std::filesystem::path tmp = file.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) return;  // best effort: an unwritable state dir only loses the memory of faults
        out << j.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
        if (!out) return;
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
}

QuarantineEntry entry_of(const json& p) {
    QuarantineEntry e;
    e.plugin_id = p.value("plugin_id", "");
    e.plugin_version = p.value("plugin_version", "");
    e.library = p.value("library", "");
    e.stage_ids = p.value("stage_ids", std::vector<std::string>{});
    e.quarantined = p.value("quarantined", false);
    e.reason = p.value("reason", "");
    e.last_file = p.value("last_file", "");
    for (const json& f : p.value("faults", json::array())) {
        PluginFault fault;
        fault.plugin_id = e.plugin_id;
        fault.library = e.library;
        fault.path = f.value("path", "");
        fault.stage_id = f.value("stage", "");
        fault.code = f.value("code", "");
        fault.message = f.value("message", "");
        fault.phase = f.value("phase", "");
        e.faults.push_back(std::move(fault));
    }
    return e;
}

bool stamp_matches(const json& p) {
    const LibraryStamp now = stamp_of(p.value("library", ""));
    return now.exists && now.size == p.value("library_size", uint64_t{0}) && now.mtime_ns == p.value("library_mtime_ns", int64_t{0});
}

}  // namespace

std::filesystem::path Quarantine::default_file() {
    if (const char* f = std::getenv("LIGHTBOX_QUARANTINE_FILE"); f && *f) return f;
    // Without $HOME nor $XDG_STATE_HOME: no record (an empty path), rather than a folder anyone may write.
    const auto state = ipc::xdg_base_dir(ipc::XdgDir::state);
    return state ? *state / "lightbox" / "quarantine.json" : std::filesystem::path();
}

std::optional<QuarantineEntry> Quarantine::record(const PluginFault& fault) {
    if (file_.empty()) return std::nullopt;  // nowhere to remember faults
    std::lock_guard guard(mutex_);
    FileLock lock(file_);
    json j = read_record(file_);
    json& plugins = j["plugins"];
    if (!plugins.is_object()) plugins = json::object();
    json& p = plugins[fault.plugin_id];
    const LibraryStamp stamp = stamp_of(fault.library);
    // A changed library starts with a clean sheet: its faults were another build's.
    if (!p.is_object() || p.value("library", "") != fault.library.string() || !stamp_matches(p)) p = json::object();
    p["plugin_id"] = fault.plugin_id;
    p["plugin_version"] = fault.plugin_version;
    p["library"] = fault.library.string();
    p["library_size"] = stamp.size;
    p["library_mtime_ns"] = stamp.mtime_ns;
    p["stage_ids"] = fault.stage_ids;
    json& faults = p["faults"];
    if (!faults.is_array()) faults = json::array();
    bool known = false;
    if (fault.phase.empty())  // a file that crashed a stage twice counts once
        for (const json& f : faults) known = known || (f.value("phase", "").empty() && f.value("path", "") == fault.path);
    if (!known)
        faults.push_back(json{{"path", fault.path}, {"stage", fault.stage_id}, {"code", fault.code}, {"message", fault.message}, {"phase", fault.phase}});
    while (faults.size() > 10) faults.erase(faults.begin());
    p["last_file"] = fault.path;
    const bool was = p.value("quarantined", false);
    if (!was && faults.size() >= kQuarantineAfterFaults) {
        p["quarantined"] = true;
        p["reason"] = (fault.phase.empty() ? "failed on " + std::to_string(faults.size()) + " files"
                                           : "failed " + std::to_string(faults.size()) + " times") +
                      " (last: " + fault.message + ")";
    }
    write_record(file_, j);
    if (!was && p.value("quarantined", false)) return entry_of(p);
    return std::nullopt;
}

std::optional<QuarantineEntry> Quarantine::find(const std::filesystem::path& library) const {
    for (QuarantineEntry& e : active())
        if (e.library == library) return std::move(e);
    return std::nullopt;
}

std::vector<QuarantineEntry> Quarantine::active() const {
    std::lock_guard guard(mutex_);
    std::vector<QuarantineEntry> out;
    const json j = read_record(file_);
    if (!j.contains("plugins") || !j["plugins"].is_object()) return out;
    for (const auto& [id, p] : j["plugins"].items()) {
        if (!p.is_object() || !p.value("quarantined", false) || !stamp_matches(p)) continue;
        out.push_back(entry_of(p));
    }
    return out;
}

std::size_t Quarantine::reset(const std::string& plugin_id) {
    if (file_.empty()) return 0;
    std::lock_guard guard(mutex_);
    FileLock lock(file_);
    json j = read_record(file_);
    if (!j.contains("plugins") || !j["plugins"].is_object()) return 0;
    std::size_t lifted = 0;
    for (auto it = j["plugins"].begin(); it != j["plugins"].end();) {
        if (plugin_id.empty() || it.key() == plugin_id) {
            lifted += it.value().value("quarantined", false) ? 1 : 0;
            it = j["plugins"].erase(it);
        } else {
            ++it;
        }
    }
    write_record(file_, j);
    return lifted;
}

PluginRegistry::Refusal quarantine_refusal(const Quarantine& quarantine) {
    std::vector<QuarantineEntry> active = quarantine.active();
    return [active = std::move(active)](const std::filesystem::path& file) -> std::optional<std::string> {
        std::error_code ec;
        for (const QuarantineEntry& e : active) {
            if (e.library == file || std::filesystem::equivalent(e.library, file, ec)) return quarantine_message(e);
        }
        return std::nullopt;
    };
}

std::vector<std::string> skip_quarantined_stages(PipelineConfig& config, const std::vector<QuarantineEntry>& active) {
    std::vector<std::string> notes;
    for (const QuarantineEntry& e : active) {
        const auto uses = [&](const StageConfig& s) {
            return std::find(e.stage_ids.begin(), e.stage_ids.end(), s.use) != e.stage_ids.end();
        };
        if (std::erase_if(config.stages, uses) > 0) notes.push_back(quarantine_message(e) + "; its stages are skipped");
    }
    return notes;
}

std::string quarantine_message(const QuarantineEntry& e) {
    return "plugin " + e.plugin_id + (e.plugin_version.empty() ? "" : " " + e.plugin_version) + " is quarantined: " + e.reason +
           (e.last_file.empty() ? std::string() : "; last file " + e.last_file) + " (it stays disabled until " + e.library.string() + " changes or 'lightbox-engine plugins reset " + e.plugin_id + "')";
}

}  // namespace lbx::engine
