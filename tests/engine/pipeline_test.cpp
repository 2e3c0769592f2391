// The pipeline with real plugins: stages run in config order, once per file, failures become values
// that name the stage and plugin, and the configured parameters reach the stages.
#include "pipeline/pipeline.hpp"
#include "sample/exif_writer.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <future>
#include <sys/stat.h>
#include <unistd.h>

using namespace lbx::engine;

namespace {

const PluginRegistry& registry() {
    static PluginRegistry r;
    static bool loaded = false;
    if (!loaded) {
        r.load_directories({LIGHTBOX_TEST_PLUGIN_DIR, LIGHTBOX_TEST_FIXTURE_PLUGIN_DIR "/good", LIGHTBOX_TEST_FIXTURE_PLUGIN_DIR "/failing"});
        loaded = true;
    }
    return r;
}

std::unique_ptr<Pipeline> build(const std::string& toml, const std::filesystem::path& thumbs) {
    auto config = parse_pipeline_config(toml, LIGHTBOX_TEST_DATA_DIR "/config/test.toml");
    REQUIRE(config);
    auto pipeline = Pipeline::build(registry(), *config, thumbs);
    if (!pipeline) FAIL(pipeline.error().message);
    return std::move(*pipeline);
}

std::filesystem::path write_photo(const lbx::test::TempDir& dir) {
    lbx::sample::ExifSpec spec;
    spec.make = "SONY";
    spec.model = "ILCE-7M3";
    spec.date_time_original = "2023:06:01 08:00:00";
    spec.orientation = 6;
    auto bytes = lbx::sample::with_exif(lbx::sample::encode_jpeg(lbx::sample::make_scene(600, 400, 3), 85), spec);
    lbx::test::write_file(dir / "photo.jpg", bytes);
    return dir / "photo.jpg";
}

const char* kFull = R"(
[thumbnails]
sizes = [200, 100]
[[stage]]
kind = "metadata"
[[stage]]
kind = "decode"
[[stage]]
kind = "tag"
use = "fake-tag"
[stage.params]
label = "configured"
weight = 5
[[stage]]
kind = "thumbnail"
use = "thumbnail"
)";

}  // namespace

TEST_CASE("each stage runs once per file and configured parameters reach the stage", "[pipeline]") {
    lbx::test::TempDir dir;
    auto pipeline = build(kFull, dir / "thumbs");
    PhotoResult r = pipeline->process(InputFile{write_photo(dir), true, {}});
    INFO((r.failure ? r.failure->message : ""));
    REQUIRE(r.ok());
    CHECK(r.format == "jpeg");
    CHECK(r.width == 600);
    CHECK(r.height == 400);
    CHECK(r.metadata.get_text(LBX_FIELD_MODEL) == "ILCE-7M3");
    REQUIRE(r.tags.size() == 2);
    CHECK(r.tags[0].name == "configured");
    CHECK(r.tags[0].confidence == Approx(0.5));
    CHECK(r.tags[0].source == "org.lightbox.test.fake");
    CHECK(r.tags[1].name == "has-pixels");
    REQUIRE(r.thumbnails.size() == 2);
    CHECK(r.thumbnails[0].size == 200);
    CHECK(r.thumbnails[0].width == 133);   // orientation 6: upright is portrait
    CHECK(r.thumbnails[0].height == 200);
    CHECK(std::filesystem::exists(r.thumbnails[1].path));
    auto counts = pipeline->stage_invocations();
    CHECK(counts["exif"] == 1);
    CHECK(counts["jpegdec"] == 1);
    CHECK(counts["fake-tag"] == 1);
    CHECK(counts["thumbnail"] == 1);
    CHECK(counts["pngdec"] == 0);
}

TEST_CASE("a metadata-only pipeline never decodes", "[pipeline]") {
    lbx::test::TempDir dir;
    auto pipeline = build("[[stage]]\nkind = \"metadata\"\n", dir / "thumbs");
    PhotoResult r = pipeline->process(InputFile{write_photo(dir), true, {}});
    REQUIRE(r.ok());
    CHECK(r.width == 600);  // from the metadata reader
    CHECK(r.thumbnails.empty());
    CHECK(pipeline->stage_invocations()["jpegdec"] == 0);
    CHECK_FALSE(std::filesystem::exists(dir / "thumbs"));
}

