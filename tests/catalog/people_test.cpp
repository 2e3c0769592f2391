// Grouping faces into persons on real SQLite catalogs, with photos recorded by hand and 128-D embeddings
// made to measure (no model): a face joins the nearest person closer than kSamePersonDistance, else
// starts one; low-quality faces and faces without an embedding are left out; the user's renames, merges
// and removals; what survives a photo analysed again (regions rewritten) and a photo removed; the
// person: query term and the people facet; the same catalog always gives the same persons.
#include "catalog/catalog.hpp"
#include "catalog/catalog_query.hpp"
#include "catalog/catalog_schema.hpp"
#include "catalog/people.hpp"
#include "catalog/person_centroid.hpp"
#include "support/test_catalog.hpp"
#include "support/test_files.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <set>

using namespace lbx::engine;
using namespace lbx::engine::catalog;
namespace fs = std::filesystem;

namespace {

constexpr char kVision[] = "org.lightbox.vision";
constexpr char kModel[] = "dlib-resnet-128";

std::unique_ptr<Catalog> open_catalog(const fs::path& file) {
    auto opened = lbx::test::open_catalog(file);
    if (!opened) FAIL(opened.error().message);
    return std::move(*opened);
}

// A 128-D embedding: person `who` is the unit vector of dimension `who`; `off` moves it that far along
// dimension 100 + `along` (orthogonal to every person), so its distance to the person is exactly `off`.
std::vector<float> embedding(int who, double off = 0, int along = 0) {
    std::vector<float> v(128, 0.f);
    v[static_cast<std::size_t>(who)] = 1.f;
    v[static_cast<std::size_t>(100 + along)] += static_cast<float>(off);
    return v;
}

Region face(double x, std::vector<float> e, double quality = 0.9) {
    Region g;
    g.kind = "face";
    g.confidence = 0.95;
    g.x = x;
    g.y = 0.2;
    g.width = 0.1;
    g.height = 0.15;
    g.quality = quality;
    g.embedding = std::move(e);
    g.embedding_model = g.embedding.empty() ? "" : kModel;
    g.source = kVision;
    return g;
}

Region object(const std::string& label) {
    Region g;
    g.kind = "object";
    g.label = label;
    g.confidence = 0.8;
    g.width = g.height = 0.5;
    g.source = kVision;
    return g;
}

// A photo as a scan with analysis stores it: its file, and the vision plugin's regions.
PhotoResult photo(const fs::path& dir, const std::string& hash, std::vector<Region> regions) {
    PhotoResult r;
    r.path = (dir / (hash + ".jpg")).string();
    r.hash = hash;
    r.format = "jpeg";
    r.file_size = 1000;
    r.mtime_ns = 7;
    r.width = 1600;
    r.height = 1200;
    r.regions = std::move(regions);
    r.tag_sources = {kVision};
    return r;
}

// The same photo analysed again (a new plugin version): only its regions are rewritten.
PhotoResult analysed_again(const std::string& hash, std::vector<Region> regions) {
    PhotoResult r;
    r.path = "/unused/" + hash + ".jpg";
    r.hash = hash;
    r.analysis_only = true;
    r.regions = std::move(regions);
    r.tag_sources = {kVision};
    return r;
}

void record(Catalog& catalog, const PhotoResult& r) {
    auto ok = catalog.record(r, 1);
    if (!ok) FAIL(ok.error().message);
    REQUIRE(catalog.flush());
}

GroupingSummary group(Catalog& catalog) {
    auto summary = group_new_faces(catalog);
    if (!summary) FAIL(summary.error().message);
    return *summary;
}

// The person of face `index` of photo `hash` (0: none; -1: taken out by the user).
int64_t person_of(Catalog& catalog, const std::string& hash, int64_t index) {
    auto stmt = catalog.database().prepare("SELECT person_id FROM face_persons WHERE hash = ?1 AND source = ?2 AND idx = ?3");
    REQUIRE(stmt);
    auto row = stmt->bind({hash, std::string(kVision), index}).step();
    REQUIRE(row);
    if (!*row) return 0;
    return stmt->column_is_null(0) ? -1 : stmt->column_int(0);
}

std::vector<PersonInfo> persons(Catalog& catalog) {
    auto list = list_persons(catalog, 0, -1);
    if (!list) FAIL(list.error().message);
    return *list;
}

std::set<std::string> hashes_of(Catalog& catalog, const std::string& query) {
    auto rows = run_query(catalog, query);
    if (!rows) FAIL(rows.error().message);
    std::set<std::string> out;
    for (const PhotoRow& r : *rows) out.insert(r.hash);
    return out;
}

int64_t count(Catalog& catalog, const std::string& sql) { return catalog.database().query_int(sql).value(); }

}  // namespace

