// One photo record for every machine-readable output of Lightbox: `lightbox-engine run`, `lightbox-engine
// query` and `lightbox-ctl query` (sdk_docs/run-json.md is its one reference). Each program fills this
// plain struct from what it has (a pipeline result, a catalog row, a protocol reply) and the record is
// written here, once, so the three cannot drift apart. Plain data only: lightbox-ctl uses it without
// linking the engine. The field names are a contract with scripts: add, never rename.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lbx::cli {

// What failed, where (the record's "error" and each of its "warnings").
struct RecordFailure {
    std::string stage, stage_id, plugin, plugin_version, code, message;
};

struct RecordTag {
    std::string name;
    std::string category;
    double confidence = 1.0;
    std::string source;
};

// An object or face; the box in fractions of the upright photo.
struct RecordRegion {
    std::string kind;
    std::string label;
    double confidence = 0;
    double x = 0, y = 0, width = 0, height = 0;
    std::vector<float> points;  // (x, y) pairs; empty where the source does not hold them
    double quality = 0;
    std::string embedding_model;
    std::vector<float> embedding;
    std::string source;
    std::string person;  // the name of the person a face belongs to; empty while unnamed or unknown
};

struct RecordThumbnail {
    uint32_t size = 0;
    uint32_t width = 0;
    uint32_t height = 0;
    std::string path;
};

// An analysis-phase stage that ran on the photo (the catalog's analysis ledger: a served engine does not
// analyse the photo again with the same plugin version); `error` when it failed on it.
struct RecordAnalysis {
    std::string stage_id;
    std::string plugin;
    std::string plugin_version;
    std::string error;  // written when not empty
};

// The EXIF summary: each field absent when unknown (names: exif_field_names()).
struct RecordExif {
    std::map<std::string, std::string> text;  // taken_at, make, model, lens
    std::map<std::string, double> numbers;    // exposure_time, f_number, focal_length, gps_lat, gps_lon, gps_alt
    std::map<std::string, int64_t> counts;    // iso, orientation, width, height: integers in JSON, not 200.0
};

// One raw metadata entry as the metadata stage keyed it ("Exif.Photo.FNumber"): its value as text ("14/5")
// and, when the stage gave one, how people read it ("F2.8").
struct RecordMetadataEntry {
    std::string key;
    std::string value;
    std::string printed;
};

// A section that is nullopt is left out of the record; an empty vector is written as [].
struct PhotoRecord {
    std::string path;    // bytes as they are; written by ipc::put_path (path_b64 when not UTF-8)
    std::string status;  // "ok", "failed", "unchanged" (run --catalog), "missing" (every file of it is gone)
    std::optional<RecordFailure> error;
    std::vector<RecordFailure> warnings;  // written only when there are some
    bool unchanged = false;               // "unchanged": true, on a failed file not read again
    std::string format;                   // written when known
    std::optional<uint64_t> size;
    uint32_t width = 0, height = 0;  // written when both are known
    std::string hash;                // written when known
    std::optional<RecordExif> exif;
    std::optional<std::vector<RecordTag>> tags;
    std::optional<std::vector<RecordRegion>> regions;
    std::optional<std::vector<std::string>> people;  // names of the persons of its faces, sorted, each once
    std::optional<std::vector<RecordThumbnail>> thumbnails;
    // Written only when asked for by name (`--fields metadata` or `--fields all`): some hundred entries.
    std::optional<std::vector<RecordMetadataEntry>> metadata;
    std::string phash;                                     // run: 16 hex digits, written when known
    std::optional<std::vector<RecordAnalysis>> analysed;  // run: written when some analysis stage ran
    std::string matched;            // query: where the query's words matched; written when not empty
    std::optional<double> seconds;  // run: wall time spent on the file
};

// How paths are written into the JSON value: as JSON text (valid UTF-8 plus "path_b64" when needed), or
// as their bytes (CSV and TSV, which are bytes: sdk_docs/run-json.md, "CSV and TSV").
enum class PathText { json, raw };

nlohmann::json record_json(const PhotoRecord& record, PathText paths = PathText::json);
nlohmann::json failure_json(const RecordFailure& failure);
nlohmann::json region_json(const RecordRegion& region);

// The people of a record: the names of its regions' persons, sorted, each once.
std::vector<std::string> people_of(const std::vector<RecordRegion>& regions);

// The record's fields, in the order CSV and TSV write them by default, with what each holds (for the
// usage error of --fields and the docs).
struct RecordFieldInfo {
    std::string_view name;
    std::string_view meaning;
};
const std::vector<RecordFieldInfo>& record_fields();
// False for the fields a record holds only when they are named (`metadata`): records without --fields
// hold the others.
bool written_by_default(std::string_view field);
// The fields of the fixed-shape objects, selected or written as columns with a dotted name (exif.gps_lat).
const std::vector<std::string_view>& exif_field_names();
const std::vector<std::string_view>& failure_field_names();

}  // namespace lbx::cli
