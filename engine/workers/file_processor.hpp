// What runs the pipeline on one file for a batch: in a supervised worker process (IsolationMode::process)
// or on the calling thread (IsolationMode::none). run_batch gives each of its threads one processor.
#pragma once

#include "pipeline/pipeline.hpp"
#include "workers/isolation.hpp"
#include "workers/quarantine.hpp"
#include "workers/stage_marker.hpp"
#include "workers/worker_protocol.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
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
    // What each worker builds. Its failed_plugin_files and failed_stages grow during the batch (a plugin
    // that crashed or hung while a worker started), under `mutex`: read it with current_setup().
    WorkerSetup setup;
    mutable std::mutex mutex;
    const PluginRegistry* registry = nullptr;  // the supervisor's: finds a faulting plugin's library
    Quarantine* quarantine = nullptr;          // faults are recorded here; null: not recorded
    // Told once per plugin quarantined during the batch (a line for the user or the engine log).
    std::function<void(const std::string& message)> on_notice;
    // Bumped when a plugin is quarantined or failed at a worker's start-up: workers started before it
    // restart without that plugin.
    std::atomic<uint64_t> generation{0};

    WorkerSetup current_setup() const;
    // on_notice, once per distinct message (several workers may meet the same plugin failing).
    void notice_once(const std::string& message);

private:
    std::set<std::string> said_;  // under mutex
};

// What a worker's stage marker named when it died or hung while it started: the plugin library it was
// loading or the stage it was creating.
struct StartFault {
    RunningStage where;  // phase "load" or "create"
    std::string code;    // crashed, timeout
    std::string what;    // "worker killed by SIGSEGV (Segmentation fault)"
};

// Records a plugin that crashed or hung while a worker started: a fault in the quarantine ledger (one per
// batch and plugin: `file` is the file that was waiting for the worker, if any), and the workers started
// after it do not load it (phase load) or do not create its stages (phase create); a step that `use`s one
// of them fails its files with code plugin_not_loaded, naming the plugin and the phase. False when another
// worker of the batch had recorded it already.
bool record_start_fault(Supervision& supervision, const StartFault& fault, const std::string& file);

// The plugin files a worker for `config` need not load: those with no stage the config may run (a
// decoder in a metadata-only run, a tagger the config does not name), and those the supervisor did not
// load (registry.rejected()).
std::vector<std::string> unneeded_plugin_files(const PluginRegistry& registry, const PipelineConfig& config);
// Of those, the ones whose formats still sniff every file (decoders, metadata readers), described: the
// worker registers them without opening their libraries (loading the five decoders cost a metadata-only
// worker 3.5 ms of its start).
std::vector<PluginDescription> sniff_only_plugins(const PluginRegistry& registry, const PipelineConfig& config);

// A batch's supervision: the setup every worker builds (the pipeline config, thumbnail folder, plugin
// folders, quarantine record) and the options, with the memory cap sized for `workers` when it is 0 and
// the worker executable beside this program when none is named.
std::shared_ptr<Supervision> make_supervision(IsolationOptions options, unsigned workers, const PipelineConfig& config,
                                              const std::filesystem::path& thumbnail_dir,
                                              const std::vector<std::filesystem::path>& plugin_dirs,
                                              const PluginRegistry& registry, Quarantine* quarantine);

// Processors for `pipeline` (none) or for workers built from `supervision->setup` (process); the first
// processor made is `first_worker` when one is given (started by build_supervised_pipeline).
ProcessorFactory make_processor_factory(const Pipeline& pipeline, std::shared_ptr<Supervision> supervision,
                                        std::unique_ptr<FileProcessor> first_worker = nullptr);

// The program a worker process runs: `dir`/lightbox-engine-worker (engine/worker_main.cpp, which starts in
// a tenth of lightbox-engine's time), or `dir`/lightbox-engine, whose hidden `worker` subcommand does the
// same, where the worker program is missing.
std::filesystem::path worker_program_in(const std::filesystem::path& dir);
// worker_program_in the folder of the running program.
std::filesystem::path worker_program_beside_this_program();

// The in-process processor alone (tests, --isolation none).
std::unique_ptr<FileProcessor> make_inprocess_processor(const Pipeline& pipeline);

}  // namespace lbx::engine
