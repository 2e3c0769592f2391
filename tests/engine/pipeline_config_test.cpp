// Config errors name the file, the line and the key.
#include "pipeline/pipeline_config.hpp"
#include "plugins/plugin_registry.hpp"

#include <algorithm>

#include <catch2/catch.hpp>

using namespace lbx::engine;

namespace {
std::string error_of(const std::string& text) {
    auto c = parse_pipeline_config(text, "/cfg/pipeline.toml");
    REQUIRE_FALSE(c);
    return c.error().message;
}
const char* kGood = R"(
[limits]
max_megapixels = 100
[thumbnails]
sizes = [128, 512]
directory = "thumbs"
[[stage]]
kind = "metadata"
[[stage]]
kind = "decode"
[[stage]]
kind = "thumbnail"
use = "thumbnail"
[stage.params]
quality = 90
sharpen = true
)";
}  // namespace

TEST_CASE("a valid config gives stages in order with their parameters", "[config]") {
    auto c = parse_pipeline_config(kGood, "/cfg/pipeline.toml");
    REQUIRE(c);
    CHECK(c->max_pixels == 100'000'000);
    CHECK(c->thumbnail_sizes == std::vector<uint32_t>{128, 512});
    CHECK(*c->thumbnail_dir == "/cfg/thumbs");
    CHECK(c->base_dir == "/cfg");
    REQUIRE(c->stages.size() == 3);
    CHECK(c->stages[0].kind == LBX_STAGE_METADATA);
    CHECK(c->stages[0].use.empty());
    CHECK(c->stages[2].use == "thumbnail");
    CHECK(std::get<int64_t>(c->stages[2].params.at("quality")) == 90);
    CHECK(std::get<bool>(c->stages[2].params.at("sharpen")));
    CHECK(c->stages[2].where == "pipeline.toml:11");
}

TEST_CASE("config errors point at file, line and key", "[config]") {
    CHECK(error_of("[[stage]]\nkind = \"tags\"\n") ==
          "/cfg/pipeline.toml:2: stage[1].kind: unknown kind (expected metadata, decode, tag or thumbnail)");
    CHECK(error_of("[limits]\nmax_megapixels = -5\n[[stage]]\nkind=\"decode\"\n") ==
          "/cfg/pipeline.toml:2: limits.max_megapixels: expected a positive integer");
    CHECK(error_of("[thumbnails]\nsizes = [256, 4]\n[[stage]]\nkind=\"decode\"\n") ==
          "/cfg/pipeline.toml:2: thumbnails.sizes: sizes must be integers in 16..8192");
    CHECK(error_of("colour = 1\n") == "/cfg/pipeline.toml:1: colour: unknown key (expected limits, thumbnails or stage)");
    CHECK(error_of("[[stage]]\nkind = \"thumbnail\"\nuse = \"thumbnail\"\n") ==
          "/cfg/pipeline.toml:1: stage[1]: a thumbnail stage needs a decode stage before it");
    CHECK(error_of("[[stage]]\nkind = \"tag\"\n") ==
          "/cfg/pipeline.toml:1: stage[1].use: a tag stage needs 'use = \"<stage id>\"'");
    CHECK(error_of("[limits]\n") == "/cfg/pipeline.toml: stage: a pipeline needs at least one [[stage]]");
    CHECK_THAT(error_of("[[stage]\nkind = 1"), Catch::StartsWith("/cfg/pipeline.toml:1: "));
}

TEST_CASE("restricting to kinds (run --only) keeps those stages", "[config]") {
    auto c = parse_pipeline_config(kGood, "/cfg/pipeline.toml");
    REQUIRE(c);
    auto meta = *c;
    REQUIRE(restrict_to_kinds(meta, {"metadata"}));
    CHECK(meta.stages.size() == 1);
    auto bad = *c;
    CHECK_FALSE(restrict_to_kinds(bad, {"thumbnail"}));  // needs decode
    CHECK_FALSE(restrict_to_kinds(bad, {"colour"}));
}

TEST_CASE("a missing config file is a clear error", "[config]") {
    auto c = load_pipeline_config("/nonexistent/pipeline.toml");
    REQUIRE_FALSE(c);
    CHECK(c.error().message == "cannot read config '/nonexistent/pipeline.toml'");
}

TEST_CASE("the first phase makes the grid's thumbnails, the analysis phase the larger previews", "[config]") {
    auto c = parse_pipeline_config(std::string(kGood) + R"(
[[stage]]
kind = "tag"
use = "autotag"
[[stage]]
kind = "tag"
use = "objects"
phase = "analysis"
)",
                                   "/cfg/pipeline.toml");
    REQUIRE(c);
    auto first = *c;
    drop_analysis_stages(first);
    keep_grid_thumbnails(first);
    CHECK(first.thumbnail_sizes == std::vector<uint32_t>{128});
    CHECK(first.stages.size() == 4);  // metadata, decode, thumbnail, autotag

    auto second = *c;
    keep_analysis_phase(second);
    CHECK(second.thumbnail_sizes == std::vector<uint32_t>{512});
    std::vector<std::string> kept;
    for (const StageConfig& s : second.stages) kept.push_back(s.use.empty() ? stage_kind_name(s.kind) : s.use);
    CHECK(kept == std::vector<std::string>{"metadata", "decode", "thumbnail", "objects"});

    // One size only: no preview is left for the analysis phase, so it makes no thumbnail at all.
    auto one = *c;
    one.thumbnail_sizes = {256};
    keep_grid_thumbnails(one);
    CHECK(one.thumbnail_sizes == std::vector<uint32_t>{256});
    keep_analysis_phase(one);
    CHECK(one.thumbnail_sizes.empty());
    CHECK(std::none_of(one.stages.begin(), one.stages.end(), [](const StageConfig& s) { return s.kind == LBX_STAGE_THUMBNAIL; }));
}
