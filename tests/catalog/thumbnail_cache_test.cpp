// The thumbnail cache on a real catalog file with real JPEG thumbnail files (ThumbnailStore): which
// size find() serves, least-recently-used eviction under a budget (files and rows), files deleted behind
// the cache's back, sizes unknown since schema version 1, and the budget's config key.
#include "catalog/catalog.hpp"
#include "catalog/thumbnail_cache.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/thumbnail_store.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/test_catalog.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace lbx::engine;
using namespace lbx::engine::catalog;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kSecond = 1'000'000;  // times are microseconds
constexpr int64_t kStart = 1'700'000'000 * kSecond;

class CacheFixture {
public:
    CacheFixture() : store_(dir_ / "thumbs") {
        auto opened = lbx::test::open_catalog(dir_ / "library.lbx");
        if (!opened) FAIL(opened.error().message);
        catalog_ = std::move(*opened);
    }

    // A real JPEG thumbnail of `hash` at `size`, recorded as made (and used) at `when`; `long_edge` pixels
    // wide when given (the full-resolution size key is no pixel count).
    StoredThumbnail add(const std::string& hash, uint32_t size, int64_t when, uint32_t seed = 1, uint32_t long_edge = 0) {
        const uint32_t w = long_edge != 0 ? long_edge : size;
        const auto jpeg = lbx::sample::encode_jpeg(lbx::sample::make_scene(w, w * 3 / 4, seed));
        auto path = store_.write(hash, size, "image/jpeg", jpeg);
        if (!path) FAIL(path.error().message);
        StoredThumbnail t{size, path->string(), w, w * 3 / 4};
        REQUIRE(catalog_->record_thumbnails(hash, {t}, when));
        return t;
    }

    // A live photo in the library (a files row with status ok), without thumbnails.
    void add_photo(const std::string& hash) {
        PhotoResult r;
        r.path = (dir_ / "photos" / (hash + ".jpg")).string();
        r.hash = hash;
        r.format = "jpeg";
        r.width = 640;
        r.height = 480;
        REQUIRE(catalog_->record(r, 1));
        REQUIRE(catalog_->flush());
    }

    int64_t last_used(const std::string& hash, uint32_t size) {
        auto stmt = catalog_->database().prepare("SELECT last_used FROM thumbnails WHERE hash = ?1 AND size = ?2");
        REQUIRE(stmt);
        stmt->bind({hash, int64_t{size}});
        return stmt->step().value() ? stmt->column_int(0) : -1;
    }

    Catalog& catalog() { return *catalog_; }
    // A second connection to the same library.
    std::unique_ptr<Catalog> reopen() {
        auto opened = lbx::test::open_catalog(dir_ / "library.lbx");
        if (!opened) FAIL(opened.error().message);
        return std::move(*opened);
    }

private:
    lbx::test::TempDir dir_;
    ThumbnailStore store_;
    std::unique_ptr<Catalog> catalog_;
};

std::optional<uint32_t> found_size(ThumbnailCache& cache, const std::string& hash, uint32_t size, int64_t now) {
    auto found = cache.find(hash, size, now);
    if (!found) FAIL(found.error().message);
    return *found ? std::optional<uint32_t>((*found)->size) : std::nullopt;
}

}  // namespace

TEST_CASE("find serves the smallest size at least the one asked, else the largest, whose file exists", "[catalog][thumbnails]") {
    CacheFixture f;
    std::map<uint32_t, StoredThumbnail> thumbs;
    for (uint32_t size : {64u, 128u, 256u}) thumbs[size] = f.add("h", size, kStart);
    ThumbnailCache cache(f.catalog(), kDefaultThumbnailBudget);
    int64_t now = kStart;
    CHECK(found_size(cache, "h", 64, now += kSecond) == 64u);
    CHECK(found_size(cache, "h", 100, now += kSecond) == 128u);
    CHECK(found_size(cache, "h", 128, now += kSecond) == 128u);
    CHECK(found_size(cache, "h", 1024, now += kSecond) == 256u);  // none large enough: the largest
    CHECK(found_size(cache, "h", 0, now += kSecond) == 256u);     // 0: the largest
    auto found = cache.find("h", 100, now += kSecond);
    REQUIRE(found);
    REQUIRE(found->has_value());
    CHECK((*found)->path == thumbs[128].path);
    CHECK((*found)->width == 128);
    CHECK((*found)->height == 96);
    CHECK(f.last_used("h", 128) == now);  // marked used

    fs::remove(thumbs[128].path);
    CHECK(found_size(cache, "h", 100, now += kSecond) == 256u);  // the next best that exists
    fs::remove(thumbs[256].path);
    CHECK(found_size(cache, "h", 100, now += kSecond) == 64u);
    fs::remove(thumbs[64].path);
    CHECK_FALSE(found_size(cache, "h", 100, now += kSecond));  // every file gone: the caller makes it again
    CHECK_FALSE(found_size(cache, "unknown-hash", 100, now));
}

