// What a worker process is told to load: the plugins its pipeline uses and every decoder and metadata
// plugin (their signatures sniff each file), never a tag plugin the pipeline does not name, so that a
// scan without analysis does not map the neural-network libraries in each worker.
#include "pipeline/pipeline_config.hpp"
#include "support/plugin_harness.hpp"
#include "workers/file_processor.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace lbx;
using namespace lbx::engine;

namespace {

// The plugin ids behind the unneeded files.
std::set<std::string> unneeded_ids(const PipelineConfig& config) {
    const PluginRegistry& registry = test::built_plugins();
    std::set<std::string> ids;
    for (const std::string& file : unneeded_plugin_files(registry, config)) {
        for (const auto& plugin : registry.plugins())
            if (plugin->file.string() == file) ids.insert(plugin->id);
    }
    return ids;
}

PipelineConfig config_of(const std::string& stages) {
    auto config = parse_pipeline_config(stages, "/cfg/pipeline.toml");
    REQUIRE(config);
    return *config;
}

}  // namespace

TEST_CASE("workers load only the plugins their pipeline uses, and every decoder and metadata plugin", "[workers]") {
    const std::string metadata_only = "[[stage]]\nkind = \"metadata\"\n";
    const std::set<std::string> unneeded = unneeded_ids(config_of(metadata_only));
    CHECK(unneeded.count("org.lightbox.vision") == 1);
    CHECK(unneeded.count("org.lightbox.autotag") == 1);
    CHECK(unneeded.count("org.lightbox.thumbnail") == 1);
    CHECK(unneeded.count("org.lightbox.exif") == 0);
    CHECK(unneeded.count("org.lightbox.jpegdec") == 0);

    const std::string analysis = metadata_only + "[[stage]]\nkind = \"decode\"\n[[stage]]\nkind = \"tag\"\nuse = \"objects\"\n";
    CHECK(unneeded_ids(config_of(analysis)).count("org.lightbox.vision") == 0);
}
