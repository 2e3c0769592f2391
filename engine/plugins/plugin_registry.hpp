// The plugin registry: the one piece of process-wide state the design allows. It finds plugin libraries,
// checks each descriptor before using it, keeps the good ones loaded for the life of the process and
// remembers why the others were skipped.
#pragma once

#include "core/expected.hpp"
#include "plugins/plugin_description.hpp"

#include <lightbox/plugin_api.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lbx::engine {

struct LoadedPlugin;

struct LoadedStage {
    const lbx_stage_desc* desc = nullptr;
    const LoadedPlugin* plugin = nullptr;
    std::string id;
    lbx_stage_kind kind{};
};

// The model files a stage declares (plugin API 1.2); empty for stages built against an older API.
std::vector<const lbx_model_desc*> stage_models(const LoadedStage& stage);

struct LoadedPlugin {
    std::filesystem::path file;
    const lbx_plugin_desc* desc = nullptr;
    std::string id;
    std::string name;
    std::string version;
    std::string license;
    std::string description;
    uint16_t api_major = 0;
    uint16_t api_minor = 0;
    std::vector<LoadedStage> stages;
    // Set when the plugin was described by a worker instead of opened here: owns `desc`.
    std::unique_ptr<DescribedPlugin> described;
};

struct RejectedPlugin {
    std::filesystem::path file;
    std::string reason;  // one line, e.g. "built for plugin API 2.0, this engine has 1.0"
};

class PluginRegistry {
public:
    PluginRegistry() = default;
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;

    // Loads every shared library in each directory, in order (missing directories are skipped). A
    // plugin whose id or stage ids are already registered is rejected as a duplicate. A file that
    // `refuse` gives a reason for is not even opened (a quarantined plugin) and is listed as rejected.
    // `before_load` hears of each file just before it is opened (a worker names it in its stage marker, so
    // that a library that crashes or hangs while it loads is named by its supervisor).
    using Refusal = std::function<std::optional<std::string>(const std::filesystem::path& file)>;
    using LoadObserver = std::function<void(const std::filesystem::path& file)>;
    // The plugin libraries of `directory` that load_directories() would open (*.so, *.so.N), sorted.
    static std::vector<std::filesystem::path> plugin_files_in(const std::filesystem::path& directory);
    void load_directories(const std::vector<std::filesystem::path>& directories, const Refusal& refuse = {},
                          const LoadObserver& before_load = {});

    // Loads one file. On failure the reason is also recorded in rejected().
    Expected<const LoadedPlugin*> load_file(const std::filesystem::path& file);

    // Registers a plugin a worker opened and described (plugin_description.hpp), with the same checks as
    // load_file(); its library is not opened in this process. On failure the reason is recorded in rejected().
    Expected<const LoadedPlugin*> add_described(std::unique_ptr<DescribedPlugin> described);
    // Records a library that is not registered, and why (a worker refused it, or it was not tried).
    void add_refused(const std::filesystem::path& file, std::string reason);

    const std::vector<std::unique_ptr<LoadedPlugin>>& plugins() const { return plugins_; }
    const std::vector<RejectedPlugin>& rejected() const { return rejected_; }
    const LoadedPlugin* find_plugin(std::string_view id) const;
    const LoadedStage* find_stage(std::string_view id) const;
    std::vector<const LoadedStage*> stages_of_kind(lbx_stage_kind kind) const;

private:
    Expected<const LoadedPlugin*> register_descriptor(const std::filesystem::path& file, const lbx_plugin_desc* desc,
                                                      std::unique_ptr<DescribedPlugin> described);

    std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
    std::vector<RejectedPlugin> rejected_;
};

// The plugin search path, in priority order: $LIGHTBOX_PLUGIN_PATH (colon-separated), the user's
// $XDG_DATA_HOME/lightbox/plugins (~/.local/share/lightbox/plugins), then the installed directory
// <exe>/../lib/lightbox/plugins.
std::vector<std::filesystem::path> plugin_search_path(const std::filesystem::path& executable_dir);

const char* stage_kind_name(lbx_stage_kind kind);              // "decode", "metadata", "tag", "thumbnail"
std::optional<lbx_stage_kind> stage_kind_from_name(std::string_view name);
const char* status_code_name(int32_t status);                  // "corrupt", "truncated", ...
const char* param_type_name(lbx_param_type type);              // "int", "int-list", ...

}  // namespace lbx::engine
