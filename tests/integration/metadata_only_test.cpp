// `run --only metadata` reads only what it needs: a JPEG's segments before its scan data, without the
// content hash unless `--hash` asks for it (or a catalog needs it as its key); the metadata is the same
// as from the whole file, also for a JPEG whose segments run past the first read. And metadata read on
// threads (`--isolation none`) is that of each file, whatever another thread parses at the same time.
#include "sample/exif_writer.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/child_process.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

using namespace lbx;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Exit code 1 is allowed with `some_fail` (real files include damaged ones).
std::map<std::string, json> run_json(const std::vector<std::string>& args, bool some_fail = false) {
    std::vector<std::string> full{"run", "--json", "--no-progress"};
    full.insert(full.end(), args.begin(), args.end());
    const test::ProcessResult r = test::run_engine(full);
    INFO(r.err);
    REQUIRE((r.exit_code == 0 || (some_fail && r.exit_code == 1)));
    std::map<std::string, json> by_name;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        json j = json::parse(line);
        const std::string name = fs::path(j.at("path").get<std::string>()).filename().string();
        by_name[name] = std::move(j);
    }
    return by_name;
}

// `jpeg` with `bytes` of comment segments (COM, 0xFFFE) between its start and its first segment, so
// that its Exif comes after them.
std::vector<uint8_t> with_comments_first(const std::vector<uint8_t>& jpeg, std::size_t bytes) {
    std::vector<uint8_t> out(jpeg.begin(), jpeg.begin() + 2);
    while (bytes > 0) {
        const std::size_t payload = std::min<std::size_t>(bytes, 65533);
        out.insert(out.end(), {0xFF, 0xFE, static_cast<uint8_t>((payload + 2) >> 8), static_cast<uint8_t>((payload + 2) & 0xFF)});
        out.insert(out.end(), payload, static_cast<uint8_t>('c'));
        bytes -= payload;
    }
    out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
    return out;
}

}  // namespace

TEST_CASE("run --only metadata reads the headers only, hashes on request, and finds the same metadata", "[run]") {
    test::TempDir dir;
    sample::ExifSpec spec;
    spec.make = "Canon";
    spec.model = "Canon EOS R6";
    spec.date_time_original = "2021:03:04 10:00:00";
    spec.iso = 800;
    // A 12-megapixel photo (its scan data is megabytes) and one whose segments go past the first read.
    const auto big = sample::with_exif(sample::encode_jpeg(sample::make_scene(4000, 3000, 7), 90), spec);
    test::write_file(dir / "big.jpg", big);
    spec.iso = 1600;
    const auto late = with_comments_first(sample::with_exif(sample::encode_jpeg(sample::make_scene(640, 480, 8)), spec), 400 * 1024);
    test::write_file(dir / "late-exif.jpg", late);

    const auto quick = run_json({"--only", "metadata", dir.path().string()});
    const auto hashed = run_json({"--only", "metadata", "--hash", dir.path().string()});
    const auto full = run_json({"--only", "metadata,decode", dir.path().string()});
    for (const char* name : {"big.jpg", "late-exif.jpg"}) {
        INFO(name);
        const json& q = quick.at(name);
        CHECK(q.at("status") == "ok");
        CHECK_FALSE(q.contains("hash"));  // not asked for: the scan data is never read
        CHECK(q.at("exif") == full.at(name).at("exif"));
        CHECK(q.at("size") == full.at(name).at("size"));
        CHECK(hashed.at(name).at("hash") == full.at(name).at("hash"));
        CHECK(hashed.at(name).at("exif") == full.at(name).at("exif"));
    }
    CHECK(quick.at("big.jpg").at("exif").at("iso") == 800);
    CHECK(quick.at("big.jpg").at("width") == 4000);
    CHECK(quick.at("late-exif.jpg").at("exif").at("iso") == 1600);
    CHECK(quick.at("late-exif.jpg").at("exif").at("make") == "Canon");
}

TEST_CASE("metadata read on threads at once is each file's own (Exiv2's XMP parser is not thread-safe)", "[run]") {
    test::TempDir dir;
    const auto base = sample::encode_jpeg(sample::make_scene(320, 240, 3));
    constexpr int kFiles = 48;
    for (int i = 0; i < kFiles; ++i) {
        sample::ExifSpec spec;
        char date[32];
        std::snprintf(date, sizeof date, "2019-%02d-%02dT08:00:00", 1 + i % 12, 1 + i / 12);
        spec.xmp_date_time_original = date;
        spec.xmp_subject = "photo " + std::to_string(i) + ", set";
        char name[32];
        std::snprintf(name, sizeof name, "x-%02d.jpg", i);
        test::write_file(dir / name, sample::with_exif(base, spec));
    }
    for (int round = 0; round < 3; ++round) {
        const auto results = run_json({"--only", "metadata", "--isolation", "none", "--jobs", "2", dir.path().string()});
        REQUIRE(results.size() == kFiles);
        for (int i = 0; i < kFiles; ++i) {
            char name[32], date[32];
            std::snprintf(name, sizeof name, "x-%02d.jpg", i);
            std::snprintf(date, sizeof date, "2019-%02d-%02dT08:00:00", 1 + i % 12, 1 + i / 12);
            INFO(name);
            CHECK(results.at(name).at("exif").value("taken_at", "") == date);
        }
    }
}

TEST_CASE("metadata of real files read on threads equals one thread's (the corpus, when present)", "[run][corpus]") {
    const fs::path corpus = fs::path(LIGHTBOX_TEST_SOURCE_DIR) / ".." / "shared" / "corpus" / "good";
    if (!fs::exists(corpus)) {
        WARN("../shared/corpus is not present: skipped");
        return;
    }
    // Real XMP packets of many producers: with two threads decoding at once, Exiv2 0.27 gave some of
    // these files the date of another (seen on drewnoakes' issue_121.jpg).
    const std::string folder = (corpus / "drewnoakes-metadata-extractor-images").string();
    const auto strip = [](std::map<std::string, json> m) {
        for (auto& [name, j] : m) j.erase("seconds");
        return m;
    };
    const auto one = strip(run_json({"--only", "metadata", "--isolation", "none", "--jobs", "1", folder}, true));
    REQUIRE(one.size() > 50);
    for (int round = 0; round < 3; ++round) {
        const auto two = strip(run_json({"--only", "metadata", "--isolation", "none", "--jobs", "2", folder}, true));
        REQUIRE(two.size() == one.size());
        for (const auto& [name, j] : one) {
            INFO(name);
            CHECK(two.at(name) == j);
        }
    }
}
