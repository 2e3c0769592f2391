// The incremental rescan rule, as a BatchCallbacks::precheck: a file whose path, size and mtime match
// the catalog's record is not read again. A failed file is retried only when it changed, or when the
// user asks (`--retry-failed`).
#pragma once

#include "catalog/catalog.hpp"
#include "pipeline/file_walker.hpp"

#include <optional>
#include <unordered_map>

namespace lbx::engine::catalog {

class ScanFilter {
public:
    ScanFilter(std::unordered_map<std::string, FileState> known, bool retry_failed)
        : known_(std::move(known)), retry_failed_(retry_failed) {}

    // An `unchanged` result for a file that needs no work; nothing for one to process. A file that failed
    // before and did not change gets an `unchanged` result with its recorded `failure`. Thread-safe for
    // one caller (the walker): the map is only read.
    std::optional<PhotoResult> precheck(const InputFile& file) const;

private:
    std::unordered_map<std::string, FileState> known_;
    bool retry_failed_;
};

}  // namespace lbx::engine::catalog
