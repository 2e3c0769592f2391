// `lightbox-engine thumbs stats|prune|prewarm`: the real binary on a catalog made by `run --catalog`.
// Thumbnail files deleted behind the catalog's back are reported missing and made again by prewarm;
// prune evicts down to a small budget and prewarm stops at it; a photo changed since the scan fails
// (exit 1); usage and catalog errors exit 2.
#include "catalog/catalog.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/child_process.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace lbx;
namespace fs = std::filesystem;

namespace {

class ThumbsFixture {
public:
    ThumbsFixture() {
        // Distinct pictures (distinct hashes), large enough for the 1024 thumbnail to weigh ~100 kB.
        for (uint32_t i = 0; i < kPhotos; ++i) {
            test::write_file(photos() / ("photo-" + std::to_string(i) + ".jpg"),
                             sample::encode_jpeg(sample::make_scene(1600, 1200, i + 1)));
        }
        auto scan = test::run_engine({"run", "--no-progress", "--catalog", catalog(), "--thumbs", thumbs().string(), photos().string()});
        INFO(scan.err);
        REQUIRE(scan.exit_code == 0);
    }

    static constexpr uint32_t kPhotos = 12;
    fs::path photos() const { return dir_ / "photos"; }
    fs::path thumbs() const { return dir_ / "thumbs"; }
    std::string catalog() const { return (dir_ / "library.lbx").string(); }

    // `thumbs ACTION --json ...`: the exit code and the JSON object printed.
    std::pair<int, nlohmann::json> thumbs_json(const std::string& action, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"thumbs", action, "--json", "--catalog", catalog(), "--thumbs", thumbs().string()};
        args.insert(args.end(), extra.begin(), extra.end());
        auto r = test::run_engine(args);
        INFO("thumbs " << action << ": " << r.err);
        REQUIRE(!r.out.empty());
        return {r.exit_code, nlohmann::json::parse(r.out)};
    }

    // Every thumbnail row of the catalog, with its file.
    std::vector<engine::StoredThumbnail> rows() {
        auto opened = engine::catalog::Catalog::open(catalog());
        REQUIRE(opened);
        std::vector<engine::StoredThumbnail> out;
        auto stmt = (*opened)->database().prepare("SELECT DISTINCT hash FROM files");
        REQUIRE(stmt);
        std::vector<std::string> hashes;
        while (stmt->step().value()) hashes.push_back(stmt->column_text(0));
        for (const std::string& h : hashes) {
            auto thumbs = (*opened)->thumbnails(h);
            REQUIRE(thumbs);
            out.insert(out.end(), thumbs->begin(), thumbs->end());
        }
        return out;
    }

    std::size_t files_on_disk() const {
        std::size_t n = 0;
        for (const auto& e : fs::recursive_directory_iterator(thumbs()))
            if (e.is_regular_file()) ++n;
        return n;
    }

private:
    test::TempDir dir_;
};

}  // namespace