TEST_CASE("the full-resolution image answers only a full-resolution request, and no thumbnail answers one", "[catalog][thumbnails]") {
    CacheFixture f;
    f.add("h", 256, kStart);
    ThumbnailCache cache(f.catalog(), kDefaultThumbnailBudget);
    int64_t now = kStart;
    CHECK_FALSE(found_size(cache, "h", kFullResolutionSize, now += kSecond));  // a thumbnail is not the original
    const StoredThumbnail full = f.add("h", kFullResolutionSize, kStart, 1, 640);
    CHECK(fs::path(full.path).parent_path().parent_path().filename() == "full");  // <thumbs>/full/<2 hex>/<hash>.jpg
    CHECK(found_size(cache, "h", kFullResolutionSize, now += kSecond) == kFullResolutionSize);
    CHECK(found_size(cache, "h", 0, now += kSecond) == 256u);     // "the largest thumbnail" is still 256
    CHECK(found_size(cache, "h", 1024, now += kSecond) == 256u);  // nothing large enough: still not the original
    CHECK(found_size(cache, "h", 64, now += kSecond) == 256u);
}

TEST_CASE("uses within a second are not written again", "[catalog][thumbnails]") {
    CacheFixture f;
    f.add("h", 64, kStart);
    ThumbnailCache cache(f.catalog(), kDefaultThumbnailBudget);
    REQUIRE(found_size(cache, "h", 64, kStart + 10 * kSecond));
    REQUIRE(found_size(cache, "h", 64, kStart + 10 * kSecond + kSecond / 2));
    CHECK(f.last_used("h", 64) == kStart + 10 * kSecond);
    REQUIRE(found_size(cache, "h", 64, kStart + 12 * kSecond));
    CHECK(f.last_used("h", 64) == kStart + 12 * kSecond);
}

