// A plugin's descriptor as plain data, so that a supervisor of worker processes can know a plugin without
// opening its library (plugin_probe.hpp). A probe worker opens the libraries, describes each plugin it
// loaded (describe()), and sends the descriptions back; the supervisor registers them
// (PluginRegistry::add_described) and keeps them between runs (probe_cache.hpp). A library whose
// constructor crashes only on some later load can then never take the supervisor down: it never runs
// there.
//
// DescribedPlugin rebuilds the C descriptor (lbx_plugin_desc) from a description, so the registry and
// everything that reads descriptors (the pipeline plan, parameter checks, `plugins inspect`, the service's
// capabilities) work unchanged. Its stage functions are host stubs that fail with "internal": a stage of a
// described plugin runs in a worker, never in the supervisor.
#pragma once

#include <lightbox/plugin_api.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lbx::engine {

struct LoadedPlugin;

struct FormatDescription {
    std::string name;
    std::string mime_type;
    std::string extensions;
    uint32_t magic_offset = 0;
    std::vector<uint8_t> magic;
    bool operator==(const FormatDescription&) const = default;
};

struct ParamDescription {
    std::string name;
    int32_t type = 0;  // an lbx_param_type
    std::string default_value;
    double min = 0;
    double max = 0;
    std::string description;
    bool operator==(const ParamDescription&) const = default;
};

struct ModelDescription {
    std::string name;
    std::string file;
    std::string source;
    std::string license;
    std::optional<std::string> sha256;
    bool operator==(const ModelDescription&) const = default;
};

struct StageDescription {
    std::string id;
    int32_t kind = 0;  // an lbx_stage_kind
    std::string description;
    int32_t priority = 0;
    bool reads_metadata_blocks = false;  // API 1.1 read_metadata_block is set
    std::vector<FormatDescription> formats;
    std::vector<ParamDescription> params;
    std::vector<ModelDescription> models;
    bool operator==(const StageDescription&) const = default;
};

struct PluginDescription {
    std::string file;  // the library it was loaded from
    uint16_t api_major = 0;
    uint16_t api_minor = 0;
    std::string id;
    std::string name;
    std::string version;
    std::string license;
    std::string description;
    std::vector<StageDescription> stages;
    bool operator==(const PluginDescription&) const = default;
};

// What a library that is not registered was refused for (not a plugin, incompatible, a duplicate...).
struct RefusedLibrary {
    std::string file;
    std::string reason;
    bool operator==(const RefusedLibrary&) const = default;
};

// What a loaded plugin declares, as data.
PluginDescription describe(const LoadedPlugin& plugin);

// A description and the C descriptor rebuilt from it; the descriptor points into this object, which
// therefore never moves (made with make()).
class DescribedPlugin {
public:
    static std::unique_ptr<DescribedPlugin> make(PluginDescription description);
    DescribedPlugin(const DescribedPlugin&) = delete;
    DescribedPlugin& operator=(const DescribedPlugin&) = delete;

    const lbx_plugin_desc* desc() const { return &plugin_; }
    const PluginDescription& description() const { return description_; }

private:
    explicit DescribedPlugin(PluginDescription description);

    struct StageArrays {
        std::vector<lbx_format_desc> formats;
        std::vector<lbx_param_desc> params;
        std::vector<lbx_model_desc> models;
    };
    PluginDescription description_;
    std::vector<StageArrays> arrays_;
    std::vector<lbx_stage_desc> stages_;
    std::vector<const lbx_stage_desc*> stage_pointers_;
    lbx_plugin_desc plugin_{};
};

}  // namespace lbx::engine
