// Plugin loading in phases (open -> check ABI -> register stages -> ready), never unloading.
#include "plugins/plugin_registry.hpp"

#include <lightbox/ipc/error_codes.hpp>
#include <lightbox/ipc/xdg.hpp>

#include <boost/dll/shared_library.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>
#include <system_error>

namespace lbx::engine {

namespace {

Unexpected reject(const char* code, std::string reason) { return unexpected(make_error("plugin", code, std::move(reason))); }

bool is_plugin_file_name(const std::filesystem::path& p) {
    return p.extension() == ".so" || p.filename().string().find(".so.") != std::string::npos;
}

bool non_empty(const char* s) { return s != nullptr && s[0] != '\0'; }

// Stage and plugin ids must be plain lower-case words: they appear in configs, JSON and file names.
bool valid_stage_id(const char* s) {
    if (!non_empty(s)) return false;
    for (const char* c = s; *c; ++c)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-')) return false;
    return true;
}

// Makes an already-open library resident for the life of the process (libvips does the same): nothing
// a plugin created can then outlive its code, whatever order objects are destroyed in at exit.
void make_resident(const std::filesystem::path& file) {
    void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
    if (handle != nullptr) dlclose(handle);  // drops only the reference taken just now
}

// The sizes of the descriptors as API 1.0 defined them. A later minor version appends fields; a plugin
// built against 1.0 still passes, and the host reads an appended field only when struct_size covers it.
// (The array element structs lbx_format_desc, lbx_param_desc and lbx_param_value keep their 1.0 layout:
// arrays are indexed by size, so they cannot grow.)
constexpr uint32_t kPluginDescSizeV1_0 = offsetof(lbx_plugin_desc, stage_count) + sizeof(uint32_t);
constexpr uint32_t kStageDescSizeV1_0 = offsetof(lbx_stage_desc, thumbnail) + sizeof(void*);

// Checks a descriptor before the host trusts any of it. Returns the reason it cannot be used.
std::optional<std::string> check_descriptor(const lbx_plugin_desc* d) {
    if (d == nullptr) return "its entry point returned no descriptor";
    if (d->struct_size < offsetof(lbx_plugin_desc, api_minor) + sizeof(d->api_minor))
        return "its descriptor is too small (" + std::to_string(d->struct_size) + " bytes)";
    if (d->api_major != LBX_PLUGIN_API_VERSION_MAJOR || d->api_minor > LBX_PLUGIN_API_VERSION_MINOR) {
        std::ostringstream s;
        s << "built for plugin API " << d->api_major << "." << d->api_minor << ", this engine has "
          << LBX_PLUGIN_API_VERSION_MAJOR << "." << LBX_PLUGIN_API_VERSION_MINOR;
        return s.str();
    }
    if (d->struct_size < kPluginDescSizeV1_0)
        return "its descriptor is smaller than API 1.0 requires (" + std::to_string(d->struct_size) + " bytes)";
    if (!non_empty(d->id) || !non_empty(d->name) || !non_empty(d->version))
        return "its descriptor lacks an id, a name or a version";
    if (d->stage_count > 0 && d->stages == nullptr) return "it declares stages but gives none";
    for (uint32_t i = 0; i < d->stage_count; ++i) {
        const lbx_stage_desc* s = d->stages[i];
        std::string where = "stage " + std::to_string(i);
        if (s == nullptr || s->struct_size < kStageDescSizeV1_0) return where + " has no or a too small descriptor";
        if (!valid_stage_id(s->id)) return where + " has an invalid id (lower-case letters, digits, '_' and '-')";
        where = "stage '" + std::string(s->id) + "'";
        const bool fn_ok = (s->kind == LBX_STAGE_DECODE && s->decode) || (s->kind == LBX_STAGE_METADATA && s->read_metadata) ||
                           (s->kind == LBX_STAGE_TAG && s->tag) || (s->kind == LBX_STAGE_THUMBNAIL && s->thumbnail);
        if (!fn_ok) return where + " has an unknown kind or lacks the function for its kind";
        if ((s->kind == LBX_STAGE_DECODE || s->kind == LBX_STAGE_METADATA) && s->format_count == 0)
            return where + " accepts no format";
        if (s->format_count > 0 && s->formats == nullptr) return where + " declares formats but gives none";
        for (uint32_t f = 0; f < s->format_count; ++f) {
            const lbx_format_desc& fmt = s->formats[f];
            if (!non_empty(fmt.name) || fmt.magic == nullptr || fmt.magic_size == 0 || fmt.magic_offset + fmt.magic_size > 64)
                return where + " has a format without a name or with magic bytes outside the first 64";
        }
        if (s->param_count > 0 && s->params == nullptr) return where + " declares parameters but gives none";
        for (uint32_t p = 0; p < s->param_count; ++p) {
            const lbx_param_desc& prm = s->params[p];
            if (!non_empty(prm.name) || prm.default_value == nullptr || prm.type < LBX_PARAM_BOOL || prm.type > LBX_PARAM_INT_LIST)
                return where + " has a parameter without a name, a default or a known type";
        }
    }
    return std::nullopt;
}

}  // namespace

std::vector<std::filesystem::path> PluginRegistry::plugin_files_in(const std::filesystem::path& directory) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec)) return files;
    for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
        if (entry.is_regular_file(ec) && is_plugin_file_name(entry.path())) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());  // deterministic order, so duplicates resolve the same way
    return files;
}