TEST_CASE("a face joins the nearest person within the distance, else starts one", "[catalog][people]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    REQUIRE(kSamePersonDistance == 0.5);
    record(*catalog, photo(dir.path(), "a1", {object("person"), face(0.1, embedding(1))}));
    record(*catalog, photo(dir.path(), "a2", {face(0.1, embedding(1, 0.45))}));   // within: joins
    record(*catalog, photo(dir.path(), "a3", {face(0.1, embedding(1, 0.55, 1))}));  // beyond (even from the mean): new
    record(*catalog, photo(dir.path(), "b1", {face(0.1, embedding(2))}));          // another person
    const GroupingSummary summary = group(*catalog);
    CHECK(summary.looked_at == 4);
    CHECK(summary.joined == 1);
    CHECK(summary.new_persons == 3);

    const int64_t anna = person_of(*catalog, "a1", 1);  // index 1: the object is region 0
    CHECK(anna > 0);
    CHECK(person_of(*catalog, "a2", 0) == anna);
    CHECK(person_of(*catalog, "a3", 0) != anna);
    CHECK(person_of(*catalog, "b1", 0) != anna);
    CHECK(person_of(*catalog, "a3", 0) != person_of(*catalog, "b1", 0));

    // The centroid is the running mean of the two faces.
    auto centroid = read_centroid(catalog->database(), anna);
    REQUIRE(centroid);
    REQUIRE(*centroid);
    CHECK((*centroid)->faces == 2);
    CHECK((*centroid)->embedding_model == kModel);
    CHECK((*centroid)->mean[1] == Approx(1.0));
    CHECK((*centroid)->mean[100] == Approx(0.225));

    // Listed most faces first; the cover is the face of the highest quality.
    const auto list = persons(*catalog);
    REQUIRE(list.size() == 3);
    CHECK(list[0].id == anna);
    CHECK(list[0].faces == 2);
    CHECK(list[0].photos == 2);
    CHECK(list[0].name.empty());
    CHECK(person_count(*catalog).value() == 3);
    CHECK(list_persons(*catalog, 1, 1).value().size() == 1);

    // A second pass finds nothing new: every face was looked at once.
    CHECK(group(*catalog).looked_at == 0);
    record(*catalog, photo(dir.path(), "a4", {face(0.1, embedding(1, 0.1, 2))}));
    const GroupingSummary later = group(*catalog);
    CHECK(later.looked_at == 1);
    CHECK(person_of(*catalog, "a4", 0) == anna);
    CHECK(catalog->integrity_check().value() == "ok");
}

TEST_CASE("faces without an embedding, of low quality, or twice in one photo are not folded together", "[catalog][people]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    record(*catalog, photo(dir.path(), "p1", {face(0.1, embedding(1)), face(0.5, {}), face(0.7, embedding(1, 0.01), kMinFaceQuality / 2)}));
    // Twins side by side: one photo shows a person once, so the second face starts a person of its own.
    record(*catalog, photo(dir.path(), "p2", {face(0.1, embedding(3)), face(0.5, embedding(3, 0.05))}));
    const GroupingSummary summary = group(*catalog);
    CHECK(summary.looked_at == 5);
    CHECK(person_of(*catalog, "p1", 0) > 0);
    CHECK(person_of(*catalog, "p1", 1) == 0);  // no embedding
    CHECK(person_of(*catalog, "p1", 2) == 0);  // too poor a face
    CHECK(person_of(*catalog, "p2", 0) > 0);
    CHECK(person_of(*catalog, "p2", 1) > 0);
    CHECK(person_of(*catalog, "p2", 0) != person_of(*catalog, "p2", 1));
    CHECK(count(*catalog, "SELECT count(*) FROM regions WHERE grouped = 0") == 0);  // all looked at, none again
    CHECK(group(*catalog).looked_at == 0);
}

