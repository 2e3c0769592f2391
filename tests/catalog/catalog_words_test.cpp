// Plain words in a real SQLite catalog: a word finds cameras, lenses, places, labels, groups, tags,
// people and file names (`iphone` finds what `camera:iphone` finds), and each result says where its
// words matched (PhotoRow::matched).
#include "catalog/catalog.hpp"
#include "catalog/catalog_query.hpp"
#include "catalog/people.hpp"
#include "support/test_catalog.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <set>

using namespace lbx::engine;
using namespace lbx::engine::catalog;
namespace fs = std::filesystem;

namespace {

constexpr char kVision[] = "org.lightbox.vision";

struct Photo {
    std::string name;
    std::string make, model, lens;
    std::vector<std::pair<std::string, std::string>> tags;  // name, category
    bool face = false;                                      // one face, of the person named in the test
};

PhotoResult result_of(const fs::path& dir, const Photo& p) {
    PhotoResult r;
    r.path = (dir / p.name).string();
    r.hash = "hash-" + p.name;
    r.format = "jpeg";
    r.file_size = 1000;
    r.mtime_ns = 1;
    r.width = 4000;
    r.height = 3000;
    if (!p.make.empty()) r.metadata.text[LBX_FIELD_MAKE] = p.make;
    if (!p.model.empty()) r.metadata.text[LBX_FIELD_MODEL] = p.model;
    if (!p.lens.empty()) r.metadata.text[LBX_FIELD_LENS] = p.lens;
    for (const auto& [name, category] : p.tags) r.tags.push_back({name, category, 0.9, category == "label" || category == "group" ? kVision : "org.lightbox.autotag"});
    if (p.face) {
        Region g;
        g.kind = "face";
        g.confidence = 0.95;
        g.x = g.y = 0.2;
        g.width = g.height = 0.2;
        g.quality = 0.9;
        g.embedding.assign(128, 0.f);
        g.embedding[1] = 1.f;
        g.embedding_model = "dlib-resnet-128";
        g.source = kVision;
        r.regions.push_back(g);
        r.tag_sources = {kVision};
    }
    return r;
}

class WordsFixture {
public:
    WordsFixture() {
        auto opened = lbx::test::open_catalog(dir_ / "library.lbx");
        REQUIRE(opened);
        catalog_ = std::move(*opened);
        const fs::path photos = dir_ / "photos";
        const std::vector<Photo> specs = {
            {"IMG_0001.jpg", "Apple", "iPhone 8", "iPhone 8 back camera 3.99mm f/1.8", {{"Paris", "place"}, {"France", "country"}}, false},
            {"IMG_0002.jpg", "Apple", "iPhone 11 Pro", "", {{"dog", "label"}, {"animals", "group"}}, false},
            {"iphone-export.jpg", "Canon", "Canon EOS 7D", "EF-S18-55mm f/3.5-5.6 IS II", {{"New York", "place"}}, true},
            {"DSC_0003.jpg", "NIKON CORPORATION", "NIKON D90", "", {{"beach", "scene"}}, false},
        };
        for (const Photo& p : specs) REQUIRE(catalog_->record(result_of(photos, p), 1));
        REQUIRE(catalog_->flush());
        REQUIRE(group_new_faces(*catalog_));
        auto persons = list_persons(*catalog_, 0, 10);
        REQUIRE(persons);
        REQUIRE(persons->size() == 1);
        REQUIRE(rename_person(*catalog_, persons->front().id, "Anna Smith"));
        REQUIRE(catalog_->add_user_tag("hash-DSC_0003.jpg", "grandma"));
    }

    std::set<std::string> names(const std::string& query) {
        std::set<std::string> out;
        for (const auto& [name, matched] : matches(query)) out.insert(name);
        return out;
    }

    // File name -> where the query's words matched it.
    std::map<std::string, std::string> matches(const std::string& query) {
        auto rows = run_query(*catalog_, query);
        INFO("query: " << query);
        if (!rows) FAIL(rows.error().message);
        std::map<std::string, std::string> out;
        for (const PhotoRow& r : *rows) out[fs::path(r.path).filename().string()] = r.matched;
        return out;
    }

    Catalog& catalog() { return *catalog_; }

private:
    lbx::test::TempDir dir_;
    std::unique_ptr<Catalog> catalog_;
};

using Names = std::set<std::string>;

}  // namespace

