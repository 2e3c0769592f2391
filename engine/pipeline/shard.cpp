#include "pipeline/shard.hpp"

#include <xxhash.h>

#include <charconv>

namespace lbx::engine {

namespace {

constexpr uint32_t kMaxShards = 65536;

std::optional<uint32_t> whole_number(std::string_view text) {
    uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

std::optional<Shard> parse_shard(std::string_view text, std::string& error) {
    const auto slash = text.find('/');
    const auto index = slash == std::string_view::npos ? std::nullopt : whole_number(text.substr(0, slash));
    const auto count = slash == std::string_view::npos ? std::nullopt : whole_number(text.substr(slash + 1));
    if (!index || !count) {
        error = "'" + std::string(text) + "' is not I/N (shard I of N, counted from 0: 0/4 .. 3/4)";
        return std::nullopt;
    }
    if (*count == 0 || *count > kMaxShards) {
        error = "'" + std::string(text) + "': the number of shards must be 1 to " + std::to_string(kMaxShards);
        return std::nullopt;
    }
    if (*index >= *count) {
        error = "'" + std::string(text) + "': shards are counted from 0, so the last of " + std::to_string(*count) + " is " +
                std::to_string(*count - 1);
        return std::nullopt;
    }
    return Shard{*index, *count};
}

bool in_shard(const Shard& shard, const std::filesystem::path& path) {
    // XXH3 of the path's bytes: the same on every machine and run (seed 0), spread evenly over N.
    const std::string& bytes = path.native();
    return XXH3_64bits(bytes.data(), bytes.size()) % shard.count == shard.index;
}

}  // namespace lbx::engine
