// Plugin API 1.1 on the host side: a plugin built against the 1.0 header keeps loading and running; the
// host services (log, stop check, threads hint) reach a stage from the ProcessContext; a decoder's Exif
// block is read by the exif stage and its date and camera arrive in the PhotoResult.
#include "pipeline/pipeline.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "workers/file_processor.hpp"
#include "sample/exif_writer.hpp"
#include "support/plugin_harness.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fcntl.h>
#include <mutex>
#include <unistd.h>

using namespace lbx::engine;

namespace {

const PluginRegistry& registry() {
    static PluginRegistry r;
    static std::once_flag once;
    std::call_once(once, [] {
        r.load_directories({LIGHTBOX_TEST_PLUGIN_DIR, LIGHTBOX_TEST_FIXTURE_PLUGIN_DIR "/api_1_0",
                            LIGHTBOX_TEST_FIXTURE_PLUGIN_DIR "/services"});
    });
    for (const auto& rejected : r.rejected()) FAIL("rejected: " << rejected.file << ": " << rejected.reason);
    return r;
}

std::unique_ptr<Pipeline> build(const std::string& toml, const lbx::test::TempDir& dir) {
    auto config = parse_pipeline_config(toml, LIGHTBOX_TEST_DATA_DIR "/config/test.toml");
    REQUIRE(config);
    auto pipeline = Pipeline::build(registry(), *config, dir / "thumbs");
    if (!pipeline) FAIL(pipeline.error().message);
    return std::move(*pipeline);
}

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// A file of the services fixture's format: "LBXSVC01", width, height, exif size, the Exif block.
std::filesystem::path write_svc(const lbx::test::TempDir& dir, uint32_t width, uint32_t height,
                                const std::vector<uint8_t>& exif) {
    std::vector<uint8_t> bytes{'L', 'B', 'X', 'S', 'V', 'C', '0', '1'};
    put_u32(bytes, width);
    put_u32(bytes, height);
    put_u32(bytes, static_cast<uint32_t>(exif.size()));
    bytes.insert(bytes.end(), exif.begin(), exif.end());
    lbx::test::write_file(dir / "photo.lbxsvc", bytes);
    return dir / "photo.lbxsvc";
}

std::vector<uint8_t> camera_exif() {
    lbx::sample::ExifSpec spec;
    spec.make = "FUJIFILM";
    spec.model = "X-T5";
    spec.date_time_original = "2024:03:09 14:30:05";
    spec.gps_lat = 46.9481;
    spec.gps_lon = 7.4474;
    return lbx::sample::exif_tiff_block(spec);
}

struct LogLine {
    std::string stage;
    int level;
    std::string message;
};

// Everything written to stderr (fd 2) while it lives, read back by text().
class StderrCapture {
public:
    StderrCapture() {
        std::fflush(stderr);
        saved_ = ::dup(2);
        file_ = std::tmpfile();
        ::dup2(::fileno(file_), 2);
    }
    ~StderrCapture() {
        restore();
        std::fclose(file_);
    }
    std::string text() {
        restore();
        std::string out;
        std::rewind(file_);
        char buf[512];
        while (std::size_t n = std::fread(buf, 1, sizeof buf, file_)) out.append(buf, n);
        return out;
    }

private:
    void restore() {
        if (saved_ < 0) return;
        std::fflush(stderr);
        ::dup2(saved_, 2);
        ::close(saved_);
        saved_ = -1;
    }
    int saved_ = -1;
    std::FILE* file_ = nullptr;
};

const char* kDecodeOnly = R"(
[[stage]]
kind = "metadata"
[[stage]]
kind = "decode"
)";

}  // namespace

TEST_CASE("a plugin built against the 1.0 header loads and runs unchanged", "[plugins][api]") {
    const LoadedPlugin* plugin = nullptr;
    for (const auto& p : registry().plugins())
        if (p->id == "org.lightbox.test.api10") plugin = p.get();
    REQUIRE(plugin != nullptr);
    CHECK(plugin->api_minor == 0);
    const LoadedStage* decoder = registry().find_stage("v10-dec");
    REQUIRE(decoder != nullptr);
    CHECK(decoder->desc->struct_size == offsetof(lbx_stage_desc, read_metadata_block));  // the 1.0 size

    lbx::test::TempDir dir;
    std::vector<uint8_t> bytes{'L', 'B', 'X', '1', '0', 'I', 'M', 'G'};
    put_u32(bytes, 6);
    put_u32(bytes, 4);
    lbx::test::write_file(dir / "old.lbx10", bytes);
    auto pipeline = build(std::string(kDecodeOnly) + "[[stage]]\nkind = \"tag\"\nuse = \"v10-tag\"\n", dir);
    std::vector<LogLine> log;
    ProcessContext context;
    context.log = [&](const LoadedStage& s, int level, std::string_view m) { log.push_back({s.id, level, std::string(m)}); };
    context.threads_hint = 2;
    PhotoResult r = pipeline->process(InputFile{dir / "old.lbx10", true, {}}, context);
    INFO((r.failure ? r.failure->message : ""));
    REQUIRE(r.ok());
    CHECK(r.format == "lbx10");
    CHECK(r.width == 6);
    CHECK(r.height == 4);
    REQUIRE(r.tags.size() == 1);
    CHECK(r.tags[0].name == "v1.0-pixels");
    CHECK(log.empty());
}

