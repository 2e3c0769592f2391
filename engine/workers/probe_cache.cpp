#include "workers/probe_cache.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>

namespace lbx::engine {

// The descriptions as JSON, each field under its own name (nlohmann's to_json/from_json, found by argument
// lookup; from_json throws on a missing field or a wrong type: the record is then no record).
// A model's checksum is optional: absent from the object when the stage checks none.
void to_json(nlohmann::json& j, const ModelDescription& m) {
    j = {{"name", m.name}, {"file", m.file}, {"source", m.source}, {"license", m.license}};
    if (m.sha256) j["sha256"] = *m.sha256;
}
void from_json(const nlohmann::json& j, ModelDescription& m) {
    j.at("name").get_to(m.name);
    j.at("file").get_to(m.file);
    j.at("source").get_to(m.source);
    j.at("license").get_to(m.license);
    m.sha256 = j.contains("sha256") ? std::optional<std::string>(j.at("sha256").get<std::string>()) : std::nullopt;
}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(FormatDescription, name, mime_type, extensions, magic_offset, magic)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ParamDescription, name, type, default_value, min, max, description)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StageDescription, id, kind, description, priority, reads_metadata_blocks, formats, params, models)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PluginDescription, file, api_major, api_minor, id, name, version, license, description, stages)

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

std::optional<ProbedLibraries> ProbeCache::find(const std::vector<std::filesystem::path>& files) const {
    std::ifstream in(file_, std::ios::binary);
    if (!in) return std::nullopt;
    const json record = json::parse(std::string(std::istreambuf_iterator<char>(in), {}), nullptr, false);
    if (!record.is_object() || record.value("system", std::string()) != system_stamp()) return std::nullopt;
    const auto libraries = record.find("libraries");
    if (libraries == record.end() || !libraries->is_object()) return std::nullopt;
    ProbedLibraries found;
    try {
        for (const auto& f : files) {
            const auto entry = libraries->find(f.string());
            const std::string stamp = stamp_of(f);
            if (entry == libraries->end() || !entry->is_object() || stamp.empty() || entry->value("stamp", std::string()) != stamp)
                return std::nullopt;
            if (entry->contains("plugin")) {
                PluginDescription plugin = entry->at("plugin").get<PluginDescription>();
                plugin.file = f.string();
                found.plugins.push_back(std::move(plugin));
            } else {
                found.refused.push_back(RefusedLibrary{f.string(), entry->at("refused").get<std::string>()});
            }
        }
    } catch (const nlohmann::json::exception&) {  // a missing field, a wrong type
        return std::nullopt;                        // a damaged record is no record
    }
    return found;
}

void ProbeCache::record(const ProbedLibraries& found) const {
    json record{{"system", system_stamp()}, {"libraries", json::object()}};
    auto add = [&](const std::string& file, const char* key, json value) {
        if (const std::string stamp = stamp_of(file); !stamp.empty()) record["libraries"][file] = {{"stamp", stamp}, {key, std::move(value)}};
    };
    for (const PluginDescription& p : found.plugins) add(p.file, "plugin", p);
    for (const RefusedLibrary& r : found.refused) add(r.file, "refused", r.reason);
    std::error_code ec;
    std::filesystem::create_directories(file_.parent_path(), ec);
    // Written beside and renamed: two engines starting at once each leave a whole record.
    const std::filesystem::path tmp = file_.string() + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        // A plugin's text that is not UTF-8 (a description in Latin-1) is written with U+FFFD, not refused.
        out << record.dump(-1, ' ', false, json::error_handler_t::replace);
        if (!out) {
            std::filesystem::remove(tmp, ec);
            return;
        }
    }
    std::filesystem::rename(tmp, file_, ec);
    if (ec) std::filesystem::remove(tmp, ec);
}

}  // namespace lbx::engine
