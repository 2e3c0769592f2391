// One photo record everywhere (sdk_docs/run-json.md): `run --json`, `query --json` and `lightbox-ctl query
// --format jsonl` print the same fields for the same photo, with the EXIF summary; --fields chooses them;
// --format jsonl|json|csv|tsv each parse back (a path with a comma and a quote survives CSV); a page keeps
// the total; facets come in their own shape, never among the records; bad values are usage errors.
// Real processes on a real catalog made by `run --catalog` from generated photos.
#include "sample/bad_files.hpp"
#include "sample/exif_writer.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/child_process.hpp"
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

using namespace lbx;
using nlohmann::json;
using test::run_engine;

namespace {

std::vector<json> json_lines(const std::string& text) {
    std::vector<json> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty()) out.push_back(json::parse(line));
    return out;
}

std::map<std::string, json> by_path(const std::vector<json>& records) {
    std::map<std::string, json> out;
    for (const json& r : records) out[r.at("path").get<std::string>()] = r;
    return out;
}

std::set<std::string> keys_of(const json& object) {
    std::set<std::string> out;
    for (const auto& [key, value] : object.items()) out.insert(key);
    return out;
}

// RFC 4180: fields separated by ',', records by CRLF; a quoted field may hold ',', '"' (doubled), CR, LF.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            row.push_back(std::move(field));
            field.clear();
            rows.push_back(std::move(row));
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    REQUIRE_FALSE(quoted);
    REQUIRE(field.empty());  // every record ends with CRLF
    return rows;
}

// TSV: tab-separated, one line per row; \t \n \r \\ undone.
std::vector<std::vector<std::string>> parse_tsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        std::vector<std::string> row(1);
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (line[i] == '\t') {
                row.emplace_back();
            } else if (line[i] == '\\' && i + 1 < line.size()) {
                const char e = line[++i];
                row.back() += e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e;
            } else {
                row.back() += line[i];
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

struct Library {
    test::TempDir dir;
    std::filesystem::path photos = dir / "photos";
    std::string catalog = (dir / "lib.lbx").string();
    std::string thumbs = (dir / "thumbs").string();
    std::string bern;   // 2019, with GPS
    std::string odd;    // 2021, a comma and a quote in its name, no GPS
    std::string plain;  // 2019, no GPS
    std::vector<json> run_records;

    Library() {
        std::filesystem::create_directories(photos);
        sample::ExifSpec a;
        a.make = "Google";
        a.model = "Pixel 7";
        a.lens = "Pixel 7 back camera";
        a.date_time_original = "2019:06:01 08:00:00";
        a.iso = 200;
        a.f_number = 1.85;
        a.exposure_time = 0.004;
        a.focal_length = 6.81;
        a.gps_lat = 46.948;
        a.gps_lon = 7.4474;
        bern = (photos / "bern.jpg").string();
        test::write_file(bern, sample::with_exif(sample::encode_jpeg(sample::make_scene(640, 480, 11)), a));
        sample::ExifSpec b;
        b.make = "Canon";
        b.model = "EOS R6";
        b.date_time_original = "2021:03:04 10:00:00";
        b.iso = 800;
        odd = (photos / "we,ird \"name\".jpg").string();
        test::write_file(odd, sample::with_exif(sample::encode_jpeg(sample::make_scene(480, 320, 12)), b));
        sample::ExifSpec c;
        c.date_time_original = "2019:12:24 18:00:00";
        plain = (photos / "plain.jpg").string();
        test::write_file(plain, sample::with_exif(sample::encode_jpeg(sample::make_scene(320, 240, 13)), c));

        auto ran = run_engine({"run", "--json", "--no-progress", "--analysis", "off", "--sizes=128", "--thumbs", thumbs,
                               "--catalog", catalog, photos.string()});
        INFO(ran.err);
        REQUIRE(ran.exit_code == 0);
        run_records = json_lines(ran.out);
        REQUIRE(run_records.size() == 3);
    }

    test::ProcessResult query(std::vector<std::string> args) const {
        args.insert(args.begin(), {"query", "--catalog", catalog});
        return run_engine(args);
    }
};

}  // namespace

