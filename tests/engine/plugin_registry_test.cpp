// The registry loads good plugins and rejects every kind of bad one with a one-line reason, carrying on.
#include "plugins/plugin_registry.hpp"
#include "plugins/stage_instance.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace lbx::engine;

namespace {
std::filesystem::path fixture(const char* folder) { return std::filesystem::path(LIGHTBOX_TEST_FIXTURE_PLUGIN_DIR) / folder; }

std::string only_rejection(const char* folder) {
    PluginRegistry registry;
    registry.load_directories({fixture(folder)});
    REQUIRE(registry.plugins().empty());
    REQUIRE(registry.rejected().size() == 1);
    return registry.rejected().front().reason;
}
}  // namespace

TEST_CASE("a well-formed plugin is loaded with its descriptor", "[registry]") {
    PluginRegistry registry;
    registry.load_directories({fixture("good")});
    REQUIRE(registry.rejected().empty());
    REQUIRE(registry.plugins().size() == 1);
    const LoadedPlugin& p = *registry.plugins().front();
    CHECK(p.id == "org.lightbox.test.fake");
    CHECK(p.version == "0.1.0");
    CHECK(p.license == "MIT");
    CHECK(p.api_major == LBX_PLUGIN_API_VERSION_MAJOR);
    REQUIRE(p.stages.size() == 1);
    CHECK(p.stages[0].id == "fake-tag");
    CHECK(p.stages[0].kind == LBX_STAGE_TAG);
    CHECK(registry.find_stage("fake-tag") == &p.stages[0]);
    CHECK(registry.find_plugin("org.lightbox.test.fake") == &p);
    CHECK(registry.stages_of_kind(LBX_STAGE_TAG).size() == 1);
    CHECK(registry.stages_of_kind(LBX_STAGE_DECODE).empty());
}

TEST_CASE("an incompatible major API version is rejected with both versions named", "[registry]") {
    std::string reason = only_rejection("incompatible");
    CHECK(reason == "built for plugin API 2.0, this engine has 1.4");
}

TEST_CASE("a plugin built for a newer minor API than the host is rejected", "[registry]") {
    CHECK(only_rejection("future_minor") == "built for plugin API 1.99, this engine has 1.4");
}

TEST_CASE("a stage without the function for its kind is rejected", "[registry]") {
    CHECK_THAT(only_rejection("missing_function"), Catch::Contains("lacks the function for its kind"));
}

TEST_CASE("a shared library without the entry point is not a plugin", "[registry]") {
    CHECK(only_rejection("not_a_plugin") == "not a Lightbox plugin (no symbol lbx_plugin_describe)");
}

TEST_CASE("a file that is not a loadable library is rejected, the rest still loads", "[registry]") {
    lbx::test::TempDir dir;
    lbx::test::write_file(dir / "libgarbage.so", {0x7f, 'E', 'L', 'F', 1, 2, 3, 4, 5, 6, 7, 8});
    lbx::test::write_file(dir / "README.txt", {'h', 'i'});  // not a .so: ignored
    PluginRegistry registry;
    registry.load_directories({dir.path(), fixture("good")});
    REQUIRE(registry.plugins().size() == 1);
    REQUIRE(registry.rejected().size() == 1);
    CHECK(registry.rejected()[0].file.filename() == "libgarbage.so");
    CHECK_THAT(registry.rejected()[0].reason, Catch::StartsWith("cannot be loaded: "));
}

TEST_CASE("a duplicate plugin id is rejected and names where the first came from", "[registry]") {
    PluginRegistry registry;
    registry.load_directories({fixture("good"), fixture("duplicate")});
    REQUIRE(registry.plugins().size() == 1);
    REQUIRE(registry.rejected().size() == 1);
    CHECK_THAT(registry.rejected()[0].reason, Catch::StartsWith("duplicate plugin id 'org.lightbox.test.fake' (already loaded from "));
}

TEST_CASE("missing plugin folders are skipped quietly", "[registry]") {
    PluginRegistry registry;
    registry.load_directories({"/nonexistent/lightbox/plugins"});
    CHECK(registry.plugins().empty());
    CHECK(registry.rejected().empty());
}

TEST_CASE("the search path puts LIGHTBOX_PLUGIN_PATH first, then the user's, then the installed folder", "[registry]") {
    setenv("LIGHTBOX_PLUGIN_PATH", "/a:/b", 1);
    setenv("XDG_DATA_HOME", "/data", 1);
    auto dirs = plugin_search_path("/opt/lightbox/bin");
    unsetenv("LIGHTBOX_PLUGIN_PATH");
    unsetenv("XDG_DATA_HOME");
    REQUIRE(dirs.size() == 4);
    CHECK(dirs[0] == "/a");
    CHECK(dirs[1] == "/b");
    CHECK(dirs[2] == "/data/lightbox/plugins");
    CHECK(dirs[3] == "/opt/lightbox/lib/lightbox/plugins");
}

TEST_CASE("stage failures and exceptions inside a plugin come back as error values", "[registry]") {
    PluginRegistry registry;
    registry.load_directories({fixture("failing")});
    REQUIRE(registry.plugins().size() == 1);
    Metadata metadata;
    std::vector<uint8_t> bytes{1, 2, 3};
    Source source{bytes, "x.jpg", "jpeg"};
    for (const char* id : {"failing-tag", "throwing-tag"}) {
        auto stage = StageInstance::create(*registry.find_stage(id), {});
        REQUIRE(stage);
        auto tags = stage->tag(source, nullptr, metadata);
        REQUIRE_FALSE(tags);
        CHECK(tags.error().domain == "tag");
        CHECK(tags.error().code == (std::string(id) == "failing-tag" ? "corrupt" : "internal"));
        CHECK(tags.error().message == (std::string(id) == "failing-tag" ? "always fails on purpose" : "thrown inside the plugin"));
    }
}

TEST_CASE("kind and status names round-trip", "[registry]") {
    for (lbx_stage_kind k : {LBX_STAGE_DECODE, LBX_STAGE_METADATA, LBX_STAGE_TAG, LBX_STAGE_THUMBNAIL})
        CHECK(stage_kind_from_name(stage_kind_name(k)) == k);
    CHECK_FALSE(stage_kind_from_name("tags"));
    CHECK(std::string(status_code_name(LBX_E_TRUNCATED)) == "truncated");
    CHECK(std::string(status_code_name(LBX_E_TOO_LARGE)) == "too_large");
    CHECK(std::string(status_code_name(12345)) == "unknown");
}
