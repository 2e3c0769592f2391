// Queries and facets over a real catalog file filled with known photo records: each term of the query
// language, combinations, live/missing/failed scope, sorting and paging, and values that look like SQL.
#include "catalog/catalog.hpp"
#include "catalog/catalog_query.hpp"
#include "catalog/query_parser.hpp"
#include "support/test_catalog.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <vector>

using namespace lbx::engine;
using namespace lbx::engine::catalog;

namespace {

struct Spec {
    std::string name;  // file name and hash seed
    std::string taken_at;
    std::string make, model;
    double iso = 0;
    bool gps = false;
    std::vector<std::pair<std::string, std::string>> tags;  // name, category
};

PhotoResult result_of(const std::string& dir, const Spec& s) {
    PhotoResult r;
    r.path = dir + "/" + s.name;
    r.hash = "hash-" + s.name;
    r.format = "jpeg";
    r.file_size = 1000;
    r.mtime_ns = 1;
    r.width = 4000;
    r.height = 3000;
    if (!s.taken_at.empty()) r.metadata.text[LBX_FIELD_TAKEN_AT] = s.taken_at;
    if (!s.make.empty()) r.metadata.text[LBX_FIELD_MAKE] = s.make;
    if (!s.model.empty()) r.metadata.text[LBX_FIELD_MODEL] = s.model;
    if (s.iso > 0) r.metadata.numbers[LBX_FIELD_ISO] = s.iso;
    if (s.gps) {
        r.metadata.numbers[LBX_FIELD_GPS_LAT] = 48.85;
        r.metadata.numbers[LBX_FIELD_GPS_LON] = 2.35;
    }
    for (const auto& [name, category] : s.tags) r.tags.push_back({name, category, 1.0, "org.lightbox.autotag"});
    return r;
}

class QueryFixture {
public:
    QueryFixture() {
        auto opened = lbx::test::open_catalog(dir_ / "library.lbx");
        REQUIRE(opened);
        catalog_ = std::move(*opened);
        const std::string photos = (dir_ / "photos").string();
        const std::vector<Spec> specs = {
            {"beach-2019.jpg", "2019-07-14T10:00:00", "Canon", "Canon EOS R6", 100, true,
             {{"beach", "scene"}, {"summer", "season"}, {"Paris", "place"}, {"France", "country"}}},
            {"lake-2019.jpg", "2019-05-02T08:00:00", "Google", "Pixel 7", 3200, false, {{"lake", "scene"}, {"spring", "season"}}},
            {"city-2020.jpg", "2020-01-01T00:10:00", "Google", "Pixel 7", 800, true, {{"night", "light"}, {"Bern", "place"}}},
            {"scan-50%.jpg", "", "", "", 0, false, {}},
            {"holiday/beach-2021.jpg", "2021-08-31T23:59:59", "SONY", "ILCE-7M3", 1600, false, {{"beach", "scene"}}},
        };
        const int64_t scan = now_us();
        for (const Spec& s : specs) REQUIRE(catalog_->record(result_of(photos, s), scan));
        PhotoResult failed;
        failed.path = photos + "/broken.jpg";
        failed.file_size = 10;
        failed.failure = StageFailure{"decode", "jpegdec", "org.lightbox.jpegdec", "1.0.0", "truncated", "truncated at byte 10"};
        REQUIRE(catalog_->record(failed, scan));
        REQUIRE(catalog_->add_user_tag("hash-lake-2019.jpg", "grandma"));
        // A file that was there once and is gone: not a live photo.
        PhotoResult gone = result_of(photos, {"gone.jpg", "2019-07-01T00:00:00", "", "", 0, false, {{"beach", "scene"}}});
        REQUIRE(catalog_->record(gone, scan - 1000));
        REQUIRE(catalog_->flush());
        REQUIRE(catalog_->mark_missing({photos}, scan));
    }

    std::set<std::string> names(const std::string& query) {
        auto rows = run_query(*catalog_, query);
        INFO("query: " << query);
        if (!rows) FAIL(rows.error().message);
        std::set<std::string> out;
        for (const PhotoRow& r : *rows) out.insert(std::filesystem::path(r.path).filename().string());
        return out;
    }

