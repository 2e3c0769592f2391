#include "workers/worker_process.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace lbx::engine {

namespace {

// The engine's environment for a worker, with a larger glibc thread cache (tcache) of freed small blocks:
// a metadata reader frees a few hundred small objects per file (Exiv2's entries), past the default 7 per
// size they went to the fast bins, and the next allocation of 1 KiB or more consolidated them all again:
// with 256, a metadata-only run takes 15 % less CPU. Small blocks only (up to 1 KiB), so at most a few MiB
// stay cached. Prepended to the user's own GLIBC_TUNABLES, which therefore still win.
std::vector<std::string> worker_environment() {
    constexpr std::string_view kTunables = "GLIBC_TUNABLES=";
    std::string tunables = std::string(kTunables) + "glibc.malloc.tcache_count=256";
    std::vector<std::string> out;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        const std::string_view entry(*e);
        if (entry.starts_with(kTunables)) tunables += ":" + std::string(entry.substr(kTunables.size()));
        else out.emplace_back(entry);
    }
    out.push_back(std::move(tunables));
    return out;
}

using Clock = std::chrono::steady_clock;

constexpr auto kStartTimeout = std::chrono::seconds(120);  // plugins load once per worker
constexpr auto kPollSlice = std::chrono::milliseconds(50);
constexpr auto kMemoryCheckEvery = std::chrono::milliseconds(100);
// At a file's deadline the stop check turns true; a stage that polls it returns within this, else it is killed.
constexpr auto kDeadlineGrace = std::chrono::milliseconds(1000);
// A worker killed by a signal when its resident size (sampled, or at death as its signal handler wrote
// it) was this close to the cap ran out of memory: the allocation that failed was at most the rest.
constexpr double kNearCap = 0.85;

std::string signal_text(int sig) {
    const char* abbrev = ::sigabbrev_np(sig);
    const char* text = ::strsignal(sig);
    return std::string("SIG") + (abbrev ? abbrev : std::to_string(sig).c_str()) + " (" + (text ? text : "?") + ")";
}

// A descriptor well above 0..4, which the worker's file actions overwrite.
int high_fd(int fd) {
    const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
    ::close(fd);
    return high;
}

std::string stage_words(const RunningStage& s) {
    if (s.kind.empty()) return "outside any stage";
    return "in " + s.kind + " stage '" + s.stage_id + "' of plugin " + s.plugin + " " + s.plugin_version;
}

}  // namespace

WorkerProcess::WorkerProcess(std::shared_ptr<Supervision> supervision) : supervision_(std::move(supervision)) {
    memory_cap_ = supervision_->options.memory_cap_bytes;
}

WorkerProcess::~WorkerProcess() { stop_worker(true); }

