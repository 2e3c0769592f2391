// End to end: the real lightbox-engine binary on photos and bad files the test writes, asserting the
// values it prints, the files it writes and its exit codes.
#include "sample/bad_files.hpp"
#include "sample/exif_writer.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/child_process.hpp"
#include "support/plugin_harness.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <map>
#include <set>
#include <sstream>

using nlohmann::json;
using lbx::test::run_engine;

namespace {

// Every stdout line must be one JSON object; keyed by file name.
std::map<std::string, json> parse_lines(const std::string& out) {
    std::map<std::string, json> by_name;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        json j = json::parse(line);  // throws (fails the test) on anything but JSON
        by_name[std::filesystem::path(j.at("path").get<std::string>()).filename().string()] = j;
    }
    return by_name;
}

bool has_tag(const json& photo, const std::string& name, const std::string& category) {
    for (const auto& t : photo.at("tags"))
        if (t.at("name") == name && t.at("category") == category) return true;
    return false;
}

lbx::engine::Image decode_file(const std::string& path) {
    auto bytes = lbx::test::read_file(path);
    auto image = lbx::test::make_stage("jpegdec").decode(lbx::test::source_of(bytes, "jpeg"), 0, {});
    REQUIRE(image);
    return std::move(*image);
}

std::array<int, 3> pixel(const lbx::engine::Image& img, double fx, double fy) {
    auto x = static_cast<uint32_t>(fx * (img.width - 1)), y = static_cast<uint32_t>(fy * (img.height - 1));
    const uint8_t* p = &img.pixels[std::size_t(y) * img.stride + x * 3];
    return {p[0], p[1], p[2]};
}

bool reddish(std::array<int, 3> p) { return p[0] > 150 && p[1] < 90 && p[2] < 90; }
bool bluish(std::array<int, 3> p) { return p[2] > 150 && p[0] < 90 && p[1] < 90; }

struct SampleRun {
    lbx::test::TempDir dir;
    lbx::test::ProcessResult result;
    std::map<std::string, json> photos;

    SampleRun() {
        auto sample = run_engine({"sample", (dir / "photos").string()});
        REQUIRE(sample.exit_code == 0);
        result = run_engine({"run", "--json", "--jobs", "2", "--thumbs", (dir / "thumbs").string(), (dir / "photos").string()});
        photos = parse_lines(result.out);
    }
};

}  // namespace

