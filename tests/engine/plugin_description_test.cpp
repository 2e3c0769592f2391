// A plugin described as data (plugins/plugin_description.hpp) stands in for the opened library in a
// supervisor: the same descriptor after the trip through a worker's answer and the probe record, the same
// checks, and stage functions that fail cleanly instead of running plugin code.
#include "plugins/plugin_description.hpp"
#include "plugins/plugin_registry.hpp"
#include "support/test_files.hpp"
#include "workers/probe_cache.hpp"
#include "workers/worker_protocol.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace lbx::engine;

namespace {

// The built-in plugins (models and metadata-block readers among them) and two fixtures: one built
// against the frozen API 1.0 header, one using the 1.1 host services.
void load_all(PluginRegistry& registry) {
    const std::filesystem::path fixtures(LIGHTBOX_TEST_FIXTURE_PLUGIN_DIR);
    registry.load_directories({LIGHTBOX_TEST_PLUGIN_DIR, fixtures / "api_1_0", fixtures / "services"});
    REQUIRE(registry.plugins().size() >= 5);
}

}  // namespace

TEST_CASE("a described plugin registers with the descriptor of the opened library", "[registry]") {
    PluginRegistry opened;
    load_all(opened);
    PluginRegistry described;
    bool some_models = false, some_block_reader = false, some_params = false;
    for (const auto& plugin : opened.plugins()) {
        const PluginDescription d = describe(*plugin);
        auto added = described.add_described(DescribedPlugin::make(d));
        INFO(plugin->id);
        REQUIRE(added);
        const LoadedPlugin& copy = **added;
        CHECK(describe(copy) == d);
        CHECK(copy.file == plugin->file);
        CHECK(copy.license == plugin->license);
        CHECK(copy.api_minor == plugin->api_minor);
        REQUIRE(copy.stages.size() == plugin->stages.size());
        for (std::size_t i = 0; i < copy.stages.size(); ++i) {
            const LoadedStage& a = plugin->stages[i];
            const LoadedStage& b = copy.stages[i];
            CHECK(described.find_stage(a.id) == &b);
            CHECK(b.kind == a.kind);
            CHECK(b.desc->priority == a.desc->priority);
            REQUIRE(b.desc->format_count == a.desc->format_count);
            for (uint32_t f = 0; f < a.desc->format_count; ++f) {
                CHECK(std::string(b.desc->formats[f].name) == a.desc->formats[f].name);
                CHECK(b.desc->formats[f].magic_offset == a.desc->formats[f].magic_offset);
                CHECK(std::equal(b.desc->formats[f].magic, b.desc->formats[f].magic + b.desc->formats[f].magic_size,
                                 a.desc->formats[f].magic, a.desc->formats[f].magic + a.desc->formats[f].magic_size));
            }
            REQUIRE(b.desc->param_count == a.desc->param_count);
            for (uint32_t p = 0; p < a.desc->param_count; ++p) {
                CHECK(std::string(b.desc->params[p].name) == a.desc->params[p].name);
                CHECK(std::string(b.desc->params[p].default_value) == a.desc->params[p].default_value);
                CHECK(b.desc->params[p].type == a.desc->params[p].type);
                CHECK(b.desc->params[p].min == a.desc->params[p].min);
                CHECK(b.desc->params[p].max == a.desc->params[p].max);
            }
            const auto models_a = stage_models(a), models_b = stage_models(b);
            REQUIRE(models_b.size() == models_a.size());
            for (std::size_t m = 0; m < models_a.size(); ++m) {
                CHECK(std::string(models_b[m]->file) == models_a[m]->file);
                CHECK((models_b[m]->sha256 == nullptr) == (models_a[m]->sha256 == nullptr));
            }
            some_models = some_models || !models_a.empty();
            some_params = some_params || a.desc->param_count > 0;
            some_block_reader = some_block_reader || d.stages[i].reads_metadata_blocks;
        }
    }
    CHECK(some_models);  // the objects, faces and identity stages declare theirs (API 1.2)
    CHECK(some_params);
    CHECK(some_block_reader);  // the exif stage reads blocks a decoder hands over (API 1.1)
    CHECK(described.stages_of_kind(LBX_STAGE_DECODE).size() == opened.stages_of_kind(LBX_STAGE_DECODE).size());
}