Expected<void> WorkerProcess::start(const std::atomic<bool>& stop, const std::string& file) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return unexpected(make_error("worker", "internal", std::string("socketpair: ") + std::strerror(errno)));
    const int ours = high_fd(sv[0]);
    const int theirs = high_fd(sv[1]);
    auto marker = StageMarker::create();
    if (!marker || ours < 0 || theirs < 0) {
        if (ours >= 0) ::close(ours);
        if (theirs >= 0) ::close(theirs);
        return unexpected(marker ? make_error("worker", "internal", "cannot duplicate descriptors") : marker.error());
    }

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, theirs, 3);
    posix_spawn_file_actions_adddup2(&actions, marker->fd(), 4);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    // The engine may block SIGINT/SIGTERM in its threads (they are waited for by one thread): the worker
    // starts with nothing blocked and default handlers, in a process group of its own so that a Ctrl-C on
    // the terminal reaches the supervisor only, which then stops the workers in order.
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

    const std::string exe = supervision_->options.worker_executable.string();
    std::vector<std::string> environment = worker_environment();
    std::vector<char*> envp;
    for (std::string& e : environment) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> args{exe, "worker", "--channel-fd", "3", "--marker-fd", "4", "--memory-cap",
                                  std::to_string(memory_cap_), "--parent-pid", std::to_string(::getpid())};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, exe.c_str(), &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(theirs);
    if (rc != 0) {
        ::close(ours);
        return unexpected(make_error("worker", "internal", "cannot start worker " + exe + ": " + std::strerror(rc)));
    }
    ::fcntl(ours, F_SETFL, ::fcntl(ours, F_GETFL) | O_NONBLOCK);
    pid_ = pid;
    channel_ = ours;
    marker_ = std::move(*marker);
    reader_.clear();
    generation_ = supervision_->generation.load();

    if (!write_frame(channel_, encode(supervision_->current_setup()))) {
        stop_worker(false);
        return unexpected(make_error("worker", ipc::codes::kCrashed, "worker " + exe + " ended before its setup"));
    }
    deadline_passed_ = false;
    // Each library load and each create() gets the base of a file's deadline: a plugin that hangs there is
    // named and left out without waiting for the whole start-up's limit.
    const auto step_limit = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(std::max(supervision_->options.file_timeout_seconds, 0.1)));
    const Wait w = wait_frame(Clock::now() + kStartTimeout, &stop, step_limit);
    if (w == Wait::stopped) {
        stop_worker(false);
        return unexpected(make_error("worker", ipc::codes::kInterrupted, "stopped while the worker started"));
    }
    if (w != Wait::frame) {
        const RunningStage at = marker_->running();  // before the worker is gone: stop_worker drops the marker
        if (w != Wait::died) ::kill(pid_, SIGKILL);
        const Death death = reap();
        stop_worker(false);
        std::string signal_words;
        std::string death_words = "worker ended";
        if (death.reaped && WIFSIGNALED(death.status) && w == Wait::died) {
            signal_words = " (" + signal_text(WTERMSIG(death.status)) + ")";
            death_words = "worker killed by " + signal_text(WTERMSIG(death.status));
        }
        if (death.reaped && WIFEXITED(death.status)) {
            signal_words = " (exit status " + std::to_string(WEXITSTATUS(death.status)) + ")";
            death_words = "worker exited with status " + std::to_string(WEXITSTATUS(death.status));
        }
        if (!at.phase.empty() && (w == Wait::died || w == Wait::timeout)) {
            // A plugin's library or create() took the worker down: record it and start again without it.
            StartFault fault;
            fault.where = at;
            fault.code = w == Wait::timeout ? ipc::codes::kTimeout : ipc::codes::kCrashed;
            char limit[32];
            std::snprintf(limit, sizeof limit, "%g", supervision_->options.file_timeout_seconds);
            fault.what = w == Wait::timeout ? std::string("no progress within ") + limit + " s (worker killed)" : death_words;
            record_start_fault(*supervision_, fault, file);
            return unexpected(make_error("worker", ipc::codes::kPluginNotLoaded, fault.what));
        }
        std::string why = w == Wait::timeout ? "did not start within 120 s" : "ended while starting";
        return unexpected(make_error("worker", ipc::codes::kCrashed, "worker " + exe + " " + why + signal_words));
    }
    auto ready = decode_ready(frame_);
    if (!ready || !ready->ok) {
        stop_worker(false);
        return unexpected(ready ? make_error("config", ready->code, ready->message) : ready.error());
    }
    ready_ = std::move(*ready);
    return {};
}

Expected<void> WorkerProcess::start_without_failing_plugins(const std::atomic<bool>& stop, const std::string& file) {
    // Each round leaves out the plugin that failed the last one; the bound only stops a plugin that fails
    // one way and then another from looping.
    constexpr int kMaxRounds = 16;
    for (int round = 1;; ++round) {
        auto ok = start(stop, file);
        if (ok || ok.error().code != ipc::codes::kPluginNotLoaded || round == kMaxRounds) return ok;
    }
}

Expected<WorkerReady> WorkerProcess::probe(const std::atomic<bool>& stop) {
    auto ready = start_now(stop);
    if (ready) stop_worker(true);  // it ends by itself after its answer
    return ready;
}

Expected<WorkerReady> WorkerProcess::start_now(const std::atomic<bool>& stop) {
    auto ok = start_without_failing_plugins(stop, std::string());
    if (!ok) return unexpected(ok.error());
    return ready_;
}

void WorkerProcess::stop_worker(bool graceful) {
    if (pid_ <= 0) return;
    if (channel_ >= 0) {
        ::close(channel_);  // the worker's read ends: it exits on its own
        channel_ = -1;
    }
    const auto until = Clock::now() + (graceful ? std::chrono::milliseconds(1000) : std::chrono::milliseconds(0));
    int status = 0;
    for (;;) {
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_ || (r < 0 && errno != EINTR)) break;
        if (Clock::now() >= until) {
            ::kill(pid_, SIGKILL);
            while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
            }
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
    marker_.reset();
}

