// `lightbox-engine plugins check LIB.so`: a plugin author's robustness check. Every stage of the plugin
// runs over generated hostile inputs (empty, signature only, truncated, random bytes after a signature,
// huge claimed dimensions, wrong signature; odd image shapes for tag and thumbnail stages) in supervised
// worker processes, under a per-file deadline and a memory cap, exactly as in a real scan. A stage passes
// when it never crashes, hangs or blows its memory cap; clean errors (corrupt, truncated, too_large...) are
// what it should give. Prints a verdict per stage; exit 0 when every stage passes, 1 otherwise, 2 when the
// library cannot be loaded.
//
// Run it with:  lightbox-engine plugins check ~/src/myplugin/build/libmyplugin.so
#include "cli/commands.hpp"
#include "cli/engine_paths.hpp"
#include "cli/sample_program.hpp"
#include "workers/file_processor.hpp"
#include "workers/plugin_probe.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <cstdio>
#include <fstream>
#include <set>

namespace lbx::engine::cli {

namespace {

struct CheckInput {
    std::string name;
    std::filesystem::path file;
};

// lightbox-engine-sample's check inputs for `stage` (engine/sample/check_inputs.hpp), written into `dir`:
// hostile files of each format a decode or metadata stage declares, odd images for the other kinds.
// An empty list, with a message on stderr, when they could not be written.
std::vector<CheckInput> write_inputs(const LoadedStage& stage, const std::filesystem::path& dir) {
    std::vector<std::vector<std::string>> commands;
    if (stage.kind == LBX_STAGE_DECODE || stage.kind == LBX_STAGE_METADATA) {
        std::set<std::string> seen;
        for (uint32_t i = 0; i < stage.desc->format_count; ++i) {
            const lbx_format_desc& format = stage.desc->formats[i];
            if (!seen.insert(format.name).second) continue;
            std::string magic;
            for (uint32_t b = 0; b < format.magic_size; ++b) {
                char hex[3];
                std::snprintf(hex, sizeof hex, "%02x", format.magic[b]);
                magic += hex;
            }
            commands.push_back({"format", format.name, std::to_string(format.magic_offset), magic});
        }
    } else {
        commands.push_back({"images"});
    }
    std::vector<CheckInput> inputs;
    for (std::size_t c = 0; c < commands.size(); ++c) {
        const std::filesystem::path part = dir / std::to_string(c);
        std::vector<std::string> arguments{"check-inputs", part.string()};
        arguments.insert(arguments.end(), commands[c].begin(), commands[c].end());
        if (run_sample_program(arguments) != kExitOk) return {};
        std::ifstream index(part / "inputs.tsv");
        for (std::string line; std::getline(index, line);) {
            const std::size_t tab = line.find('\t');
            if (tab != std::string::npos) inputs.push_back({line.substr(tab + 1), part / line.substr(0, tab)});
        }
    }
    return inputs;
}

// The pipeline that puts `stage` to work: the engine's own decoders and readers around it.
std::string pipeline_text(const LoadedStage& stage) {
    const std::string use = "use = \"" + stage.id + "\"\n";
    switch (stage.kind) {
        case LBX_STAGE_DECODE: return "[[stage]]\nkind = \"decode\"\n" + use;
        case LBX_STAGE_METADATA: return "[[stage]]\nkind = \"metadata\"\n" + use;
        case LBX_STAGE_TAG:
            return "[[stage]]\nkind = \"metadata\"\n[[stage]]\nkind = \"decode\"\n[[stage]]\nkind = \"tag\"\n" + use;
        case LBX_STAGE_THUMBNAIL: return "[[stage]]\nkind = \"decode\"\n[[stage]]\nkind = \"thumbnail\"\n" + use;
    }
    return {};
}

bool is_fault(const std::string& code) {
    return code == ipc::codes::kCrashed || code == ipc::codes::kTimeout || code == ipc::codes::kOutOfMemory ||
           code == ipc::codes::kPluginNotLoaded;  // its create() crashed or hung
}

}  // namespace

int plugins_check_command(const PluginsCheckOptions& options) {
    std::error_code ec;
    const std::filesystem::path library = std::filesystem::absolute(options.library).lexically_normal();
    if (!std::filesystem::is_regular_file(library, ec)) {
        std::fprintf(stderr, "lightbox-engine: no plugin library '%s'\n", options.library.c_str());
        return kExitUsage;
    }
    // The plugin's folder first, so this very file wins over an installed copy of the same plugin.
    std::vector<std::filesystem::path> dirs{library.parent_path()};
    for (const auto& d : plugin_search_path(executable_dir()))
        if (!std::filesystem::equivalent(d, library.parent_path(), ec)) dirs.push_back(d);
    // In a probe worker first, like every supervisor: a library that crashes or hangs while loading is
    // named (and, a check being for authors, not quarantined).
    IsolationOptions isolation = isolation_options(options.isolation);
    isolation.mode = IsolationMode::process;
    const auto notice = [](const std::string& message) { std::fprintf(stderr, "lightbox-engine: %s\n", message.c_str()); };
    PluginRegistry registry;
    load_plugins_supervised(registry, dirs, nullptr, isolation, notice);
    const LoadedPlugin* plugin = nullptr;
    for (const auto& p : registry.plugins())
        if (std::filesystem::equivalent(p->file, library, ec)) plugin = p.get();
    if (plugin == nullptr) {
        std::string reason = "not loaded";
        for (const RejectedPlugin& r : registry.rejected())
            if (std::filesystem::equivalent(r.file, library, ec)) reason = r.reason;
        std::fprintf(stderr, "lightbox-engine: cannot load %s: %s\n", library.c_str(), reason.c_str());
        return kExitUsage;
    }
    std::printf("Checking %s %s (%s): %zu stages, deadline %.0f s per file, memory cap %llu MiB per worker\n",
                plugin->id.c_str(), plugin->version.c_str(), library.c_str(), plugin->stages.size(),
                options.isolation.file_timeout_s, static_cast<unsigned long long>(options.isolation.worker_memory_mb));

    const std::filesystem::path work = std::filesystem::temp_directory_path() / ("lightbox-check-" + std::to_string(::getpid()));
    std::filesystem::create_directories(work, ec);
    bool all_pass = true;
    int stage_number = 0;
    for (const LoadedStage& stage : plugin->stages) {
        const std::filesystem::path inputs_dir = work / ("inputs-" + std::to_string(++stage_number));
        auto config = parse_pipeline_config(pipeline_text(stage), default_config_file().parent_path() / "plugins-check.toml");
        if (!config) {
            std::printf("\n  Stage %s (%s): FAIL: %s\n", stage.id.c_str(), stage_kind_name(stage.kind), config.error().message.c_str());
            all_pass = false;
            continue;
        }
        config->thumbnail_sizes = {256};
        const std::vector<CheckInput> inputs = write_inputs(stage, inputs_dir);
        if (inputs.empty()) {
            std::printf("\n  Stage %s (%s): FAIL: no inputs to check it with (see above)\n", stage.id.c_str(), stage_kind_name(stage.kind));
            all_pass = false;
            continue;
        }
        auto supervision = make_supervision(isolation, 1, *config, work / "thumbs", dirs, registry, nullptr);
        supervision->on_notice = notice;
        auto pipeline = build_supervised_pipeline(registry, supervision);
        if (!pipeline) {
            std::printf("\n  Stage %s (%s): FAIL: %s\n", stage.id.c_str(), stage_kind_name(stage.kind), pipeline.error().message.c_str());
            all_pass = false;
            continue;
        }
        auto processor = make_processor_factory(*pipeline->pipeline, supervision, std::move(pipeline->first_worker))();
        std::vector<std::string> lines;
        bool pass = true;
        const std::atomic<bool> never{false};
        for (const CheckInput& in : inputs) {
            const PhotoResult r = processor->process(InputFile{in.file, true, {}}, never);
            std::string verdict;
            if (r.ok()) verdict = "ok";
            else if (is_fault(r.failure->code)) {
                verdict = "PROBLEM: " + r.failure->code + ": " + r.failure->message;
                pass = false;
            } else if (r.failure->stage_id == "engine") {
                verdict = "refused by the engine before the stage (" + r.failure->code + ")";
            } else {
                verdict = "clean error: " + r.failure->code + ": " + r.failure->message;
            }
            char line[1024];
            std::snprintf(line, sizeof line, "    %-40s %s", in.name.c_str(), verdict.c_str());
            lines.push_back(line);
        }
        std::printf("\n  Stage %s (%s): %s\n", stage.id.c_str(), stage_kind_name(stage.kind), pass ? "pass" : "FAIL");
        for (const std::string& l : lines) std::printf("%s\n", l.c_str());
        all_pass = all_pass && pass;
    }
    std::filesystem::remove_all(work, ec);
    std::printf("\n%s\n", all_pass ? "every stage passed" : "some stages crashed, hung or ran out of memory: see above");
    return all_pass ? kExitOk : kExitSomeFailed;
}

}  // namespace lbx::engine::cli