TEST_CASE("a decoder's Exif block reaches the metadata stage: date, camera and place in the result", "[plugins][api]") {
    lbx::test::TempDir dir;
    auto pipeline = build(kDecodeOnly, dir);
    std::vector<LogLine> log;
    ProcessContext context;
    context.log = [&](const LoadedStage& s, int level, std::string_view m) { log.push_back({s.id, level, std::string(m)}); };
    context.threads_hint = 3;
    PhotoResult r = pipeline->process(InputFile{write_svc(dir, 8, 5, camera_exif()), true, {}}, context);
    INFO((r.failure ? r.failure->message : ""));
    REQUIRE(r.ok());
    CHECK(r.warnings.empty());
    CHECK(r.format == "lbxsvc");
    CHECK(r.width == 8);
    CHECK(r.height == 5);
    CHECK(r.metadata.get_text(LBX_FIELD_TAKEN_AT) == "2024-03-09T14:30:05");
    CHECK(r.metadata.get_text(LBX_FIELD_MAKE) == "FUJIFILM");
    CHECK(r.metadata.get_text(LBX_FIELD_MODEL) == "X-T5");
    CHECK(r.metadata.get_number(LBX_FIELD_GPS_LAT).value_or(0) == Approx(46.9481).margin(1e-4));
    REQUIRE(r.metadata.get_entry("Exif.Image.Model") != nullptr);
    CHECK(*r.metadata.get_entry("Exif.Image.Model") == "X-T5");
    CHECK(pipeline->stage_invocations()["exif"] == 1);

    // The log reached the context with the stage, the level and the threads hint.
    REQUIRE(log.size() == 1);
    CHECK(log[0].stage == "svc-dec");
    CHECK(log[0].level == LBX_LOG_INFO);
    CHECK(log[0].message == "decoding 8x5, threads hint 3");
}

TEST_CASE("without a metadata step a decoder's blocks are not read", "[plugins][api]") {
    lbx::test::TempDir dir;
    auto pipeline = build("[[stage]]\nkind = \"decode\"\n", dir);
    StderrCapture quiet;  // the default log writes to stderr
    PhotoResult r = pipeline->process(InputFile{write_svc(dir, 4, 4, camera_exif()), true, {}});
    REQUIRE(r.ok());
    CHECK_FALSE(r.metadata.get_text(LBX_FIELD_MAKE));
    CHECK(pipeline->stage_invocations()["exif"] == 0);
}

TEST_CASE("a damaged Exif block is a warning, not a failure", "[plugins][api]") {
    lbx::test::TempDir dir;
    auto pipeline = build(kDecodeOnly, dir);
    StderrCapture quiet;
    std::vector<uint8_t> bad{'M', 'M', 0, '*', 0xff, 0xff, 0xff, 0xf0, 1, 2, 3};
    PhotoResult r = pipeline->process(InputFile{write_svc(dir, 4, 4, bad), true, {}});
    INFO((r.failure ? r.failure->message : ""));
    REQUIRE(r.ok());
    CHECK_FALSE(r.metadata.get_text(LBX_FIELD_MAKE));
    for (const StageFailure& w : r.warnings) CHECK(w.stage_id == "exif");
}

TEST_CASE("the stop check ends a long stage with 'cancelled'", "[plugins][api]") {
    lbx::test::TempDir dir;
    auto pipeline = build(kDecodeOnly, dir);
    ProcessContext context;
    context.log = [](const LoadedStage&, int, std::string_view) {};
    context.should_stop = [] { return true; };
    PhotoResult r = pipeline->process(InputFile{write_svc(dir, 4, 4, {}), true, {}}, context);
    REQUIRE(r.failure);
    CHECK(r.failure->stage_id == "svc-dec");
    CHECK(r.failure->code == "cancelled");
    CHECK(r.failure->message == "stopped at row 0");
}