TEST_CASE("the same catalog gives the same persons whatever order the photos came in", "[catalog][people]") {
    lbx::test::TempDir dir;
    const std::vector<PhotoResult> photos{
        photo(dir.path(), "h1", {face(0.1, embedding(1, 0.3))}),
        photo(dir.path(), "h2", {face(0.1, embedding(1, 0.3, 1)), face(0.6, embedding(2))}),
        photo(dir.path(), "h3", {face(0.1, embedding(1), 0.95)}),
        photo(dir.path(), "h4", {face(0.1, embedding(2, 0.4), 0.5)}),
        photo(dir.path(), "h5", {face(0.1, embedding(4))}),
    };
    auto layout = [&](const std::vector<std::size_t>& order, const std::string& name) {
        auto catalog = open_catalog(dir / name);
        for (std::size_t i : order) record(*catalog, photos[i]);
        group(*catalog);
        std::vector<std::tuple<int64_t, int64_t, std::string, int64_t>> out;
        for (const PersonInfo& p : persons(*catalog)) out.emplace_back(p.id, p.faces, p.cover_hash, p.photos);
        for (const char* hash : {"h1", "h2", "h3", "h4", "h5"}) out.emplace_back(person_of(*catalog, hash, 0), 0, hash, 0);
        return out;
    };
    const auto first = layout({0, 1, 2, 3, 4}, "a.lbx");
    CHECK(first == layout({4, 3, 2, 1, 0}, "b.lbx"));
    CHECK(first == layout({2, 0, 4, 1, 3}, "c.lbx"));
    // The best face came first and made person 1; both Annas of h1 and h2 joined it.
    auto catalog = open_catalog(dir / "a.lbx");
    CHECK(person_of(*catalog, "h3", 0) == 1);
    CHECK(person_of(*catalog, "h1", 0) == 1);
    CHECK(person_of(*catalog, "h2", 0) == 1);
    CHECK(persons(*catalog).front().cover_hash == "h3");
}