TEST_CASE("descriptions survive a worker's answer and the probe record unchanged", "[registry]") {
    PluginRegistry opened;
    load_all(opened);
    WorkerReady ready{true, {}, {}, {}, {}, {}};
    for (const auto& plugin : opened.plugins()) ready.plugins.push_back(describe(*plugin));
    ready.refused.push_back(RefusedLibrary{"/nowhere/libnot.so", "not a Lightbox plugin (no symbol lbx_plugin_describe)"});

    auto decoded = decode_ready(encode(ready));
    REQUIRE(decoded);
    CHECK(decoded->plugins == ready.plugins);
    CHECK(decoded->refused == ready.refused);

    // The record keeps only libraries it can stamp: copies of the plugins' files stand in for them.
    lbx::test::TempDir dir;
    ProbedLibraries found;
    std::vector<std::filesystem::path> files;
    for (PluginDescription d : ready.plugins) {
        const auto copy = dir / std::filesystem::path(d.file).filename();
        std::filesystem::copy_file(d.file, copy);
        d.file = copy.string();
        files.push_back(copy);
        found.plugins.push_back(std::move(d));
    }
    const auto refused = dir / "libnot.so";
    std::ofstream(refused) << "not a library";
    found.refused.push_back(RefusedLibrary{refused.string(), "cannot be loaded: invalid ELF header"});
    files.push_back(refused);

    const ProbeCache cache(dir / "state" / "plugins-probed.json");
    cache.record(found);
    auto again = cache.find(files);
    REQUIRE(again);
    CHECK(again->plugins == found.plugins);
    CHECK(again->refused == found.refused);
}

TEST_CASE("a described stage runs nowhere but in a worker: its functions answer with an error", "[registry]") {
    PluginRegistry opened;
    load_all(opened);
    PluginRegistry described;
    for (const auto& plugin : opened.plugins()) REQUIRE(described.add_described(DescribedPlugin::make(describe(*plugin))));
    for (lbx_stage_kind kind : {LBX_STAGE_DECODE, LBX_STAGE_METADATA, LBX_STAGE_TAG, LBX_STAGE_THUMBNAIL}) {
        const auto stages = described.stages_of_kind(kind);
        REQUIRE_FALSE(stages.empty());
        const lbx_stage_desc* s = stages.front()->desc;
        CHECK(s->create == nullptr);
        lbx_error error{sizeof(lbx_error), 0, {}};
        lbx_status status = LBX_OK;
        switch (kind) {
            case LBX_STAGE_DECODE: status = s->decode(nullptr, nullptr, nullptr, &error); break;
            case LBX_STAGE_METADATA: status = s->read_metadata(nullptr, nullptr, nullptr, &error); break;
            case LBX_STAGE_TAG: status = s->tag(nullptr, nullptr, nullptr, &error); break;
            case LBX_STAGE_THUMBNAIL: status = s->thumbnail(nullptr, nullptr, nullptr, &error); break;
        }
        CHECK(status == LBX_E_INTERNAL);
        CHECK_THAT(std::string(error.message), Catch::Contains("runs in worker processes only"));
    }
}

TEST_CASE("a described plugin is checked like an opened one", "[registry]") {
    PluginRegistry opened;
    load_all(opened);
    const PluginDescription good = describe(*opened.plugins().front());

    PluginRegistry described;
    PluginDescription bad_id = good;
    bad_id.stages.front().id = "Not An Id";
    CHECK_FALSE(described.add_described(DescribedPlugin::make(bad_id)));
    PluginDescription newer = good;
    newer.api_minor = LBX_PLUGIN_API_VERSION_MINOR + 1;
    CHECK_FALSE(described.add_described(DescribedPlugin::make(newer)));
    REQUIRE(described.add_described(DescribedPlugin::make(good)));
    PluginDescription twin = good;
    twin.file = "/elsewhere/libtwin.so";
    CHECK_FALSE(described.add_described(DescribedPlugin::make(twin)));
    REQUIRE(described.rejected().size() == 3);
    CHECK_THAT(described.rejected()[0].reason, Catch::Contains("invalid id"));
    CHECK_THAT(described.rejected()[1].reason, Catch::Contains("built for plugin API"));
    CHECK_THAT(described.rejected()[2].reason, Catch::Contains("duplicate plugin id"));
    CHECK(described.rejected()[2].file == "/elsewhere/libtwin.so");
}
