// What a worker process is told to load: the plugins whose stages its pipeline may run, never a tag plugin
// the pipeline does not name (a scan without analysis does not map the neural-network libraries in each
// worker), nor a decoder in a run without a decode step; the decoders and metadata readers it leaves out
// still sniff files, from their descriptions (sniff_only_plugins), without their libraries being opened.
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
    INFO((config ? std::string() : config.error().message));
    REQUIRE(config);
    return *config;
}

}  // namespace

TEST_CASE("workers load only the plugins their pipeline runs, the decoders left out still sniff", "[workers]") {
    const std::string metadata_only = "[[stage]]\nkind = \"metadata\"\n";
    const PipelineConfig metadata = config_of(metadata_only);
    const std::set<std::string> unneeded = unneeded_ids(metadata);
    CHECK(unneeded.count("org.lightbox.vision") == 1);
    CHECK(unneeded.count("org.lightbox.autotag") == 1);
    CHECK(unneeded.count("org.lightbox.thumbnail") == 1);
    CHECK(unneeded.count("org.lightbox.exif") == 0);
    CHECK(unneeded.count("org.lightbox.jpegdec") == 1);
    // The decoders a metadata-only worker does not load are described to it, for their signatures; the
    // taggers and the thumbnailer declare none.
    std::set<std::string> sniff_only;
    for (const PluginDescription& d : sniff_only_plugins(test::built_plugins(), metadata)) sniff_only.insert(d.id);
    CHECK(sniff_only.count("org.lightbox.jpegdec") == 1);
    CHECK(sniff_only.count("org.lightbox.heifdec") == 1);
    CHECK(sniff_only.count("org.lightbox.vision") == 0);
    CHECK(sniff_only.count("org.lightbox.thumbnail") == 0);
    CHECK(sniff_only.count("org.lightbox.exif") == 0);

    const std::string analysis = metadata_only + "[[stage]]\nkind = \"decode\"\n[[stage]]\nkind = \"tag\"\nuse = \"objects\"\n";
    const std::set<std::string> analysing = unneeded_ids(config_of(analysis));
    CHECK(analysing.count("org.lightbox.vision") == 0);
    CHECK(analysing.count("org.lightbox.jpegdec") == 0);
    // Thumbnails only: no metadata reader is loaded, it only sniffs.
    const std::string thumbnails = "[[stage]]\nkind = \"decode\"\n[[stage]]\nkind = \"thumbnail\"\nuse = \"thumbnail\"\n";
    CHECK(unneeded_ids(config_of(thumbnails)).count("org.lightbox.exif") == 1);
}