    Catalog& catalog() { return *catalog_; }
    const std::filesystem::path& dir() const { return dir_.path(); }

private:
    lbx::test::TempDir dir_;
    std::unique_ptr<Catalog> catalog_;
};

using Names = std::set<std::string>;

}  // namespace

TEST_CASE("each kind of term finds the photos it names", "[catalog][query]") {
    QueryFixture f;
    CHECK(f.names("") == Names{"beach-2019.jpg", "lake-2019.jpg", "city-2020.jpg", "scan-50%.jpg", "beach-2021.jpg"});
    CHECK(f.names("beach") == Names{"beach-2019.jpg", "beach-2021.jpg"});  // tags and paths
    CHECK(f.names("holiday") == Names{"beach-2021.jpg"});                   // a folder in the path
    CHECK(f.names("tag:BEACH") == Names{"beach-2019.jpg", "beach-2021.jpg"});
    CHECK(f.names("tag:grandma") == Names{"lake-2019.jpg"});                // user tags too
    CHECK(f.names("camera:pixel") == Names{"lake-2019.jpg", "city-2020.jpg"});
    CHECK(f.names("camera:\"canon eos\"") == Names{"beach-2019.jpg"});
    CHECK(f.names("place:fran") == Names{"beach-2019.jpg"});
    CHECK(f.names("year:2019") == Names{"beach-2019.jpg", "lake-2019.jpg"});
    CHECK(f.names("year:2020..2021") == Names{"city-2020.jpg", "beach-2021.jpg"});
    CHECK(f.names("year:>=2020") == Names{"city-2020.jpg", "beach-2021.jpg"});
    CHECK(f.names("date:2019-05..2019-07") == Names{"beach-2019.jpg", "lake-2019.jpg"});
    CHECK(f.names("date:2021-08-31") == Names{"beach-2021.jpg"});
    CHECK(f.names("date:<2020") == Names{"beach-2019.jpg", "lake-2019.jpg"});
    CHECK(f.names("date:>2019") == Names{"city-2020.jpg", "beach-2021.jpg"});
    CHECK(f.names("iso:>1600") == Names{"lake-2019.jpg"});
    CHECK(f.names("iso:>=1600") == Names{"lake-2019.jpg", "beach-2021.jpg"});
    CHECK(f.names("iso:100..800") == Names{"beach-2019.jpg", "city-2020.jpg"});
    CHECK(f.names("has:gps") == Names{"beach-2019.jpg", "city-2020.jpg"});
    CHECK(f.names("has:usertags") == Names{"lake-2019.jpg"});
    CHECK(f.names("failed:") == Names{"broken.jpg"});
    CHECK(f.names("failed:truncated") == Names{"broken.jpg"});
    CHECK(f.names("failed:decode") == Names{"broken.jpg"});
    CHECK(f.names("failed:metadata").empty());
}

TEST_CASE("AND, OR, negation and parentheses combine terms", "[catalog][query]") {
    QueryFixture f;
    CHECK(f.names("beach year:2019") == Names{"beach-2019.jpg"});
    CHECK(f.names("beach AND year:2019") == Names{"beach-2019.jpg"});
    CHECK(f.names("lake OR night") == Names{"lake-2019.jpg", "city-2020.jpg"});
    CHECK(f.names("beach -year:2019") == Names{"beach-2021.jpg"});
    // A photo without a camera is not a Pixel: negation includes it.
    CHECK(f.names("-camera:pixel") == Names{"beach-2019.jpg", "scan-50%.jpg", "beach-2021.jpg"});
    CHECK(f.names("(lake OR night) has:gps") == Names{"city-2020.jpg"});
    CHECK(f.names("-(beach OR lake OR night)") == Names{"scan-50%.jpg"});
}