void PluginRegistry::load_directories(const std::vector<std::filesystem::path>& directories, const Refusal& refuse,
                                      const LoadObserver& before_load) {
    for (const auto& dir : directories) {
        for (const auto& file : plugin_files_in(dir)) {
            if (std::optional<std::string> reason = refuse ? refuse(file) : std::nullopt) {
                rejected_.push_back({file, *reason});
                continue;
            }
            if (before_load) before_load(file);
            (void)load_file(file);
        }
    }
}

Expected<const LoadedPlugin*> PluginRegistry::load_file(const std::filesystem::path& file) {
    auto result = [&]() -> Expected<const LoadedPlugin*> {
        // Phase 1: open. Boost.DLL reports a missing file or an unloadable library as an error code.
        boost::dll::shared_library library;
        boost::dll::fs::error_code ec;  // std::error_code with BOOST_DLL_USE_STD_FS
        library.load(file, ec, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
        if (ec) {
            const char* why = dlerror();
            return reject("not_loadable", std::string("cannot be loaded: ") + (why ? why : ec.message()));
        }
        if (!library.has(LBX_PLUGIN_ENTRY_NAME))
            return reject("not_a_plugin", "not a Lightbox plugin (no symbol " LBX_PLUGIN_ENTRY_NAME ")");
        auto describe = library.get<const lbx_plugin_desc*()>(LBX_PLUGIN_ENTRY_NAME);
        auto registered = register_descriptor(file, describe(), nullptr);
        // Phase 4: ready. The library stays loaded for the life of the process.
        if (registered) make_resident(file);
        return registered;
    }();
    if (!result) rejected_.push_back({file, result.error().message});
    return result;
}

Expected<const LoadedPlugin*> PluginRegistry::add_described(std::unique_ptr<DescribedPlugin> described) {
    const std::filesystem::path file = described->description().file;
    const lbx_plugin_desc* desc = described->desc();
    auto result = register_descriptor(file, desc, std::move(described));
    if (!result) rejected_.push_back({file, result.error().message});
    return result;
}

void PluginRegistry::add_refused(const std::filesystem::path& file, std::string reason) { rejected_.push_back({file, std::move(reason)}); }

Expected<const LoadedPlugin*> PluginRegistry::register_descriptor(const std::filesystem::path& file, const lbx_plugin_desc* desc,
                                                                  std::unique_ptr<DescribedPlugin> described) {
    // Phase 2: check the ABI and the descriptor before trusting any of it.
    if (auto problem = check_descriptor(desc)) return reject("incompatible", *problem);

    // Phase 3: register, refusing duplicates of an id already loaded.
    if (const LoadedPlugin* other = find_plugin(desc->id))
        return reject("duplicate", "duplicate plugin id '" + std::string(desc->id) + "' (already loaded from " +
                                       other->file.string() + ")");
    std::set<std::string> seen;
    for (uint32_t i = 0; i < desc->stage_count; ++i) {
        std::string id = desc->stages[i]->id;
        if (find_stage(id) != nullptr || !seen.insert(id).second) return reject("duplicate", "duplicate stage id '" + id + "'");
    }

    auto plugin = std::make_unique<LoadedPlugin>();
    plugin->file = file;
    plugin->desc = desc;
    plugin->described = std::move(described);
    plugin->id = desc->id;
    plugin->name = desc->name;
    plugin->version = desc->version;
    plugin->license = non_empty(desc->license) ? desc->license : "unknown";
    plugin->description = non_empty(desc->description) ? desc->description : "";
    plugin->api_major = desc->api_major;
    plugin->api_minor = desc->api_minor;
    for (uint32_t i = 0; i < desc->stage_count; ++i) {
        const lbx_stage_desc* s = desc->stages[i];
        plugin->stages.push_back(LoadedStage{s, plugin.get(), s->id, s->kind});
    }
    plugins_.push_back(std::move(plugin));
    return plugins_.back().get();
}

const LoadedPlugin* PluginRegistry::find_plugin(std::string_view id) const {
    for (const auto& p : plugins_)
        if (p->id == id) return p.get();
    return nullptr;
}

const LoadedStage* PluginRegistry::find_stage(std::string_view id) const {
    for (const auto& p : plugins_)
        for (const auto& s : p->stages)
            if (s.id == id) return &s;
    return nullptr;
}

std::vector<const LoadedStage*> PluginRegistry::stages_of_kind(lbx_stage_kind kind) const {
    std::vector<const LoadedStage*> out;
    for (const auto& p : plugins_)
        for (const auto& s : p->stages)
            if (s.kind == kind) out.push_back(&s);
    std::stable_sort(out.begin(), out.end(),
                     [](const LoadedStage* a, const LoadedStage* b) { return a->desc->priority > b->desc->priority; });
    return out;
}

std::vector<std::filesystem::path> plugin_search_path(const std::filesystem::path& executable_dir) {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("LIGHTBOX_PLUGIN_PATH")) {
        std::string list = env;
        std::size_t start = 0;
        while (start <= list.size()) {
            std::size_t end = list.find(':', start);
            if (end == std::string::npos) end = list.size();
            if (end > start) dirs.emplace_back(list.substr(start, end - start));
            start = end + 1;
        }
    }
    if (auto data = ipc::xdg_base_dir(ipc::XdgDir::data)) dirs.push_back(*data / "lightbox" / "plugins");
    dirs.push_back((executable_dir / ".." / "lib" / "lightbox" / "plugins").lexically_normal());
    return dirs;
}

