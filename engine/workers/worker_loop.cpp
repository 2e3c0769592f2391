#include "workers/worker_loop.hpp"

#include "pipeline/pipeline.hpp"
#include "workers/quarantine.hpp"
#include "workers/stage_marker.hpp"
#include "workers/worker_protocol.hpp"

#include <csignal>
#include <cstdio>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace lbx::engine {

namespace {

// AddressSanitizer reserves terabytes of address space for its shadow memory: an address-space cap would
// stop it starting. Under ASan the supervisor's resident-memory watch is the only cap.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kCapAddressSpace = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kCapAddressSpace = false;
#else
constexpr bool kCapAddressSpace = true;
#endif
#else
constexpr bool kCapAddressSpace = true;
#endif

void die_with_parent(int parent_pid) {
    // The supervisor's thread that started this worker may end without killing it (a crash of the engine):
    // the kernel then kills the worker, so no worker outlives its job.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (parent_pid > 0 && ::getppid() != parent_pid) std::_Exit(0);
}

void cap_memory(uint64_t bytes) {
    if (bytes == 0 || !kCapAddressSpace) return;
    // A cap on address space, not resident memory: an allocation bomb then fails where it asks
    // (std::bad_alloc in the stage, which the plugin layer turns into LBX_E_NO_MEMORY) instead of
    // growing until the kernel's OOM killer picks a victim, possibly the engine.
    const rlimit limit{bytes, bytes};
    ::setrlimit(RLIMIT_AS, &limit);
}

bool reply(int fd, const WorkerReady& ready) { return write_frame(fd, encode(ready)); }

}  // namespace

int run_worker(const WorkerArguments& args) {
    die_with_parent(args.parent_pid);
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGINT, SIG_IGN);  // Ctrl-C is the supervisor's to handle: it stops workers in order
    // Plugins that print to stdout must not mix with a `run --json` stream: the worker's stdout is stderr.
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    cap_memory(args.memory_cap_bytes);

    auto marker = StageMarker::attach(args.marker_fd);
    if (!marker) {
        std::fprintf(stderr, "lightbox-engine worker: %s\n", marker.error().message.c_str());
        return 2;
    }
    auto setup_frame = read_frame(args.channel_fd);
    if (!setup_frame) return 0;
    auto setup = decode_setup(*setup_frame);
    if (!setup) {
        reply(args.channel_fd, WorkerReady{false, setup.error().code, setup.error().message});
        return 2;
    }

    const Quarantine quarantine(setup->quarantine_file);
    PluginRegistry registry;
    std::vector<std::filesystem::path> dirs(setup->plugin_dirs.begin(), setup->plugin_dirs.end());
    registry.load_directories(dirs, quarantine_refusal(quarantine));
    PipelineConfig config = setup->config;
    (void)skip_quarantined_stages(config, quarantine.active());  // the supervisor reports them
    auto pipeline = Pipeline::build(registry, config, setup->thumbnail_dir);
    if (!pipeline) {
        reply(args.channel_fd, WorkerReady{false, pipeline.error().code, pipeline.error().message});
        return 2;
    }
    if (!reply(args.channel_fd, WorkerReady{true, {}, {}})) return 0;

    ProcessContext context;
    context.on_stage = [&](const LoadedStage* stage) {
        if (stage == nullptr) marker->clear();
        else marker->set(stage_kind_name(stage->kind), stage->id, stage->plugin->id, stage->plugin->version);
    };
    context.should_stop = [&] { return marker->stop_requested(); };
    context.threads_hint = 1;  // one file per worker; parallelism comes from the number of workers

    while (auto frame = read_frame(args.channel_fd)) {
        auto task = decode_task(*frame);
        if (!task) return 2;
        WorkerOutcome outcome{(*pipeline)->process(InputFile{task->path, task->named_explicitly, task->walk_error}, context)};
        if (!write_frame(args.channel_fd, encode(outcome))) return 0;
    }
    return 0;
}

}  // namespace lbx::engine