TEST_CASE("values are bound parameters: quotes, SQL and LIKE wildcards are only text", "[catalog][query]") {
    QueryFixture f;
    CHECK(f.names("\"x'; DROP TABLE photos; --\"").empty());
    CHECK(f.names("tag:\"' OR 1=1 --\"").empty());
    CHECK(f.names("50%") == Names{"scan-50%.jpg"});  // % is a character, not a wildcard
    CHECK(f.names("_").empty());
    CHECK(f.catalog().stats().value().photos == 6);  // still there (five live, one missing)
}

TEST_CASE("sorting, paging and counting", "[catalog][query]") {
    QueryFixture f;
    auto by_date = run_query(f.catalog(), "");
    REQUIRE(by_date);
    REQUIRE(by_date->size() == 5);
    CHECK(std::filesystem::path(by_date->front().path).filename() == "lake-2019.jpg");
    CHECK(std::filesystem::path(by_date->back().path).filename() == "scan-50%.jpg");  // no date: last
    QueryOptions newest;
    newest.descending = true;
    newest.limit = 2;
    auto first_page = run_query(f.catalog(), "", newest);
    REQUIRE(first_page);
    REQUIRE(first_page->size() == 2);
    CHECK(std::filesystem::path((*first_page)[0].path).filename() == "beach-2021.jpg");
    newest.offset = 2;
    auto second_page = run_query(f.catalog(), "", newest);
    REQUIRE(second_page);
    CHECK(std::filesystem::path((*second_page)[0].path).filename() == "beach-2019.jpg");
    QueryOptions by_path;
    by_path.sort = SortOrder::path;
    auto paths = run_query(f.catalog(), "", by_path);
    REQUIRE(paths);
    CHECK(std::is_sorted(paths->begin(), paths->end(), [](const PhotoRow& a, const PhotoRow& b) { return a.path < b.path; }));
    CHECK(count_query(f.catalog(), "beach").value() == 2);
    CHECK(count_query(f.catalog(), "failed:").value() == 1);

    auto bad = run_query(f.catalog(), "tag:a (b");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == "bad_query");
    CHECK(bad.error().message.find("position 9") != std::string::npos);
}

TEST_CASE("the first page of a query is the start of its whole ordered list: copies, equal dates, undated photos",
          "[catalog][query]") {
    // The first page is made on its own (catalog_query.cpp, first_page: the LIMIT inside the grouping);
    // the whole list groups every match. Both must agree on every page size.
    lbx::test::TempDir dir;
    auto opened = lbx::test::open_catalog(dir / "library.lbx");
    REQUIRE(opened);
    Catalog& catalog = **opened;
    const int64_t scan = now_us();
    for (int i = 0; i < 40; ++i) {
        Spec s;
        s.name = "p" + std::to_string(100 + (i * 37) % 40) + ".jpg";  // names not in date order
        // Every fourth photo has no date; the others share eight dates, five photos each.
        if (i % 4 != 3) s.taken_at = "2019-0" + std::to_string(1 + i % 8) + "-01T12:00:00";
        if (i % 3 == 0) s.tags.push_back({"beach", "scene"});
        if (i % 5 == 0) s.tags.push_back({"lake", "scene"});
        PhotoResult r = result_of((dir / "photos").string(), s);
        REQUIRE(catalog.record(r, scan));
        if (i % 6 == 0) {  // a copy of the same photo elsewhere: one match, listed by its first path
            r.path = (dir / "copies" / ("a-" + s.name)).string();
            REQUIRE(catalog.record(r, scan));
        }
        if (i % 7 == 0) {
            r.path = (dir / "zz" / s.name).string();
            REQUIRE(catalog.record(r, scan));
        }
    }
    REQUIRE(catalog.flush());
    for (const std::string query : {"", "tag:beach", "tag:beach OR tag:lake", "-tag:beach", "path:zz", "path:copies",
                                    "year:2019", "date:2019-03..2019-05", "p1 OR tag:lake"}) {
        for (const bool descending : {false, true}) {
            QueryOptions all;
            all.descending = descending;
            catalog.forget_last_matches();
            auto whole = run_query(catalog, query, all);
            REQUIRE(whole);
            // The last: a page as long as a command line may ask for (query --limit), the whole list.
            for (const int64_t limit : std::vector<int64_t>{1, 2, 3, 5, 8, 13, 21, 34, 55, INT64_MAX}) {
                INFO("query '" << query << "', " << (descending ? "newest" : "oldest") << " first, page of " << limit);
                QueryOptions page = all;
                page.limit = limit;
                catalog.forget_last_matches();
                auto first = run_query(catalog, query, page);
                REQUIRE(first);
                REQUIRE(first->size() == static_cast<std::size_t>(std::min<int64_t>(limit, static_cast<int64_t>(whole->size()))));
                for (std::size_t i = 0; i < first->size(); ++i) {
                    INFO("row " << i);
                    CHECK((*first)[i].path == (*whole)[i].path);
                    CHECK((*first)[i].hash == (*whole)[i].hash);
                    CHECK((*first)[i].taken_at == (*whole)[i].taken_at);
                    CHECK((*first)[i].status == (*whole)[i].status);
                    CHECK((*first)[i].width == (*whole)[i].width);
                }
            }
        }
    }
}