TEST_CASE("run --json on the sample set reports every photo with correct values", "[cli]") {
    SampleRun run;
    INFO(run.result.err);
    REQUIRE(run.result.exit_code == 0);
    REQUIRE(run.photos.size() == 15);
    for (const auto& [name, p] : run.photos) {
        INFO(name << ": " << p.dump());
        CHECK(p.at("status") == "ok");
        CHECK(p.at("hash").get<std::string>().size() == 32);
        REQUIRE(p.at("thumbnails").size() == 2);
        for (const auto& t : p.at("thumbnails")) CHECK(std::filesystem::exists(t.at("path").get<std::string>()));
        CHECK(p.at("thumbnails")[0].at("size") == 1024);
        CHECK(p.at("thumbnails")[1].at("size") == 256);
    }
    CHECK(run.result.err.find("15 files: 15 ok, 0 failed") != std::string::npos);
    CHECK(run.result.err.find("thumbnails: " + (run.dir / "thumbs").string()) != std::string::npos);

    // The EXIF summary, exactly as the sample set wrote it.
    const json& paris = run.photos.at("jpeg-orientation-1-paris.jpg");
    CHECK(paris.at("format") == "jpeg");
    CHECK(paris.at("exif").at("make") == "Canon");
    CHECK(paris.at("exif").at("model") == "Canon EOS R6");
    CHECK(paris.at("exif").at("taken_at") == "2023-01-14T09:12:05.25+02:00");
    CHECK(paris.at("exif").at("gps_lat").get<double>() == Approx(48.8566).margin(1e-4));
    CHECK(paris.at("exif").at("gps_lon").get<double>() == Approx(2.3522).margin(1e-4));
    CHECK(paris.at("exif").at("exposure_time").get<double>() == Approx(1.0 / 250));
    CHECK(paris.at("exif").at("f_number").get<double>() == Approx(4.0));
    CHECK(paris.at("exif").at("iso") == 200);
    const json& sydney = run.photos.at("jpeg-orientation-4-sydney.jpg");
    CHECK(sydney.at("exif").at("gps_lat").get<double>() == Approx(-33.8568).margin(1e-4));
    CHECK(sydney.at("exif").at("taken_at") == "2023-07-14T21:30:00.25-05:00");
    CHECK_FALSE(run.photos.at("jpeg-orientation-8-new-york.jpg").at("exif").contains("gps_lat"));

    // Every orientation: stored size reported before orientation, thumbnails upright.
    for (int o = 1; o <= 8; ++o) {
        std::string name;
        for (const auto& [n, p] : run.photos)
            if (n.rfind("jpeg-orientation-" + std::to_string(o) + "-", 0) == 0) name = n;
        INFO("orientation " << o << ": " << name);
        const json& p = run.photos.at(name);
        CHECK(p.at("exif").at("orientation") == o);
        CHECK(p.at("width") == (o >= 5 ? 640 : 960));
        CHECK(p.at("height") == (o >= 5 ? 960 : 640));
        const json& small = p.at("thumbnails")[1];
        CHECK(small.at("width") == 256);
        CHECK(small.at("height") == 171);
        auto thumb = decode_file(small.at("path"));
        CHECK(thumb.width == 256);
        CHECK(reddish(pixel(thumb, 0.05, 0.05)));
        CHECK(bluish(pixel(thumb, 0.95, 0.95)));
    }

    // HEIC: the container's rotation is applied once, EXIF orientation is not applied on top.
    const json& heic = run.photos.at("heic-iphone-tokyo.heic");
    CHECK(heic.at("format") == "heif");
    CHECK(heic.at("thumbnails")[1].at("width") == 256);
    CHECK(heic.at("thumbnails")[1].at("height") == 192);
    auto heic_thumb = decode_file(heic.at("thumbnails")[1].at("path"));
    CHECK(reddish(pixel(heic_thumb, 0.05, 0.05)));
    CHECK(bluish(pixel(heic_thumb, 0.95, 0.95)));

    for (const char* name : {"png-screenshot.png", "tiff-scan-new-york.tif", "webp-paris.webp"}) {
        INFO(name);
        CHECK(run.photos.at(name).at("width") == 640);
        CHECK(run.photos.at(name).at("height") == 480);
    }
    CHECK(run.photos.at("png-screenshot.png").at("format") == "png");
    CHECK(run.photos.at("tiff-scan-new-york.tif").at("format") == "tiff");
    CHECK(run.photos.at("webp-paris.webp").at("format") == "webp");
    CHECK(run.photos.at("tiff-scan-new-york.tif").at("exif").at("model") == "NIKON Z 6");
    CHECK(run.photos.at("webp-paris.webp").at("exif").at("make") == "Canon");

    // Tags from the data-driven rules, each with a category, a confidence and its source plugin.
    CHECK(has_tag(paris, "2023", "date"));
    CHECK(has_tag(paris, "january", "date"));
    CHECK(has_tag(paris, "morning", "time"));
    CHECK(has_tag(paris, "Canon EOS R6", "camera"));
    CHECK(has_tag(paris, "Paris", "place"));
    CHECK(has_tag(paris, "France", "country"));
    CHECK(has_tag(paris, "winter", "season"));
    CHECK(has_tag(sydney, "winter", "season"));  // July in the southern hemisphere
    CHECK(has_tag(run.photos.at("jpeg-panorama-bern.jpg"), "panorama", "orientation"));
    CHECK(has_tag(run.photos.at("jpeg-night-london.jpg"), "dark", "light"));
    CHECK(has_tag(run.photos.at("jpeg-black-and-white.jpg"), "black and white", "style"));
    for (const auto& t : paris.at("tags")) {
        CHECK(t.at("source") == "org.lightbox.autotag");
        CHECK(t.at("confidence").get<double>() >= 0.0);
        CHECK(t.at("confidence").get<double>() <= 1.0);
    }

    // Same content, same thumbnail file: keyed by hash and size.
    std::string hash = paris.at("hash");
    CHECK(paris.at("thumbnails")[1].at("path") == (run.dir / "thumbs" / "256" / hash.substr(0, 2) / (hash + ".jpg")).string());
}

