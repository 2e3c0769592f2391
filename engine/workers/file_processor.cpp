#include "workers/file_processor.hpp"

#include "workers/worker_process.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <algorithm>
#include <set>

namespace lbx::engine {

namespace {

// --isolation none: the stages run on the batch's own thread. A stop request cannot cut a stage short
// here beyond what it polls itself.
class InProcessProcessor final : public FileProcessor {
public:
    explicit InProcessProcessor(const Pipeline& pipeline) : pipeline_(pipeline) {}
    PhotoResult process(const InputFile& file, const std::atomic<bool>& stop) override {
        ProcessContext context;
        context.should_stop = [&stop] { return stop.load(); };
        PhotoResult r = pipeline_.process(file, context);
        // A stage that stopped because the user did has not failed on the file: the next scan does it.
        if (stop.load() && r.stage_cancelled()) r.interrupted = true;
        return r;
    }

private:
    const Pipeline& pipeline_;
};

}  // namespace

std::filesystem::path worker_program_in(const std::filesystem::path& dir) {
    std::error_code ec;
    const std::filesystem::path lean = dir / "lightbox-engine-worker";
    return std::filesystem::exists(lean, ec) ? lean : dir / "lightbox-engine";
}

std::filesystem::path worker_program_beside_this_program() {
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return worker_program_in(ec ? std::filesystem::current_path() : exe.parent_path());
}

namespace {

// Whether the pipeline of `config` may run a stage of `plugin`.
bool runs_a_stage_of(const LoadedPlugin& plugin, const PipelineConfig& config) {
    return std::any_of(plugin.stages.begin(), plugin.stages.end(), [&](const LoadedStage& s) {
        return std::any_of(config.stages.begin(), config.stages.end(), [&](const StageConfig& sc) {
            return sc.use.empty() ? sc.kind == s.kind : sc.use == s.id;  // no `use`: every stage of its kind
        });
    });
}

// Decoders and metadata stages declare the signatures every file is sniffed by.
bool declares_formats(const LoadedPlugin& plugin) {
    return std::any_of(plugin.stages.begin(), plugin.stages.end(), [](const LoadedStage& s) {
        return (s.kind == LBX_STAGE_DECODE || s.kind == LBX_STAGE_METADATA) && s.desc->format_count > 0;
    });
}

}  // namespace

std::vector<std::string> unneeded_plugin_files(const PluginRegistry& registry, const PipelineConfig& config) {
    std::vector<std::string> out;
    for (const auto& plugin : registry.plugins())
        if (!runs_a_stage_of(*plugin, config)) out.push_back(plugin->file.string());
    // Nor what the supervisor did not load: a library that crashed or hung in its probe is not tried again.
    for (const RejectedPlugin& r : registry.rejected()) out.push_back(r.file.string());
    return out;
}

std::vector<PluginDescription> sniff_only_plugins(const PluginRegistry& registry, const PipelineConfig& config) {
    std::vector<PluginDescription> out;
    for (const auto& plugin : registry.plugins())
        if (!runs_a_stage_of(*plugin, config) && declares_formats(*plugin)) out.push_back(describe(*plugin));
    return out;
}

std::shared_ptr<Supervision> make_supervision(IsolationOptions options, unsigned workers, const PipelineConfig& config,
                                              const std::filesystem::path& thumbnail_dir,
                                              const std::vector<std::filesystem::path>& plugin_dirs,
                                              const PluginRegistry& registry, Quarantine* quarantine) {
    auto s = std::make_shared<Supervision>();
    if (options.memory_cap_bytes == 0) options.memory_cap_bytes = default_memory_cap(workers);
    if (options.worker_executable.empty()) options.worker_executable = worker_program_beside_this_program();
    s->options = std::move(options);
    s->setup.config = config;
    s->setup.thumbnail_dir = thumbnail_dir.string();
    for (const auto& dir : plugin_dirs) s->setup.plugin_dirs.push_back(dir.string());
    s->setup.quarantine_file = quarantine != nullptr ? quarantine->file().string() : std::string();
    s->setup.unneeded_plugin_files = unneeded_plugin_files(registry, config);
    s->setup.sniff_only_plugins = sniff_only_plugins(registry, config);
    s->registry = &registry;
    s->quarantine = quarantine;
    return s;
}

WorkerSetup Supervision::current_setup() const {
    std::lock_guard lock(mutex);
    return setup;
}

void Supervision::notice_once(const std::string& message) {
    {
        std::lock_guard lock(mutex);
        if (!said_.insert(message).second) return;
    }
    if (on_notice) on_notice(message);
}

bool record_start_fault(Supervision& s, const StartFault& fault, const std::string& file) {
    const RunningStage& at = fault.where;
    const bool loading = at.phase == "load";
    // The marker names the stage being created; a library being loaded has not said who it is yet, but the
    // supervisor's registry may know it (it loaded the file after a probe that passed).
    const LoadedPlugin* plugin = nullptr;
    if (s.registry != nullptr) {
        for (const auto& p : s.registry->plugins())
            if ((loading && p->file == at.library) || (!loading && p->id == at.plugin)) plugin = p.get();
    }
    PluginFault pf;
    pf.plugin_id = plugin ? plugin->id : !at.plugin.empty() ? at.plugin : std::filesystem::path(at.library).filename().string();
    pf.plugin_version = plugin ? plugin->version : at.plugin_version;
    pf.library = plugin ? plugin->file : std::filesystem::path(at.library);
    pf.stage_id = at.stage_id;
    pf.path = file;
    pf.code = fault.code;
    pf.phase = at.phase;
    std::vector<std::pair<std::string, std::string>> stages;  // id, kind
    if (plugin) {
        for (const LoadedStage& st : plugin->stages) stages.emplace_back(st.id, stage_kind_name(st.kind));
    } else if (!at.stage_id.empty()) {
        stages.emplace_back(at.stage_id, at.kind);
    }
    for (const auto& st : stages) pf.stage_ids.push_back(st.first);
    const std::string who = "plugin " + pf.plugin_id + (pf.plugin_version.empty() ? "" : " " + pf.plugin_version);
    pf.message = fault.what + (loading ? " while loading " + pf.library.string() : " while creating " + at.kind + " stage '" + at.stage_id + "'");
    const std::string failed_text = who + " " + (fault.code == ipc::codes::kTimeout ? "hung" : "crashed") + " in phase " + at.phase +
                                    " (" + pf.message + "): not used again in this run";
    {
        std::lock_guard lock(s.mutex);
        WorkerSetup& setup = s.setup;
        const bool known = loading ? std::find(setup.failed_plugin_files.begin(), setup.failed_plugin_files.end(), at.library) !=
                                         setup.failed_plugin_files.end()
                                   : std::any_of(setup.failed_stages.begin(), setup.failed_stages.end(),
                                                 [&](const FailedStage& f) { return f.failure.plugin == pf.plugin_id; });
        if (known) return false;
        // Not loaded again: the library itself. Not created again: the plugin's stages (its library stays
        // loaded, so that its formats are still recognised and the files in them fail naming it).
        if (loading) setup.failed_plugin_files.push_back(at.library);
        for (const auto& [id, kind] : stages)
            setup.failed_stages.push_back(
                FailedStage{id, StageFailure{kind, id, pf.plugin_id, pf.plugin_version, ipc::codes::kPluginNotLoaded, failed_text}});
    }
    s.generation.fetch_add(1);
    if (s.quarantine != nullptr) {
        if (auto entry = s.quarantine->record(pf)) s.notice_once(quarantine_message(*entry));
    }
    s.notice_once(failed_text + (stages.empty() ? "" : "; the files that need it fail with " + std::string(ipc::codes::kPluginNotLoaded)));
    return true;
}

std::unique_ptr<FileProcessor> make_inprocess_processor(const Pipeline& pipeline) {
    return std::make_unique<InProcessProcessor>(pipeline);
}

ProcessorFactory make_processor_factory(const Pipeline& pipeline, std::shared_ptr<Supervision> supervision,
                                        std::unique_ptr<FileProcessor> first_worker) {
    if (!supervision || supervision->options.mode == IsolationMode::none)
        return [&pipeline] { return make_inprocess_processor(pipeline); };
    {
        // What failed at a worker's start-up while the pipeline was built stays out of this batch's workers.
        std::lock_guard lock(supervision->mutex);
        for (const std::string& file : pipeline.failed_plugin_files())
            if (std::find(supervision->setup.failed_plugin_files.begin(), supervision->setup.failed_plugin_files.end(), file) ==
                supervision->setup.failed_plugin_files.end())
                supervision->setup.failed_plugin_files.push_back(file);
        for (const FailedStage& f : pipeline.failed_stages())
            if (std::none_of(supervision->setup.failed_stages.begin(), supervision->setup.failed_stages.end(),
                             [&](const FailedStage& g) { return g.stage_id == f.stage_id; }))
                supervision->setup.failed_stages.push_back(f);
    }
    // The first call gets the worker that is already running; run_batch calls from its threads.
    struct Handover {
        std::mutex mutex;
        std::unique_ptr<FileProcessor> worker;
    };
    auto handover = std::make_shared<Handover>();
    handover->worker = std::move(first_worker);
    return [supervision, handover]() -> std::unique_ptr<FileProcessor> {
        {
            std::lock_guard lock(handover->mutex);
            if (handover->worker) return std::move(handover->worker);
        }
        return std::make_unique<WorkerProcess>(supervision);
    };
}

}  // namespace lbx::engine