const char* stage_kind_name(lbx_stage_kind kind) {
    switch (kind) {
        case LBX_STAGE_DECODE: return "decode";
        case LBX_STAGE_METADATA: return "metadata";
        case LBX_STAGE_TAG: return "tag";
        case LBX_STAGE_THUMBNAIL: return "thumbnail";
    }
    return "unknown";
}

std::optional<lbx_stage_kind> stage_kind_from_name(std::string_view name) {
    for (lbx_stage_kind k : {LBX_STAGE_DECODE, LBX_STAGE_METADATA, LBX_STAGE_TAG, LBX_STAGE_THUMBNAIL})
        if (name == stage_kind_name(k)) return k;
    return std::nullopt;
}

const char* status_code_name(int32_t status) {
    switch (status) {
        case LBX_OK: return "ok";
        case LBX_E_UNSUPPORTED: return ipc::codes::kUnsupported;
        case LBX_E_CORRUPT: return ipc::codes::kCorrupt;
        case LBX_E_TRUNCATED: return ipc::codes::kTruncated;
        case LBX_E_TOO_LARGE: return ipc::codes::kTooLarge;
        case LBX_E_INVALID_PARAM: return ipc::codes::kInvalidParam;
        case LBX_E_NO_MEMORY: return ipc::codes::kNoMemory;
        case LBX_E_IO: return ipc::codes::kIo;
        case LBX_E_INTERNAL: return ipc::codes::kInternal;
        case LBX_E_CANCELLED: return ipc::codes::kCancelled;
    }
    return ipc::codes::kUnknown;
}

const char* param_type_name(lbx_param_type type) {
    switch (type) {
        case LBX_PARAM_BOOL: return "bool";
        case LBX_PARAM_INT: return "int";
        case LBX_PARAM_DOUBLE: return "double";
        case LBX_PARAM_STRING: return "string";
        case LBX_PARAM_PATH: return "path";
        case LBX_PARAM_INT_LIST: return "int-list";
    }
    return "unknown";
}

std::vector<const lbx_model_desc*> stage_models(const LoadedStage& stage) {
    std::vector<const lbx_model_desc*> out;
    // A descriptor built against API 1.0 or 1.1 ends before `models`: never read past its size.
    if (!LBX_HAS_FIELD(stage.desc, lbx_stage_desc, model_count) || stage.desc->models == nullptr) return out;
    for (uint32_t i = 0; i < stage.desc->model_count; ++i) {
        const lbx_model_desc& m = stage.desc->models[i];
        if (LBX_HAS_FIELD(&m, lbx_model_desc, sha256)) out.push_back(&m);
    }
    return out;
}

}  // namespace lbx::engine