TEST_CASE("bad files fail with the stage and reason while the rest of the run goes on", "[cli]") {
    using namespace lbx::sample;
    lbx::test::TempDir dir;
    auto good = encode_jpeg(make_scene(320, 240, 1), 85);
    auto heic = encode_heic(make_scene(320, 240, 2), 50);
    lbx::test::write_file(dir / "in/good.jpg", good);
    lbx::test::write_file(dir / "in/empty.jpg", {});
    lbx::test::write_file(dir / "in/truncated.jpg", truncate_bytes(good, good.size() / 2));
    lbx::test::write_file(dir / "in/truncated.heic", truncate_bytes(heic, heic.size() / 2));
    lbx::test::write_file(dir / "in/wrong-magic.jpg", with_wrong_magic(good));
    lbx::test::write_file(dir / "in/bomb.png", png_claiming_size(100000, 100000));
    lbx::test::write_file(dir / "in/bomb.jpg", jpeg_claiming_size(65000, 65000));
    lbx::test::write_file(dir / "in/garbage-exif.jpg", with_garbage_exif(good, 7));
    lbx::test::write_file(dir / "in/notes.txt", {'h', 'e', 'l', 'l', 'o'});  // not a photo: skipped

    auto r = run_engine({"run", "--json", "--thumbs", (dir / "thumbs").string(), (dir / "in").string()});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    auto photos = parse_lines(r.out);
    CHECK(photos.size() == 8);
    CHECK(photos.at("good.jpg").at("status") == "ok");
    auto failed = [&](const char* name, const char* stage, const char* code) {
        INFO(name << ": " << photos.at(name).dump());
        const json& p = photos.at(name);
        REQUIRE(p.at("status") == "failed");
        CHECK(p.at("error").at("stage") == stage);
        CHECK(p.at("error").at("code") == code);
        CHECK_FALSE(p.at("error").at("message").get<std::string>().empty());
        CHECK(p.at("error").contains("plugin"));
    };
    failed("empty.jpg", "sniff", "empty");
    failed("wrong-magic.jpg", "sniff", "unsupported");
    failed("truncated.jpg", "decode", "truncated");
    failed("bomb.png", "decode", "too_large");
    failed("bomb.jpg", "decode", "too_large");
    CHECK(photos.at("bomb.png").at("error").at("message") == "image is 100000x100000 (10000 MP), over the limit of 250 MP");
    CHECK(photos.at("truncated.heic").at("status") == "failed");
    CHECK(photos.at("truncated.jpg").at("error").at("plugin") == "org.lightbox.jpegdec");
    // Garbage EXIF does not take the photo down with it: the pixels are fine, so it is shown (with a
    // warning when the metadata reader gave up).
    const json& garbage = photos.at("garbage-exif.jpg");
    CHECK(garbage.at("status") == "ok");
    CHECK(garbage.at("thumbnails").size() == 2);
    if (garbage.contains("warnings")) CHECK(garbage.at("warnings")[0].at("stage") == "metadata");
    CHECK(r.err.find("8 files: 2 ok, 6 failed") != std::string::npos);
    CHECK(r.err.find("1 skipped (not photos)") != std::string::npos);
}

