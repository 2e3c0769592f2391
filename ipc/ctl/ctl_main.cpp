// lightbox-ctl: send commands to a running engine and watch its events.
//   lightbox-ctl hello
//   lightbox-ctl scan ~/Pictures --wait
//   lightbox-ctl --json watch job/
#include "ctl_commands.hpp"

#include <lightbox/cli/conventions.hpp>
#include <lightbox/ipc/endpoint.hpp>
#include <lightbox/ipc/token.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <cstdlib>

using namespace lbx;
using cli::number;
using cli::one_of;
using cli::whole_number;

namespace {

constexpr const char* kExitStatus =
    "Exit status: 0 ok; 1 the engine answered with an error, or the job failed, was cancelled or had failed photos; "
    "2 usage error; 3 engine not responding (or not running, or its socket not reachable by this user). "
    "Conventions, shared with lightbox-engine: sdk_docs/cli.md.";

// Refuses what looked like an unknown long option among a query's words (they may follow '--').
bool refuse_unknown_options(const cli::FreeTextCommand& command) {
    for (const std::string& unknown : command.unknown_options()) {
        std::fprintf(stderr, "lightbox-ctl: %s: unknown option '%s' (a query word that starts with '-' may follow '--')\n",
                     command.get_name().c_str(), unknown.c_str());
        return true;
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string version = "lightbox-ctl 0.1.0 (protocol " + std::to_string(ipc::kProtocolVersion) + ")";
    CLI::App app{"lightbox-ctl: command-line client of a running lightbox-engine serve", "lightbox-ctl"};
    app.require_subcommand(1);

    std::string endpoint;
    std::string token_file;
    int timeout_ms = 1500;
    int retries = 2;
    bool json = false;
    app.add_option("--endpoint", endpoint, "the engine's command endpoint (default: ipc:// in $XDG_RUNTIME_DIR/lightbox)");
    app.add_option("--token-file", token_file, "the engine's token, for tcp:// endpoints (default: the runtime directory's token file, or $LIGHTBOX_TOKEN)");
    app.add_option("--timeout", timeout_ms, "milliseconds to wait for each reply (default 1500)")->check(whole_number(10, 600000));
    app.add_option("--retries", retries, "further attempts for requests that are safe to repeat (default 2)")->check(whole_number(0, 100));
    app.add_flag("--json", json, "machine-readable output: one JSON object per line");

    app.add_subcommand("hello", "engine version, readiness, plugins and formats");
    app.add_subcommand("plugins", "loaded and rejected plugins");
    ctl::ScanOptions scan;
    CLI::App* scan_cmd = app.add_subcommand("scan", "start a scan of files and folders");
    scan_cmd->add_option("paths", scan.paths, "files and folders")->required();
    scan_cmd->add_option("--pipeline", scan.pipeline, "a pipeline name or config file (default: the engine's default)");
    scan_cmd->add_option("--set", scan.overrides, "override a parameter: STAGE.PARAM=VALUE or thumbnails.sizes=256,1024");
    scan_cmd->add_flag("--wait", scan.wait, "follow the job until it ends (progress on stderr)");
    uint64_t job_id = 0;
    CLI::App* status_cmd = app.add_subcommand("status", "a job's progress");
    status_cmd->add_option("job", job_id, "job id")->required()->check(whole_number(1, INT64_MAX));
    CLI::App* cancel_cmd = app.add_subcommand("cancel", "cancel a job (files in flight are finished and kept)");
    cancel_cmd->add_option("job", job_id, "job id")->required()->check(whole_number(1, INT64_MAX));
    app.add_subcommand("jobs", "every job the engine knows");
    std::string photo_id;
    CLI::App* photo_cmd = app.add_subcommand("photo", "a photo's metadata, tags and thumbnails");
    photo_cmd->add_option("id", photo_id, "photo id (content hash)")->required();
    uint32_t thumb_size = 0;
    std::string output;
    CLI::App* thumb_cmd = app.add_subcommand("thumbnail", "fetch a photo's thumbnail bytes");
    thumb_cmd->add_option("id", photo_id, "photo id (content hash)")->required();
    thumb_cmd->add_option("--size", thumb_size, "wanted long edge (default: the largest)")->check(whole_number(0, 65535));
    thumb_cmd->add_option("--output,-o", output, "file to write; '-': stdout (the summary then goes to stderr)")->required();
    ctl::WatchOptions watch;
    CLI::App* watch_cmd = app.add_subcommand("watch", "print events as they come (topic prefixes: job/, photo/, engine/)");
    watch_cmd->add_option("topics", watch.topics, "topic prefixes (default: all)");
    watch_cmd->add_option("--count", watch.count, "stop after this many events")->check(whole_number(0, UINT32_MAX));
    watch_cmd->add_option("--for", watch.seconds, "stop after this many seconds")->check(number(0, 31536000));
    app.add_subcommand("shutdown", "stop the engine (running jobs are cancelled)");

    ctl::QueryOptions query;
    cli::FreeTextCommand* query_cmd = cli::add_free_text_command(
        app, "query", "photos of the library that match a query (sdk_docs/query.md)", "QUERY",
        "the query, e.g. beach year:2019 -tag:blurry (one argument or several words; none: every photo)");
    query_cmd->add_option("--sort", query.sort, "taken, path or added")->check(one_of({"taken", "path", "added"}));
    query_cmd->add_flag("--desc", query.descending, "newest, last or latest added first");
    query_cmd->add_option("--offset", query.offset, "skip this many photos first")->check(whole_number(0, INT64_MAX));
    query_cmd->add_option("--limit", query.limit, "at most this many (default and maximum: 10000)")->check(whole_number(0, 10000));
    query_cmd->add_flag("--print0", query.print0, "only the paths, each followed by a NUL byte (for xargs -0)");
    cli::add_record_options(query_cmd, query.output_flags);
    query_cmd->add_flag("--facets", query.facets,
                        "with --format json: also the facet counts of the matches, under \"facets\" in the document");
    cli::FreeTextCommand* facets_cmd = cli::add_free_text_command(
        app, "facets", "tag, camera, year and place counts of a query's photos", "QUERY", "the query (none: every photo)");
    ctl::TagOptions tag;
    CLI::App* tag_cmd = app.add_subcommand("tag", "add and remove a photo's user tags");
    tag_cmd->add_option("id", tag.photo_id, "photo id (content hash)")->required();
    tag_cmd->add_option("--add", tag.add, "tags to add");
    tag_cmd->add_option("--remove", tag.remove, "tags to remove");
    tag_cmd->add_option("--reject", tag.reject, "auto tags to take away for good (never added again by a rescan or analysis)");
    tag_cmd->add_option("--restore", tag.restore, "rejected auto tags to allow again (back when a stage next writes them)");
    uint32_t quarter_turns = 0;
    CLI::App* rotate_cmd = app.add_subcommand("rotate", "keep a rotation for a photo in the library (never written to the file)");
    rotate_cmd->add_option("id", photo_id, "photo id (content hash)")->required();
    rotate_cmd->add_option("quarter_turns", quarter_turns, "clockwise quarter turns on top of the EXIF orientation: 0 to 3")
        ->required()->check(CLI::Range(0, 3));
    app.add_subcommand("failures", "the files that could not be processed, and why");
    bool retry_failed = false;
    bool rescan_wait = false;
    CLI::App* rescan_cmd = app.add_subcommand("rescan", "scan every folder of the library again (unchanged files are not read)");
    rescan_cmd->add_flag("--retry-failed", retry_failed, "read failed files again even when unchanged");
    rescan_cmd->add_flag("--wait", rescan_wait, "follow the job until it ends (progress on stderr)");
    std::vector<std::string> remove_ids;
    CLI::App* remove_cmd = app.add_subcommand("remove", "remove photos from the library (never from the disk)");
    remove_cmd->add_option("ids", remove_ids, "photo ids")->required();
    std::string open_library;
    CLI::App* library_cmd = app.add_subcommand("library", "the library served: catalog, folders, counts");
    library_cmd->add_option("--open", open_library, "serve this catalog file instead (created when missing)");
    app.add_subcommand("folders", "the library's folders with their photos, and whether each exists");
    std::string folder_to_remove;
    CLI::App* folder_remove_cmd =
        app.add_subcommand("folder-remove", "take a folder and its photos out of the library (never off the disk)");
    folder_remove_cmd->add_option("path", folder_to_remove, "one of the library's folders")->required();
    std::vector<std::string> setting_changes;
    CLI::App* settings_cmd = app.add_subcommand("settings", "list the engine's settings, or change some: KEY=VALUE...");
    settings_cmd->add_option("changes", setting_changes, "workers=4, pipeline=NAME, thumbnails.sizes=256,1024, thumbnails.cache_budget_mb=2048");
    std::string analysis_action;
    CLI::App* analysis_cmd = app.add_subcommand("analysis", "the analysis phase: its state, or pause / resume it");
    analysis_cmd->add_option("action", analysis_action, "pause or resume (none: show the state)")
        ->check(one_of({"pause", "resume"}));
    uint64_t persons_offset = 0, persons_limit = 200;
    CLI::App* persons_cmd = app.add_subcommand("persons", "the persons faces were grouped into, most faces first");
    persons_cmd->add_option("--offset", persons_offset, "skip this many persons first")->check(whole_number(0, INT64_MAX));
    persons_cmd->add_option("--limit", persons_limit, "at most this many (default 200, maximum 10000)")->check(whole_number(0, 10000));
    uint64_t person_id = 0, into_id = 0;
    std::string person_name;
    CLI::App* rename_cmd = app.add_subcommand("person-rename", "name a person (an empty name unnames it)");
    rename_cmd->add_option("id", person_id, "person id")->required()->check(whole_number(1, INT64_MAX));
    rename_cmd->add_option("name", person_name, "the name: 1 to 100 characters, or \"\"")->required();
    CLI::App* merge_cmd = app.add_subcommand("person-merge", "move every face of person FROM to person INTO");
    merge_cmd->add_option("from", person_id, "person id, deleted once merged")->required()->check(whole_number(1, INT64_MAX));
    merge_cmd->add_option("into", into_id, "person id, keeps its name (or takes FROM's)")->required()->check(whole_number(1, INT64_MAX));
    std::string face_source;
    uint32_t face_index = 0;
    CLI::App* face_cmd = app.add_subcommand("face-remove", "take a wrong face out of its person for good (lightbox-ctl photo lists faces)");
    face_cmd->add_option("photo", photo_id, "photo id (content hash)")->required();
    face_cmd->add_option("source", face_source, "the plugin that found the face (org.lightbox.vision)")->required();
    face_cmd->add_option("index", face_index, "the face's index among that plugin's regions")->required()->check(whole_number(0, UINT32_MAX));

    app.footer(kExitStatus);  // after the subcommands, which would inherit it
    cli::GeneratedDocs docs(app, version);
    cli::finish_definition(app, version);
    if (std::optional<int> done = cli::parse(app, argc, argv)) return *done;
    if (docs.requested()) return docs.run(app);
    if (query_cmd->parsed()) {
        if (refuse_unknown_options(*query_cmd)) return ctl::kExitUsage;
        query.query = query_cmd->text();
        std::string error;
        auto resolved = cli::resolve_output(query.output_flags, json, error);
        if (!resolved) {
            std::fprintf(stderr, "lightbox-ctl: query: %s\n", error.c_str());
            return ctl::kExitUsage;
        }
        query.output = std::move(*resolved);
        if (query.print0 && query.output.format) {
            std::fputs("lightbox-ctl: query: --print0 does not go with --json, --format or --fields (one prints paths, the other records)\n", stderr);
            return ctl::kExitUsage;
        }
        if (query.facets && (!query.output.format || *query.output.format != cli::OutputFormat::json)) {
            std::fputs("lightbox-ctl: query: --facets goes with --format json (the facets come under \"facets\" in the document); "
                       "'lightbox-ctl facets QUERY' prints them alone\n", stderr);
            return ctl::kExitUsage;
        }
    }
    std::string facet_query;
    if (facets_cmd->parsed()) {
        if (refuse_unknown_options(*facets_cmd)) return ctl::kExitUsage;
        facet_query = facets_cmd->text();
    }

    ipc::ClientOptions options;
    options.endpoint = endpoint.empty() ? ipc::command_endpoint(ipc::default_runtime_dir()) : endpoint;
    options.timeout = std::chrono::milliseconds(timeout_ms);
    options.retries = retries;
    if (ipc::is_tcp(options.endpoint)) {
        if (const char* env = std::getenv("LIGHTBOX_TOKEN"); env && token_file.empty()) {
            options.token = env;
        } else {
            auto token = ipc::read_token_file(token_file.empty() ? ipc::token_file(ipc::default_runtime_dir()) : std::filesystem::path(token_file));
            if (!token) {
                std::fprintf(stderr, "lightbox-ctl: %s (use --token-file or LIGHTBOX_TOKEN)\n", token.error().message.c_str());
                return ctl::kExitUsage;
            }
            options.token = *token;
        }
    }

    zmq::context_t zmq;
    int code = ctl::kExitUsage;
    {
        ipc::Client client(zmq, options);
        ctl::CtlContext ctx{client, zmq, json};
        const std::string name = app.get_subcommands().front()->get_name();
        if (name == "hello") code = ctl::hello(ctx);
        else if (name == "plugins") code = ctl::plugins(ctx);
        else if (name == "scan") code = ctl::scan(ctx, scan);
        else if (name == "status") code = ctl::status(ctx, job_id);
        else if (name == "cancel") code = ctl::cancel(ctx, job_id);
        else if (name == "jobs") code = ctl::jobs(ctx);
        else if (name == "photo") code = ctl::photo(ctx, photo_id);
        else if (name == "thumbnail") code = ctl::thumbnail(ctx, photo_id, thumb_size, output);
        else if (name == "watch") code = ctl::watch(ctx, watch);
        else if (name == "shutdown") code = ctl::shutdown(ctx);
        else if (name == "folders") code = ctl::folders(ctx);
        else if (name == "folder-remove") code = ctl::folder_remove(ctx, folder_to_remove);
        else if (name == "query") code = ctl::query(ctx, query);
        else if (name == "facets") code = ctl::facets(ctx, facet_query);
        else if (name == "tag") code = ctl::tag(ctx, tag);
        else if (name == "rotate") code = ctl::rotate(ctx, photo_id, quarter_turns);
        else if (name == "failures") code = ctl::failures(ctx);
        else if (name == "rescan") code = ctl::rescan(ctx, retry_failed, rescan_wait);
        else if (name == "remove") code = ctl::remove(ctx, remove_ids);
        else if (name == "library") code = ctl::library(ctx, open_library);
        else if (name == "settings") code = ctl::settings(ctx, setting_changes);
        else if (name == "analysis") code = ctl::analysis(ctx, analysis_action);
        else if (name == "persons") code = ctl::persons(ctx, persons_offset, persons_limit);
        else if (name == "person-rename") code = ctl::person_rename(ctx, person_id, person_name);
        else if (name == "person-merge") code = ctl::person_merge(ctx, person_id, into_id);
        else if (name == "face-remove") code = ctl::face_remove(ctx, photo_id, face_source, face_index);
    }
    return code;
}