TEST_CASE("an analysis stage that heeds a stop the user asked for leaves the photo interrupted, not analysed with an error", "[plugins][api]") {
    // Pausing the analysis stops the photos in flight: their analysis stages return `cancelled`, which
    // costs only their labels (a warning). Taken for a failure, the ledger would never analyse them again.
    lbx::test::TempDir dir;
    auto pipeline = build(R"(
[[stage]]
kind = "decode"
[[stage]]
kind = "tag"
use = "svc-tag"
phase = "analysis"
)", dir);
    lbx::test::write_file(dir / "photo.jpg", lbx::sample::encode_jpeg(lbx::sample::make_scene(64, 48, 7)));
    const InputFile file{dir / "photo.jpg", true, {}};

    ProcessContext stopping;
    stopping.log = [](const LoadedStage&, int, std::string_view) {};
    stopping.should_stop = [] { return true; };
    const PhotoResult stopped = pipeline->process(file, stopping);
    REQUIRE(stopped.ok());  // the browsable photo is intact...
    REQUIRE(stopped.analysed.size() == 1);
    CHECK(stopped.analysed[0].error.rfind("cancelled: ", 0) == 0);  // ...its analysis stage was stopped
    CHECK(stopped.stage_cancelled());

    // The batch's processor: a stop asked for turns it into an interrupted file (not stored, done next time).
    std::atomic<bool> stop{true};
    auto processor = make_inprocess_processor(*pipeline);
    CHECK(processor->process(file, stop).interrupted);
    stop = false;
    const PhotoResult analysed = processor->process(file, stop);
    CHECK_FALSE(analysed.interrupted);
    CHECK_FALSE(analysed.stage_cancelled());
    REQUIRE(analysed.analysed.size() == 1);
    CHECK(analysed.analysed[0].error.empty());
}

TEST_CASE("with no log in the context a plugin's message is a stderr line prefixed with the plugin id", "[plugins][api]") {
    auto stage = StageInstance::create(*registry().find_stage("svc-tag"), {});
    REQUIRE(stage);
    std::vector<uint8_t> bytes{1, 2, 3};
    const Source source{bytes, "x.bin", "lbxsvc"};
    std::string err;
    Expected<std::vector<Tag>> tags = std::vector<Tag>{};
    {
        StderrCapture capture;
        tags = stage->tag(source, nullptr, Metadata{});
        err = capture.text();
    }
    REQUIRE(tags);
    REQUIRE(tags->size() == 1);
    CHECK((*tags)[0].name == "threads-0");
    CHECK(err == "[org.lightbox.test.services] warning: tagging with threads hint 0\n");

    ProcessContext context;
    context.threads_hint = 4;
    context.should_stop = [] { return false; };
    context.log = [](const LoadedStage&, int, std::string_view) {};
    tags = stage->tag(source, nullptr, Metadata{}, context);
    REQUIRE(tags);
    CHECK((*tags)[0].name == "threads-4");
    context.should_stop = [] { return true; };
    tags = stage->tag(source, nullptr, Metadata{}, context);
    REQUIRE_FALSE(tags);
    CHECK(tags.error().code == "cancelled");
}

TEST_CASE("the exif stage reads a raw XMP block", "[plugins][api]") {
    StageInstance exif = lbx::test::make_stage("exif");
    REQUIRE(exif.reads_metadata_blocks());
    const std::string packet =
        R"(<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">)"
        R"(<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="")"
        R"( xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/")"
        R"( tiff:Make="Canon" tiff:Model="EOS R6" exif:DateTimeOriginal="2022-11-05T09:15:00+01:00"/>)"
        R"(</rdf:RDF></x:xmpmeta><?xpacket end="w"?>)";
    MetadataBlock block{LBX_METADATA_BLOCK_XMP, {packet.begin(), packet.end()}};
    std::vector<uint8_t> none;
    Metadata m;
    auto ok = exif.read_metadata_block(lbx::test::source_of(none, "jxl"), block, m);
    INFO((ok ? "" : ok.error().message));
    REQUIRE(ok);
    CHECK(m.get_text(LBX_FIELD_MAKE) == "Canon");
    CHECK(m.get_text(LBX_FIELD_MODEL) == "EOS R6");
    CHECK(m.get_text(LBX_FIELD_TAKEN_AT) == "2022-11-05T09:15:00+01:00");

    MetadataBlock garbage{LBX_METADATA_BLOCK_XMP, {'<', 'x', 0, 1}};
    Metadata m2;
    CHECK_FALSE(exif.read_metadata_block(lbx::test::source_of(none, "jxl"), garbage, m2));
}

TEST_CASE("the file's own metadata wins over a decoder's blocks", "[plugins][api]") {
    Metadata own;
    own.text[LBX_FIELD_MAKE] = "SONY";
    own.entries.emplace_back("Exif.Image.Make", "SONY");
    Metadata blocks;
    blocks.text[LBX_FIELD_MAKE] = "FUJIFILM";
    blocks.text[LBX_FIELD_MODEL] = "X-T5";
    blocks.entries.emplace_back("Exif.Image.Make", "FUJIFILM");
    blocks.entries.emplace_back("Xmp.dc.subject", "a");
    blocks.entries.emplace_back("Xmp.dc.subject", "b");
    own.fill_missing_from(blocks);
    CHECK(own.get_text(LBX_FIELD_MAKE) == "SONY");
    CHECK(own.get_text(LBX_FIELD_MODEL) == "X-T5");
    CHECK(*own.get_entry("Exif.Image.Make") == "SONY");
    CHECK(own.entries.size() == 3);
}