TEST_CASE("run and query and lightbox-ctl query print the same record for the same photo with its EXIF summary",
          "[record]") {
    Library lib;
    const auto from_run = by_path(lib.run_records);
    // A file that failed: listed by failed: queries, with the error the catalog's ledger kept.
    const std::filesystem::path broken_dir = lib.dir / "broken";
    std::filesystem::create_directories(broken_dir);
    const std::string broken = (broken_dir / "broken.jpg").string();
    test::write_file(broken, sample::truncate_bytes(sample::encode_jpeg(sample::make_scene(640, 480, 14)), 900));
    auto failed_run = run_engine(
        {"run", "--json", "--no-progress", "--analysis", "off", "--catalog", lib.catalog, broken_dir.string()});
    REQUIRE(failed_run.exit_code == 1);
    const auto failed_records = json_lines(failed_run.out);
    REQUIRE(failed_records.size() == 1);
    const json run_error = failed_records[0].at("error");

    auto queried = lib.query({"--json", "--sort", "path"});
    INFO(queried.err);
    REQUIRE(queried.exit_code == 0);
    const auto from_query = by_path(json_lines(queried.out));
    REQUIRE(from_query.size() == 3);

    test::ServedEngine engine({"--catalog", lib.catalog, "--analysis", "off"});
    auto listed =
        test::run_ctl({"--endpoint", engine.command_endpoint(), "query", "--format", "jsonl", "--sort", "path"});
    INFO(listed.err);
    REQUIRE(listed.exit_code == 0);
    const auto from_ctl = by_path(json_lines(listed.out));
    REQUIRE(from_ctl.size() == 3);
    // The global --json is --format jsonl there too: the same records.
    auto listed_json = test::run_ctl({"--endpoint", engine.command_endpoint(), "--json", "query", "--sort", "path"});
    REQUIRE(listed_json.exit_code == 0);
    CHECK(by_path(json_lines(listed_json.out)) == from_ctl);

    for (const std::string& path : {lib.bern, lib.odd, lib.plain}) {
        INFO(path);
        REQUIRE(from_run.count(path) == 1);
        REQUIRE(from_query.count(path) == 1);
        REQUIRE(from_ctl.count(path) == 1);
        const json& r = from_run.at(path);
        const json& q = from_query.at(path);
        const json& c = from_ctl.at(path);
        // The same fields: run adds only the time it spent and what `catalog import` needs besides (the
        // perceptual hash, the analysis marks).
        std::set<std::string> run_keys = keys_of(r);
        CHECK(r.at("phash").get<std::string>().size() == 16);
        for (const char* run_only : {"seconds", "phash", "analysed"}) run_keys.erase(run_only);
        CHECK(keys_of(q) == run_keys);
        CHECK(keys_of(c) == run_keys);
        CHECK(q == c);  // the library's record, whichever program reads it
        for (const char* field :
             {"status", "hash", "format", "size", "width", "height", "thumbnails", "people", "regions"}) {
            INFO(field);
            CHECK(q.at(field) == r.at(field));
        }
        // The catalog keeps the summary's capture fields (not orientation, pixel size or altitude): each as run gave
        // it.
        for (const auto& [name, value] : q.at("exif").items()) {
            INFO(name);
            CHECK(r.at("exif").at(name) == value);
        }
        std::set<std::pair<std::string, std::string>> run_tags, query_tags;
        for (const json& t : r.at("tags")) run_tags.emplace(t.at("name"), t.at("category"));
        for (const json& t : q.at("tags")) query_tags.emplace(t.at("name"), t.at("category"));
        CHECK(query_tags == run_tags);
    }
    for (const auto& failed :
         {json_lines(lib.query({"--json", "failed:"}).out),
          json_lines(test::run_ctl({"--endpoint", engine.command_endpoint(), "--json", "query", "failed:"}).out)}) {
        REQUIRE(failed.size() == 1);
        CHECK(failed[0].at("path") == broken);
        CHECK(failed[0].at("status") == "failed");
        for (const char* field : {"stage", "plugin", "code", "message"})
            CHECK(failed[0].at("error").at(field) == run_error.at(field));
    }
    const json& bern = from_query.at(lib.bern).at("exif");
    CHECK(bern.at("taken_at") == "2019-06-01T08:00:00");
    CHECK(bern.at("make") == "Google");
    CHECK(bern.at("model") == "Pixel 7");
    CHECK(bern.at("lens") == "Pixel 7 back camera");
    CHECK(bern.at("iso") == 200);
    CHECK(bern.at("f_number").get<double>() == Approx(1.85));
    CHECK(bern.at("exposure_time").get<double>() == Approx(0.004));
    CHECK(bern.at("gps_lat").get<double>() == Approx(46.948));
    CHECK(bern.at("gps_lon").get<double>() == Approx(7.4474));
    CHECK(from_query.at(lib.bern).at("thumbnails").size() == 1);
}

