#include "workers/worker_loop.hpp"

#include "pipeline/pipeline.hpp"
#include "workers/quarantine.hpp"
#include "workers/stage_marker.hpp"
#include "workers/worker_protocol.hpp"

#include <dlfcn.h>
#include <csignal>
#include <set>
#include <malloc.h>
#include <fcntl.h>
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

// An AddressSanitizer runtime in the process, built in or preloaded for an ASan-built plugin (the
// recipe in sdk_docs/checklist.md), reserves terabytes of shadow address space: under an address-space
// cap its first mapping fails and the worker cannot start. The supervisor's watch of resident memory
// still caps such a worker.
bool sanitizer_runtime_loaded() { return !kCapAddressSpace || ::dlsym(RTLD_DEFAULT, "__asan_init") != nullptr; }

void cap_memory(uint64_t bytes) {
    if (bytes == 0 || sanitizer_runtime_loaded()) return;
    // A cap on address space, not resident memory: an allocation bomb then fails where it asks
    // (std::bad_alloc in the stage, which the plugin layer turns into LBX_E_NO_MEMORY) instead of
    // growing until the kernel's OOM killer picks a victim, possibly the engine.
    const rlimit limit{bytes, bytes};
    ::setrlimit(RLIMIT_AS, &limit);
}

bool reply(int fd, const WorkerReady& ready) { return write_frame(fd, encode(ready)); }

// A worker is single-threaded, so glibc serves it from the main arena, which it trims after every file
// and whose large blocks are fresh mmaps: each file faulted its pixel buffers in again (about 40 % more
// page faults than the engine's own threads, whose arenas are not trimmed). Keeping freed memory for the
// next file costs at most what one file needed, which the memory cap bounds anyway.
void keep_freed_memory() {
    ::mallopt(M_MMAP_THRESHOLD, 64 << 20);
    ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

// The one process-wide variable of a worker, set once before any stage runs: where its fatal-signal
// handler writes how large the process had grown (its resident memory). A signal handler can reach nothing else, and the size is
// what lets the supervisor tell a stage that crashed from one that ran out of memory (a C stage that gets
// NULL from malloc at the cap and dereferences it dies of SIGSEGV, like any other bug).
StageMarker* g_marker_for_signals = nullptr;
uint64_t g_page_size = 4096;

void record_size_and_die(int sig) {  // async-signal-safe: open, read, close, an atomic store, raise
    if (g_marker_for_signals != nullptr) {
        const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            char buf[64];
            const ssize_t n = ::read(fd, buf, sizeof buf);
            ::close(fd);
            // statm: "size resident shared ...": the resident pages (the address space of a sanitizer build
            // is terabytes of reserved shadow, so only what is resident says how large the worker grew).
            ssize_t i = 0;
            while (i < n && buf[i] != ' ') ++i;
            uint64_t pages = 0;
            for (++i; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) pages = pages * 10 + uint64_t(buf[i] - '0');
            g_marker_for_signals->set_size_at_death(pages * g_page_size);
        }
    }
    ::raise(sig);  // SA_RESETHAND restored the default action: the worker dies of this signal
}

void report_size_at_death(StageMarker& marker) {
    g_marker_for_signals = &marker;
    g_page_size = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
    // Its own stack: a stage that overflowed the thread's stack still gets its size reported.
    static char alternate_stack[64 * 1024];
    stack_t ss{};
    ss.ss_sp = alternate_stack;
    ss.ss_size = sizeof alternate_stack;
    ::sigaltstack(&ss, nullptr);
    struct sigaction sa {};
    sa.sa_handler = record_size_and_die;
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE}) ::sigaction(sig, &sa, nullptr);
}

}  // namespace

int run_worker(const WorkerArguments& args) {
    die_with_parent(args.parent_pid);
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGINT, SIG_IGN);  // Ctrl-C is the supervisor's to handle: it stops workers in order
    // Plugins that print to stdout must not mix with a `run --json` stream: the worker's stdout is stderr.
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    cap_memory(args.memory_cap_bytes);
    keep_freed_memory();

    auto marker = StageMarker::attach(args.marker_fd);
    if (!marker) {
        std::fprintf(stderr, "lightbox-engine worker: %s\n", marker.error().message.c_str());
        return 2;
    }
    report_size_at_death(*marker);
    auto setup_frame = read_frame(args.channel_fd);
    if (!setup_frame) return 0;
    auto setup = decode_setup(*setup_frame);
    if (!setup) {
        reply(args.channel_fd, WorkerReady{false, setup.error().code, setup.error().message, {}, {}, {}});
        return 2;
    }

    const Quarantine quarantine(setup->quarantine_file);
    PluginRegistry registry;
    std::vector<std::filesystem::path> dirs(setup->plugin_dirs.begin(), setup->plugin_dirs.end());
    const PluginRegistry::Refusal quarantined = quarantine_refusal(quarantine);
    const std::set<std::filesystem::path> unneeded(setup->unneeded_plugin_files.begin(), setup->unneeded_plugin_files.end());
    const std::set<std::filesystem::path> failed(setup->failed_plugin_files.begin(), setup->failed_plugin_files.end());
    // Each library and each create() is named in the marker first: one that crashes or hangs here is
    // named by the supervisor, which then starts workers without it.
    registry.load_directories(
        dirs,
        [&](const std::filesystem::path& file) -> std::optional<std::string> {
            if (unneeded.count(file) > 0) return "not used by this pipeline";
            if (failed.count(file) > 0) return "crashed or hung while loading, earlier in this run";
            return quarantined(file);
        },
        [&](const std::filesystem::path& file) { marker->set_loading(file.string()); });
    marker->clear();
    // The formats of the plugins this pipeline runs no stage of, for sniffing, without their code.
    for (const PluginDescription& d : setup->sniff_only_plugins)
        if (failed.count(d.file) == 0 && !quarantined(d.file)) (void)registry.add_described(DescribedPlugin::make(d));
    PipelineConfig config = setup->config;
    (void)skip_quarantined_stages(config, quarantine.active());  // the supervisor reports them
    PipelineBuildOptions build;
    build.failed = setup->failed_stages;
    build.before_create = [&](const LoadedStage& s) {
        marker->set_creating(stage_kind_name(s.kind), s.id, s.plugin->id, s.plugin->version, s.plugin->file.string());
    };
    auto pipeline = Pipeline::build(registry, config, setup->thumbnail_dir, build);
    marker->clear();
    if (!pipeline) {
        reply(args.channel_fd, WorkerReady{false, pipeline.error().code, pipeline.error().message, {}, {}, {}});
        return 2;
    }
    WorkerReady ready{true, {}, {}, (*pipeline)->unavailable_stages(), {}, {}};
    if (setup->probe_only) {  // the supervisor registers what this worker loaded without opening a library
        for (const auto& plugin : registry.plugins()) ready.plugins.push_back(describe(*plugin));
        for (const RejectedPlugin& r : registry.rejected()) ready.refused.push_back(RefusedLibrary{r.file.string(), r.reason});
    }
    if (!reply(args.channel_fd, ready)) return 0;
    if (setup->probe_only) return 0;

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
        InputFile file{task->path, task->named_explicitly, task->walk_error, WalkProblem::none};
        if (task->problem >= 0 && task->problem <= static_cast<int32_t>(WalkProblem::broken_link))
            file.problem = static_cast<WalkProblem>(task->problem);
        WorkerOutcome outcome{(*pipeline)->process(file, context)};
        if (!write_frame(args.channel_fd, encode(outcome))) return 0;
    }
    return 0;
}

}  // namespace lbx::engine