TEST_CASE("thumbs stats reports deleted files missing and prewarm makes them again", "[integration][catalog][thumbnails]") {
    ThumbsFixture f;
    auto [rc, stats] = f.thumbs_json("stats");
    CHECK(rc == 0);
    const int64_t thumbnails = stats["thumbnails"];
    CHECK(thumbnails == 2 * ThumbsFixture::kPhotos);  // 256 and 1024 (config/default.toml)
    CHECK(stats["missing_files"] == 0);
    CHECK(stats["photos_without"] == 0);
    CHECK(stats["budget_bytes"] == int64_t{2048} * 1024 * 1024);
    const int64_t full_bytes = stats["bytes"];
    CHECK(full_bytes > 1024 * 1024);

    const auto rows = f.rows();
    REQUIRE(rows.size() == static_cast<std::size_t>(thumbnails));
    for (std::size_t i = 0; i < 3; ++i) REQUIRE(fs::remove(rows[i * 2].path));  // three files, of two or three photos
    auto [rc_missing, missing] = f.thumbs_json("stats");
    CHECK(rc_missing == 0);
    CHECK(missing["missing_files"] == 3);
    CHECK(missing["bytes"] < full_bytes);

    auto [rc_prewarm, prewarm] = f.thumbs_json("prewarm", {"--jobs", "2"});
    CHECK(rc_prewarm == 0);
    CHECK(prewarm["thumbnails_made"] == 3);
    CHECK(prewarm["failed"] == 0);
    CHECK(prewarm["budget_reached"] == false);
    for (std::size_t i = 0; i < 3; ++i) CHECK(fs::exists(rows[i * 2].path));
    auto [rc_after, after] = f.thumbs_json("stats");
    CHECK(after["missing_files"] == 0);
    CHECK(after["bytes"] > missing["bytes"]);  // made again (at their own decode size: not byte for byte)

    auto [rc_again, again] = f.thumbs_json("prewarm");  // nothing left to make
    CHECK(rc_again == 0);
    CHECK(again["photos_needing"] == 0);
    CHECK(again["thumbnails_made"] == 0);

    // Human output: one line per figure.
    auto human = test::run_engine({"thumbs", "stats", "--catalog", f.catalog()});
    CHECK(human.exit_code == 0);
    CHECK(human.out.find("missing files: 0") != std::string::npos);
}

TEST_CASE("thumbs prune evicts down to a small budget, and prewarm stops at it", "[integration][catalog][thumbnails]") {
    ThumbsFixture f;
    auto [rc, pruned] = f.thumbs_json("prune", {"--budget-mb", "1"});
    CHECK(rc == 0);
    CHECK(pruned["removed"] > 0);
    CHECK(pruned["bytes_freed"] > 0);
    CHECK(pruned["bytes_after"] <= 1024 * 1024);
    CHECK(pruned["budget_bytes"] == 1024 * 1024);
    // Evicted means gone from disk and from the catalog, both.
    const std::size_t rows = f.rows().size();
    CHECK(static_cast<int64_t>(rows) == 2 * ThumbsFixture::kPhotos - pruned["removed"].get<int64_t>());
    CHECK(f.files_on_disk() == rows);

    auto [rc_stats, stats] = f.thumbs_json("stats", {"--budget-mb", "1"});
    CHECK(stats["bytes"] <= 1024 * 1024);
    CHECK(stats["bytes"] == pruned["bytes_after"]);
    CHECK(stats["missing_files"] == 0);

    auto [rc_prewarm, prewarm] = f.thumbs_json("prewarm", {"--budget-mb", "1"});
    CHECK(rc_prewarm == 0);
    CHECK(prewarm["photos_needing"] > 0);
    CHECK(prewarm["budget_reached"] == true);
    CHECK(prewarm["bytes_after"] <= 1024 * 1024);
    CHECK(f.files_on_disk() == f.rows().size());  // nothing made beyond the budget is left on disk
}

TEST_CASE("thumbs: a photo changed since the scan fails prewarm, usage and catalog errors exit 2", "[integration][catalog][thumbnails]") {
    ThumbsFixture f;
    const auto rows = f.rows();
    for (const auto& r : rows) fs::remove(r.path);
    // Edited after the scan: its content (and hash) is not what the catalog has.
    test::write_file(f.photos() / "photo-0.jpg", sample::encode_jpeg(sample::make_scene(800, 600, 99)));
    auto [rc, prewarm] = f.thumbs_json("prewarm");
    CHECK(rc == 1);
    CHECK(prewarm["failed"] == 1);
    CHECK(prewarm["photos_done"] == ThumbsFixture::kPhotos - 1);

    auto no_catalog = test::run_engine({"thumbs", "stats", "--catalog", (f.photos() / "none.lbx").string()});
    CHECK(no_catalog.exit_code == 2);
    CHECK(no_catalog.err.find("no catalog at") != std::string::npos);
    auto bad_action = test::run_engine({"thumbs", "shrink", "--catalog", f.catalog()});
    CHECK(bad_action.exit_code == 2);
    auto bad_budget = test::run_engine({"thumbs", "prune", "--budget-mb", "0", "--catalog", f.catalog()});
    CHECK(bad_budget.exit_code == 2);
}
