// The plugin libraries a load probe found sound, kept between runs (GStreamer's registry cache: its
// plugin scanner runs only for plugin files that are new or changed). Every process-isolated run used to
// start a probe worker that opened every library before the engine would (plugin_probe.hpp): about
// 0.06 s of each run's start, half the start-up of a one-photo run. With this record the probe runs only
// when a library is new or changed, or the system may have changed under them: the record is kept for
// one system state (the engine executable, Debian's package database /var/lib/dpkg/status, which every
// package install or upgrade rewrites, and LD_LIBRARY_PATH), so an upgraded OpenCV under an unchanged
// plugin is probed again.
//
// The record also keeps what the probe found in each library: the plugin described (its descriptor as
// data, plugin_description.hpp) or why it was refused. A run that skips the probe registers those, so the
// supervisor never opens a plugin library itself.
//
// A library that failed in a probe is never recorded: it is probed on every run (and quarantined on
// the third, as before). The record is a cache: a file that cannot be read or written only costs a probe.
#pragma once

#include "plugins/plugin_description.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lbx::engine {

// What a probe found in a set of libraries: each either described or refused.
struct ProbedLibraries {
    std::vector<PluginDescription> plugins;
    std::vector<RefusedLibrary> refused;
};

class ProbeCache {
public:
    explicit ProbeCache(std::filesystem::path file) : file_(std::move(file)) {}

    // What the recorded probe found in `files`, when each of them loaded in it, is unchanged since (size
    // and mtime), and the system is as it was then; nullopt otherwise (probe again).
    std::optional<ProbedLibraries> find(const std::vector<std::filesystem::path>& files) const;
    // Records `found` for the libraries it names (replacing the record; written atomically).
    void record(const ProbedLibraries& found) const;

    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
};

}  // namespace lbx::engine
