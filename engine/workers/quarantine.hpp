// Plugins that hurt: GStreamer's registry blacklist idea. A plugin whose stages crash, time out or are
// killed for memory on 3 distinct files (or, while a worker loads the plugin or creates its stages, in 3
// batches) is quarantined: not loaded again, with one clear message, until its
// library file changes (size or modification time) or `lightbox-engine plugins reset` lifts it. The record
// is a JSON file under the user's XDG state directory, so it survives restarts and is shared by every engine
// of the user (`run` and `serve`); updates hold an flock and replace the file atomically.
#pragma once

#include "pipeline/pipeline_config.hpp"
#include "plugins/plugin_registry.hpp"

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace lbx::engine {

inline constexpr std::size_t kQuarantineAfterFaults = 3;

struct PluginFault {
    std::string plugin_id;
    std::string plugin_version;
    std::filesystem::path library;     // the plugin's shared library
    std::vector<std::string> stage_ids;  // every stage of the plugin, so a pipeline can skip them by name
    std::string stage_id;              // the stage that was running
    std::string path;                  // the photo file
    std::string code;                  // crashed, timeout, out_of_memory
    std::string message;
    // Empty for a fault while a file was processed (counted once per file); "load" or "create" for one
    // while a worker started, which the supervisor records once per batch: each counts.
    std::string phase;
};

struct QuarantineEntry {
    std::string plugin_id;
    std::string plugin_version;
    std::filesystem::path library;
    std::vector<std::string> stage_ids;
    bool quarantined = false;
    std::vector<PluginFault> faults;  // distinct files, oldest first
    std::string reason;               // "crashed on 3 files (last: SIGSEGV in stage x on a.jpg)"
    std::string last_file;
};

class Quarantine {
public:
    // `file` is the JSON record; default_file() is $XDG_STATE_HOME/lightbox/quarantine.json
    // (~/.local/state/lightbox/quarantine.json). LIGHTBOX_QUARANTINE_FILE overrides it (tests).
    explicit Quarantine(std::filesystem::path file) : file_(std::move(file)) {}
    static std::filesystem::path default_file();

    // Adds a fault; returns the entry when this fault quarantined the plugin (the third distinct file).
    std::optional<QuarantineEntry> record(const PluginFault& fault);

    // The plugin behind `library` when it is quarantined and the file has not changed since.
    std::optional<QuarantineEntry> find(const std::filesystem::path& library) const;
    // Every quarantined plugin whose library is unchanged.
    std::vector<QuarantineEntry> active() const;
    // Lifts the quarantine of one plugin id (or all when empty); returns how many were lifted.
    std::size_t reset(const std::string& plugin_id);

    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    mutable std::mutex mutex_;  // threads of this process; other processes: flock
};

// For PluginRegistry::load_directories: refuses the library of every quarantined plugin.
PluginRegistry::Refusal quarantine_refusal(const Quarantine& quarantine);

// Takes out of `config` the steps that `use` a stage of a quarantined plugin, so the rest of the pipeline
// still runs; returns one message per plugin skipped that way.
std::vector<std::string> skip_quarantined_stages(PipelineConfig& config, const std::vector<QuarantineEntry>& active);

// The message shown once when a plugin is quarantined or skipped because it is.
std::string quarantine_message(const QuarantineEntry& entry);

}  // namespace lbx::engine
