// `lightbox-engine plugins [--json]` and `plugins inspect ID [--json]`, like gst-inspect: everything
// shown comes from the plugins' own descriptors.
#include "cli/commands.hpp"
#include "cli/engine_paths.hpp"
#include "cli/json_output.hpp"
#include "workers/plugin_probe.hpp"

#include <cstdio>
#include <iostream>

namespace lbx::engine::cli {

namespace {

void print_notice(const std::string& message) { std::fprintf(stderr, "lightbox-engine: %s\n", message.c_str()); }

}  // namespace

void load_plugins(PluginRegistry& registry, bool report, const IsolationOptions& isolation, const std::atomic<bool>* stop) {
    Quarantine quarantine(Quarantine::default_file());
    load_plugins_supervised(registry, plugin_search_path(executable_dir()), &quarantine, isolation, print_notice, stop);
    if (stop != nullptr && stop->load()) return;  // stopped while a probe loaded them: the caller ends
    if (!report) return;
    for (const RejectedPlugin& r : registry.rejected())
        std::fprintf(stderr, "lightbox-engine: skipped plugin %s: %s\n", r.file.c_str(), r.reason.c_str());
}

Expected<SupervisedPipeline> build_pipeline(const PluginRegistry& registry, const std::shared_ptr<Supervision>& supervision,
                                            const std::atomic<bool>* stop) {
    supervision->on_notice = print_notice;
    return build_supervised_pipeline(registry, supervision, stop);
}

namespace {

void print_inspect(const LoadedPlugin& p) {
    std::printf("Plugin %s\n  name         %s\n  version      %s\n  license      %s\n  API version  %u.%u\n  file         %s\n",
                p.id.c_str(), p.name.c_str(), p.version.c_str(), p.license.c_str(), p.api_major, p.api_minor, p.file.c_str());
    if (!p.description.empty()) std::printf("  description  %s\n", p.description.c_str());
    for (const LoadedStage& s : p.stages) {
        std::printf("\n  Stage %s (%s, priority %d)\n", s.id.c_str(), stage_kind_name(s.kind), s.desc->priority);
        if (s.desc->description) std::printf("    %s\n", s.desc->description);
        if (s.desc->format_count) std::printf("    formats:\n");
        for (uint32_t i = 0; i < s.desc->format_count; ++i) {
            const lbx_format_desc& fmt = s.desc->formats[i];
            const std::string magic = magic_hex(fmt);
            std::printf("      %-6s %-12s magic %s at %u  (%s)\n", fmt.name, fmt.mime_type ? fmt.mime_type : "", magic.c_str(),
                        fmt.magic_offset, fmt.extensions ? fmt.extensions : "");
        }
        if (s.desc->param_count) std::printf("    parameters:\n");
        for (uint32_t i = 0; i < s.desc->param_count; ++i) {
            const lbx_param_desc& prm = s.desc->params[i];
            std::string range;
            if (prm.min <= prm.max && prm.type != LBX_PARAM_BOOL && prm.type != LBX_PARAM_STRING && prm.type != LBX_PARAM_PATH) {
                char b[64];
                std::snprintf(b, sizeof b, " range %g..%g", prm.min, prm.max);
                range = b;
            }
            std::printf("      %-14s %-8s default %s%s\n        %s\n", prm.name, param_type_name(prm.type), prm.default_value,
                        range.c_str(), prm.description ? prm.description : "");
        }
        const auto models = stage_models(s);
        if (!models.empty()) std::printf("    models:\n");
        for (const lbx_model_desc* m : models) {
            std::printf("      %s\n        file     %s\n        source   %s\n        license  %s\n        sha256   %s\n",
                        m->name ? m->name : "", m->file ? m->file : "", m->source ? m->source : "",
                        m->license ? m->license : "", m->sha256 ? m->sha256 : "(not checked)");
        }
    }
}

}  // namespace

int plugins_command(const PluginsOptions& options) {
    Quarantine quarantine(Quarantine::default_file());
    if (options.reset) {
        const std::size_t lifted = quarantine.reset(options.inspect_id);
        std::fprintf(stderr, "lightbox-engine: %zu quarantined plugin%s lifted%s\n", lifted, lifted == 1 ? "" : "s",
                     options.inspect_id.empty() ? "" : (" (" + options.inspect_id + ")").c_str());
        return kExitOk;
    }
    const std::vector<QuarantineEntry> quarantined = quarantine.active();
    PluginRegistry registry;
    load_plugins(registry, false, isolation_options(options.isolation));

    if (!options.inspect_id.empty()) {
        const LoadedPlugin* plugin = registry.find_plugin(options.inspect_id);
        if (plugin == nullptr) {
            if (const LoadedStage* stage = registry.find_stage(options.inspect_id)) plugin = stage->plugin;
        }
        if (plugin == nullptr) {
            std::fprintf(stderr, "lightbox-engine: no plugin or stage '%s' (try 'lightbox-engine plugins')\n",
                         options.inspect_id.c_str());
            return kExitUsage;
        }
        if (options.json) std::cout << plugin_json(*plugin, true).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        else print_inspect(*plugin);
        return kExitOk;
    }

    if (options.json) {
        nlohmann::json j{{"api_version", std::to_string(LBX_PLUGIN_API_VERSION_MAJOR) + "." + std::to_string(LBX_PLUGIN_API_VERSION_MINOR)},
                         {"search_path", nlohmann::json::array()},
                         {"plugins", nlohmann::json::array()},
                         {"rejected", nlohmann::json::array()}};
        for (const auto& dir : plugin_search_path(executable_dir())) j["search_path"].push_back(dir.string());
        for (const auto& p : registry.plugins()) j["plugins"].push_back(plugin_json(*p, false));
        for (const auto& r : registry.rejected()) j["rejected"].push_back(rejected_json(r));
        j["quarantined"] = nlohmann::json::array();
        for (const QuarantineEntry& q : quarantined) {
            j["quarantined"].push_back({{"id", q.plugin_id}, {"version", q.plugin_version}, {"file", q.library.string()},
                                        {"reason", q.reason}, {"last_file", q.last_file}});
        }
        std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        return kExitOk;
    }
    for (const auto& p : registry.plugins()) {
        std::printf("%-28s %-8s %s\n", p->id.c_str(), p->version.c_str(), p->name.c_str());
        for (const LoadedStage& s : p->stages) {
            std::string formats;
            for (uint32_t i = 0; i < s.desc->format_count; ++i) {
                std::string name = s.desc->formats[i].name;
                if (formats.find(name) == std::string::npos) formats += (formats.empty() ? "" : ",") + name;
            }
            std::printf("    %-14s %-10s %s\n", s.id.c_str(), stage_kind_name(s.kind), formats.c_str());
        }
    }
    std::printf("\n%zu plugins, %zu rejected\n", registry.plugins().size(), registry.rejected().size());
    for (const auto& r : registry.rejected()) std::printf("rejected %s: %s\n", r.file.c_str(), r.reason.c_str());
    for (const QuarantineEntry& q : quarantined) {
        std::printf("quarantined %s %s (%s): %s; last file %s\n", q.plugin_id.c_str(), q.plugin_version.c_str(),
                    q.library.c_str(), q.reason.c_str(), q.last_file.c_str());
    }
    if (!quarantined.empty()) std::printf("('lightbox-engine plugins reset [ID]' lifts a quarantine; so does a changed plugin file)\n");
    return kExitOk;
}

}  // namespace lbx::engine::cli
