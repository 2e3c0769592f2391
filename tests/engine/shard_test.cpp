// `run --shard I/N`: what I/N accepts, and that the shards of a set of paths are each path once, spread
// evenly, and the same for a path whatever else is in the set.
#include "pipeline/shard.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace lbx::engine;

TEST_CASE("a shard is given as I/N counted from 0, and a bad one says what is wrong", "[engine][shard]") {
    std::string error;
    auto shard = parse_shard("2/8", error);
    REQUIRE(shard);
    CHECK(shard->index == 2);
    CHECK(shard->count == 8);
    CHECK(parse_shard("0/1", error));
    for (const char* bad : {"", "3", "/4", "1/", "a/4", "1/b", "-1/4", "1/4/2", " 1/4", "1.5/4"}) {
        error.clear();
        INFO(bad);
        CHECK_FALSE(parse_shard(bad, error));
        CHECK(error.find("is not I/N") != std::string::npos);
    }
    CHECK_FALSE(parse_shard("4/4", error));
    CHECK(error == "'4/4': shards are counted from 0, so the last of 4 is 3");
    CHECK_FALSE(parse_shard("0/0", error));
    CHECK(error.find("must be 1 to 65536") != std::string::npos);
    CHECK_FALSE(parse_shard("0/70000", error));
}

TEST_CASE("the shards of a set of paths hold each path once, evenly, whatever else the set holds", "[engine][shard]") {
    constexpr uint32_t kShards = 4;
    std::set<std::string> seen;
    int per_shard[kShards] = {};
    for (int i = 0; i < 4000; ++i) {
        const std::string path = "/photos/" + std::to_string(i / 100) + "/IMG_" + std::to_string(i) + ".jpg";
        int owners = 0;
        for (uint32_t s = 0; s < kShards; ++s) {
            if (in_shard(Shard{s, kShards}, path)) {
                ++owners;
                ++per_shard[s];
            }
        }
        CHECK(owners == 1);
        seen.insert(path);
    }
    for (int count : per_shard) {
        CHECK(count > 850);  // 1000 each on average
        CHECK(count < 1150);
    }
    // One shard: everything.
    CHECK(in_shard(Shard{0, 1}, "/any/file.jpg"));
    // A path's shard is its own: the same in any run, on any machine (a fixed hash of its bytes).
    CHECK(in_shard(Shard{0, 4}, "/photos/a.jpg") == in_shard(Shard{0, 4}, "/photos/a.jpg"));
}
