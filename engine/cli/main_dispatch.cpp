// Parses the command line (cli_definition.cpp) and runs the command it names.
#include "cli/cli_definition.hpp"
#include "cli/commands.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

namespace lbx::engine::cli {

int run_main(int argc, char** argv) {
    std::unique_ptr<EngineCommandLine> line = define_command_line();
    if (std::optional<int> done = lbx::cli::parse(line->app, argc, argv)) return *done;
    if (line->docs->requested()) return line->docs->run(line->app);

    if (line->run_cmd->parsed()) {
        RunOptions& run = line->run;
        if (run.null_separated && std::find(run.paths.begin(), run.paths.end(), "-") == run.paths.end()) {
            std::fputs("lightbox-engine: run: -0 says how the paths read from stdin end, and no path is '-'\n", stderr);
            return kExitUsage;
        }
        std::string error;
        auto output = lbx::cli::resolve_output(run.output_flags, run.json, error);
        if (!output) {
            std::fprintf(stderr, "lightbox-engine: run: %s\n", error.c_str());
            return kExitUsage;
        }
        run.output = std::move(*output);
        if (run.jobs == 0) run.jobs = std::max(1u, std::thread::hardware_concurrency());
        return run_command(run);
    }
    if (line->worker_cmd->parsed()) return worker_command(line->worker);
    if (line->check_cmd->parsed()) return plugins_check_command(line->check);
    if (line->plugins_cmd->parsed()) {
        line->plugins.reset = line->reset_cmd->parsed();
        return plugins_command(line->plugins);
    }
    if (line->sample_cmd->parsed()) return sample_command(line->sample_dir);
    if (line->serve_cmd->parsed()) return serve_command(line->serve);
    if (line->query_cmd->parsed()) {
        for (const std::string& unknown : line->query_cmd->unknown_options()) {
            std::fprintf(stderr,
                         "lightbox-engine: query: unknown option '%s' (a query word that starts with '-' may follow '--': "
                         "lightbox-engine query -- '%s')\n",
                         unknown.c_str(), unknown.c_str());
            return kExitUsage;
        }
        QueryCommandOptions& query = line->query;
        query.query = line->query_cmd->text();
        std::string error;
        auto output = lbx::cli::resolve_output(query.output_flags, query.json, error);
        if (!output) {
            std::fprintf(stderr, "lightbox-engine: query: %s\n", error.c_str());
            return kExitUsage;
        }
        query.output = std::move(*output);
        if (query.print0 && query.output.format) {
            std::fputs("lightbox-engine: query: --print0 does not go with --json, --format or --fields (one prints paths, the other records)\n", stderr);
            return kExitUsage;
        }
        if (query.facets && query.output.format && *query.output.format != lbx::cli::OutputFormat::json) {
            std::fputs("lightbox-engine: query: --facets goes with --format json (the facets come under \"facets\" in the document) "
                       "or with text output (on stderr), never among jsonl, csv or tsv records\n", stderr);
            return kExitUsage;
        }
        return query_command(query);
    }
    if (line->thumbs_cmd->parsed()) {
        ThumbsOptions& thumbs = line->thumbs;
        if (thumbs.jobs == 0) thumbs.jobs = std::max(1u, std::thread::hardware_concurrency());
        return thumbs_command(thumbs);
    }
    if (line->catalog_import_cmd->parsed()) return catalog_import_command(line->catalog_import);
    if (line->catalog_migrate_cmd->parsed()) return catalog_migrate_command(line->catalog_migrate);
    return kExitUsage;
}

}  // namespace lbx::engine::cli
