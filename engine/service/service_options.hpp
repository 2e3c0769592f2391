// How `lightbox-engine serve` is set up (from its command line, or by the shell's in-process mode).
#pragma once

#include "workers/isolation.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace lbx::engine::service {

struct ServiceOptions {
    std::string endpoint;               // command endpoint; empty: ipc:// in the runtime directory
    std::filesystem::path runtime_dir;  // endpoints, token and lock files; empty: ipc::default_runtime_dir()
    std::vector<std::filesystem::path> plugin_dirs;  // searched in order (plugin_search_path)
    std::filesystem::path config_dir;   // named pipelines: <config_dir>/<name>.toml, default.toml when unnamed
    std::filesystem::path thumbnail_dir;  // empty: the pipeline's, then $XDG_CACHE_HOME/lightbox/thumbs
    std::filesystem::path catalog_file;   // the library served; empty: catalog::default_catalog_file()
    unsigned workers = 0;               // per job; 0: all cores
    unsigned max_jobs = 4;              // running at once; more get `busy`
    int worker_nice = 10;               // job threads run this much nicer than the command thread
    IsolationOptions isolation;         // where scans and on-demand thumbnails run their stages
    bool analysis = true;               // scans run the pipeline's analysis stages (objects, faces)
    std::chrono::milliseconds heartbeat{1000};
    std::chrono::milliseconds plugin_load_delay{0};  // tests: widens the not_ready window
    std::string engine_version = "0.1.0";
};

}  // namespace lbx::engine::service