TEST_CASE("metadata-only runs never decode and decode-thumbnail runs make no tags", "[cli]") {
    lbx::test::TempDir dir;
    REQUIRE(run_engine({"sample", (dir / "photos").string()}).exit_code == 0);
    auto meta = run_engine({"run", "--json", "--only", "metadata", "--thumbs", (dir / "t").string(), (dir / "photos").string()});
    REQUIRE(meta.exit_code == 0);
    for (const auto& [name, p] : parse_lines(meta.out)) {
        INFO(name);
        CHECK(p.at("thumbnails").empty());
        CHECK(p.at("tags").empty());
        CHECK(p.at("width").get<int>() > 0);  // from the metadata reader
    }
    CHECK_FALSE(std::filesystem::exists(dir / "t"));
    auto thumbs = run_engine({"run", "--json", "--only", "decode,thumbnail", "--sizes", "128", "--thumbs", (dir / "t").string(),
                              (dir / "photos" / "jpeg-orientation-6-bern.jpg").string()});
    REQUIRE(thumbs.exit_code == 0);
    auto p = json::parse(thumbs.out);
    CHECK(p.at("tags").empty());
    CHECK(p.at("exif").empty());  // no metadata stage: orientation unknown, thumbnail as stored
    REQUIRE(p.at("thumbnails").size() == 1);
    CHECK(p.at("thumbnails")[0].at("size") == 128);
    CHECK(p.at("thumbnails")[0].at("width") == 85);
    CHECK(p.at("thumbnails")[0].at("height") == 128);
}

TEST_CASE("a metadata-only run makes the raw entries only when something keeps them", "[cli]") {
    // Without a catalog or --fields metadata the stages are asked for the summary alone (plugin API 1.4);
    // the summary is the same either way, and asking for the entries brings them back.
    lbx::test::TempDir dir;
    const std::string photo = (dir / "photos" / "jpeg-orientation-6-bern.jpg").string();
    REQUIRE(run_engine({"sample", (dir / "photos").string()}).exit_code == 0);
    auto summary = run_engine({"run", "--format", "jsonl", "--fields", "exif", "--only", "metadata", photo});
    auto with_entries = run_engine({"run", "--format", "jsonl", "--fields", "exif,metadata", "--only", "metadata", photo});
    REQUIRE(summary.exit_code == 0);
    REQUIRE(with_entries.exit_code == 0);
    const json a = json::parse(summary.out), b = json::parse(with_entries.out);
    CHECK_FALSE(a.contains("metadata"));
    CHECK(a.at("exif") == b.at("exif"));
    CHECK(a.at("exif").at("make").get<std::string>().size() > 0);
    REQUIRE(b.contains("metadata"));
    CHECK(b.at("metadata").size() > 5);
    // A catalog keeps them: the stored record has its entries.
    const std::string catalog = (dir / "lib.lbx").string();
    REQUIRE(run_engine({"run", "--catalog", catalog, "--only", "metadata", "--no-progress", photo}).exit_code == 0);
    auto q = run_engine({"query", "--catalog", catalog, "--format", "jsonl", "--fields", "metadata"});
    REQUIRE(q.exit_code == 0);
    CHECK(json::parse(q.out).at("metadata").size() == b.at("metadata").size());
}

TEST_CASE("'-' reads the paths to process from stdin", "[cli]") {
    lbx::test::TempDir dir;
    REQUIRE(run_engine({"sample", (dir / "photos").string()}).exit_code == 0);
    std::string list = (dir / "photos" / "png-screenshot.png").string() + "\n" + (dir / "photos" / "webp-paris.webp").string() + "\n";
    auto r = run_engine({"run", "--json", "--only", "metadata", "-"}, {}, list);
    REQUIRE(r.exit_code == 0);
    auto photos = parse_lines(r.out);
    CHECK(photos.size() == 2);
    CHECK(photos.count("webp-paris.webp") == 1);
}

