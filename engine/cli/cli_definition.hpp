// The command line of lightbox-engine, defined once: run_main parses it, and the bash and zsh completions
// and the man page (`lightbox-engine completion bash|zsh`, `lightbox-engine man`) are generated from it.
// Conventions shared with lightbox-ctl: cli_support/ (sdk_docs/cli.md).
#pragma once

#include "cli/commands.hpp"

#include <lightbox/cli/conventions.hpp>

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

namespace lbx::engine::cli {

// The parsed values are bound to these fields, so the definition is not copied or moved.
struct EngineCommandLine {
    CLI::App app{"lightbox-engine: the Lightbox photo engine (decode, metadata, tags, thumbnails)", "lightbox-engine"};

    RunOptions run;
    PluginsOptions plugins;
    PluginsCheckOptions check;
    ServeOptions serve;
    QueryCommandOptions query;
    ThumbsOptions thumbs;
    CatalogImportOptions catalog_import;
    CatalogMigrateOptions catalog_migrate;
    WorkerArguments worker;
    std::string sample_dir;

    CLI::App* run_cmd = nullptr;
    CLI::App* plugins_cmd = nullptr;
    CLI::App* check_cmd = nullptr;
    CLI::App* reset_cmd = nullptr;
    CLI::App* serve_cmd = nullptr;
    lbx::cli::FreeTextCommand* query_cmd = nullptr;
    CLI::App* thumbs_cmd = nullptr;
    CLI::App* catalog_import_cmd = nullptr;
    CLI::App* catalog_migrate_cmd = nullptr;
    CLI::App* worker_cmd = nullptr;
    CLI::App* sample_cmd = nullptr;
    std::optional<lbx::cli::GeneratedDocs> docs;
};

std::unique_ptr<EngineCommandLine> define_command_line();

std::string engine_version();  // "lightbox-engine 0.1.0 (plugin API 1.4)"

}  // namespace lbx::engine::cli