TEST_CASE("fields choose the record fields on run and query and lightbox-ctl query", "[record]") {
    Library lib;
    // "path, lat, lon of every 2019 photo", straight from query; bare exif names are exif.NAME.
    auto queried = lib.query({"--fields", "path,gps_lat,exif.gps_lon", "--sort", "path", "year:2019"});
    INFO(queried.err);
    REQUIRE(queried.exit_code == 0);
    const auto records = json_lines(queried.out);
    REQUIRE(records.size() == 2);
    CHECK(records[0] == json{{"path", lib.bern}, {"exif", {{"gps_lat", 46.948}, {"gps_lon", 7.4474}}}});
    CHECK(records[1] == json{{"path", lib.plain}});  // no GPS: the fields are absent, not null

    auto ran = run_engine({"run", "--fields", "path,hash,exif.make", "--no-progress", "--analysis", "off",
                           "--only=metadata", "--hash", lib.bern});
    INFO(ran.err);
    REQUIRE(ran.exit_code == 0);
    const auto run_records = json_lines(ran.out);
    REQUIRE(run_records.size() == 1);
    CHECK(keys_of(run_records[0]) == std::set<std::string>{"path", "hash", "exif"});
    CHECK(run_records[0].at("exif") == json{{"make", "Google"}});

    test::ServedEngine engine({"--catalog", lib.catalog, "--analysis", "off"});
    auto listed = test::run_ctl(
        {"--endpoint", engine.command_endpoint(), "query", "--fields", "hash,size,people", "camera:canon"});
    INFO(listed.err);
    REQUIRE(listed.exit_code == 0);
    const auto ctl_records = json_lines(listed.out);
    REQUIRE(ctl_records.size() == 1);
    CHECK(keys_of(ctl_records[0]) == std::set<std::string>{"hash", "size", "people"});
    CHECK(ctl_records[0].at("people") == json::array());
    CHECK(ctl_records[0].at("size") == std::filesystem::file_size(lib.odd));
}

TEST_CASE("the raw metadata entries are written only when named, the same by run and query and lightbox-ctl query", "[record]") {
    Library lib;
    // Not in a record without --fields.
    for (const json& r : lib.run_records) CHECK_FALSE(r.contains("metadata"));
    auto plain = lib.query({"--json", "--sort", "path"});
    REQUIRE(plain.exit_code == 0);
    for (const json& r : json_lines(plain.out)) CHECK_FALSE(r.contains("metadata"));

    auto ran = run_engine({"run", "--fields", "all", "--no-progress", "--analysis", "off", "--only=metadata", "--hash", lib.bern});
    INFO(ran.err);
    REQUIRE(ran.exit_code == 0);
    const auto run_records = json_lines(ran.out);
    REQUIRE(run_records.size() == 1);
    const json& entries = run_records[0].at("metadata");
    CHECK(entries.at("Exif.Image.Make").at("value") == "Google");
    CHECK(entries.at("Exif.Image.Model").at("value") == "Pixel 7");
    // How people read a value, beside the value: the f-number's rational as "F1.9" or the like.
    CHECK(entries.at("Exif.Photo.FNumber").at("value") == "37/20");  // 1.85, as the writer reduced it
    CHECK(entries.at("Exif.Photo.FNumber").at("printed").get<std::string>().find("F1.") == 0);
    CHECK(run_records[0].contains("exif"));  // `all` is every field, not only the named-only ones

    auto queried = lib.query({"--fields", "path,metadata", "camera:pixel"});
    INFO(queried.err);
    REQUIRE(queried.exit_code == 0);
    const auto query_records = json_lines(queried.out);
    REQUIRE(query_records.size() == 1);
    CHECK(keys_of(query_records[0]) == std::set<std::string>{"path", "metadata"});
    CHECK(query_records[0].at("metadata") == entries);

    test::ServedEngine engine({"--catalog", lib.catalog, "--analysis", "off"});
    auto listed = test::run_ctl({"--endpoint", engine.command_endpoint(), "query", "--fields", "path,metadata", "camera:pixel"});
    INFO(listed.err);
    REQUIRE(listed.exit_code == 0);
    const auto ctl_records = json_lines(listed.out);
    REQUIRE(ctl_records.size() == 1);
    CHECK(ctl_records[0] == query_records[0]);

    // CSV: one column, the entries as compact JSON; not among the default columns.
    auto csv = lib.query({"--format", "csv", "--fields", "path,metadata", "camera:pixel"});
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("path,metadata\r\n", 0) == 0);
    auto default_csv = lib.query({"--format", "csv"});
    REQUIRE(default_csv.exit_code == 0);
    CHECK(default_csv.out.substr(0, default_csv.out.find('\n')).find("metadata") == std::string::npos);
}

