// The photo record's writers (cli_support/record_output.hpp) on their own: --fields names, CSV quoting
// (RFC 4180), TSV escaping, the columns of a selection, and a json document's tail.
#include <lightbox/cli/record_output.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

using namespace lbx::cli;
using nlohmann::json;

namespace {

// What a RecordWriter writes, read back from a temporary FILE.
struct Captured {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file{std::tmpfile(), &std::fclose};

    std::string text() {
        std::fflush(file.get());
        std::rewind(file.get());
        std::string out;
        char buffer[4096];
        for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0;) out.append(buffer, n);
        return out;
    }
};

PhotoRecord sample_record() {
    PhotoRecord r;
    r.path = "/p/we,ird \"name\".jpg";
    r.status = "ok";
    r.hash = "0123456789abcdef0123456789abcdef";
    r.exif = RecordExif{{{"make", "Google"}}, {{"gps_lat", 46.948}}, {{"iso", 200}}};
    r.tags = std::vector<RecordTag>{{"beach", "user", 1.0, "user"}};
    r.people = std::vector<std::string>{};
    return r;
}

}  // namespace

TEST_CASE("field lists take record names and dotted names and bare exif names and refuse the rest with the valid names",
          "[cli_support][record]") {
    std::string error;
    auto fields = parse_fields("path, gps_lat,exif.iso,error.code,width,path", error);
    REQUIRE(fields);
    CHECK(fields->names == std::vector<std::string>{"path", "exif.gps_lat", "exif.iso", "error.code", "width"});
    CHECK(fields->wants_any({"exif"}));
    CHECK_FALSE(fields->wants_any({"tags", "thumbnails"}));
    CHECK(FieldSelection{}.wants_any({"tags"}));  // all fields

    CHECK_FALSE(parse_fields("path,lat", error));
    CHECK(error.find("unknown field 'lat'") == 0);
    CHECK(error.find("exif.NAME or NAME for taken_at") != std::string::npos);
    CHECK_FALSE(parse_fields("exif.path", error));
    CHECK_FALSE(parse_fields("tags.name", error));
    CHECK_FALSE(parse_fields("path,", error));
    CHECK(error.find("empty field name") != std::string::npos);
    CHECK_FALSE(parse_fields("path_b64", error));  // it comes with path
}

TEST_CASE("metadata is written only when named, all names every field, metadata included", "[cli_support][record]") {
    std::string error;
    CHECK_FALSE(FieldSelection{}.names_field("metadata"));  // without --fields: every field but metadata
    const std::vector<std::string> default_columns = columns_of(FieldSelection{});
    CHECK(std::find(default_columns.begin(), default_columns.end(), "metadata") == default_columns.end());
    auto all = parse_fields("path,all", error);
    REQUIRE(all);
    CHECK(all->names.front() == "path");
    CHECK(all->names_field("metadata"));
    for (const RecordFieldInfo& f : record_fields()) CHECK(all->names_field(f.name));
    CHECK(all->names.size() == record_fields().size());  // each once
    auto named = parse_fields("hash,metadata", error);
    REQUIRE(named);
    CHECK(named->names_field("metadata"));
    CHECK(columns_of(*named) == std::vector<std::string>{"hash", "metadata"});

    PhotoRecord r;
    r.path = "/p/a.jpg";
    r.status = "ok";
    r.metadata = std::vector<RecordMetadataEntry>{{"Exif.Photo.FNumber", "37/20", "F1.9"}, {"Exif.Image.Make", "Canon", ""}};
    const auto j = record_json(r);
    CHECK(j.at("metadata") == json{{"Exif.Photo.FNumber", {{"value", "37/20"}, {"printed", "F1.9"}}},
                                             {"Exif.Image.Make", {{"value", "Canon"}}}});
}

TEST_CASE("CSV fields are quoted as RFC 4180 says and TSV fields escaped", "[cli_support][record]") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_field("cr\r") == "\"cr\r\"");
    CHECK(tsv_field("a\tb\nc\rd\\e") == "a\\tb\\nc\\rd\\\\e");
}