TEST_CASE("prune evicts the least recently used until the files fit the budget", "[catalog][thumbnails]") {
    CacheFixture f;
    // Ten photos with one thumbnail each, made a second apart: p0 is the oldest.
    std::vector<StoredThumbnail> thumbs;
    std::vector<int64_t> bytes;
    int64_t total = 0;
    for (int i = 0; i < 10; ++i) {
        const std::string hash = "p" + std::to_string(i);
        f.add_photo(hash);
        thumbs.push_back(f.add(hash, 96, kStart + i * kSecond, static_cast<uint32_t>(i + 1)));
        bytes.push_back(static_cast<int64_t>(fs::file_size(thumbs.back().path)));
        total += bytes.back();
    }
    const int64_t budget = total / 2;
    ThumbnailCache cache(f.catalog(), static_cast<uint64_t>(budget));

    auto before = cache.stats();
    REQUIRE(before);
    CHECK(before->thumbnails == 10);
    CHECK(before->bytes == total);
    CHECK(before->budget_bytes == budget);
    CHECK(before->missing_files == 0);
    CHECK(before->photos_without == 0);

    // p0..p2, the oldest, are looked at now: they become the most recently used.
    for (int i = 0; i < 3; ++i) REQUIRE(found_size(cache, "p" + std::to_string(i), 96, kStart + (100 + i) * kSecond));

    // What LRU must evict: p3, p4, ... in order, until what is left fits.
    std::vector<int> order{3, 4, 5, 6, 7, 8, 9, 0, 1, 2};
    std::vector<bool> evicted(10, false);
    int64_t left = total, freed = 0, expected_removed = 0;
    for (int i : order) {
        if (left <= budget) break;
        evicted[static_cast<std::size_t>(i)] = true;
        left -= bytes[static_cast<std::size_t>(i)];
        freed += bytes[static_cast<std::size_t>(i)];
        ++expected_removed;
    }
    REQUIRE(expected_removed > 0);
    REQUIRE_FALSE(evicted[0]);

    auto pruned = cache.prune();
    REQUIRE(pruned);
    CHECK(pruned->removed == expected_removed);
    CHECK(pruned->bytes_freed == freed);
    CHECK(pruned->bytes_after == left);
    CHECK(pruned->bytes_after <= budget);
    for (std::size_t i = 0; i < 10; ++i) {
        INFO("p" << i);
        CHECK(fs::exists(thumbs[i].path) == !evicted[i]);
        CHECK(f.catalog().thumbnails("p" + std::to_string(i)).value().size() == (evicted[i] ? 0u : 1u));
        CHECK(found_size(cache, "p" + std::to_string(i), 96, kStart + 200 * kSecond).has_value() == !evicted[i]);
    }

    auto after = cache.stats();
    REQUIRE(after);
    CHECK(after->thumbnails == 10 - expected_removed);
    CHECK(after->bytes == left);
    CHECK(after->photos_without == expected_removed);  // the library still has those photos

    auto again = cache.prune();  // within budget: nothing to do
    REQUIRE(again);
    CHECK(again->removed == 0);
    CHECK(again->bytes_after == left);
}

TEST_CASE("a thumbnail file deleted behind the cache's back is reported missing and never served", "[catalog][thumbnails]") {
    CacheFixture f;
    f.add_photo("a");
    f.add_photo("b");
    const StoredThumbnail a = f.add("a", 64, kStart);
    const StoredThumbnail b = f.add("b", 64, kStart, 2);
    fs::remove(a.path);
    ThumbnailCache cache(f.catalog(), kDefaultThumbnailBudget);
    auto stats = cache.stats();
    REQUIRE(stats);
    CHECK(stats->thumbnails == 2);
    CHECK(stats->missing_files == 1);
    CHECK(stats->photos_without == 1);
    CHECK(stats->bytes == static_cast<int64_t>(fs::file_size(b.path)));
    CHECK_FALSE(found_size(cache, "a", 64, kStart + kSecond));
    CHECK(found_size(cache, "b", 64, kStart + kSecond) == 64u);

    // prune(0) cannot free a file that is not there: it evicts b, and a's row stays for prewarm to remake.
    ThumbnailCache empty(f.catalog(), 0);
    auto pruned = empty.prune();
    REQUIRE(pruned);
    CHECK(pruned->removed == 1);
    CHECK(pruned->bytes_after == 0);
    CHECK(f.catalog().thumbnails("a").value().size() == 1);
}

TEST_CASE("sizes unknown since schema version 1 are read from the files", "[catalog][thumbnails][sqlite_only]") {
    CacheFixture f;
    const StoredThumbnail t = f.add("h", 64, kStart);
    REQUIRE(f.catalog().database().exec("UPDATE thumbnails SET bytes = 0"));
    ThumbnailCache cache(f.catalog(), kDefaultThumbnailBudget);
    auto stats = cache.stats();
    REQUIRE(stats);
    CHECK(stats->bytes == static_cast<int64_t>(fs::file_size(t.path)));
    CHECK(f.catalog().database().query_int("SELECT bytes FROM thumbnails").value() == static_cast<int64_t>(fs::file_size(t.path)));
}

