// `run --shard I/N`: a deterministic share of the files, for batch runs split over a scheduler's tasks
// (Slurm job arrays, Kubernetes indexed jobs, GNU parallel; sdk_docs/cli.md, "Sharded runs"). A file
// belongs to shard hash(path) mod N, so each file is decided alone: files added or removed elsewhere in
// the tree never move another file to another shard, and the N shards together are every file once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace lbx::engine {

struct Shard {
    uint32_t index = 0;  // 0 .. count - 1 (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX)
    uint32_t count = 1;
};

// "I/N" with 0 <= I < N <= 65536; nullopt with `error` saying what is wrong.
std::optional<Shard> parse_shard(std::string_view text, std::string& error);

// Whether the file at `path` (as the walk gives it: run every shard with the same paths) is this shard's.
bool in_shard(const Shard& shard, const std::filesystem::path& path);

}  // namespace lbx::engine
