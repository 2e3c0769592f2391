// The messages between a supervisor and its worker process, and their framing. One stream socket per
// worker; each frame is a 4-byte little-endian length and a cereal portable-binary body. The supervisor
// sends WorkerSetup once, the worker answers WorkerReady; then one WorkerTask per file, answered by one
// WorkerOutcome. Pixels never cross: the worker reads the file and writes the thumbnails itself.
// The supervisor trusts nothing a worker sends (it runs third-party code): frames are size-limited and
// decoded with the bounded archive, and a bad frame counts as the worker's crash.
#pragma once

#include "core/expected.hpp"
#include "pipeline/file_walker.hpp"
#include "pipeline/photo_result.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/pipeline_config.hpp"
#include "plugins/plugin_description.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace lbx::engine {

inline constexpr uint32_t kMaxWorkerFrame = 64u << 20;

struct WorkerSetup {
    PipelineConfig config;
    std::string thumbnail_dir;
    std::vector<std::string> plugin_dirs;  // searched in order, as the supervisor did
    std::string quarantine_file;           // quarantined plugins are not loaded
    // Plugin files the pipeline has no use for (tag or thumbnail stages it does not name): not loaded, so a
    // worker of a scan without analysis never maps the neural-network libraries.
    std::vector<std::string> unneeded_plugin_files;
    // Plugins among those whose stages the pipeline never runs but whose formats every file is sniffed by
    // (the decoders of a metadata-only run): registered from their descriptions, their libraries unopened.
    std::vector<PluginDescription> sniff_only_plugins;
    // Plugins that crashed or hung while a worker (or the probe) started, earlier in this batch: files not
    // loaded again, and stages not created again (a `use` of one fails the files that reach it).
    std::vector<std::string> failed_plugin_files;
    std::vector<FailedStage> failed_stages;
    // A probe: the worker loads the plugins and builds the pipeline, answers WorkerReady and ends.
    bool probe_only = false;
};

struct WorkerReady {
    bool ok = false;
    std::string code;     // when !ok
    std::string message;
    std::vector<UnavailableStage> unavailable;  // optional stages the worker left out (a model missing)
    // A probe's answer only: every plugin it loaded, described, and every library it refused and why, so
    // that the supervisor knows them without opening a library itself (plugin_description.hpp).
    std::vector<PluginDescription> plugins;
    std::vector<RefusedLibrary> refused;
};

struct WorkerTask {
    std::string path;
    bool named_explicitly = false;
    std::string walk_error;
    int32_t problem = 0;  // a WalkProblem
};

struct WorkerOutcome {
    PhotoResult result;
};

std::vector<uint8_t> encode(const WorkerSetup& m);
std::vector<uint8_t> encode(const WorkerReady& m);
std::vector<uint8_t> encode(const WorkerTask& m);
std::vector<uint8_t> encode(const WorkerOutcome& m);
Expected<WorkerSetup> decode_setup(std::span<const uint8_t> frame);
Expected<WorkerReady> decode_ready(std::span<const uint8_t> frame);
Expected<WorkerTask> decode_task(std::span<const uint8_t> frame);
Expected<WorkerOutcome> decode_outcome(std::span<const uint8_t> frame);

// Blocking write of one frame (both sides); false when the peer is gone.
bool write_frame(int fd, const std::vector<uint8_t>& body);
// Blocking read of one frame, for the worker; nullopt at end of stream or on an error.
std::optional<std::vector<uint8_t>> read_frame(int fd);

// The supervisor's side: reads without blocking, so it can watch deadlines and the worker's memory.
class FrameReader {
public:
    enum class Result { frame, pending, closed, bad };
    // Reads what is there; `frame` when a whole frame is ready (taken with take()).
    Result read_available(int fd);
    std::vector<uint8_t> take();
    void clear() { buffer_.clear(); }

private:
    std::vector<uint8_t> buffer_;
};

}  // namespace lbx::engine