TEST_CASE("the json and csv and tsv formats parse back and a path with a comma and a quote survives CSV", "[record]") {
    Library lib;
    auto as_json = lib.query({"--format", "json", "--sort", "path"});
    INFO(as_json.err);
    REQUIRE(as_json.exit_code == 0);
    const json document = json::parse(as_json.out);
    REQUIRE(document.at("photos").size() == 3);
    CHECK(document.at("total") == 3);
    CHECK(document.at("count") == 3);
    CHECK(document.at("offset") == 0);
    CHECK(document.at("photos") == json(json_lines(lib.query({"--json", "--sort", "path"}).out)));

    auto as_csv = lib.query({"--format", "csv", "--fields", "path,hash,exif,tags", "--sort", "path"});
    INFO(as_csv.err);
    REQUIRE(as_csv.exit_code == 0);
    const auto rows = parse_csv(as_csv.out);
    REQUIRE(rows.size() == 4);
    REQUIRE(rows[0].size() > 4);
    CHECK(rows[0][0] == "path");
    CHECK(rows[0][1] == "hash");
    CHECK(rows[0][2] == "exif.taken_at");  // exif is expanded into a column per field
    CHECK(rows[0].back() == "tags");
    std::map<std::string, std::vector<std::string>> csv_rows;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        REQUIRE(rows[i].size() == rows[0].size());
        csv_rows[rows[i][0]] = rows[i];
    }
    REQUIRE(csv_rows.count(lib.odd) == 1);  // the comma and the quotes came back
    const auto column = [&](const std::string& name) {
        return static_cast<std::size_t>(std::find(rows[0].begin(), rows[0].end(), name) - rows[0].begin());
    };
    CHECK(csv_rows[lib.bern][column("exif.gps_lat")] == "46.948");
    CHECK(csv_rows[lib.bern][column("exif.make")] == "Google");
    CHECK(csv_rows[lib.odd][column("exif.gps_lat")].empty());  // unknown: an empty cell
    const auto from_json = by_path(document.at("photos").get<std::vector<json>>());
    CHECK(json::parse(csv_rows[lib.bern][column("tags")]) ==
          from_json.at(lib.bern).at("tags"));  // an array: its JSON text
    CHECK(csv_rows[lib.odd][1] == from_json.at(lib.odd).at("hash"));

    auto as_tsv = lib.query({"--format", "tsv", "--fields", "path,exif.iso,width", "--sort", "path"});
    INFO(as_tsv.err);
    REQUIRE(as_tsv.exit_code == 0);
    const auto tsv = parse_tsv(as_tsv.out);
    REQUIRE(tsv.size() == 4);
    CHECK(tsv[0] == std::vector<std::string>{"path", "exif.iso", "width"});
    std::map<std::string, std::vector<std::string>> tsv_rows;
    for (std::size_t i = 1; i < tsv.size(); ++i) tsv_rows[tsv[i][0]] = tsv[i];
    CHECK(tsv_rows.at(lib.odd) == std::vector<std::string>{lib.odd, "800", "480"});
    CHECK(tsv_rows.at(lib.plain)[1].empty());

    // run writes the same formats: a json document at the end of the run.
    auto run_json = run_engine(
        {"run", "--format", "json", "--no-progress", "--analysis", "off", "--only=metadata", lib.photos.string()});
    INFO(run_json.err);
    REQUIRE(run_json.exit_code == 0);
    const json run_document = json::parse(run_json.out);
    CHECK(run_document.at("photos").size() == 3);
    CHECK(run_document.at("total") == 3);
    auto run_csv = run_engine({"run", "--format", "csv", "--fields", "path,status", "--no-progress", "--analysis",
                               "off", "--only=metadata", lib.odd});
    REQUIRE(run_csv.exit_code == 0);
    CHECK(parse_csv(run_csv.out) == std::vector<std::vector<std::string>>{{"path", "status"}, {lib.odd, "ok"}});
}

