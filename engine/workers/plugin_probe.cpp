#include "workers/plugin_probe.hpp"

#include "workers/file_processor.hpp"
#include "workers/probe_cache.hpp"
#include "workers/worker_process.hpp"

#include <algorithm>
#include <optional>

namespace lbx::engine {

namespace {

std::shared_ptr<Supervision> probe_supervision(const IsolationOptions& isolation, const std::vector<std::filesystem::path>& dirs,
                                               Quarantine* quarantine, const Notice& notice) {
    auto s = std::make_shared<Supervision>();
    s->options = isolation;
    if (s->options.worker_executable.empty()) s->options.worker_executable = engine_beside_this_program();
    if (s->options.memory_cap_bytes == 0) s->options.memory_cap_bytes = default_memory_cap(1);
    for (const auto& dir : dirs) s->setup.plugin_dirs.push_back(dir.string());
    s->setup.quarantine_file = quarantine != nullptr ? quarantine->file().string() : std::string();
    s->setup.probe_only = true;
    s->quarantine = quarantine;
    s->on_notice = notice;
    return s;
}

}  // namespace

void load_plugins_supervised(PluginRegistry& registry, const std::vector<std::filesystem::path>& dirs, Quarantine* quarantine,
                             const IsolationOptions& isolation, const Notice& notice) {
    std::vector<std::string> failed;
    const PluginRegistry::Refusal quarantined =
        quarantine != nullptr ? quarantine_refusal(*quarantine) : PluginRegistry::Refusal([](const std::filesystem::path&) {
            return std::optional<std::string>();
        });
    if (isolation.mode == IsolationMode::process) {
        // The libraries the engine would open; a probe only when one is new or changed (probe_cache.hpp).
        std::vector<std::filesystem::path> candidates;
        for (const auto& dir : dirs)
            for (const auto& file : PluginRegistry::plugin_files_in(dir))
                if (!quarantined(file)) candidates.push_back(file);
        std::optional<ProbeCache> cache;
        if (quarantine != nullptr) cache.emplace(quarantine->file().parent_path() / "plugins-probed.json");
        if (!cache || !cache->all_sound(candidates)) {
            // The probe builds an empty pipeline: it only loads the libraries.
            auto supervision = probe_supervision(isolation, dirs, quarantine, notice);
            const std::atomic<bool> no_stop{false};
            WorkerProcess probe(supervision);
            auto ready = probe.probe(no_stop);
            if (!ready && notice) notice("cannot check the plugins in a worker first: " + ready.error().message);
            failed = supervision->current_setup().failed_plugin_files;
            if (cache && ready) {
                std::vector<std::filesystem::path> sound;
                for (const auto& file : candidates)
                    if (std::find(failed.begin(), failed.end(), file.string()) == failed.end()) sound.push_back(file);
                cache->record_sound(sound);
            }
        }
    }
    registry.load_directories(dirs, [&](const std::filesystem::path& file) -> std::optional<std::string> {
        if (auto why = quarantined(file)) return why;
        if (std::find(failed.begin(), failed.end(), file.string()) != failed.end())
            return std::string("crashed or hung while loading in a worker (not opened by the engine)");
        return std::nullopt;
    });
}

Expected<SupervisedPipeline> build_supervised_pipeline(const PluginRegistry& registry, const std::shared_ptr<Supervision>& supervision) {
    const WorkerSetup setup = supervision->current_setup();
    const std::filesystem::path thumbnail_dir = setup.thumbnail_dir;
    SupervisedPipeline out;
    if (supervision->options.mode == IsolationMode::none) {
        auto pipeline = Pipeline::build(registry, setup.config, thumbnail_dir);
        if (!pipeline) return unexpected(pipeline.error());
        out.pipeline = std::move(*pipeline);
        return out;
    }
    // The plan first: a config error (an unknown stage, a bad parameter) is reported without a worker.
    if (auto plan = Pipeline::build(registry, setup.config, thumbnail_dir, PipelineBuildOptions{false, {}, {}, {}}); !plan)
        return unexpected(plan.error());
    // The batch's first worker builds the real pipeline: no separate probe worker to start and end.
    const std::atomic<bool> no_stop{false};
    auto first = std::make_unique<WorkerProcess>(supervision);
    auto ready = first->start_now(no_stop);
    if (!ready) return unexpected(ready.error());
    const WorkerSetup started = supervision->current_setup();
    PipelineBuildOptions options;
    options.create_stages = false;
    options.failed = started.failed_stages;
    options.unavailable = ready->unavailable;
    options.failed_plugin_files = started.failed_plugin_files;
    auto plan = Pipeline::build(registry, setup.config, thumbnail_dir, options);
    if (!plan) return unexpected(plan.error());
    out.pipeline = std::move(*plan);
    out.first_worker = std::move(first);
    return out;
}

}  // namespace lbx::engine
