#include "cli/sample_program.hpp"

#include "cli/engine_paths.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

namespace lbx::engine::cli {

int run_sample_program(const std::vector<std::string>& arguments) {
    const std::string program = (executable_dir() / "lightbox-engine-sample").string();
    std::vector<std::string> words{program};
    words.insert(words.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    std::fflush(nullptr);  // what we printed comes before what it prints, on a pipe too
    pid_t pid = 0;
    const int spawned = ::posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ);
    if (spawned != 0) {
        std::fprintf(stderr, "lightbox-engine: cannot start %s: %s\n", program.c_str(), std::strerror(spawned));
        return 127;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            std::fprintf(stderr, "lightbox-engine: lost %s: %s\n", program.c_str(), std::strerror(errno));
            return 127;
        }
    }
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

}  // namespace lbx::engine::cli