TEST_CASE("facets count tags, cameras, years and places over the matches", "[catalog][query]") {
    QueryFixture f;
    auto all = facets_of(f.catalog(), "");
    REQUIRE(all);
    auto count_of = [](const std::vector<FacetCount>& counts, const std::string& value) {
        for (const auto& c : counts)
            if (c.value == value) return c.count;
        return int64_t{0};
    };
    CHECK(count_of(all->tags, "beach") == 2);  // the missing photo's tag does not count
    CHECK(count_of(all->tags, "grandma") == 1);
    CHECK(count_of(all->tags, "Paris") == 0);  // places have their own facet
    CHECK(count_of(all->places, "Paris") == 1);
    CHECK(count_of(all->cameras, "Google Pixel 7") == 2);
    // The model repeats the make: the camera is named once ("Canon Canon EOS R6" before).
    CHECK(count_of(all->cameras, "Canon EOS R6") == 1);
    CHECK(count_of(all->cameras, "SONY ILCE-7M3") == 1);
    CHECK(all->cameras.size() == 3);
    CHECK(count_of(all->years, "2019") == 2);
    CHECK(all->tags.front().value == "beach");  // most frequent first

    auto pixel = facets_of(f.catalog(), "camera:pixel");
    REQUIRE(pixel);
    CHECK(count_of(pixel->tags, "beach") == 0);
    CHECK(count_of(pixel->years, "2020") == 1);
    CHECK(count_of(pixel->months, "2020-01") == 1);
    CHECK(count_of(pixel->months, "2019-05") == 1);
    CHECK(pixel->months.size() == 2);
    CHECK(pixel->cameras.size() == 1);

    // A month chosen in the shell becomes date:YYYY-MM.
    CHECK(count_query(f.catalog(), "date:2019-07").value() == 1);
}

TEST_CASE("facets follow the catalog: a user tag, a photo another connection records, a removed photo", "[catalog][query]") {
    QueryFixture f;
    auto beach_count = [&](Catalog& c) {
        auto facets = facets_of(c, "");
        REQUIRE(facets);
        for (const auto& t : facets->tags)
            if (t.value == "beach") return t.count;
        return int64_t{0};
    };
    CHECK(beach_count(f.catalog()) == 2);

    REQUIRE(f.catalog().add_user_tag("hash-lake-2019.jpg", "beach"));
    CHECK(beach_count(f.catalog()) == 3);  // this connection's write
    CHECK(facets_of(f.catalog(), "tag:beach")->tags.front().count == 3);

    {
        auto other = lbx::test::open_catalog(f.dir() / "library.lbx");
        REQUIRE(other);
        REQUIRE((*other)->record(result_of((f.dir() / "photos").string(), {"sea.jpg", "2022-02-02T02:02:02", "", "", 0, false,
                                                                           {{"beach", "scene"}, {"beach", "water"}}}),
                                 now_us()));
        REQUIRE((*other)->flush());
    }
    CHECK(beach_count(f.catalog()) == 4);  // another connection's commit; two categories count the photo once

    REQUIRE(f.catalog().remove_photos({"hash-sea.jpg"}));
    CHECK(beach_count(f.catalog()) == 3);
}

