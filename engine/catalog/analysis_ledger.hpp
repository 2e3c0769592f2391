// The analysis ledger's questions: which photos of the library today's analysis stages have not seen
// (no mark for the stage at its plugin version). The marks themselves are written with each result
// (Catalog::record: PhotoResult::analysed).
#pragma once

#include "catalog/catalog.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lbx::engine::catalog {

struct PendingPhoto {
    std::string hash;
    std::string path;  // one live file of it (the first by path)
};

// Photos with a live file that some of `stages` has not analysed at its plugin's current version,
// oldest in the library first; `roots` non-empty: only photos with a file below one of them (a root is a
// folder or one file). Empty `stages`: none.
Expected<std::vector<PendingPhoto>> pending_analysis(Catalog& catalog, const std::vector<AnalysisMark>& stages,
                                                     const std::vector<std::string>& roots = {});

// Turns a result of the analysis phase into what Catalog::record stores (PhotoResult::analysis_only).
// A file that could not be read (gone, or its content changed since the first phase: another hash) gives
// nullopt: nothing is stored and the next scan sees to it. A worker's death or deadline on it becomes the
// stages' marks with the error, so that it is not retried in a loop.
std::optional<PhotoResult> analysis_result(PhotoResult result, const std::string& expected_hash,
                                           const std::vector<AnalysisMark>& stages);

}  // namespace lbx::engine::catalog