TEST_CASE("persons are named, merged and corrected, with clear errors", "[catalog][people]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    record(*catalog, photo(dir.path(), "a1", {face(0.1, embedding(1))}));
    record(*catalog, photo(dir.path(), "a2", {face(0.1, embedding(1, 0.2))}));
    record(*catalog, photo(dir.path(), "b1", {face(0.1, embedding(2))}));
    record(*catalog, photo(dir.path(), "c1", {face(0.1, embedding(3))}));
    group(*catalog);
    const int64_t anna = person_of(*catalog, "a1", 0), young_anna = person_of(*catalog, "b1", 0), bob = person_of(*catalog, "c1", 0);

    SECTION("rename") {
        auto renamed = rename_person(*catalog, anna, "  Anna  ");
        REQUIRE(renamed);
        CHECK(renamed->name == "Anna");
        CHECK(renamed->faces == 2);
        CHECK(rename_person(*catalog, anna, std::string(100, 'x')).value().name.size() == 100);
        CHECK(rename_person(*catalog, anna, "Zoë Ångström").value().name == "Zoë Ångström");  // characters, not bytes
        for (const std::string& bad : {std::string(101, 'x'), std::string("Anna\nBob"), std::string("a\x01")}) {
            auto refused = rename_person(*catalog, anna, bad);
            REQUIRE_FALSE(refused);
            CHECK(refused.error().code == lbx::ipc::codes::kBadName);
        }
        auto unknown = rename_person(*catalog, 999, "Nobody");
        REQUIRE_FALSE(unknown);
        CHECK(unknown.error().code == lbx::ipc::codes::kNoSuchPerson);
        CHECK(rename_person(*catalog, anna, "   ").value().name.empty());  // unnamed again
    }

    SECTION("merge") {
        REQUIRE(rename_person(*catalog, young_anna, "Anna"));
        auto merged = merge_persons(*catalog, young_anna, anna);
        REQUIRE(merged);
        CHECK(merged->id == anna);
        CHECK(merged->name == "Anna");  // it had none: it takes the merged one's
        CHECK(merged->faces == 3);
        CHECK(merged->photos == 3);
        CHECK(person_of(*catalog, "b1", 0) == anna);
        CHECK_FALSE(find_person(*catalog, young_anna).value().has_value());
        // The centroid is the mean of the three faces, weighted by each person's faces.
        auto centroid = read_centroid(catalog->database(), anna).value();
        REQUIRE(centroid);
        CHECK(centroid->mean[1] == Approx(2.0 / 3));
        CHECK(centroid->mean[2] == Approx(1.0 / 3));
        CHECK(centroid->mean[100] == Approx(0.2 / 3));

        REQUIRE(rename_person(*catalog, bob, "Bob"));
        CHECK(merge_persons(*catalog, bob, anna).value().name == "Anna");  // into keeps its own name
        auto itself = merge_persons(*catalog, anna, anna);
        REQUIRE_FALSE(itself);
        CHECK(itself.error().code == lbx::ipc::codes::kSamePerson);
        auto gone = merge_persons(*catalog, young_anna, anna);
        REQUIRE_FALSE(gone);
        CHECK(gone.error().code == lbx::ipc::codes::kNoSuchPerson);
        CHECK(merge_persons(*catalog, anna, 12345).error().code == lbx::ipc::codes::kNoSuchPerson);
    }

    SECTION("remove a face: never grouped again, the person goes with its last face") {
        auto after = remove_face(*catalog, "a2", kVision, 0);
        REQUIRE(after);
        CHECK(after->id == anna);
        CHECK(after->faces == 1);
        CHECK(person_of(*catalog, "a2", 0) == -1);
        auto centroid = read_centroid(catalog->database(), anna).value();
        CHECK(centroid->mean[100] == Approx(0.0).margin(1e-6));  // back to the face that stays
        REQUIRE(catalog->database().exec("UPDATE regions SET grouped = 0"));  // even looked at again
        group(*catalog);
        CHECK(person_of(*catalog, "a2", 0) == -1);

        auto again = remove_face(*catalog, "a2", kVision, 0);
        REQUIRE_FALSE(again);
        CHECK(again.error().code == lbx::ipc::codes::kNoPerson);
        CHECK(remove_face(*catalog, "a2", kVision, 7).error().code == lbx::ipc::codes::kNoSuchFace);
        CHECK(remove_face(*catalog, "nope", std::string(5000, 's'), 0).error().message.size() < 300);

        REQUIRE(rename_person(*catalog, bob, "Bob"));
        auto last = remove_face(*catalog, "c1", kVision, 0);
        REQUIRE(last);
        CHECK(last->faces == 0);
        CHECK(last->name == "Bob");
        CHECK_FALSE(find_person(*catalog, bob).value().has_value());
    }
    CHECK(catalog->integrity_check().value() == "ok");
}