TEST_CASE("pages of one query slice the same ordered matches, and a change to the catalog is seen by the next page",
          "[catalog][query]") {
    QueryFixture f;
    QueryOptions all;
    all.sort = SortOrder::path;
    auto whole = run_query(f.catalog(), "", all);
    REQUIRE(whole);
    REQUIRE(whole->size() == 5);
    std::vector<std::string> paged;
    for (int64_t offset = 0; offset < 7; offset += 2) {
        QueryOptions page = all;
        page.offset = offset;
        page.limit = 2;
        auto rows = run_query(f.catalog(), "", page);
        REQUIRE(rows);
        CHECK(rows->size() == static_cast<std::size_t>(std::clamp<int64_t>(5 - offset, 0, 2)));
        for (const auto& r : *rows) {
            paged.push_back(r.path);
            CHECK_FALSE(r.format.empty());  // the photo's columns are filled for every row of a page
        }
    }
    std::vector<std::string> expected;
    for (const auto& r : *whole) expected.push_back(r.path);
    CHECK(paged == expected);
    CHECK(count_query(f.catalog(), "").value() == 5);

    // Another connection adds a photo; this connection's next page and count see it.
    {
        auto other = lbx::test::open_catalog(f.dir() / "library.lbx");
        REQUIRE(other);
        REQUIRE((*other)->record(result_of((f.dir() / "photos").string(), {"aaa-first.jpg", "2018-01-01T00:00:00", "", "", 0, false, {}}),
                                 now_us()));
        REQUIRE((*other)->flush());
    }
    QueryOptions first = all;
    first.limit = 1;
    auto rows = run_query(f.catalog(), "", first);
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    CHECK(rows->front().path.find("aaa-first.jpg") != std::string::npos);
    CHECK(count_query(f.catalog(), "").value() == 6);

    // This connection's own write: a user tag makes a photo match.
    CHECK(count_query(f.catalog(), "tag:favourite").value() == 0);
    REQUIRE(f.catalog().add_user_tag("hash-city-2020.jpg", "favourite"));
    CHECK(count_query(f.catalog(), "tag:favourite").value() == 1);
}

TEST_CASE("queries at the parser's limits run in SQLite, and past them are bad_query", "[catalog][query]") {
    QueryFixture f;
    // The most terms, each a word (three bound values), half of them negated, in ORs and ANDs.
    std::string most;
    for (std::size_t i = 0; i + 1 < kMaxQueryTerms; ++i) most += (i % 3 ? "-w" : "w") + std::to_string(i) + (i % 2 ? " OR " : " ");
    CHECK_FALSE(f.names(most + "beach").empty());
    // The deepest nesting, in the shape whose SQL nests deepest (a negated OR of a word and an AND at
    // every level, a negated failure term inside), counted (a subquery: one level more).
    std::string deepest;
    for (std::size_t i = 0; i < kMaxQueryDepth; ++i) deepest += "-(x" + std::to_string(i) + " OR y ";
    deepest += "-failed:decode" + std::string(kMaxQueryDepth, ')');
    auto deepest_count = count_query(f.catalog(), deepest);
    if (!deepest_count) FAIL(deepest_count.error().message);

    auto deep = run_query(f.catalog(), std::string(20000, '(') + "a" + std::string(20000, ')'));
    REQUIRE_FALSE(deep);
    CHECK(deep.error().code == "bad_query");
    CHECK(deep.error().message.size() < 300);
}

TEST_CASE("an SQLite error names the problem without quoting the statement", "[catalog][sqlite_only]") {
    QueryFixture f;
    auto bad = f.catalog().database().prepare("SELECT " + std::string(100000, '1') + " FROM no_such_table");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "cannot prepare a catalog statement: no such table: no_such_table");
    CHECK(bad.error().detail.size() < 100);
}