TEST_CASE("a failing stage marks the file failed with stage, plugin and reason, and stops there", "[pipeline]") {
    lbx::test::TempDir dir;
    auto pipeline = build("[[stage]]\nkind = \"decode\"\n[[stage]]\nkind = \"tag\"\nuse = \"failing-tag\"\n"
                          "[[stage]]\nkind = \"thumbnail\"\nuse = \"thumbnail\"\n",
                          dir / "thumbs");
    PhotoResult r = pipeline->process(InputFile{write_photo(dir), true, {}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.failure->stage == "tag");
    CHECK(r.failure->stage_id == "failing-tag");
    CHECK(r.failure->plugin == "org.lightbox.test.failing");
    CHECK(r.failure->code == "corrupt");
    CHECK(r.failure->message == "always fails on purpose");
    CHECK(pipeline->stage_invocations()["thumbnail"] == 0);
}

TEST_CASE("configs naming unknown stages or bad parameters fail to build with the place and the choices", "[pipeline]") {
    auto config = parse_pipeline_config("[[stage]]\nkind = \"tag\"\nuse = \"nope\"\n", "/cfg/x.toml");
    REQUIRE(config);
    auto p = Pipeline::build(registry(), *config, "/tmp/unused");
    REQUIRE_FALSE(p);
    CHECK_THAT(p.error().message, Catch::StartsWith("x.toml:1: no loaded stage 'nope' (loaded tag stages: "));
    CHECK_THAT(p.error().message, Catch::Contains("fake-tag"));
    auto bad = parse_pipeline_config("[[stage]]\nkind = \"tag\"\nuse = \"fake-tag\"\n[stage.params]\nweight = 11\n", "/cfg/x.toml");
    REQUIRE(bad);
    auto q = Pipeline::build(registry(), *bad, "/tmp/unused");
    REQUIRE_FALSE(q);
    CHECK(q.error().message == "x.toml:1: parameter 'weight' of stage 'fake-tag': 11 is out of range 0..10");
}

TEST_CASE("an empty file is skipped in a folder unless named like a photo, and fails when named", "[pipeline]") {
    lbx::test::TempDir dir;
    auto pipeline = build("[[stage]]\nkind = \"metadata\"\n", dir / "thumbs");
    lbx::test::write_file(dir / "notes.txt", {});
    lbx::test::write_file(dir / "empty.jpg", {});
    const PhotoResult found = pipeline->process(InputFile{dir / "notes.txt", false, {}});
    CHECK(found.skipped);
    CHECK(found.skip_reason.empty());  // an ordinary non-photo: counted, no line
    const PhotoResult named = pipeline->process(InputFile{dir / "notes.txt", true, {}});
    REQUIRE_FALSE(named.ok());
    CHECK(named.failure->code == "empty");
    const PhotoResult photo_name = pipeline->process(InputFile{dir / "empty.jpg", false, {}});
    REQUIRE_FALSE(photo_name.ok());
    CHECK(photo_name.failure->code == "empty");
}

TEST_CASE("a FIFO named as a path fails at once instead of blocking the read", "[pipeline]") {
    lbx::test::TempDir dir;
    auto pipeline = build("[[stage]]\nkind = \"metadata\"\n", dir / "thumbs");
    const auto fifo = dir / "pipe.jpg";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto processed = std::async(std::launch::async, [&] { return pipeline->process(InputFile{fifo, true, {}}); });
    if (processed.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        const int writer = ::open(fifo.c_str(), O_WRONLY);  // lets the blocked open return, so the test ends
        ::close(writer);
        FAIL("process() blocked on a FIFO");
    }
    const PhotoResult r = processed.get();
    REQUIRE_FALSE(r.ok());
    CHECK(r.failure->stage == "read");
    CHECK(r.failure->code == kCodeNotRegularFile);
    CHECK(r.failure->message == "cannot read: a FIFO (named pipe), not a regular file (not opened)");
}

TEST_CASE("what the walker found instead of a file gets a skip line or a failure", "[pipeline]") {
    lbx::test::TempDir dir;
    auto pipeline = build("[[stage]]\nkind = \"metadata\"\n", dir / "thumbs");
    const PhotoResult fifo = pipeline->process(InputFile{dir / "pipe.jpg", false, "a FIFO (named pipe)", WalkProblem::special_file});
    CHECK(fifo.skipped);
    CHECK(fifo.skip_reason == "a FIFO (named pipe), not a photo");
    const PhotoResult link = pipeline->process(InputFile{dir / "a.jpg", false, "dangling symlink to 'x' (no such file)", WalkProblem::broken_link});
    REQUIRE_FALSE(link.ok());
    CHECK(link.failure->code == kCodeBrokenLink);
    CHECK(link.failure->message == "dangling symlink to 'x' (no such file)");
    const PhotoResult other_link = pipeline->process(InputFile{dir / "a.txt", false, "symlink loop", WalkProblem::broken_link});
    CHECK(other_link.skipped);
    CHECK(other_link.skip_reason == "symlink loop");
    const PhotoResult folder = pipeline->process(InputFile{dir.path(), true, "cannot list folder: Permission denied", WalkProblem::unlisted_folder});
    REQUIRE_FALSE(folder.ok());
    CHECK(folder.failure->code == kCodeUnreadableFolder);
}

TEST_CASE("unknown content is a sniff failure when named, and skipped when found in a folder", "[pipeline]") {
    lbx::test::TempDir dir;
    auto pipeline = build("[[stage]]\nkind = \"metadata\"\n", dir / "thumbs");
    lbx::test::write_file(dir / "notes.txt", {'h', 'i', '!', '\n'});
    lbx::test::write_file(dir / "fake.jpg", {'h', 'i', '!', '\n'});
    PhotoResult named = pipeline->process(InputFile{dir / "notes.txt", true, {}});
    REQUIRE_FALSE(named.ok());
    CHECK(named.failure->stage == "sniff");
    CHECK(named.failure->message == "unknown format (first bytes 68 69 21 0a)");
    CHECK(pipeline->process(InputFile{dir / "notes.txt", false, {}}).skipped);
    PhotoResult looks_like_photo = pipeline->process(InputFile{dir / "fake.jpg", false, {}});
    CHECK_FALSE(looks_like_photo.skipped);
    CHECK_FALSE(looks_like_photo.ok());
}

TEST_CASE("a plan checks stages and parameters but creates no stage and processes no file", "[pipeline]") {
    lbx::test::TempDir dir;
    static PluginRegistry marker_registry;
    if (marker_registry.plugins().empty())
        marker_registry.load_directories({LIGHTBOX_TEST_PLUGIN_DIR, LIGHTBOX_TEST_FIXTURE_PLUGIN_DIR "/create_marker"});
    const std::filesystem::path pids = dir / "pids";
    ::setenv("LIGHTBOX_TEST_CREATE_MARKER", pids.c_str(), 1);
    auto config = parse_pipeline_config("[[stage]]\nkind = \"decode\"\n[[stage]]\nkind = \"tag\"\nuse = \"pidmark\"\n", "/cfg/x.toml");
    REQUIRE(config);
    PipelineBuildOptions plan_only;
    plan_only.create_stages = false;
    auto plan = Pipeline::build(marker_registry, *config, dir / "thumbs", plan_only);
    REQUIRE(plan);
    CHECK((*plan)->is_plan());
    CHECK_FALSE(std::filesystem::exists(pids));  // the pidmark stage's create() did not run
    const PhotoResult r = (*plan)->process(InputFile{write_photo(dir), true, {}});
    REQUIRE(r.failure);
    CHECK(r.failure->code == "internal");
    // The same config built for real creates the stage (so the check above means something).
    auto real = Pipeline::build(marker_registry, *config, dir / "thumbs");
    REQUIRE(real);
    CHECK(std::filesystem::exists(pids));
    ::unsetenv("LIGHTBOX_TEST_CREATE_MARKER");

    // A plan still refuses what a pipeline refuses: a parameter out of range.
    auto bad = parse_pipeline_config("[[stage]]\nkind = \"tag\"\nuse = \"fake-tag\"\n[stage.params]\nweight = 11\n", "/cfg/x.toml");
    REQUIRE(bad);
    CHECK_FALSE(Pipeline::build(registry(), *bad, "/tmp/unused", plan_only));
}

TEST_CASE("a stage whose plugin failed at start-up fails the files that need it, and only those", "[pipeline]") {
    lbx::test::TempDir dir;
    auto config = parse_pipeline_config(kFull, LIGHTBOX_TEST_DATA_DIR "/config/test.toml");
    REQUIRE(config);
    const auto failure = [](const std::string& kind, const std::string& id, const std::string& plugin) {
        return StageFailure{kind, id, plugin, "1.0", "plugin_not_loaded", "plugin " + plugin + " crashed in phase create"};
    };
    const std::filesystem::path jpeg = write_photo(dir);
    lbx::test::write_file(dir / "shot.png", lbx::sample::encode_png(lbx::sample::make_scene(64, 48, 1)));

    SECTION("a step that uses it") {
        PipelineBuildOptions options;
        options.failed = {FailedStage{"fake-tag", failure("tag", "fake-tag", "org.lightbox.test.fake")}};
        auto pipeline = Pipeline::build(registry(), *config, dir / "thumbs", options);
        REQUIRE(pipeline);
        const PhotoResult r = (*pipeline)->process(InputFile{jpeg, true, {}});
        REQUIRE(r.failure);
        CHECK(r.failure->code == "plugin_not_loaded");
        CHECK(r.failure->stage_id == "fake-tag");
        CHECK(r.failure->plugin == "org.lightbox.test.fake");
    }
    SECTION("a decoder picked by format: its format fails, the others go on") {
        PipelineBuildOptions options;
        options.failed = {FailedStage{"jpegdec", failure("decode", "jpegdec", "org.lightbox.jpegdec")}};
        auto pipeline = Pipeline::build(registry(), *config, dir / "thumbs", options);
        REQUIRE(pipeline);
        const PhotoResult r = (*pipeline)->process(InputFile{jpeg, true, {}});
        REQUIRE(r.failure);
        CHECK(r.failure->code == "plugin_not_loaded");
        CHECK(r.failure->stage_id == "jpegdec");
        const PhotoResult png = (*pipeline)->process(InputFile{dir / "shot.png", true, {}});
        INFO((png.failure ? png.failure->message : ""));
        CHECK(png.ok());
    }
}
