// The subcommands of lightbox-engine. Each returns the process exit code: 0 success, 1 some files
// failed, 2 usage or configuration error, 3 results not stored in the catalog, 130 interrupted.
#pragma once

#include "pipeline/pipeline.hpp"
#include "plugins/plugin_registry.hpp"
#include "workers/isolation.hpp"
#include "workers/plugin_probe.hpp"
#include "workers/quarantine.hpp"
#include "workers/worker_loop.hpp"

#include <lightbox/cli/record_output.hpp>

#include <optional>
#include <string>
#include <vector>

namespace lbx::engine::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeFailed = 1;
inline constexpr int kExitUsage = 2;
// `run --catalog`: writing the catalog failed (a full disk): the run stopped and named what was not stored.
inline constexpr int kExitNotStored = 3;
inline constexpr int kExitInterrupted = 130;

// --isolation, --file-timeout, --worker-memory-mb, --stop-grace: the same on run, serve, thumbs prewarm and plugins (its load probe).
struct IsolationFlags {
    std::string mode = "process";
    double file_timeout_s = 30;
    uint64_t worker_memory_mb = 0;  // 0: sized to the machine
    double stop_grace_s = 3;
};
IsolationOptions isolation_options(const IsolationFlags& flags);

struct RunOptions {
    std::string config;           // empty: the installed default.toml
    unsigned jobs = 0;            // 0: all cores
    std::string thumbs;           // empty: config, then $XDG_CACHE_HOME/lightbox/thumbs
    std::vector<int> sizes;       // empty: from config
    std::vector<std::string> only;
    bool hash = false;            // the content hash even when nothing needs it (`--only metadata`)
    bool json = false;            // the same as --format jsonl
    lbx::cli::RecordOutputOptions output_flags;  // --format, --fields as given
    lbx::cli::ResolvedOutput output;             // what they mean (main_dispatch.cpp); no format: text
    bool progress = true;
    std::string catalog;          // empty: no catalog (every file is processed, nothing is stored)
    bool retry_failed = false;    // with a catalog: process unchanged files that failed before
    std::string analysis;         // "on", "off"; empty: LIGHTBOX_ANALYSIS, else on
    bool null_separated = false;  // -0: the paths read from stdin end with NUL, not newline
    std::string shard;            // --shard I/N: only the files of shard I of N (pipeline/shard.hpp); empty: all
    IsolationFlags isolation;
    std::vector<std::string> paths;
};

struct PluginsOptions {
    bool json = false;
    std::string inspect_id;  // empty: list all
    bool reset = false;      // `plugins reset [ID]`: lift quarantines (inspect_id, or all)
    IsolationFlags isolation;  // the load probe's deadline and memory cap (a library that hangs while loading)
};

struct ServeOptions {
    std::string endpoint;     // empty: ipc:// in the runtime directory
    std::string runtime_dir;  // empty: $XDG_RUNTIME_DIR/lightbox or /tmp/lightbox-<uid>
    std::string thumbs;
    std::string catalog;          // empty: $XDG_DATA_HOME/lightbox/library.lbx
    unsigned jobs = 0;        // workers per job; 0: all cores
    unsigned max_jobs = 4;
    int nice = 10;
    std::string analysis;     // "on", "off"; empty: LIGHTBOX_ANALYSIS, else on
    IsolationFlags isolation;
};

struct QueryCommandOptions {
    std::string catalog;  // empty: the default catalog
    std::string query;    // empty: every live photo
    bool json = false;    // the same as --format jsonl
    lbx::cli::RecordOutputOptions output_flags;  // --format, --fields as given
    lbx::cli::ResolvedOutput output;             // what they mean (main_dispatch.cpp); no format: text
    bool print0 = false;  // only the paths, NUL-terminated
    bool facets = false;
    std::string sort = "taken";  // taken, path, added
    bool descending = false;
    int64_t limit = -1;
    int64_t offset = 0;
};

struct ThumbsOptions {
    std::string action;    // stats, prune, prewarm
    std::string catalog;   // empty: the default catalog
    std::string config;    // empty: the installed default.toml (sizes, budget, thumbnail folder)
    std::string thumbs;    // prewarm's thumbnail folder; empty: config, then $XDG_CACHE_HOME/lightbox/thumbs
    int64_t budget_mb = 0;  // 0: the config's [thumbnails] cache_budget_mb
    bool json = false;
    unsigned jobs = 0;     // prewarm's workers; 0: all cores
    IsolationFlags isolation;
};

// `lightbox-engine catalog import`: `run --json` records stored in a catalog (catalog_import_command.cpp).
struct CatalogImportOptions {
    std::string catalog;             // empty: the default catalog
    std::vector<std::string> files;  // JSON-lines files; "-" reads stdin
};

// `lightbox-engine catalog migrate --to URI`: a library copied into another database (catalog_migrate_command.cpp).
struct CatalogMigrateOptions {
    std::string catalog;  // the library copied; empty: the default catalog
    std::string to;       // where: a postgresql:// URI (or another SQLite file)
};

int run_main(int argc, char** argv);
int run_command(const RunOptions& options);

// Whether the analysis phase runs: the --analysis value, else the LIGHTBOX_ANALYSIS default; nullopt (after
// an error on stderr) for a bad LIGHTBOX_ANALYSIS.
std::optional<bool> analysis_enabled(const std::string& flag);
int plugins_command(const PluginsOptions& options);
int sample_command(const std::string& directory);
int serve_command(const ServeOptions& options);
int query_command(const QueryCommandOptions& options);
int thumbs_command(const ThumbsOptions& options);
int catalog_import_command(const CatalogImportOptions& options);
int catalog_migrate_command(const CatalogMigrateOptions& options);

// Loads plugins from the search path, except quarantined ones; reports each rejected file on stderr when
// `report` is set. With process isolation (the default) a probe worker loads them first, so that a library
// that crashes or hangs while loading is named and left out instead of taking this process down
// (workers/plugin_probe.hpp).
void load_plugins(PluginRegistry& registry, bool report, const IsolationOptions& isolation = {},
                  const std::atomic<bool>* stop = nullptr);
// The pipeline of a command that runs files in workers, for `supervision`: with process isolation a plan
// built after the batch's first worker, started here, built the real one (no stage created in this
// process); the pipeline itself with isolation none (workers/plugin_probe.hpp). Lines about plugins that
// failed in a worker's start-up go to stderr.
Expected<SupervisedPipeline> build_pipeline(const PluginRegistry& registry, const std::shared_ptr<Supervision>& supervision,
                                            const std::atomic<bool>* stop = nullptr);

// `lightbox-engine plugins check LIB.so`: every stage of one plugin over hostile inputs, in workers.
struct PluginsCheckOptions {
    std::string library;
    IsolationFlags isolation{"process", 10, 1024, 3};
};
int plugins_check_command(const PluginsCheckOptions& options);

// `lightbox-engine worker`: started by a supervisor only (hidden from --help).
int worker_command(const WorkerArguments& arguments);

}  // namespace lbx::engine::cli
