// The thumbnail cache: the catalog's thumbnails rows and their files, kept under a byte budget.
// find() serves the stored thumbnail best for a size and marks it used; prune() evicts the least
// recently used until the files fit the budget; stats() counts what is there. The files are the truth:
// a row whose file was deleted behind the cache's back is never served, and is reported missing until
// the thumbnail is made again (`lightbox-engine thumbs prewarm`, or the service on demand).
// A ThumbnailCache belongs to the thread of its Catalog.
#pragma once

#include "catalog/catalog.hpp"

#include <lightbox/ipc/settings.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lbx::engine::catalog {

struct ThumbnailCacheStats {
    int64_t thumbnails = 0;      // rows
    int64_t bytes = 0;           // of the files that exist
    int64_t budget_bytes = 0;
    int64_t missing_files = 0;   // rows whose file is gone
    int64_t photos_without = 0;  // live photos with no thumbnail file at all
};

struct PruneResult {
    int64_t removed = 0;      // thumbnails evicted (file and row)
    int64_t bytes_freed = 0;
    int64_t bytes_after = 0;  // what the remaining files hold: at most the budget
};

// A live photo that lacks thumbnails of some sizes (no row, or its file is gone).
struct ThumbnailNeed {
    std::string hash;
    std::string path;  // one live file of the photo
    std::vector<uint32_t> sizes;
};

class ThumbnailCache {
public:
    ThumbnailCache(Catalog& catalog, uint64_t budget_bytes);

    // The stored thumbnail of `hash` best for `size` whose file exists: the smallest at least `size`,
    // else the largest (size 0: the largest); kFullResolutionSize: only that one, which no other size
    // gets. Marks it used at `now` (microseconds, like now_us()).
    // nullopt when there is none or every file of it is gone: the caller makes it again.
    Expected<std::optional<StoredThumbnail>> find(const std::string& hash, uint32_t size, int64_t now);

    // Least recently used first (never used before most recently used), until the files fit the
    // budget; deletes the files and their rows.
    Expected<PruneResult> prune();

    Expected<ThumbnailCacheStats> stats();  // stats every file: ~0.3 s for 100 000 thumbnails

    // The bytes the catalog has recorded for its thumbnails, without looking at the files (what a status
    // display needs; rows from schema version 1 whose size was never read count 0).
    Expected<int64_t> recorded_bytes();

    // The live photos lacking some of `sizes`, most recently added first (what `thumbs prewarm` makes).
    Expected<std::vector<ThumbnailNeed>> missing(const std::vector<uint32_t>& sizes);

    uint64_t budget_bytes() const { return budget_; }

private:
    struct Survey;
    Expected<Survey> survey(bool collect_hashes, bool collect_present);

    Catalog& catalog_;
    uint64_t budget_;
    std::optional<Statement> rows_of_hash_;  // find()'s statements, prepared once
    std::optional<Statement> mark_used_;
};

// config: [thumbnails] cache_budget_mb
inline constexpr uint64_t kDefaultThumbnailBudget = ipc::settings::kDefaultCacheBudgetMb * ipc::settings::kMebibyte;

}  // namespace lbx::engine::catalog
