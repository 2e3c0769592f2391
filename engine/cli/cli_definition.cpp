#include "cli/cli_definition.hpp"

#include <lightbox/ipc/settings.hpp>

namespace lbx::engine::cli {

namespace {

using lbx::cli::number;
using lbx::cli::one_of;
using lbx::cli::whole_number;

constexpr const char* kExitStatus =
    "Exit status: 0 success; 1 some files failed (run: also files unchanged since they failed; catalog import: "
    "a malformed line or an unreadable input); 2 usage or configuration error (a bad option, query or config); 3 "
    "results could not be stored in the catalog (run --catalog, catalog import); 130 interrupted (Ctrl-C). Conventions, shared with lightbox-ctl: sdk_docs/cli.md.";

// The same isolation options on every command that runs stages (sdk_docs/workers.md).
void add_isolation(CLI::App* cmd, IsolationFlags& flags) {
    cmd->add_option("--isolation", flags.mode, "where stages run: process (supervised worker processes, default) or none (threads, for debugging)")
        ->check(one_of({"process", "none"}));
    cmd->add_option("--file-timeout", flags.file_timeout_s, "seconds a file may take, plus 2 s per MiB of file, before its worker is killed (default 30)")
        ->check(number(0.1, 86400.0));
    cmd->add_option("--worker-memory-mb", flags.worker_memory_mb, "memory cap of each worker process in MiB (default: 80 % of RAM shared by the workers, at least 1024)")
        ->check(whole_number(64, int64_t{1} << 24));
    cmd->add_option("--stop-grace", flags.stop_grace_s, "seconds the files in flight get to finish after a stop request before their workers are killed (default 3)")
        ->check(number(0.0, 600.0));
}

}  // namespace

std::string engine_version() {
    return "lightbox-engine 0.1.0 (plugin API " + std::to_string(LBX_PLUGIN_API_VERSION_MAJOR) + "." +
           std::to_string(LBX_PLUGIN_API_VERSION_MINOR) + ")";
}

std::unique_ptr<EngineCommandLine> define_command_line() {
    auto line = std::make_unique<EngineCommandLine>();
    CLI::App& app = line->app;
    app.require_subcommand(1);

    RunOptions& run = line->run;
    CLI::App* run_cmd = line->run_cmd = app.add_subcommand("run", "process photo files and folders headlessly");
    run_cmd->add_option("--config", run.config, "pipeline config (TOML); default: the installed default.toml");
    run_cmd->add_option("--jobs,-j", run.jobs, "worker threads (default: all cores)")->check(whole_number(1, 1024));
    run_cmd->add_option("--thumbs", run.thumbs, "thumbnail folder (default: $XDG_CACHE_HOME/lightbox/thumbs)");
    run_cmd->add_option("--sizes", run.sizes, "thumbnail long edges, e.g. 256,1024")->delimiter(',')->check(whole_number(ipc::settings::kMinThumbnailSize, ipc::settings::kMaxThumbnailSize))->allow_extra_args(false);
    run_cmd->add_option("--only", run.only, "stage kinds or stage ids to run: metadata,decode,tag,thumbnail,objects,...")->delimiter(',')->allow_extra_args(false);
    run_cmd->add_flag("--hash", run.hash, "compute the content hash even with --only metadata (read every byte)");
    run_cmd->add_flag("--json", run.json, "one photo record per file on stdout, one per line (the same as --format jsonl)");
    lbx::cli::add_record_options(run_cmd, run.output_flags);
    run_cmd->add_flag("!--no-progress", run.progress, "no progress on stderr (the summary is still printed)");
    run_cmd->add_option("--catalog", run.catalog, "store results in this catalog (an SQLite file, or postgresql://... for a library shared by several engines) and skip files unchanged since the last scan");
    run_cmd->add_flag("--retry-failed", run.retry_failed, "with --catalog: process again unchanged files that failed before");
    run_cmd->add_option("--analysis", run.analysis, "run the analysis stages (objects, faces): on (default) or off")
        ->check(one_of({"on", "off"}));
    run_cmd->add_option("--shard", run.shard,
                        "only shard I of N (counted from 0) of the files, e.g. 2/8: each file by a hash of its path, so "
                        "shards run apart cover every file once (sdk_docs/cli.md)");
    run_cmd->add_flag("--null,-0", run.null_separated, "the paths '-' reads from stdin end with a NUL byte, not a newline (find -print0, xargs -0)");
    add_isolation(run_cmd, run.isolation);
    run_cmd->add_option("paths", run.paths, "files and folders; '-' reads paths from stdin, one per line (with -0: NUL-terminated)")->required();

    PluginsOptions& plugins = line->plugins;
    CLI::App* plugins_cmd = line->plugins_cmd = app.add_subcommand("plugins", "list plugins, their stages and rejected files");
    plugins_cmd->add_flag("--json", plugins.json, "JSON output");
    add_isolation(plugins_cmd, plugins.isolation);
    CLI::App* inspect_cmd = plugins_cmd->add_subcommand("inspect", "show one plugin's full metadata");
    inspect_cmd->add_option("id", plugins.inspect_id, "plugin id (or one of its stage ids)")->required();
    inspect_cmd->add_flag("--json", plugins.json, "JSON output");
    add_isolation(inspect_cmd, plugins.isolation);
    PluginsCheckOptions& check = line->check;
    CLI::App* check_cmd = line->check_cmd = plugins_cmd->add_subcommand("check", "run every stage of a plugin over hostile inputs in workers and give a verdict per stage");
    check_cmd->add_option("library", check.library, "the plugin's shared library (.so)")->required();
    check_cmd->add_option("--file-timeout", check.isolation.file_timeout_s, "seconds per input before the worker is killed (default 10)")->check(number(0.1, 3600.0));
    check_cmd->add_option("--worker-memory-mb", check.isolation.worker_memory_mb, "memory cap of the worker in MiB (default 1024)")->check(whole_number(64, int64_t{1} << 24));
    line->reset_cmd = plugins_cmd->add_subcommand("reset", "lift the quarantine of a plugin (or of all)");
    line->reset_cmd->add_option("id", plugins.inspect_id, "plugin id (default: every quarantined plugin)");

    ServeOptions& serve = line->serve;
    CLI::App* serve_cmd = line->serve_cmd = app.add_subcommand("serve", "run as a service for the desktop app and lightbox-ctl (ZeroMQ)");
    serve_cmd->add_option("--endpoint", serve.endpoint,
                          "command endpoint: ipc://PATH or tcp://127.0.0.1:PORT (token required); default: ipc:// in the runtime directory");
    serve_cmd->add_option("--runtime-dir", serve.runtime_dir, "where the endpoints, token and lock files go (default: $XDG_RUNTIME_DIR/lightbox)");
    serve_cmd->add_option("--catalog", serve.catalog, "the library served: a file, or postgresql://... (default: $XDG_DATA_HOME/lightbox/library.lbx)");
    serve_cmd->add_option("--thumbs", serve.thumbs, "thumbnail folder (default: the pipeline's, then $XDG_CACHE_HOME/lightbox/thumbs)");
    serve_cmd->add_option("--jobs,-j", serve.jobs, "worker threads per scan (default: all cores)")->check(whole_number(1, 1024));
    serve_cmd->add_option("--max-jobs", serve.max_jobs, "scans running at once; more get 'busy' (default 4)")->check(whole_number(1, 64));
    serve_cmd->add_option("--nice", serve.nice, "how much lower the scan workers' CPU priority is (default 10)")->check(whole_number(0, 19));
    serve_cmd->add_option("--analysis", serve.analysis, "run the analysis stages (objects, faces) as a background job after scans: on (default) or off")
        ->check(one_of({"on", "off"}));
    add_isolation(serve_cmd, serve.isolation);

    QueryCommandOptions& query = line->query;
    lbx::cli::FreeTextCommand* query_cmd = line->query_cmd = lbx::cli::add_free_text_command(
        app, "query", "photos of a catalog that match a query (sdk_docs/query.md)", "QUERY",
        "the query, e.g. beach year:2019 -tag:blurry (quoted as one argument or as several words; none: every photo)");
    query_cmd->add_option("--catalog", query.catalog, "the catalog: a file, or postgresql://... (default: $XDG_DATA_HOME/lightbox/library.lbx)");
    query_cmd->add_flag("--json", query.json, "one photo record per photo, one per line (the same as --format jsonl)");
    lbx::cli::add_record_options(query_cmd, query.output_flags);
    query_cmd->add_flag("--print0", query.print0, "only the paths, each followed by a NUL byte (for xargs -0)");
    query_cmd->add_flag("--facets", query.facets,
                        "also count tags, cameras, years, months, places, groups, labels and people over the matches: on "
                        "stderr, or with --format json under \"facets\" (never among the records)");
    query_cmd->add_option("--sort", query.sort, "taken (default), path or added")->check(one_of({"taken", "path", "added"}));
    query_cmd->add_flag("--desc", query.descending, "newest (or last) first");
    query_cmd->add_option("--limit", query.limit, "at most this many photos (default: all)")->check(whole_number(0, INT64_MAX));
    query_cmd->add_option("--offset", query.offset, "skip this many photos first")->check(whole_number(0, INT64_MAX));

    ThumbsOptions& thumbs = line->thumbs;
    CLI::App* thumbs_cmd = line->thumbs_cmd = app.add_subcommand("thumbs", "the thumbnail cache of a catalog: stats, prune to the budget, prewarm");
    thumbs_cmd->add_option("action", thumbs.action, "stats, prune or prewarm")->required()->check(one_of({"stats", "prune", "prewarm"}));
    thumbs_cmd->add_option("--catalog", thumbs.catalog, "the catalog: a file, or postgresql://... (default: $XDG_DATA_HOME/lightbox/library.lbx)");
    thumbs_cmd->add_option("--config", thumbs.config, "pipeline config: thumbnail sizes, budget, folder (default: the installed default.toml)");
    thumbs_cmd->add_option("--thumbs", thumbs.thumbs, "where prewarm writes thumbnails (default: the config's, then $XDG_CACHE_HOME/lightbox/thumbs)");
    thumbs_cmd->add_option("--budget-mb", thumbs.budget_mb, "the budget in MiB (default: [thumbnails] cache_budget_mb)")->check(whole_number(1, int64_t{16} * 1024 * 1024));
    thumbs_cmd->add_flag("--json", thumbs.json, "one JSON object on stdout");
    thumbs_cmd->add_option("--jobs,-j", thumbs.jobs, "prewarm's worker threads (default: all cores)")->check(whole_number(1, 1024));
    add_isolation(thumbs_cmd, thumbs.isolation);

    CatalogImportOptions& catalog_import = line->catalog_import;
    CLI::App* catalog_cmd = app.add_subcommand("catalog", "work on a catalog without scanning: import run results, copy a library into PostgreSQL");
    catalog_cmd->require_subcommand(1);
    CLI::App* import_cmd = line->catalog_import_cmd = catalog_cmd->add_subcommand(
        "import", "store the photo records of `run --json` outputs (shards run elsewhere) in a catalog");
    import_cmd->add_option("files", catalog_import.files, "JSON-lines files of photo records; - reads stdin")->required();
    import_cmd->add_option("--catalog", catalog_import.catalog, "the catalog: a file, or postgresql://... (default: $XDG_DATA_HOME/lightbox/library.lbx)");

    CatalogMigrateOptions& catalog_migrate = line->catalog_migrate;
    CLI::App* migrate_cmd = line->catalog_migrate_cmd = catalog_cmd->add_subcommand(
        "migrate", "copy a library (photos, tags, user edits, persons, ledgers) into an empty database and check the counts");
    migrate_cmd->add_option("--catalog", catalog_migrate.catalog, "the library copied (default: $XDG_DATA_HOME/lightbox/library.lbx)");
    migrate_cmd->add_option("--to", catalog_migrate.to, "the database it is copied into: postgresql://... (or an SQLite file)")->required();

    WorkerArguments& worker = line->worker;
    CLI::App* worker_cmd = line->worker_cmd = app.add_subcommand("worker", "a worker process (started by the engine itself)");
    worker_cmd->group("");  // hidden from --help, the completions and the man page
    worker_cmd->add_option("--channel-fd", worker.channel_fd)->required();
    worker_cmd->add_option("--marker-fd", worker.marker_fd)->required();
    worker_cmd->add_option("--memory-cap", worker.memory_cap_bytes);
    worker_cmd->add_option("--parent-pid", worker.parent_pid);

    line->sample_cmd = app.add_subcommand("sample", "write a small sample photo set (JPEG, HEIC, PNG, TIFF, WebP)");
    line->sample_cmd->add_option("dir", line->sample_dir, "folder to write into")->required();

    app.footer(kExitStatus);  // after the subcommands, which would inherit it
    line->docs.emplace(app, engine_version());
    lbx::cli::finish_definition(app, engine_version());
    return line;
}

}  // namespace lbx::engine::cli
