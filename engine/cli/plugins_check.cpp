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
#include "sample/bad_files.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
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
    std::vector<uint8_t> bytes;
};

// A valid file of `format` when the sample encoders write it; empty otherwise.
std::vector<uint8_t> valid_file(const std::string& format, const sample::RgbImage& image) {
    if (format == "jpeg") return sample::encode_jpeg(image);
    if (format == "png") return sample::encode_png(image);
    if (format == "tiff") return sample::encode_tiff(image);
    if (format == "webp") return sample::encode_webp(image);
    if (format == "heif") return sample::encode_heic(image);
    return {};
}

std::vector<CheckInput> inputs_for_format(const lbx_format_desc& format) {
    std::vector<uint8_t> signature(format.magic_offset, 0);
    signature.insert(signature.end(), format.magic, format.magic + format.magic_size);
    auto with_signature = [&](std::vector<uint8_t> tail) {
        std::vector<uint8_t> out = signature;
        out.insert(out.end(), tail.begin(), tail.end());
        return out;
    };
    std::vector<CheckInput> in;
    in.push_back({"empty file", {}});
    in.push_back({"signature only", signature});
    in.push_back({"signature and 64 KiB of random bytes", with_signature(sample::garbage_bytes(64 * 1024, 7))});
    in.push_back({"signature and 37 random bytes", with_signature(sample::garbage_bytes(37, 11))});
    const std::vector<uint8_t> valid = valid_file(format.name, sample::make_scene(640, 480, 3));
    if (!valid.empty()) {
        in.push_back({"valid 640x480 " + std::string(format.name), valid});
        in.push_back({"truncated at half", sample::truncate_bytes(valid, valid.size() / 2)});
        in.push_back({"truncated after 100 bytes", sample::truncate_bytes(valid, 100)});
        in.push_back({"wrong signature", sample::with_wrong_magic(valid)});
    }
    if (std::string(format.name) == "jpeg") in.push_back({"JPEG claiming 65000x65000", sample::jpeg_claiming_size(65000, 65000)});
    if (std::string(format.name) == "png") in.push_back({"PNG claiming 100000x100000", sample::png_claiming_size(100000, 100000)});
    return in;
}

std::vector<CheckInput> image_inputs() {
    return {{"1x1 JPEG", sample::encode_jpeg(sample::make_solid(1, 1, {128, 128, 128}))},
            {"3x2000 JPEG", sample::encode_jpeg(sample::make_scene(3, 2000, 5))},
            {"grey 640x480 JPEG", sample::encode_jpeg(sample::make_solid(640, 480, {90, 90, 90}))},
            {"4000x3000 JPEG", sample::encode_jpeg(sample::make_scene(4000, 3000, 9))}};
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
    for (const LoadedStage& stage : plugin->stages) {
        auto config = parse_pipeline_config(pipeline_text(stage), default_config_file().parent_path() / "plugins-check.toml");
        if (!config) {
            std::printf("\n  Stage %s (%s): FAIL: %s\n", stage.id.c_str(), stage_kind_name(stage.kind), config.error().message.c_str());
            all_pass = false;
            continue;
        }
        config->thumbnail_sizes = {256};
        std::vector<CheckInput> inputs;
        if (stage.kind == LBX_STAGE_DECODE || stage.kind == LBX_STAGE_METADATA) {
            std::set<std::string> seen;
            for (uint32_t i = 0; i < stage.desc->format_count; ++i) {
                if (!seen.insert(stage.desc->formats[i].name).second) continue;
                for (CheckInput& in : inputs_for_format(stage.desc->formats[i])) inputs.push_back(std::move(in));
            }
        } else {
            inputs = image_inputs();
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
        int n = 0;
        for (const CheckInput& in : inputs) {
            const std::filesystem::path file = work / ("input-" + std::to_string(n++));
            std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(in.bytes.data()),
                                                         static_cast<std::streamsize>(in.bytes.size()));
            const PhotoResult r = processor->process(InputFile{file, true, {}}, never);
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