TEST_CASE("a plain word finds what the field terms find, in every field", "[catalog][query][words]") {
    WordsFixture f;
    // The camera, and the file name that holds the word too.
    CHECK(f.names("camera:iphone") == Names{"IMG_0001.jpg", "IMG_0002.jpg"});
    CHECK(f.names("iphone") == Names{"IMG_0001.jpg", "IMG_0002.jpg", "iphone-export.jpg"});
    CHECK(f.names("nikon") == f.names("camera:nikon"));
    CHECK(f.names("\"eos 7d\"") == Names{"iphone-export.jpg"});
    // The lens, places (part of the name, like place:), labels and groups, tags, people, file names.
    CHECK(f.names("EF-S18-55mm") == Names{"iphone-export.jpg"});
    CHECK(f.names("york") == Names{"iphone-export.jpg"});
    CHECK(f.names("france") == f.names("place:france"));
    CHECK(f.names("dog") == Names{"IMG_0002.jpg"});
    CHECK(f.names("animals") == Names{"IMG_0002.jpg"});
    CHECK(f.names("beach") == Names{"DSC_0003.jpg"});
    CHECK(f.names("grandma") == Names{"DSC_0003.jpg"});
    CHECK(f.names("\"anna smith\"") == Names{"iphone-export.jpg"});
    CHECK(f.names("DSC_0003") == Names{"DSC_0003.jpg"});
    // Words still combine: AND, OR, negation.
    CHECK(f.names("iphone paris") == Names{"IMG_0001.jpg"});
    CHECK(f.names("iphone -apple") == Names{"iphone-export.jpg"});
    CHECK(f.names("dog OR beach") == Names{"IMG_0002.jpg", "DSC_0003.jpg"});
    // LIKE's wildcards are text: "%" and "M%0" find nothing here, "G_0" only the names that hold it.
    CHECK(f.names("%").empty());
    CHECK(f.names("M%0").empty());
    CHECK(f.names("G_0") == Names{"IMG_0001.jpg", "IMG_0002.jpg"});
}

TEST_CASE("each result says where its plain words matched", "[catalog][query][words]") {
    WordsFixture f;
    const auto iphone = f.matches("iphone");
    CHECK(iphone.at("IMG_0001.jpg") == "camera: Apple iPhone 8; lens: iPhone 8 back camera 3.99mm f/1.8");
    CHECK(iphone.at("IMG_0002.jpg") == "camera: Apple iPhone 11 Pro");
    CHECK(iphone.at("iphone-export.jpg").find("path: ") == 0);
    CHECK(iphone.at("iphone-export.jpg").find("/photos/iphone-export.jpg") != std::string::npos);

    CHECK(f.matches("dog").at("IMG_0002.jpg") == "label: dog");
    CHECK(f.matches("animals").at("IMG_0002.jpg") == "group: animals");
    CHECK(f.matches("york").at("iphone-export.jpg") == "place: New York");
    // A model that repeats the make is said once: "Canon EOS 7D", not "Canon Canon EOS 7D".
    CHECK(f.matches("canon").at("iphone-export.jpg") == "camera: Canon EOS 7D");
    CHECK(f.matches("d90").at("DSC_0003.jpg") == "camera: NIKON D90");
    CHECK(f.matches("paris").at("IMG_0001.jpg") == "place: Paris");  // said once, though a place is a tag too
    CHECK(f.matches("grandma").at("DSC_0003.jpg") == "tag: grandma");
    CHECK(f.matches("\"anna smith\"").at("iphone-export.jpg") == "person: Anna Smith");
    // Two words: both are said; a negated word is not (it matched nothing).
    CHECK(f.matches("apple paris").at("IMG_0001.jpg") == "camera: Apple iPhone 8; place: Paris");
    CHECK(f.matches("iphone -paris").at("IMG_0002.jpg") == "camera: Apple iPhone 11 Pro");
    // Field terms alone say nothing: the field is in the query already.
    CHECK(f.matches("camera:iphone").at("IMG_0001.jpg").empty());
    CHECK(f.matches("").at("IMG_0001.jpg").empty());
    // Later pages are described too (they are sliced from the whole list).
    REQUIRE(run_query(f.catalog(), "iphone", QueryOptions{SortOrder::path, false, 0, -1}));
    auto page = run_query(f.catalog(), "iphone", QueryOptions{SortOrder::path, false, 1, 1});
    REQUIRE(page);
    REQUIRE(page->size() == 1);
    CHECK_FALSE(page->front().matched.empty());
}
