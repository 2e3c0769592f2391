// How photo records (photo_record.hpp) go out: `--format jsonl|json|csv|tsv` and `--fields NAME,...`, the
// same on `lightbox-engine run`, `lightbox-engine query` and `lightbox-ctl query` (sdk_docs/run-json.md):
//   jsonl  one record per line (what --json prints);
//   json   one document {"photos": [...], "count", "total", "offset", "facets"?}, total and facets in it;
//   csv    a header row, then one row per photo (RFC 4180: CRLF, fields with , " CR LF quoted, " doubled);
//   tsv    a header row, then one row per photo (tab, newline, CR and backslash escaped as \t \n \r \\).
// CSV and TSV flatten the record: exif and error become one column per field (exif.gps_lat); an array
// (tags, regions, people, thumbnails, warnings) is one cell holding its compact JSON text; a field a
// record lacks is an empty cell.
#pragma once

#include <lightbox/cli/photo_record.hpp>

#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lbx::cli {

enum class OutputFormat { jsonl, json, csv, tsv };

// The chosen fields, by their canonical names ("path", "exif", "exif.gps_lat"), in the order given.
// Empty: the whole record.
struct FieldSelection {
    std::vector<std::string> names;

    bool all() const { return names.empty(); }
    // Whether any of these top-level fields (or a field inside one) is chosen: lets a command skip
    // reading what nobody asked for.
    bool wants_any(std::initializer_list<std::string_view> top_level) const;
    // Whether `field` is named: for the fields written only when named (written_by_default).
    bool names_field(std::string_view field) const { return std::find(names.begin(), names.end(), field) != names.end(); }
};

// "path,gps_lat,exif.gps_lon": names separated by commas. A name is a record field (record_fields()), a
// dotted field of exif or error ("exif.gps_lat", "error.code"), or an exif field's bare name when no
// record field has it ("gps_lat" is "exif.gps_lat"; "width" is the record's). nullopt with `error` set
// ("unknown field 'lat' (fields: path, status, ...)") when a name is none of these.
std::optional<FieldSelection> parse_fields(const std::string& list, std::string& error);
std::optional<OutputFormat> parse_format(const std::string& word);

// The record with only the chosen fields (path_b64 goes with path).
nlohmann::json select_fields(const nlohmann::json& record, const FieldSelection& fields);

// The CSV/TSV columns of a selection: dotted names, exif and error expanded into their fields.
std::vector<std::string> columns_of(const FieldSelection& fields);

// The facet counts of a query, in their own shape (never among the records):
// {"tags": [{"value": "beach", "count": 120}, ...], "cameras": [...], ...}, groups in the order given.
struct FacetGroup {
    std::string name;
    std::vector<std::pair<std::string, uint64_t>> counts;  // value, photos
};
nlohmann::json facets_json(const std::vector<FacetGroup>& groups);

// What the end of a json document says besides the records; the other formats say it on stderr.
struct DocumentTail {
    std::optional<uint64_t> total;  // photos that matched in all (default: the count written)
    uint64_t offset = 0;            // of the first record
    std::optional<nlohmann::json> facets;
};

// Writes records to `out` as they come (each line flushed, so a pipe sees a record when it is done);
// finish() ends a json document. A CSV/TSV header is written before the first row, or by finish() when
// there was none.
class RecordWriter {
public:
    RecordWriter(std::FILE* out, OutputFormat format, FieldSelection fields);
    void write(const PhotoRecord& record);
    void finish(const DocumentTail& tail = {});
    uint64_t count() const { return count_; }

private:
    void start();
    void write_row(const nlohmann::json& record);

    std::FILE* out_;
    OutputFormat format_;
    FieldSelection fields_;
    std::vector<std::string> columns_;
    bool started_ = false;
    uint64_t count_ = 0;
};

// One CSV field (RFC 4180) or TSV field, escaped as described at the top.
std::string csv_field(const std::string& text);
std::string tsv_field(const std::string& text);

// --format and --fields, defined once for the three commands that print records. `json_alias`: the
// command's --json flag, kept as another name for --format jsonl.
struct RecordOutputOptions {
    std::string format;  // empty: not given
    std::string fields;  // empty: not given
};
void add_record_options(CLI::App* command, RecordOutputOptions& options);

// After parsing: the format to print records in (nullopt: the command's human-readable text) and the
// fields. --fields alone means --format jsonl; --json with another --format is a usage error (`error`).
struct ResolvedOutput {
    std::optional<OutputFormat> format;
    FieldSelection fields;
};
std::optional<ResolvedOutput> resolve_output(const RecordOutputOptions& options, bool json_alias, std::string& error);

}  // namespace lbx::cli
