#include "workers/probe_cache.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>

namespace lbx::engine {

// The descriptions as JSON, field by field (nlohmann's to_json/from_json, found by argument lookup).
void to_json(nlohmann::json& j, const FormatDescription& f) {
    static const char* kHex = "0123456789abcdef";
    std::string magic;
    for (uint8_t b : f.magic) magic += {kHex[b >> 4], kHex[b & 15]};
    j = {{"name", f.name}, {"mime_type", f.mime_type}, {"extensions", f.extensions}, {"magic_offset", f.magic_offset}, {"magic", magic}};
}
void from_json(const nlohmann::json& j, FormatDescription& f) {
    j.at("name").get_to(f.name);
    j.at("mime_type").get_to(f.mime_type);
    j.at("extensions").get_to(f.extensions);
    j.at("magic_offset").get_to(f.magic_offset);
    const std::string magic = j.at("magic").get<std::string>();
    auto nibble = [](char c) -> uint8_t {
        if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
        if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
        throw std::invalid_argument("magic bytes are not lower-case hex");
    };
    if (magic.size() % 2 != 0) throw std::invalid_argument("magic bytes are not lower-case hex");
    f.magic.clear();
    for (std::size_t i = 0; i < magic.size(); i += 2) f.magic.push_back(static_cast<uint8_t>(nibble(magic[i]) << 4 | nibble(magic[i + 1])));
}
void to_json(nlohmann::json& j, const ParamDescription& p) {
    j = {{"name", p.name}, {"type", p.type}, {"default", p.default_value}, {"min", p.min}, {"max", p.max}, {"description", p.description}};
}
void from_json(const nlohmann::json& j, ParamDescription& p) {
    j.at("name").get_to(p.name);
    j.at("type").get_to(p.type);
    j.at("default").get_to(p.default_value);
    j.at("min").get_to(p.min);
    j.at("max").get_to(p.max);
    j.at("description").get_to(p.description);
}
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
void to_json(nlohmann::json& j, const StageDescription& s) {
    j = {{"id", s.id}, {"kind", s.kind}, {"description", s.description}, {"priority", s.priority},
         {"reads_metadata_blocks", s.reads_metadata_blocks}, {"formats", s.formats}, {"params", s.params}, {"models", s.models}};
}
void from_json(const nlohmann::json& j, StageDescription& s) {
    j.at("id").get_to(s.id);
    j.at("kind").get_to(s.kind);
    j.at("description").get_to(s.description);
    j.at("priority").get_to(s.priority);
    j.at("reads_metadata_blocks").get_to(s.reads_metadata_blocks);
    j.at("formats").get_to(s.formats);
    j.at("params").get_to(s.params);
    j.at("models").get_to(s.models);
}
void to_json(nlohmann::json& j, const PluginDescription& p) {
    j = {{"file", p.file}, {"api_major", p.api_major}, {"api_minor", p.api_minor}, {"id", p.id}, {"name", p.name},
         {"version", p.version}, {"license", p.license}, {"description", p.description}, {"stages", p.stages}};
}
void from_json(const nlohmann::json& j, PluginDescription& p) {
    j.at("file").get_to(p.file);
    j.at("api_major").get_to(p.api_major);
    j.at("api_minor").get_to(p.api_minor);
    j.at("id").get_to(p.id);
    j.at("name").get_to(p.name);
    j.at("version").get_to(p.version);
    j.at("license").get_to(p.license);
    j.at("description").get_to(p.description);
    j.at("stages").get_to(p.stages);
}

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
    } catch (const std::exception&) {  // nlohmann's type errors, a bad hex digit
        return std::nullopt;              // a damaged record is no record
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
