// lightbox-engine-worker: the program the engine starts for its worker processes (sdk_docs/workers.md), with
// the same command line as the hidden `lightbox-engine worker` subcommand:
//
//   lightbox-engine-worker worker --channel-fd 3 --marker-fd 4 [--memory-cap BYTES] [--parent-pid PID]
//
// Why a program of its own: lightbox-engine links the catalog (SQLite, libpq and its Kerberos, LDAP and TLS
// libraries) and ZeroMQ, 38 shared libraries that take 5.6 ms to load (57 and 10 ms while it also linked the
// sample writers), more than a metadata-only worker then spends on 50 files. This one links the pipeline and the
// worker loop only; the plugins bring their own libraries. Not for users.
#include "workers/worker_loop.hpp"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace {

template <typename T>
bool parse_number(std::string_view text, T& out) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size();
}

int usage(const char* problem) {
    std::fprintf(stderr,
                 "lightbox-engine-worker: %s\n"
                 "usage: lightbox-engine-worker worker --channel-fd N --marker-fd N [--memory-cap BYTES] "
                 "[--parent-pid PID]\n(started by lightbox-engine; not for users)\n",
                 problem);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    // argv[1] is "worker", as for `lightbox-engine worker`: what a process is shows in its command line.
    if (argc < 2 || std::strcmp(argv[1], "worker") != 0) return usage("the first argument must be 'worker'");
    lbx::engine::WorkerArguments arguments;
    bool channel = false, marker = false;
    for (int i = 2; i < argc; i += 2) {
        const std::string_view name = argv[i];
        if (i + 1 >= argc) return usage("a value is missing after the last option");
        const std::string_view value = argv[i + 1];
        bool ok = false;
        if (name == "--channel-fd") ok = channel = parse_number(value, arguments.channel_fd);
        else if (name == "--marker-fd") ok = marker = parse_number(value, arguments.marker_fd);
        else if (name == "--memory-cap") ok = parse_number(value, arguments.memory_cap_bytes);
        else if (name == "--parent-pid") ok = parse_number(value, arguments.parent_pid);
        else return usage("unknown option");
        if (!ok) return usage("not a number after an option");
    }
    if (!channel || !marker) return usage("--channel-fd and --marker-fd are required");
    return lbx::engine::run_worker(arguments);
}
