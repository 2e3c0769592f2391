#include "workers/plugin_probe.hpp"

#include "workers/file_processor.hpp"
#include "workers/probe_cache.hpp"
#include "workers/worker_process.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace lbx::engine {

namespace {

std::shared_ptr<Supervision> probe_supervision(const IsolationOptions& isolation, const std::vector<std::filesystem::path>& dirs,
                                               Quarantine* quarantine, const Notice& notice) {
    auto s = std::make_shared<Supervision>();
    s->options = isolation;
    if (s->options.worker_executable.empty()) s->options.worker_executable = worker_program_beside_this_program();
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
                             const IsolationOptions& isolation, const Notice& notice, const std::atomic<bool>* stop) {
    const PluginRegistry::Refusal quarantined =
        quarantine != nullptr ? quarantine_refusal(*quarantine) : PluginRegistry::Refusal([](const std::filesystem::path&) {
            return std::optional<std::string>();
        });
    if (isolation.mode == IsolationMode::none) {  // everything in this process: the libraries are opened here
        registry.load_directories(dirs, quarantined);
        return;
    }
    // The libraries a worker would open; a probe only when one is new or changed (probe_cache.hpp).
    std::vector<std::filesystem::path> candidates;
    for (const auto& dir : dirs)
        for (const auto& file : PluginRegistry::plugin_files_in(dir))
            if (!quarantined(file)) candidates.push_back(file);
    std::optional<ProbeCache> cache;
    if (quarantine != nullptr) cache.emplace(quarantine->file().parent_path() / "plugins-probed.json");
    std::optional<ProbedLibraries> found = cache ? cache->find(candidates) : std::nullopt;
    std::set<std::string> failed;  // crashed or hung while a probe loaded them
    std::string unchecked;         // why no probe answered
    if (!found) {
        // The probe builds an empty pipeline: it only loads the libraries, and describes them.
        auto supervision = probe_supervision(isolation, dirs, quarantine, notice);
        const std::atomic<bool> no_stop{false};
        WorkerProcess probe(supervision);
        auto ready = probe.probe(stop != nullptr ? *stop : no_stop);
        for (const std::string& file : supervision->current_setup().failed_plugin_files) failed.insert(file);
        if (ready) {
            // Only this run's candidates that loaded without a fault: neither the failed ones (refused by the
            // last probe round) nor the quarantined ones are a probe's finding.
            const std::set<std::filesystem::path> wanted(candidates.begin(), candidates.end());
            auto ours = [&](const std::string& file) { return wanted.count(file) > 0 && failed.count(file) == 0; };
            found.emplace();
            for (PluginDescription& p : ready->plugins)
                if (ours(p.file)) found->plugins.push_back(std::move(p));
            for (RefusedLibrary& r : ready->refused)
                if (ours(r.file)) found->refused.push_back(std::move(r));
            if (cache) cache->record(*found);
        } else {
            unchecked = ready.error().message;
            if (notice && ready.error().code != ipc::codes::kInterrupted)
                notice("cannot check the plugins in a worker first: " + unchecked);
        }
    }
    // Registered in the order a worker loads them, so that a duplicate resolves the same way. No library
    // is opened here: a constructor that crashes only on a later load never runs in the supervisor.
    std::map<std::string, const PluginDescription*> described;
    std::map<std::string, const std::string*> refused;
    if (found) {
        for (const PluginDescription& p : found->plugins) described[p.file] = &p;
        for (const RefusedLibrary& r : found->refused) refused[r.file] = &r.reason;
    }
    for (const auto& dir : dirs) {
        for (const auto& file : PluginRegistry::plugin_files_in(dir)) {
            if (auto why = quarantined(file)) registry.add_refused(file, *why);
            else if (failed.count(file.string()) > 0)
                registry.add_refused(file, "crashed or hung while loading in a worker (not opened by the engine)");
            else if (auto d = described.find(file.string()); d != described.end())
                (void)registry.add_described(DescribedPlugin::make(*d->second));
            else if (auto r = refused.find(file.string()); r != refused.end())
                registry.add_refused(file, *r->second);
            else if (!unchecked.empty())
                registry.add_refused(file, "not loaded: no worker could check it (" + unchecked + ")");
            else
                registry.add_refused(file, "appeared after the plugins were checked (loaded from the next start)");
        }
    }
}

Expected<SupervisedPipeline> build_supervised_pipeline(const PluginRegistry& registry, const std::shared_ptr<Supervision>& supervision,
                                                       const std::atomic<bool>* stop) {
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
    auto ready = first->start_now(stop != nullptr ? *stop : no_stop);
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
