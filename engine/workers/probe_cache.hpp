// The plugin libraries a load probe found sound, kept between runs (GStreamer's registry cache: its
// plugin scanner runs only for plugin files that are new or changed). Every process-isolated run used to
// start a probe worker that opened every library before the engine would (plugin_probe.hpp): about
// 0.06 s of each run's start, half the start-up of a one-photo run. With this record the probe runs only
// when a library is new or changed, or the system may have changed under them: the record is kept for
// one system state (the engine executable, Debian's package database /var/lib/dpkg/status, which every
// package install or upgrade rewrites, and LD_LIBRARY_PATH), so an upgraded OpenCV under an unchanged
// plugin is probed again.
//
// A library that failed in a probe is never recorded: it is probed on every run (and quarantined on
// the third, as before). The record is a cache: a file that cannot be read or written only costs a probe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace lbx::engine {

class ProbeCache {
public:
    explicit ProbeCache(std::filesystem::path file) : file_(std::move(file)) {}

    // True when each of `files` loaded in a probe, is unchanged since (size and mtime), and the system
    // is as it was then.
    bool all_sound(const std::vector<std::filesystem::path>& files) const;
    // Records `files` as sound now (replacing the record; written atomically).
    void record_sound(const std::vector<std::filesystem::path>& files) const;

    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
};

}  // namespace lbx::engine