TEST_CASE("the budget comes from [thumbnails] cache_budget_mb and is checked", "[catalog][thumbnails][config]") {
    const std::string stages = "\n[[stage]]\nkind = \"decode\"\n";
    auto defaults = parse_pipeline_config(stages, "p.toml");
    REQUIRE(defaults);
    CHECK(defaults->thumbnail_budget_bytes == kDefaultThumbnailBudget);

    auto set = parse_pipeline_config("[thumbnails]\ncache_budget_mb = 64\n" + stages, "p.toml");
    REQUIRE(set);
    CHECK(set->thumbnail_budget_bytes == 64ull * 1024 * 1024);

    for (const char* bad : {"0", "-5", "\"2GB\"", "1.5", "99999999999"}) {
        INFO(bad);
        auto parsed = parse_pipeline_config(std::string("[thumbnails]\ncache_budget_mb = ") + bad + "\n" + stages, "p.toml");
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().message.find("p.toml:2: thumbnails.cache_budget_mb") != std::string::npos);
    }

    auto shipped = load_pipeline_config(LIGHTBOX_TEST_SOURCE_DIR "/config/default.toml");
    REQUIRE(shipped);
    CHECK(shipped->thumbnail_budget_bytes == kDefaultThumbnailBudget);
}

TEST_CASE("missing lists the live photos lacking sizes, newest first, with a live path", "[catalog][thumbnails]") {
    CacheFixture f;
    f.add_photo("old");
    f.add_photo("new");
    f.add_photo("whole");
    // added_at is the time of writing: make "new" newer than "old" for sure.
    REQUIRE(f.catalog().database().exec("UPDATE photos SET added_at = CASE hash WHEN 'old' THEN 1 WHEN 'new' THEN 3 ELSE 2 END"));
    f.add("old", 64, kStart);
    const StoredThumbnail gone = f.add("new", 64, kStart);
    f.add("new", 128, kStart);
    f.add("whole", 64, kStart);
    f.add("whole", 128, kStart);
    fs::remove(gone.path);
    ThumbnailCache cache(f.catalog(), kDefaultThumbnailBudget);
    auto needs = cache.missing({64, 128});
    REQUIRE(needs);
    REQUIRE(needs->size() == 2);
    CHECK(needs->at(0).hash == "new");
    CHECK(needs->at(0).sizes == std::vector<uint32_t>{64});  // its file is gone
    CHECK(fs::path(needs->at(0).path).filename() == "new.jpg");
    CHECK(needs->at(1).hash == "old");
    CHECK(needs->at(1).sizes == std::vector<uint32_t>{128});  // never made
}

// On both backends: PostgreSQL's stamp is the server's snapshot, which passes over only the mark's own
// transaction (PostgresDatabase::write_unseen).
TEST_CASE("marking a thumbnail used keeps the catalog's change stamp: the last query's matches stay valid", "[catalog][thumbnails]") {
    CacheFixture f;
    f.add("h", 64, kStart);
    f.add("i", 64, kStart);
    REQUIRE(f.catalog().flush());
    ThumbnailCache cache(f.catalog(), kDefaultThumbnailBudget);
    const auto before = change_stamp(f.catalog().database());
    REQUIRE(before);
    REQUIRE(found_size(cache, "h", 64, kStart + 10 * kSecond));
    CHECK(f.last_used("h", 64) == kStart + 10 * kSecond);  // written
    const auto after = change_stamp(f.catalog().database());
    REQUIRE(after);
    CHECK(*after == *before);
    // Several marks between two stamps, and a stamp taken between them.
    for (int64_t second = 11; second < 20; ++second) {
        REQUIRE(found_size(cache, second % 2 ? "i" : "h", 64, kStart + second * kSecond));
        if (second == 15) CHECK(*change_stamp(f.catalog().database()) == *before);
    }
    CHECK(*change_stamp(f.catalog().database()) == *before);
    CHECK(f.last_used("i", 64) == kStart + 19 * kSecond);

    // Another connection's commit moves it (what another engine, or the user's edit in the service, does).
    {
        auto other = f.reopen();
        REQUIRE(other->add_user_tag("i", "from elsewhere"));
        REQUIRE(other->flush());
    }
    const auto moved = change_stamp(f.catalog().database());
    REQUIRE(moved);
    CHECK_FALSE(*moved == *before);
    // A mark after it leaves the new stamp as it is; a change a query sees still moves it.
    REQUIRE(found_size(cache, "h", 64, kStart + 30 * kSecond));
    CHECK(*change_stamp(f.catalog().database()) == *moved);
    REQUIRE(f.catalog().add_user_tag("h", "grandma"));
    CHECK_FALSE(*change_stamp(f.catalog().database()) == *moved);
}