TEST_CASE("queries the facet index answers in memory list what the SQL lists, in the same order", "[catalog][query]") {
    // Once the facet index is current (facets_of builds it), tag:, label:, group:, year: and date: queries
    // are answered from it (indexed_query.cpp). A `-path:` term the index does not answer sends the same
    // query through SQL: both must give the same photos, first paths, order, counts and facets. The
    // library has what makes that hard: names in several cases, ties of dates and of added times, undated
    // photos, copies, copies that went missing, photos with no live file left, and failed files.
    lbx::test::TempDir dir;
    auto opened = lbx::test::open_catalog(dir / "library.lbx");
    REQUIRE(opened);
    Catalog& catalog = **opened;
    const std::string root = (dir / "photos").string();
    const int64_t scan = now_us();
    const std::vector<std::pair<std::string, std::string>> vocabulary = {
        {"beach", "scene"}, {"Beach", "scene"},    {"lake", "scene"},      {"dog", "label"},   {"Dog", "label"},
        {"cat", "label"},   {"animals", "group"},  {"Vehicles", "group"},  {"2019", "date"},   {"Paris", "place"},
        {"night", "light"}, {"people", "group"},   {"person", "label"},    {"car", "label"},   {"BEACH", "water"}};
    uint32_t state = 12345;  // a fixed linear congruential sequence: the same library on every run
    const auto next = [&](uint32_t n) {
        state = state * 1103515245u + 12345u;
        return (state >> 16) % n;
    };
    for (int i = 0; i < 160; ++i) {
        Spec s;
        s.name = "p" + std::to_string(next(1000)) + "-" + std::to_string(i) + ".jpg";
        const uint32_t date = next(12);
        if (date < 10) s.taken_at = "201" + std::to_string(8 + date % 3) + "-0" + std::to_string(1 + date % 9) + "-1" + std::to_string(date % 3) + "T12:00:00";
        if (date == 10) s.taken_at = "2019-07-14T10:00:00+02:00";
        for (uint32_t t = next(4); t > 0; --t) s.tags.push_back(vocabulary[next(static_cast<uint32_t>(vocabulary.size()))]);
        PhotoResult r = result_of(root, s);
        const uint32_t fate = next(10);
        // fate 0: every file went missing; 1: its first path went missing, a copy is live; 2: two live copies.
        REQUIRE(catalog.record(r, fate == 0 ? scan - 1000 : scan + next(4)));
        if (fate == 1 || fate == 2) {
            r.path = root + "/a-copies/" + s.name;
            REQUIRE(catalog.record(r, fate == 1 ? scan - 1000 : scan + 1));
        }
        if (i % 9 == 0) REQUIRE(catalog.add_user_tag(r.hash, i % 2 ? "Holiday" : "beach"));
    }
    PhotoResult failed;
    failed.path = root + "/broken.jpg";
    failed.file_size = 10;
    failed.failure = StageFailure{"decode", "jpegdec", "org.lightbox.jpegdec", "1.0.0", "truncated", "truncated at byte 10"};
    REQUIRE(catalog.record(failed, scan));
    REQUIRE(catalog.flush());
    REQUIRE(catalog.mark_missing({root}, scan));
    REQUIRE(facets_of(catalog, ""));  // builds the index

    const std::vector<std::string> queries = {
        "", "tag:beach", "tag:BEACH", "tag:Holiday", "tag:2019", "tag:paris", "label:dog", "group:animals", "group:vehicles",
        "label:beach", "tag:nothing", "year:2019", "year:2018..2019", "date:2019-07", "date:2019-07-14", "date:<2019-07",
        "date:<=2019-07", "date:>2019-07", "date:>=2019-07-14", "year:<2019", "-year:2019", "-tag:beach",
        "tag:beach year:2019", "tag:beach OR label:dog", "-(tag:beach OR group:animals) year:2018..2020",
        "(tag:lake OR -label:cat) -(date:2019-01 OR date:2019-02)", "-(-tag:beach)", "tag:night OR -year:2018"};
    for (const std::string& query : queries) {
        const std::string through_sql = (query.empty() ? std::string() : "(" + query + ") ") + "-path:no-such-path";
        CHECK(answered_from_index(catalog, query).value());
        CHECK_FALSE(answered_from_index(catalog, through_sql).value());
        for (const SortOrder sort : {SortOrder::taken, SortOrder::path, SortOrder::added}) {
            for (const bool descending : {false, true}) {
                INFO("query '" << query << "', sort " << static_cast<int>(sort) << (descending ? " descending" : ""));
                QueryOptions options;
                options.sort = sort;
                options.descending = descending;
                catalog.forget_last_matches();
                auto memory = run_query(catalog, query, options);
                catalog.forget_last_matches();
                auto sql = run_query(catalog, through_sql, options);
                REQUIRE(memory);
                REQUIRE(sql);
                REQUIRE(memory->size() == sql->size());
                for (std::size_t i = 0; i < sql->size(); ++i) {
                    INFO("row " << i);
                    CHECK((*memory)[i].hash == (*sql)[i].hash);
                    CHECK((*memory)[i].path == (*sql)[i].path);
                    CHECK((*memory)[i].status == (*sql)[i].status);
                    CHECK((*memory)[i].taken_at == (*sql)[i].taken_at);
                }
                // The first page alone, and a page further on.
                for (const int64_t offset : {0, 7}) {
                    QueryOptions page = options;
                    page.offset = offset;
                    page.limit = 5;
                    catalog.forget_last_matches();
                    auto rows = run_query(catalog, query, page);
                    REQUIRE(rows);
                    for (std::size_t i = 0; i < rows->size(); ++i) CHECK((*rows)[i].path == (*sql)[offset + i].path);
                }
            }
        }
        catalog.forget_last_matches();
        CHECK(count_query(catalog, query).value() == count_query(catalog, through_sql).value());
        auto memory = facets_of(catalog, query, 100);
        auto sql = facets_of(catalog, through_sql, 100);
        REQUIRE(memory);
        REQUIRE(sql);
        const auto same = [](const std::vector<FacetCount>& a, const std::vector<FacetCount>& b) {
            if (a.size() != b.size()) return false;
            for (std::size_t i = 0; i < a.size(); ++i)
                if (a[i].value != b[i].value || a[i].count != b[i].count) return false;
            return true;
        };
        INFO("facets of '" << query << "'");
        CHECK(same(memory->tags, sql->tags));
        CHECK(same(memory->years, sql->years));
        CHECK(same(memory->months, sql->months));
        CHECK(same(memory->groups, sql->groups));
        CHECK(same(memory->labels, sql->labels));
        CHECK(same(memory->places, sql->places));
    }
}

