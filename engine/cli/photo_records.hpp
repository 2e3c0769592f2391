// The engine's results and catalog rows as the one photo record (cli_support's photo_record.hpp,
// sdk_docs/run-json.md): what `run` and `query` print with --json, --format and --fields.
#pragma once

#include "catalog/catalog.hpp"
#include "catalog/catalog_query.hpp"
#include "catalog/people.hpp"
#include "pipeline/photo_result.hpp"

#include <lightbox/cli/photo_record.hpp>

#include <optional>
#include <vector>

namespace lbx::engine::cli {

// A processed file: every section present (empty arrays too), people [] (faces get persons later, in
// the library), "seconds" set.
// `with_metadata`: the raw metadata entries too (the record field written only when named).
lbx::cli::PhotoRecord photo_record(const PhotoResult& result, bool with_metadata = false);
// A file the catalog already has, not read again: {"path", "status": "unchanged", "hash", "size"}; for
// one that failed before, {"path", "status": "failed", "unchanged": true, "size", "error"}.
lbx::cli::PhotoRecord unchanged_record(const PhotoResult& result);
lbx::cli::RecordFailure record_failure(const StageFailure& failure);
lbx::cli::RecordExif record_exif(const Metadata& metadata);

// A photo of a query: what the row says, and with `details` (Catalog::photo) the size, EXIF summary,
// tags (auto tags, then user tags with category and source "user"), regions with their persons, the
// people and the thumbnails; `with_metadata`: the raw metadata entries too.
lbx::cli::PhotoRecord query_record(const catalog::PhotoRow& row, const catalog::PhotoDetails* details,
                                   const std::vector<catalog::FacePerson>& persons, bool with_metadata = false);

}  // namespace lbx::engine::cli
