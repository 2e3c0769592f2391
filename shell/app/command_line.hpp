// `lightbox [--catalog FILE] [--engine=process|inproc] [--runtime-dir DIR] [--gallery VIEW] [FOLDER...]`
// and the test hooks (--select-first, --open-first, --zoom-first, --bench-ui FILE,
// --quit-after MS).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lbx::shell {

struct CommandLine {
    std::string catalog;
    std::string engine = "process";
    std::string runtime_dir;
    std::string gallery;             // a view name, or "list"
    std::vector<std::string> folders;  // made absolute
    bool select_first = false;       // test hook: focus the first cell once results arrive
    bool open_first = false;         // test hook: open the first photo once results arrive
    bool zoom_first = false;         // test hook: open it at 100 %; says on stderr when its original is shown
    std::string bench_ui;            // UI benchmark: write figures to this file, then quit
    int quit_after_ms = 0;
    bool help = false;
};

// Parses argv (argv[0] excluded); an error message for a bad option.
std::optional<CommandLine> parse_command_line(const std::vector<std::string>& args, std::string& error);
std::string usage();

}  // namespace lbx::shell