TEST_CASE("a query answered in memory sees a change at once: SQL answers until facets rebuild the index", "[catalog][query]") {
    QueryFixture f;
    REQUIRE(facets_of(f.catalog(), ""));
    CHECK(answered_from_index(f.catalog(), "tag:beach").value());
    CHECK(f.names("tag:beach") == Names{"beach-2019.jpg", "beach-2021.jpg"});
    CHECK_FALSE(answered_from_index(f.catalog(), "tag:caf\xc3\xa9").value());  // not ASCII: NOCASE differs by backend
    CHECK_FALSE(answered_from_index(f.catalog(), "beach").value());             // a word may be a camera or a path too

    REQUIRE(f.catalog().add_user_tag("hash-lake-2019.jpg", "BEACH"));
    CHECK_FALSE(answered_from_index(f.catalog(), "tag:beach").value());  // the index is that of the catalog before
    CHECK(f.names("tag:beach") == Names{"beach-2019.jpg", "beach-2021.jpg", "lake-2019.jpg"});
    REQUIRE(facets_of(f.catalog(), "tag:beach"));
    CHECK(answered_from_index(f.catalog(), "tag:beach").value());
    CHECK(f.names("tag:beach") == Names{"beach-2019.jpg", "beach-2021.jpg", "lake-2019.jpg"});
    CHECK(f.names("-tag:beach year:2019..2020") == Names{"city-2020.jpg"});
    CHECK(count_query(f.catalog(), "tag:beach").value() == 3);
}
