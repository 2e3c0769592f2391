// The photo record of `run --json` (sdk_docs/run-json.md) read back into the result the catalog stores:
// what `lightbox-engine catalog import` turns each line into. The inverse of photo_record() for the
// fields the catalog keeps.
#pragma once

#include "pipeline/photo_result.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <variant>

namespace lbx::engine::cli {

// A record that is well formed but cannot be stored: why, for a stderr line.
struct SkippedRecord {
    std::string path;
    std::string reason;
};

// A line that is not a photo record: what is wrong with it.
struct MalformedRecord {
    std::string reason;
};

using ImportedRecord = std::variant<PhotoResult, SkippedRecord, MalformedRecord>;

// One line of `run --json` output. The result has mtime_ns -1, a time no file has: the file's own mtime is
// not in the record, and with -1 the next scan of the file reads it again instead of taking it as
// unchanged (as catalog schema 10 did). Tags and regions keep their sources, which become tag_sources, so
// importing the same record again replaces them instead of adding to them.
ImportedRecord imported_record(const std::string& line);

}  // namespace lbx::engine::cli