TEST_CASE("names, merges and removals survive a photo analysed again", "[catalog][people]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    // Anna, Anna a few years on (0.6 away: a person of her own until the user merges them), and Carl.
    record(*catalog, photo(dir.path(), "g1", {face(0.1, embedding(1)), face(0.4, embedding(1, 0.6, 3)), face(0.7, embedding(3))}));
    record(*catalog, photo(dir.path(), "g2", {face(0.1, embedding(1, 0.1))}));
    group(*catalog);
    const int64_t anna = person_of(*catalog, "g1", 0), older = person_of(*catalog, "g1", 1);
    REQUIRE(anna != older);
    REQUIRE(person_of(*catalog, "g2", 0) == anna);
    REQUIRE(rename_person(*catalog, anna, "Anna"));
    REQUIRE(merge_persons(*catalog, older, anna));  // the user says the older face is Anna too
    REQUIRE(remove_face(*catalog, "g1", kVision, 2).value().faces == 0);  // and Carl is nobody

    // A newer plugin finds the faces again, a few pixels off, in another order, after a new object;
    // their embeddings moved a little.
    record(*catalog, analysed_again("g1", {object("person"), face(0.71, embedding(3, 0.02)), face(0.11, embedding(1, 0.02)),
                                          face(0.41, embedding(1, 0.62, 3))}));
    CHECK(person_of(*catalog, "g1", 2) == anna);  // was index 0
    CHECK(person_of(*catalog, "g1", 3) == anna);  // was index 1, merged into Anna
    CHECK(person_of(*catalog, "g1", 1) == -1);    // was index 2, taken out
    group(*catalog);
    CHECK(person_of(*catalog, "g1", 1) == -1);
    auto list = persons(*catalog);
    REQUIRE(list.size() == 1);
    CHECK(list[0].name == "Anna");
    CHECK(list[0].faces == 3);
    // The centroid took the new embeddings in place of the old ones: the mean of the three faces now.
    auto centroid = read_centroid(catalog->database(), anna).value();
    CHECK(centroid->mean[1] == Approx(1.0));
    CHECK(centroid->mean[100] == Approx((0.02 + 0.1) / 3));
    CHECK(centroid->mean[103] == Approx(0.62 / 3));

    // A face that is not found again leaves its person; a new face is grouped afresh, and finds Anna.
    record(*catalog, analysed_again("g2", {face(0.6, embedding(1, 0.05))}));
    CHECK(person_of(*catalog, "g2", 0) == 0);
    CHECK(persons(*catalog).front().faces == 2);
    group(*catalog);
    CHECK(person_of(*catalog, "g2", 0) == anna);

    // Analysed again with no faces at all: a named person stays (without faces it is not listed), and
    // its face, found again later, brings it back.
    record(*catalog, analysed_again("g1", {}));
    record(*catalog, analysed_again("g2", {}));
    group(*catalog);
    CHECK(persons(*catalog).empty());
    CHECK(find_person(*catalog, anna).value().has_value());
    record(*catalog, analysed_again("g2", {face(0.6, embedding(1, 0.05))}));
    group(*catalog);
    CHECK(person_of(*catalog, "g2", 0) == anna);
    CHECK(catalog->integrity_check().value() == "ok");
}

TEST_CASE("removing photos takes their faces out of their persons", "[catalog][people]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    record(*catalog, photo(dir.path(), "a1", {face(0.1, embedding(1))}));
    record(*catalog, photo(dir.path(), "a2", {face(0.1, embedding(1, 0.4))}));
    record(*catalog, photo(dir.path(), "b1", {face(0.1, embedding(2))}));
    record(*catalog, photo(dir.path(), "c1", {face(0.1, embedding(3))}));
    group(*catalog);
    const int64_t anna = person_of(*catalog, "a1", 0), bob = person_of(*catalog, "b1", 0), carl = person_of(*catalog, "c1", 0);
    REQUIRE(rename_person(*catalog, bob, "Bob"));
    REQUIRE(remove_face(*catalog, "c1", kVision, 0));  // a removal of a photo that goes

    REQUIRE(catalog->remove_photos({"a2", "b1", "c1"}).value() == 3);
    CHECK(count(*catalog, "SELECT count(*) FROM face_persons WHERE hash IN ('a2', 'b1', 'c1')") == 0);
    auto list = persons(*catalog);
    REQUIRE(list.size() == 1);
    CHECK(list[0].id == anna);
    CHECK(list[0].faces == 1);
    CHECK(list[0].photos == 1);
    CHECK(read_centroid(catalog->database(), anna).value()->mean[100] == Approx(0.0).margin(1e-6));
    CHECK(find_person(*catalog, bob).value().has_value());  // named: kept, for when the photo comes back
    CHECK_FALSE(find_person(*catalog, carl).value().has_value());
    CHECK(person_count(*catalog).value() == 1);

    // Scanned again: the face finds Bob by his centroid.
    record(*catalog, photo(dir.path(), "b1", {face(0.1, embedding(2))}));
    group(*catalog);
    CHECK(person_of(*catalog, "b1", 0) == bob);
    CHECK(catalog->integrity_check().value() == "ok");
}

