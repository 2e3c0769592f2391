// The library's folders in the catalog on a real SQLite file with real files on disk: each folder's live
// photos, and taking one folder out of the library (its photos, their rows and thumbnail files, its
// ledger entries and its roots row go; photo files, copies elsewhere, folders inside it and siblings
// whose names start alike stay).
#include "catalog/catalog.hpp"
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

std::unique_ptr<Catalog> open_catalog(const fs::path& file) {
    auto opened = lbx::test::open_catalog(file);
    if (!opened) FAIL(opened.error().message);
    return std::move(*opened);
}

// A photo file on disk (a few bytes: the catalog never reads it) and its scan result.
PhotoResult photo_at(const fs::path& path, const std::string& hash) {
    fs::create_directories(path.parent_path());
    lbx::test::write_file(path, {1, 2, 3});
    PhotoResult r;
    r.path = path.string();
    r.hash = hash;
    r.format = "jpeg";
    r.file_size = 3;
    r.mtime_ns = 42;
    r.width = 40;
    r.height = 30;
    return r;
}

int64_t count(Catalog& catalog, const std::string& sql) {
    return catalog.database().query_int(sql).value();
}

std::map<std::string, int64_t> photos_by_root(Catalog& catalog) {
    std::map<std::string, int64_t> out;
    auto infos = catalog.root_infos();
    if (!infos) FAIL(infos.error().message);
    for (const RootInfo& info : *infos) out[info.path] = info.photos;
    return out;
}

}  // namespace

TEST_CASE("a folder taken out of the library takes its photos, rows, ledger entries and thumbnails, never files",
          "[catalog]") {
    lbx::test::TempDir dir;
    const fs::path a = dir / "a", b = dir / "b", inner = dir / "a" / "inner", dashed = dir / "a-old",
                   longer = dir / "a2";
    const ThumbnailStore store(dir / "thumbs");
    auto catalog = open_catalog(dir / "library.lbx");
    REQUIRE(catalog->add_roots({a.string(), b.string(), inner.string(), dashed.string(), longer.string()}, 1));

    std::vector<PhotoResult> results{
        photo_at(a / "one.jpg", "h-a1"),           photo_at(a / "sub" / "two.jpg", "h-a2"),
        photo_at(a / "copy.jpg", "h-shared"),  // also in b: stays, with b's path only
        photo_at(b / "copy.jpg", "h-shared"),      photo_at(b / "three.jpg", "h-b1"),
        photo_at(inner / "four.jpg", "h-inner"),    // below a, but a folder of the library itself: stays
        photo_at(dashed / "five.jpg", "h-dashed"),  // "a-old" and "a2" sort beside "a/": not below it
        photo_at(longer / "six.jpg", "h-longer"),
    };
    // A file that failed below a, in the ledger.
    PhotoResult bad;
    bad.path = (a / "bad.jpg").string();
    lbx::test::write_file(bad.path, {0xff, 0xd8});
    bad.file_size = 10;
    bad.failure =
        StageFailure{"decode", "jpegdec", "org.lightbox.jpegdec", "1.2.0", "corrupt", "cannot decode: corrupt"};
    results.push_back(bad);
    for (const PhotoResult& r : results) REQUIRE(catalog->record(r, 100));
    REQUIRE(catalog->flush());
    // A thumbnail file of a photo that leaves, and one of a photo that stays.
    const auto jpeg = lbx::sample::encode_jpeg(lbx::sample::make_scene(64, 48, 1));
    const auto thumb_a1 = store.write("h-a1", 64, "image/jpeg", jpeg).value();
    const auto thumb_b1 = store.write("h-b1", 64, "image/jpeg", jpeg).value();
    REQUIRE(catalog->record_thumbnails("h-a1", {{64, thumb_a1.string(), 64, 48}}, 1));
    REQUIRE(catalog->record_thumbnails("h-b1", {{64, thumb_b1.string(), 64, 48}}, 1));
    REQUIRE(catalog->add_user_tag("h-a1", "family"));

    // Each folder's live photos: a photo with files below two folders counts in both.
    CHECK(photos_by_root(*catalog) ==
          std::map<std::string, int64_t>{
              {a.string(), 4}, {dashed.string(), 1}, {inner.string(), 1}, {longer.string(), 1}, {b.string(), 2}});

    auto removed = catalog->remove_root(a.string() + "/");  // a trailing slash is the same folder
    REQUIRE(removed);
    REQUIRE(*removed);
    CHECK((*removed)->root == a.string());
    CHECK((*removed)->photos == 2);  // one.jpg and two.jpg: the copy lives on in b, four.jpg in a/inner
    CHECK((*removed)->files == 4);   // one, two, copy and bad, below a and no other folder

    CHECK(catalog->roots().value() ==
          std::vector<std::string>{dashed.string(), inner.string(), longer.string(), b.string()});
    CHECK_FALSE(catalog->photo("h-a1").value());
    CHECK_FALSE(catalog->photo("h-a2").value());
    CHECK(count(*catalog, "SELECT COUNT(*) FROM user_tags WHERE hash = 'h-a1'") == 0);
    const auto shared = catalog->photo("h-shared").value();
    REQUIRE(shared);
    CHECK(shared->path == (b / "copy.jpg").string());
    CHECK(count(*catalog, "SELECT COUNT(*) FROM files WHERE hash = 'h-shared'") == 1);
    CHECK(catalog->photo("h-inner").value());
    CHECK(catalog->photo("h-dashed").value());
    CHECK(catalog->photo("h-longer").value());
    CHECK(count(*catalog, "SELECT COUNT(*) FROM photos") == 5);
    CHECK(catalog->failure_count().value() == 0);  // bad.jpg's entry went with its folder
    CHECK(count(*catalog, "SELECT COUNT(*) FROM files WHERE path = '" + bad.path + "'") == 0);
    // Thumbnail files of the photos that left are deleted; the others' and every photo file stay.
    CHECK_FALSE(fs::exists(thumb_a1));
    CHECK(fs::exists(thumb_b1));
    for (const PhotoResult& r : results) CHECK(fs::exists(r.path));

    CHECK(photos_by_root(*catalog) ==
          std::map<std::string, int64_t>{
              {dashed.string(), 1}, {inner.string(), 1}, {longer.string(), 1}, {b.string(), 2}});
    // Not (or no longer) a folder of the library: nothing happens.
    CHECK_FALSE(catalog->remove_root(a.string()).value());
    CHECK_FALSE(catalog->remove_root((dir / "nowhere").string()).value());
    CHECK(count(*catalog, "SELECT COUNT(*) FROM photos") == 5);
    // Stored, not cached.
    CHECK(open_catalog(dir / "library.lbx")->roots().value().size() == 4);
}

TEST_CASE("a folder inside another one of the library leaves the folders but keeps its photos", "[catalog]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    REQUIRE(catalog->add_roots({(dir / "all").string(), (dir / "all" / "2019").string()}, 1));
    REQUIRE(catalog->record(photo_at(dir / "all" / "2019" / "x.jpg", "h-x"), 100));
    REQUIRE(catalog->flush());
    auto removed = catalog->remove_root((dir / "all" / "2019").string());
    REQUIRE(removed);
    REQUIRE(*removed);
    CHECK((*removed)->photos == 0);  // still in the library through "all", which a rescan walks
    CHECK((*removed)->files == 0);
    CHECK(catalog->roots().value() == std::vector<std::string>{(dir / "all").string()});
    CHECK(catalog->photo("h-x").value());
}
