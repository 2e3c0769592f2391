#include "app/command_line.hpp"

#include <lightbox/ipc/library_location.hpp>

#include <filesystem>

namespace lbx::shell {

std::optional<CommandLine> parse_command_line(const std::vector<std::string>& args, std::string& error) {
    CommandLine cl;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const auto value = [&](const std::string& name) -> std::optional<std::string> {
            if (a.rfind(name + "=", 0) == 0) return a.substr(name.size() + 1);
            if (a == name && i + 1 < args.size()) return args[++i];
            return std::nullopt;
        };
        const auto is = [&](const std::string& name) { return a == name || a.rfind(name + "=", 0) == 0; };
        if (a == "-h" || a == "--help") cl.help = true;
        else if (a == "--select-first") cl.select_first = true;
        else if (a == "--open-first") cl.open_first = true;
        else if (a == "--zoom-first") cl.open_first = cl.zoom_first = true;
        else if (is("--catalog")) { auto v = value("--catalog"); if (!v) { error = "--catalog needs a file or a postgresql:// URI"; return std::nullopt; }
            // A file is made absolute (the engine may run elsewhere); a shared library's URI is kept as it is.
            cl.catalog = ipc::is_postgres_uri(*v) ? *v : std::filesystem::absolute(*v).lexically_normal().string(); }
        else if (is("--engine")) { auto v = value("--engine"); if (!v || (*v != "process" && *v != "inproc")) {
            error = "--engine must be process or inproc"; return std::nullopt; } cl.engine = *v; }
        else if (is("--runtime-dir")) { auto v = value("--runtime-dir"); if (!v) { error = "--runtime-dir needs a directory"; return std::nullopt; }
            cl.runtime_dir = std::filesystem::absolute(*v).lexically_normal().string(); }
        else if (is("--gallery")) { auto v = value("--gallery"); if (!v) { error = "--gallery needs a view (try --gallery list)"; return std::nullopt; }
            cl.gallery = *v; }
        else if (is("--bench-ui")) { auto v = value("--bench-ui"); if (!v) { error = "--bench-ui needs a file"; return std::nullopt; }
            cl.bench_ui = *v; }
        else if (is("--quit-after")) { auto v = value("--quit-after"); if (!v) { error = "--quit-after needs milliseconds"; return std::nullopt; }
            try { cl.quit_after_ms = std::stoi(*v); } catch (...) { error = "--quit-after: '" + *v + "' is not a number"; return std::nullopt; } }
        else if (a.rfind("--", 0) == 0) { error = "unknown option '" + a + "'"; return std::nullopt; }
        else cl.folders.push_back(std::filesystem::absolute(a).lexically_normal().string());
    }
    return cl;
}

std::string usage() {
    return "usage: lightbox [--catalog FILE|postgresql://...] [--engine=process|inproc] [--runtime-dir DIR] [--gallery VIEW|list] [FOLDER...]\n"
           "test hooks: --select-first --open-first --zoom-first --bench-ui FILE --quit-after MS\n"
           "environment: LIGHTBOX_ENGINE_EXE, LIGHTBOX_ENGINE_INPROC_LIB, LIGHTBOX_SHELL_STATUS_LOG\n";
}

}  // namespace lbx::shell