TEST_CASE("selected fields keep the record shape and CSV columns flatten exif and error", "[cli_support][record]") {
    std::string error;
    const json record = record_json(sample_record());
    CHECK(select_fields(record, *parse_fields("path,gps_lat,gps_lon", error)) ==
          json{{"path", "/p/we,ird \"name\".jpg"}, {"exif", {{"gps_lat", 46.948}}}});
    const auto columns = columns_of(*parse_fields("path,exif,tags", error));
    CHECK(columns.front() == "path");
    CHECK(columns[1] == "exif.taken_at");
    CHECK(columns.back() == "tags");
    CHECK(columns.size() == 2 + exif_field_names().size());
    // Every field by default, in the documented order.
    CHECK(columns_of(FieldSelection{}).front() == "path");
    CHECK(columns_of(FieldSelection{}).back() == "seconds");

    Captured out;
    RecordWriter csv(out.file.get(), OutputFormat::csv, *parse_fields("path,exif.iso,exif.lens,tags", error));
    csv.write(sample_record());
    csv.finish();
    CHECK(out.text() ==
          "path,exif.iso,exif.lens,tags\r\n"
          "\"/p/we,ird "
          "\"\"name\"\".jpg\",200,,\"[{\"\"category\"\":\"\"user\"\",\"\"confidence\"\":1.0,\"\"name\"\":\"\"beach\"\","
          "\"\"source\"\":\"\"user\"\"}]\"\r\n");
}

TEST_CASE("a json document holds the records and the count and the total and the offset and the facets apart",
          "[cli_support][record]") {
    Captured out;
    std::string error;
    RecordWriter writer(out.file.get(), OutputFormat::json, *parse_fields("hash", error));
    writer.write(sample_record());
    writer.write(sample_record());
    writer.finish({120, 40, facets_json({{"years", {{"2019", 2}}}})});
    const json document = json::parse(out.text());
    CHECK(document ==
          json{{"photos",
                {{{"hash", "0123456789abcdef0123456789abcdef"}}, {{"hash", "0123456789abcdef0123456789abcdef"}}}},
               {"count", 2},
               {"total", 120},
               {"offset", 40},
               {"facets", {{"years", {{{"value", "2019"}, {"count", 2}}}}}}});

    Captured empty;
    RecordWriter none(empty.file.get(), OutputFormat::json, {});
    none.finish();
    CHECK(json::parse(empty.text()) == json{{"photos", json::array()}, {"count", 0}, {"total", 0}, {"offset", 0}});
    Captured header_only;
    RecordWriter tsv(header_only.file.get(), OutputFormat::tsv, *parse_fields("path,hash", error));
    tsv.finish();
    CHECK(header_only.text() == "path\thash\n");
}

TEST_CASE("every field of the record is documented in sdk_docs/run-json.md", "[cli_support][record]") {
    std::FILE* file = std::fopen(LIGHTBOX_TEST_SOURCE_DIR "/sdk_docs/run-json.md", "rb");
    REQUIRE(file);
    std::string doc;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) doc.append(buffer, n);
    std::fclose(file);
    // Each as a table row's first cell: "| `name` |" (or "| `width`, `height` |").
    const auto documented = [&](std::string_view name) {
        const std::string cell = "`" + std::string(name) + "`";
        return doc.find("| " + cell) != std::string::npos || doc.find(", " + cell + " |") != std::string::npos;
    };
    for (const RecordFieldInfo& f : record_fields()) CHECK(documented(f.name));
    for (std::string_view name : exif_field_names()) CHECK(documented(name));
    for (std::string_view name : failure_field_names()) CHECK(documented(name));
    for (const char* group : {"tags", "cameras", "years", "months", "places", "groups", "labels", "people"})
        CHECK(doc.find(std::string("\"") + group + "\": [") != std::string::npos);  // the facets' shape
}
