// The record of plugin libraries a load probe found sound (workers/probe_cache.hpp): a run skips the
// probe only while every library is recorded, unchanged, on an unchanged system, and then registers what
// the probe found in each (plugin_description_test.cpp checks the descriptions themselves).
#include "workers/probe_cache.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <utility>
#include <vector>

using lbx::engine::ProbeCache;
using lbx::engine::ProbedLibraries;

namespace {

void write_text(const std::filesystem::path& file, const std::string& text) { std::ofstream(file, std::ios::binary) << text; }

}  // namespace

TEST_CASE("a probe record holds while its libraries are unchanged, and not for a new, changed or unrecorded one", "[engine]") {
    lbx::test::TempDir dir;
    const auto a = dir / "liba.so", b = dir / "libb.so", c = dir / "libc.so";
    write_text(a, "a");
    write_text(b, "b");
    const ProbeCache cache(dir / "state" / "plugins-probed.json");
    CHECK_FALSE(cache.find({a, b}));  // no record yet
    ProbedLibraries found;
    found.plugins.push_back(lbx::engine::PluginDescription{a.string(), 1, 3, "org.example.a", "A", "1.0.0", "MIT", "", {}});
    found.refused.push_back(lbx::engine::RefusedLibrary{b.string(), "not a Lightbox plugin"});
    cache.record(found);
    CHECK(std::filesystem::exists(cache.file()));
    auto both = cache.find({a, b});
    REQUIRE(both);
    CHECK(both->plugins == found.plugins);
    CHECK(both->refused == found.refused);
    auto just_a = cache.find({a});
    REQUIRE(just_a);
    CHECK(just_a->plugins.size() == 1);
    CHECK(just_a->refused.empty());
    CHECK(cache.find({}));
    write_text(c, "c");
    CHECK_FALSE(cache.find({a, b, c}));  // a new library: probed
    write_text(b, "changed, longer");
    CHECK_FALSE(cache.find({a, b}));  // a changed one: probed
    std::filesystem::remove(a);
    CHECK_FALSE(cache.find({a}));  // gone
    // A damaged record is no record.
    write_text(cache.file(), "{not json");
    CHECK_FALSE(cache.find({}));
}

TEST_CASE("a probe record of the wrong shape is no record", "[engine]") {
    lbx::test::TempDir dir;
    const auto a = dir / "liba.so";
    write_text(a, "a");
    const ProbeCache cache(dir / "plugins-probed.json");
    ProbedLibraries found;
    found.plugins.push_back(lbx::engine::PluginDescription{a.string(), 1, 3, "org.example.a", "A", "1.0.0", "MIT", "", {}});
    found.plugins.back().stages.push_back(lbx::engine::StageDescription{"adec", 1, "", 0, false, {{"a", "image/x-a", "a", 0, {0x41, 0xff}}}, {}, {}});
    cache.record(found);
    REQUIRE(cache.find({a}));
    CHECK(cache.find({a})->plugins == found.plugins);
    std::ifstream in(cache.file());
    std::string text((std::istreambuf_iterator<char>(in)), {});
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"\"magic\":[65,255]", "\"magic\":[65,\"x\"]"}, {"\"stages\":[", "\"stages\":7,\"x\":["}, {"\"id\":\"org.example.a\"", "\"ident\":1"}, {"\"kind\":1", "\"kind\":\"decode\""}}) {
        INFO(from);
        std::string damaged = text;
        const auto at = damaged.find(from);
        REQUIRE(at != std::string::npos);
        damaged.replace(at, from.size(), to);
        write_text(cache.file(), damaged);
        CHECK_FALSE(cache.find({a}));
    }
}

TEST_CASE("a plugin's text that is not UTF-8 is recorded with U+FFFD instead of failing the record", "[engine]") {
    lbx::test::TempDir dir;
    const auto a = dir / "liba.so";
    write_text(a, "a");
    const ProbeCache cache(dir / "plugins-probed.json");
    ProbedLibraries found;
    found.plugins.push_back(lbx::engine::PluginDescription{a.string(), 1, 3, "org.example.a", "A", "1.0.0", "MIT", "caf\xE9", {}});
    cache.record(found);
    auto again = cache.find({a});
    REQUIRE(again);
    REQUIRE(again->plugins.size() == 1);
    CHECK(again->plugins[0].description == "caf\xEF\xBF\xBD");
}