TEST_CASE("person: finds photos by name or id, plain words find names, facets count named persons", "[catalog][people][query]") {
    lbx::test::TempDir dir;
    auto catalog = open_catalog(dir / "library.lbx");
    record(*catalog, photo(dir.path(), "a1", {face(0.1, embedding(1)), face(0.5, embedding(2))}));
    record(*catalog, photo(dir.path(), "a2", {face(0.1, embedding(1, 0.1))}));
    record(*catalog, photo(dir.path(), "b1", {face(0.1, embedding(2, 0.1))}));
    record(*catalog, photo(dir.path(), "n1", {object("dog")}));
    group(*catalog);
    const int64_t anna = person_of(*catalog, "a1", 0), bob = person_of(*catalog, "a1", 1);
    REQUIRE(rename_person(*catalog, anna, "Anna Smith"));

    CHECK(hashes_of(*catalog, "person:\"anna smith\"") == std::set<std::string>{"a1", "a2"});
    CHECK(hashes_of(*catalog, "person:\"Anna\"").empty());  // the whole name, not a part
    CHECK(hashes_of(*catalog, "\"ANNA SMITH\"") == std::set<std::string>{"a1", "a2"});  // a phrase finds the name too
    CHECK(hashes_of(*catalog, "person:#" + std::to_string(bob)) == std::set<std::string>{"a1", "b1"});  // unnamed, by id
    CHECK(hashes_of(*catalog, "person:#999").empty());
    CHECK(hashes_of(*catalog, "person:\"Anna Smith\" -person:#" + std::to_string(bob)) == std::set<std::string>{"a2"});
    CHECK(hashes_of(*catalog, "person:Bob").empty());
    REQUIRE(rename_person(*catalog, bob, "Bob"));
    CHECK(hashes_of(*catalog, "bob") == std::set<std::string>{"a1", "b1"});
    CHECK(hashes_of(*catalog, "person:bob OR person:\"anna smith\"") == std::set<std::string>{"a1", "a2", "b1"});
    CHECK_FALSE(run_query(*catalog, "person:"));

    auto facets = facets_of(*catalog, "");
    REQUIRE(facets);
    REQUIRE(facets->people.size() == 2);
    CHECK(facets->people[0].value == "Anna Smith");  // photos, not faces: 2 each, then by name
    CHECK(facets->people[0].count == 2);
    CHECK(facets->people[1].value == "Bob");
    CHECK(facets->people[1].count == 2);
    auto of_bob = facets_of(*catalog, "person:bob -person:\"anna smith\"");
    REQUIRE(of_bob);
    REQUIRE(of_bob->people.size() == 1);
    CHECK(of_bob->people[0].value == "Bob");
    CHECK(of_bob->people[0].count == 1);
}

TEST_CASE("faces a schema 5 catalog holds are grouped once it is migrated", "[catalog][people][schema][sqlite_only]") {
    lbx::test::TempDir dir;
    {
        auto db = SqliteDatabase::open(dir / "v5.lbx");
        REQUIRE(db);
        REQUIRE(migrate_to(**db, 5).value() == 5);
        REQUIRE((*db)->exec(R"sql(
            INSERT INTO photos(hash, format, file_size, width, height, added_at, updated_at) VALUES ('h1', 'jpeg', 1, 10, 10, 1, 1);
            INSERT INTO files(path, hash, size, mtime_ns, status, seen_at) VALUES ('/p/h1.jpg', 'h1', 1, 1, 'ok', 1);
            INSERT INTO regions(hash, source, idx, kind, confidence, x, y, w, h, quality, embedding, embedding_model)
                VALUES ('h1', 'org.lightbox.vision', 0, 'face', 0.9, 0.1, 0.1, 0.2, 0.2, 0.9, zeroblob(512), 'dlib-resnet-128');
        )sql"));
    }
    auto catalog = open_catalog(dir / "v5.lbx");
    CHECK(count(*catalog, "SELECT grouped FROM regions") == 0);
    CHECK(group(*catalog).new_persons == 1);
    CHECK(persons(*catalog).size() == 1);
}