WorkerProcess::Death WorkerProcess::reap() {
    // The channel closed: the worker is dying, or closed it by mistake. Give it a moment, then kill it.
    Death d;
    const auto until = Clock::now() + std::chrono::milliseconds(1000);
    for (;;) {
        const pid_t r = ::waitpid(pid_, &d.status, WNOHANG);
        if (r == pid_) {
            d.reaped = true;
            break;
        }
        if (r < 0 && errno != EINTR) break;
        if (Clock::now() >= until) {
            ::kill(pid_, SIGKILL);
            while (::waitpid(pid_, &d.status, 0) < 0 && errno == EINTR) {
            }
            d.reaped = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (channel_ >= 0) ::close(channel_);
    channel_ = -1;
    pid_ = -1;
    return d;
}

uint64_t WorkerProcess::resident_bytes() const {
    std::ifstream statm("/proc/" + std::to_string(pid_) + "/statm");
    uint64_t size = 0, resident = 0;
    if (!(statm >> size >> resident)) return 0;
    return resident * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

WorkerProcess::Wait WorkerProcess::wait_frame(Clock::time_point deadline, const std::atomic<bool>* stop,
                                              std::optional<Clock::duration> step_limit) {
    std::optional<Clock::time_point> grace_end;
    uint64_t step = marker_->steps();
    auto step_deadline = Clock::now() + step_limit.value_or(Clock::duration::zero());
    for (;;) {
        switch (reader_.read_available(channel_)) {
            case FrameReader::Result::frame: frame_ = reader_.take(); return Wait::frame;
            case FrameReader::Result::closed:
            case FrameReader::Result::bad: return Wait::died;
            case FrameReader::Result::pending: break;
        }
        const auto now = Clock::now();
        if (step_limit) {  // starting: no stage polls the stop check yet, so a deadline kills at once
            if (const uint64_t n = marker_->steps(); n != step) {
                step = n;
                step_deadline = now + *step_limit;
            } else if (now >= step_deadline && !marker_->running().phase.empty()) {
                return Wait::timeout;
            }
            if (now >= deadline) return Wait::timeout;
        }
        if (now >= deadline) {
            if (stop == nullptr || deadline_passed_) return Wait::timeout;
            deadline_passed_ = true;
            marker_->request_stop();
            deadline = now + kDeadlineGrace;
        }
        if (stop != nullptr && stop->load() && !grace_end) {
            marker_->request_stop();  // stages that poll the stop check (API 1.1) return early
            grace_end = now + std::chrono::milliseconds(static_cast<int64_t>(supervision_->options.stop_grace_seconds * 1000));
        }
        if (grace_end && now >= *grace_end) return Wait::stopped;
        // Every kMemoryCheckEvery of the worker's life, not at each file's start: reading /proc cost more
        // than a metadata-only file's whole work.
        if (memory_cap_ > 0 && now >= next_memory_check_) {
            next_memory_check_ = now + kMemoryCheckEvery;
            const uint64_t rss = resident_bytes();
            peak_resident_ = std::max(peak_resident_, rss);
            if (rss > memory_cap_) return Wait::memory;
        }
        pollfd p{channel_, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(kPollSlice.count()));
    }
}

PhotoResult WorkerProcess::fault(PhotoResult r, const char* code, const std::string& what) {
    const RunningStage running = marker_ ? marker_->running() : RunningStage{};
    StageFailure f;
    f.stage = running.kind.empty() ? "worker" : running.kind;
    f.stage_id = running.kind.empty() ? "engine" : running.stage_id;
    f.plugin = running.kind.empty() ? "engine" : running.plugin;
    f.plugin_version = running.plugin_version;
    f.code = code;
    f.message = what + " " + stage_words(running);
    r.failure = f;

    if (!running.kind.empty() && supervision_->quarantine != nullptr && supervision_->registry != nullptr) {
        if (const LoadedPlugin* plugin = supervision_->registry->find_plugin(running.plugin)) {
            PluginFault pf;
            pf.plugin_id = plugin->id;
            pf.plugin_version = plugin->version;
            pf.library = plugin->file;
            for (const LoadedStage& s : plugin->stages) pf.stage_ids.push_back(s.id);
            pf.stage_id = running.stage_id;
            pf.path = r.path;
            pf.code = code;
            pf.message = what + " " + stage_words(running);  // the file is named apart (last_file)
            if (auto entry = supervision_->quarantine->record(pf)) {
                supervision_->generation.fetch_add(1);
                if (supervision_->on_notice) supervision_->on_notice(quarantine_message(*entry));
            }
        }
    }
    return r;
}

PhotoResult WorkerProcess::process(const InputFile& file, const std::atomic<bool>& stop) {
    const auto started = Clock::now();
    PhotoResult r;
    r.path = file.path.string();
    auto finish = [&](PhotoResult out) {
        out.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        return out;
    };
    struct stat st {};
    // stat, not open: a FIFO must not block the supervisor (the worker opens without blocking and refuses it).
    if (::stat(file.path.c_str(), &st) == 0) {
        r.file_size = static_cast<uint64_t>(st.st_size);
        r.mtime_ns = int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
    }
    if (pid_ > 0 && generation_ != supervision_->generation.load()) stop_worker(true);  // a plugin was quarantined
    if (pid_ <= 0) {
        if (start_failure_ && start_failure_generation_ == supervision_->generation.load()) {
            r.failure = StageFailure{"worker", "engine", "engine", "", start_failure_->code, start_failure_->message};
            return finish(std::move(r));
        }
        if (auto ok = start_without_failing_plugins(stop, r.path); !ok) {
            if (ok.error().code == ipc::codes::kInterrupted) {
                r.interrupted = true;
                return finish(std::move(r));
            }
            start_failure_ = ok.error();
            start_failure_generation_ = supervision_->generation.load();
            r.failure = StageFailure{"worker", "engine", "engine", "", ok.error().code, ok.error().message};
            return finish(std::move(r));
        }
        start_failure_.reset();
    }
    marker_->reset();
    peak_resident_ = 0;
    deadline_passed_ = false;
    const auto deadline = Clock::now() + file_deadline(supervision_->options, r.file_size);
    const bool sent = write_frame(channel_, encode(WorkerTask{r.path, file.named_explicitly, file.walk_error, static_cast<int32_t>(file.problem)}));
    const Wait w = sent ? wait_frame(deadline, &stop) : Wait::died;
    switch (w) {
        case Wait::frame: {
            auto outcome = decode_outcome(frame_);
            if (!outcome) {
                ::kill(pid_, SIGKILL);
                reap();
                return finish(fault(std::move(r), ipc::codes::kCrashed, "worker sent a malformed result (" + outcome.error().message + ")"));
            }
            PhotoResult out = std::move(outcome->result);
            out.path = r.path;  // the supervisor's own copy: a worker cannot rename what it reports on
            if (!deadline_passed_ && stop.load() && out.stage_cancelled()) {
                out.interrupted = true;  // it stopped because the user did: not a failure of the file
            } else if (deadline_passed_ && out.failure && out.failure->code == ipc::codes::kCancelled) {
                // The stage heeded the stop check at the deadline: the file still took too long.
                out.failure->code = ipc::codes::kTimeout;
                out.failure->message = "no result within " + std::to_string(file_deadline(supervision_->options, r.file_size).count() / 1000) +
                                       " s (the stage stopped when asked)";
            }
            // An allocation that failed leaves a worker's heap in an unknown state: start afresh.
            if (out.failure && out.failure->code == ipc::codes::kNoMemory) stop_worker(true);
            return finish(std::move(out));
        }
        case Wait::died: {
            const Death d = reap();
            std::string what = "worker ended";
            if (d.reaped && WIFSIGNALED(d.status)) {
                what = "worker killed by " + signal_text(WTERMSIG(d.status));
                const uint64_t size = std::max(peak_resident_, marker_ ? marker_->size_at_death() : 0);
                if (memory_cap_ > 0 && size >= kNearCap * memory_cap_)
                    return finish(fault(std::move(r), ipc::codes::kOutOfMemory, what + " at its memory cap of " + std::to_string(memory_cap_ >> 20) + " MiB"));
            } else if (d.reaped && WIFEXITED(d.status)) {
                what = "worker exited with status " + std::to_string(WEXITSTATUS(d.status));
            }
            return finish(fault(std::move(r), ipc::codes::kCrashed, what));
        }
        case Wait::timeout: {
            const auto limit_s = file_deadline(supervision_->options, r.file_size).count() / 1000;
            PhotoResult out = fault(std::move(r), ipc::codes::kTimeout, "no result within " + std::to_string(limit_s) + " s (worker killed)");
            ::kill(pid_, SIGKILL);
            reap();
            return finish(std::move(out));
        }
        case Wait::memory: {
            PhotoResult out = fault(std::move(r), ipc::codes::kOutOfMemory,
                                    "worker over its memory cap of " + std::to_string(memory_cap_ >> 20) + " MiB (killed)");
            ::kill(pid_, SIGKILL);
            reap();
            return finish(std::move(out));
        }
        case Wait::stopped: {
            ::kill(pid_, SIGKILL);
            reap();
            r.interrupted = true;
            return finish(std::move(r));
        }
    }
    return finish(std::move(r));
}

}  // namespace lbx::engine
