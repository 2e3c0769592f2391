// What runs the pipeline on one file for a batch: in a supervised worker process (IsolationMode::process)
// or on the calling thread (IsolationMode::none). run_batch gives each of its threads one processor.
#pragma once

#include "pipeline/pipeline.hpp"
#include "workers/isolation.hpp"
#include "workers/quarantine.hpp"
#include "workers/worker_protocol.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace lbx::engine {

class FileProcessor {
public:
    virtual ~FileProcessor() = default;
    // One file's result; never throws. A stop request while the file is in flight lets its stages finish
    // within the grace period; past it the result comes back `interrupted`.
    virtual PhotoResult process(const InputFile& file, const std::atomic<bool>& stop) = 0;
};

using ProcessorFactory = std::function<std::unique_ptr<FileProcessor>()>;

// What the workers of one batch share.
struct Supervision {
    IsolationOptions options;
    WorkerSetup setup;                        // what each worker builds
    const PluginRegistry* registry = nullptr;  // the supervisor's: finds a faulting plugin's library
    Quarantine* quarantine = nullptr;          // faults are recorded here; null: not recorded
    // Told once per plugin quarantined during the batch (a line for the user or the engine log).
    std::function<void(const std::string& message)> on_notice;
    // Bumped when a plugin is quarantined: workers started before it restart without that plugin.
    std::atomic<uint64_t> generation{0};
};

// A batch's supervision: the setup every worker builds (the pipeline config, thumbnail folder, plugin
// folders, quarantine record) and the options, with the memory cap sized for `workers` when it is 0.
// The loaded plugin files a worker for `config` need not load: those whose stages are all tag or
// thumbnail stages that the config does not use.
std::vector<std::string> unneeded_plugin_files(const PluginRegistry& registry, const PipelineConfig& config);

std::shared_ptr<Supervision> make_supervision(IsolationOptions options, unsigned workers, const PipelineConfig& config,
                                              const std::filesystem::path& thumbnail_dir,
                                              const std::vector<std::filesystem::path>& plugin_dirs,
                                              const PluginRegistry& registry, Quarantine* quarantine);

// Processors for `pipeline` (none) or for workers built from `supervision->setup` (process).
ProcessorFactory make_processor_factory(const Pipeline& pipeline, std::shared_ptr<Supervision> supervision);

// The in-process processor alone (tests, --isolation none).
std::unique_ptr<FileProcessor> make_inprocess_processor(const Pipeline& pipeline);

}  // namespace lbx::engine
