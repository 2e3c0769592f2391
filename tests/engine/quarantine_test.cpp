// The quarantine ledger: a file that crashed a plugin twice counts once, but faults while a worker starts
// (loading the plugin, creating its stage) have no file of their own: the supervisor records one per run,
// and each counts, so the third run quarantines the plugin.
#include "support/test_files.hpp"
#include "workers/quarantine.hpp"

#include <catch2/catch.hpp>

using namespace lbx::engine;

namespace {

PluginFault fault_of(const std::filesystem::path& library, const std::string& path, const std::string& phase) {
    PluginFault f;
    f.plugin_id = "org.example.bad";
    f.plugin_version = "1.0";
    f.library = library;
    f.stage_ids = {"bad"};
    f.stage_id = "bad";
    f.path = path;
    f.code = "crashed";
    f.message = "worker killed by SIGSEGV (Segmentation fault)";
    f.phase = phase;
    return f;
}

}  // namespace

TEST_CASE("a file counts once, a fault while a worker starts counts each time", "[quarantine]") {
    lbx::test::TempDir dir;
    const auto library = dir / "libbad.so";
    lbx::test::write_file(library, {1, 2, 3});
    Quarantine q(dir / "quarantine.json");

    SECTION("processing faults: distinct files") {
        CHECK_FALSE(q.record(fault_of(library, "/a.jpg", "")));
        CHECK_FALSE(q.record(fault_of(library, "/a.jpg", "")));
        CHECK_FALSE(q.record(fault_of(library, "/b.jpg", "")));
        CHECK(q.active().empty());
        const auto entry = q.record(fault_of(library, "/c.jpg", ""));
        REQUIRE(entry);
        CHECK_THAT(entry->reason, Catch::StartsWith("failed on 3 files"));
    }
    SECTION("start-up faults: each run") {
        CHECK_FALSE(q.record(fault_of(library, "", "create")));
        CHECK_FALSE(q.record(fault_of(library, "", "create")));
        const auto entry = q.record(fault_of(library, "", "load"));
        REQUIRE(entry);
        CHECK_THAT(entry->reason, Catch::StartsWith("failed 3 times"));
        REQUIRE(entry->faults.size() == 3);
        CHECK(entry->faults.back().phase == "load");
        // No file to name: the message says no "last file".
        const std::string message = quarantine_message(*entry);
        CHECK_THAT(message, Catch::StartsWith("plugin org.example.bad 1.0 is quarantined: failed 3 times"));
        CHECK_THAT(message, !Catch::Contains("last file"));
        CHECK(q.find(library));
    }
}