TEST_CASE("usage and config errors exit 2 with a message naming the problem", "[cli]") {
    lbx::test::TempDir dir;
    lbx::test::write_file(dir / "bad.toml", {'[', '[', 's', 't', 'a', 'g', 'e', ']', ']', '\n', 'k', 'i', 'n', 'd', '=', '"', 'x', '"', '\n'});
    auto bad_config = run_engine({"run", "--config", (dir / "bad.toml").string(), dir.path().string()});
    CHECK(bad_config.exit_code == 2);
    CHECK(bad_config.err.find((dir / "bad.toml").string() + ":2: stage[1].kind: unknown kind") != std::string::npos);
    auto bad_kind = run_engine({"run", "--only", "colours", dir.path().string()});
    CHECK(bad_kind.exit_code == 2);
    CHECK(bad_kind.err.find("'colours' is neither a stage kind") != std::string::npos);
    CHECK(run_engine({"run"}).exit_code == 2);
    CHECK(run_engine({"frobnicate"}).exit_code == 2);
    auto missing = run_engine({"run", "--json", "/nonexistent/photo.jpg"});
    CHECK(missing.exit_code == 1);
    CHECK(json::parse(missing.out).at("error").at("code") == "not_found");
}

TEST_CASE("plugins lists every built-in plugin and reports rejected files with reasons", "[cli]") {
    auto r = run_engine({"plugins", "--json"}, {"LIGHTBOX_PLUGIN_PATH=" LIGHTBOX_TEST_FIXTURE_PLUGIN_DIR "/incompatible"});
    REQUIRE(r.exit_code == 0);
    json j = json::parse(r.out);
    std::set<std::string> ids;
    for (const auto& p : j.at("plugins")) ids.insert(p.at("id"));
    for (const char* id : {"org.lightbox.jpegdec", "org.lightbox.heifdec", "org.lightbox.pngdec", "org.lightbox.tiffdec",
                           "org.lightbox.webpdec", "org.lightbox.exif", "org.lightbox.autotag", "org.lightbox.thumbnail"})
        CHECK(ids.count(id) == 1);
    REQUIRE(j.at("rejected").size() == 1);
    CHECK(j.at("rejected")[0].at("reason") == "built for plugin API 2.0, this engine has 1.4");

    auto inspect = run_engine({"plugins", "inspect", "org.lightbox.jpegdec", "--json"});
    REQUIRE(inspect.exit_code == 0);
    json p = json::parse(inspect.out);
    CHECK(p.at("stages")[0].at("id") == "jpegdec");
    CHECK(p.at("stages")[0].at("kind") == "decode");
    CHECK(p.at("stages")[0].at("formats")[0].at("magic") == "ff d8 ff");
    auto text = run_engine({"plugins", "inspect", "thumbnail"});
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("quality") != std::string::npos);
    CHECK(run_engine({"plugins", "inspect", "org.nowhere"}).exit_code == 2);
}

TEST_CASE("Ctrl-C stops after the files in flight and still prints their results", "[cli]") {
    lbx::test::TempDir dir;
    auto big = lbx::sample::encode_jpeg(lbx::sample::make_scene(2400, 1800, 5), 90);
    for (int i = 0; i < 60; ++i) {
        big[big.size() - 3] = static_cast<uint8_t>(i);  // distinct content, still a valid JPEG
        lbx::test::write_file(dir / ("in/p" + std::to_string(100 + i) + ".jpg"), big);
    }
    lbx::test::ChildProcess child({LIGHTBOX_TEST_ENGINE_EXE, "run", "--json", "--jobs", "1", "--sizes", "1024", "--thumbs",
                                   (dir / "t").string(), (dir / "in").string()});
    REQUIRE(child.wait_for_stdout_lines(1, std::chrono::seconds(60)));
    child.send_signal(SIGINT);
    auto r = child.wait(std::chrono::seconds(60));
    INFO("stderr: " << r.err);
    CHECK_FALSE(r.timed_out);
    CHECK(r.exit_code == 130);
    auto photos = parse_lines(r.out);  // every line complete JSON
    CHECK(photos.size() >= 1);
    CHECK(photos.size() < 60);
    CHECK(r.err.find("interrupted after") != std::string::npos);
}