TEST_CASE("a page keeps the total and facets come in their own shape never among the records", "[record]") {
    Library lib;
    auto page = lib.query({"--format", "json", "--limit", "1", "--offset", "1", "--sort", "path"});
    INFO(page.err);
    REQUIRE(page.exit_code == 0);
    const json document = json::parse(page.out);
    CHECK(document.at("photos").size() == 1);
    CHECK(document.at("count") == 1);
    CHECK(document.at("total") == 3);
    CHECK(document.at("offset") == 1);
    CHECK_FALSE(document.contains("facets"));
    // jsonl and csv: the records on stdout, the total on stderr.
    auto lines = lib.query({"--json", "--limit", "2"});
    REQUIRE(lines.exit_code == 0);
    CHECK(json_lines(lines.out).size() == 2);
    CHECK(lines.err.find("2 of 3 photos") != std::string::npos);

    auto faceted = lib.query({"--format", "json", "--facets", "--limit", "0"});
    INFO(faceted.err);
    REQUIRE(faceted.exit_code == 0);
    const json with_facets = json::parse(faceted.out);
    CHECK(with_facets.at("photos") == json::array());
    CHECK(with_facets.at("total") == 3);
    const json& facets = with_facets.at("facets");
    CHECK(keys_of(facets) ==
          std::set<std::string>{"tags", "cameras", "years", "months", "places", "groups", "labels", "people"});
    std::map<std::string, uint64_t> years;
    for (const json& y : facets.at("years")) {
        CHECK(keys_of(y) == std::set<std::string>{"value", "count"});
        years[y.at("value")] = y.at("count");
    }
    CHECK(years == std::map<std::string, uint64_t>{{"2019", 2}, {"2021", 1}});

    // The facets never go into a record stream.
    auto mixed = lib.query({"--json", "--facets"});
    CHECK(mixed.exit_code == 2);
    CHECK(mixed.out.empty());
    CHECK(mixed.err.find("--facets goes with --format json") != std::string::npos);

    // lightbox-ctl: the same document keys and the same facet shape; `facets` prints that shape alone.
    test::ServedEngine engine({"--catalog", lib.catalog, "--analysis", "off"});
    auto ctl_page = test::run_ctl({"--endpoint", engine.command_endpoint(), "query", "--format", "json", "--facets",
                                   "--limit", "1", "--fields", "path"});
    INFO(ctl_page.err);
    REQUIRE(ctl_page.exit_code == 0);
    const json ctl_document = json::parse(ctl_page.out);
    CHECK(ctl_document.at("total") == 3);
    CHECK(ctl_document.at("count") == 1);
    CHECK(ctl_document.at("facets") == facets);
    auto ctl_facets = test::run_ctl({"--endpoint", engine.command_endpoint(), "--json", "facets"});
    REQUIRE(ctl_facets.exit_code == 0);
    CHECK(json::parse(ctl_facets.out) == facets);
}

TEST_CASE("bad --fields and --format values are usage errors that say what is valid", "[record]") {
    Library lib;
    auto bad_field = lib.query({"--fields", "path,lat"});
    CHECK(bad_field.exit_code == 2);
    CHECK(bad_field.out.empty());
    CHECK(bad_field.err.find("unknown field 'lat'") != std::string::npos);
    CHECK(bad_field.err.find("gps_lat") != std::string::npos);  // the valid names are listed
    auto bad_format = lib.query({"--format", "xml"});
    CHECK(bad_format.exit_code == 2);
    CHECK(bad_format.err.find("'xml' is not one of: jsonl, json, csv, tsv") != std::string::npos);
    auto both = lib.query({"--json", "--format", "csv"});
    CHECK(both.exit_code == 2);
    CHECK(both.err.find("--json is --format jsonl") != std::string::npos);
    auto empty_name = run_engine({"run", "--fields", "path,,hash", lib.bern});
    CHECK(empty_name.exit_code == 2);
    CHECK(empty_name.err.find("empty field name") != std::string::npos);
    auto ctl_bad = test::run_ctl({"--endpoint", "ipc:///nonexistent/engine.cmd", "query", "--fields", "exif.nope"});
    CHECK(ctl_bad.exit_code == 2);  // refused before any request
    CHECK(ctl_bad.err.find("unknown field 'exif.nope'") != std::string::npos);
}
