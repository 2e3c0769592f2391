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

std::filesystem::path engine_beside_this_program() {
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return (ec ? std::filesystem::current_path() : exe.parent_path()) / "lightbox-engine";
}

}  // namespace

std::vector<std::string> unneeded_plugin_files(const PluginRegistry& registry, const PipelineConfig& config) {
    std::set<std::string> named;             // stage ids the config names with `use`
    std::set<lbx_stage_kind> any_of_kind;    // steps without `use` take every stage of their kind
    for (const StageConfig& sc : config.stages) {
        if (sc.use.empty()) any_of_kind.insert(sc.kind);
        else named.insert(sc.use);
    }
    std::vector<std::string> out;
    for (const auto& plugin : registry.plugins()) {
        const bool needed = std::any_of(plugin->stages.begin(), plugin->stages.end(), [&](const LoadedStage& s) {
            // Decoders and metadata stages declare the signatures every file is sniffed by.
            return s.kind == LBX_STAGE_DECODE || s.kind == LBX_STAGE_METADATA || named.count(s.id) > 0 ||
                   any_of_kind.count(s.kind) > 0;
        });
        if (!needed) out.push_back(plugin->file.string());
    }
    return out;
}

std::shared_ptr<Supervision> make_supervision(IsolationOptions options, unsigned workers, const PipelineConfig& config,
                                              const std::filesystem::path& thumbnail_dir,
                                              const std::vector<std::filesystem::path>& plugin_dirs,
                                              const PluginRegistry& registry, Quarantine* quarantine) {
    auto s = std::make_shared<Supervision>();
    if (options.memory_cap_bytes == 0) options.memory_cap_bytes = default_memory_cap(workers);
    s->options = std::move(options);
    s->setup.config = config;
    s->setup.thumbnail_dir = thumbnail_dir.string();
    for (const auto& dir : plugin_dirs) s->setup.plugin_dirs.push_back(dir.string());
    s->setup.quarantine_file = quarantine != nullptr ? quarantine->file().string() : std::string();
    s->setup.unneeded_plugin_files = unneeded_plugin_files(registry, config);
    s->registry = &registry;
    s->quarantine = quarantine;
    return s;
}

std::unique_ptr<FileProcessor> make_inprocess_processor(const Pipeline& pipeline) {
    return std::make_unique<InProcessProcessor>(pipeline);
}

ProcessorFactory make_processor_factory(const Pipeline& pipeline, std::shared_ptr<Supervision> supervision) {
    if (!supervision || supervision->options.mode == IsolationMode::none)
        return [&pipeline] { return make_inprocess_processor(pipeline); };
    if (supervision->options.worker_executable.empty()) supervision->options.worker_executable = engine_beside_this_program();
    return [supervision] { return std::unique_ptr<FileProcessor>(std::make_unique<WorkerProcess>(supervision)); };
}

}  // namespace lbx::engine
