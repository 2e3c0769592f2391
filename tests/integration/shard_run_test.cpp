// `lightbox-engine run --shard I/N` on real files: the shards' JSON lines together are the whole run's,
// each file in one shard; adding files moves none of the others; shards into one catalog make the same
// library as one run, and none marks the others' files missing; a bad I/N is a usage error.
#include "support/child_process.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

using lbx::test::run_engine;

namespace {

// The paths of a `run --json` output, each with how many times it came.
std::map<std::string, int> paths_of(const std::string& jsonl) {
    std::map<std::string, int> out;
    std::istringstream lines(jsonl);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        const auto j = nlohmann::json::parse(line);
        ++out[j.at("path").get<std::string>()];
    }
    return out;
}

lbx::test::ProcessResult run(std::vector<std::string> args) {
    args.insert(args.begin(), {"run", "--json", "--no-progress", "--only", "metadata", "--analysis", "off"});
    return run_engine(args);
}

}  // namespace

TEST_CASE("run --shard: four shards are the whole run, each file once, and stay put when files are added", "[shard]") {
    lbx::test::TempDir dir;
    const std::string photos = (dir / "photos").string();
    REQUIRE(run_engine({"sample", photos}).exit_code == 0);
    REQUIRE(run_engine({"sample", photos + "/more"}).exit_code == 0);

    auto whole = run({photos});
    INFO(whole.err);
    REQUIRE(whole.exit_code == 0);
    const auto all = paths_of(whole.out);
    REQUIRE(all.size() >= 20);

    std::map<std::string, int> together;
    std::vector<std::set<std::string>> shards;
    for (int i = 0; i < 4; ++i) {
        auto part = run({"--shard", std::to_string(i) + "/4", photos});
        INFO(part.err);
        REQUIRE(part.exit_code == 0);
        std::set<std::string> mine;
        for (const auto& [path, n] : paths_of(part.out)) {
            together[path] += n;
            mine.insert(path);
        }
        CHECK_FALSE(mine.empty());
        // The summary counts this shard's files only.
        CHECK(part.err.find(std::to_string(mine.size()) + " files:") != std::string::npos);
        shards.push_back(mine);
    }
    CHECK(together == all);  // every file, once

    // New files elsewhere in the tree: shard 0 keeps every file it had.
    REQUIRE(run_engine({"sample", photos + "/later"}).exit_code == 0);
    auto again = run({"--shard", "0/4", photos});
    REQUIRE(again.exit_code == 0);
    std::set<std::string> now;
    for (const auto& [path, n] : paths_of(again.out)) now.insert(path);
    for (const std::string& path : shards[0]) CHECK(now.count(path) == 1);
    for (const std::string& path : now) {
        if (path.find("/later/") == std::string::npos) CHECK(shards[0].count(path) == 1);
    }
}

TEST_CASE("run --shard into one catalog: the same library as one run, and no shard marks another's files missing", "[shard]") {
    lbx::test::TempDir dir;
    const std::string photos = (dir / "photos").string();
    REQUIRE(run_engine({"sample", photos}).exit_code == 0);
    const std::string sharded = (dir / "sharded.lbx").string(), single = (dir / "single.lbx").string();
    for (int i = 0; i < 3; ++i) {
        auto part = run({"--catalog", sharded, "--shard", std::to_string(i) + "/3", photos});
        INFO(part.err);
        REQUIRE(part.exit_code == 0);
        CHECK(part.err.find("marked missing") == std::string::npos);
    }
    REQUIRE(run({"--catalog", single, photos}).exit_code == 0);
    const auto listed = [](const std::string& catalog) {
        auto q = run_engine({"query", "--catalog", catalog, "--sort", "path"});
        REQUIRE(q.exit_code == 0);
        return q.out;
    };
    CHECK(listed(sharded) == listed(single));
    CHECK_FALSE(listed(sharded).empty());
    // A shard run again finds its files unchanged: nothing read, nothing lost.
    auto rerun = run({"--catalog", sharded, "--shard", "1/3", photos});
    REQUIRE(rerun.exit_code == 0);
    CHECK(listed(sharded) == listed(single));
}

TEST_CASE("run --shard with a bad I/N is a usage error that says the form", "[shard]") {
    lbx::test::TempDir dir;
    for (const char* bad : {"4/4", "x", "1/0"}) {
        auto r = run_engine({"run", "--shard", bad, (dir / "nothing").string()});
        INFO(bad << ": " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("--shard: ") != std::string::npos);
    }
}
