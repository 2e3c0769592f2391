#include "catalog/thumbnail_cache.hpp"

#include <algorithm>
#include <filesystem>
#include <unordered_set>
#include <vector>

namespace lbx::engine::catalog {
namespace {

// Uses closer together than this are not written again: least-recently-used order at one-second
// resolution is enough, and a view that redraws asks for the same thumbnails many times a second.
constexpr int64_t kMarkResolutionUs = 1'000'000;

// The size of a thumbnail file; nullopt when it is gone (or unreadable, which serves no better).
std::optional<int64_t> size_on_disk(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return std::nullopt;
    return static_cast<int64_t>(size);
}

struct Row {
    uint32_t size = 0;
    std::string path;
    uint32_t width = 0, height = 0;
    int64_t bytes = 0;
    int64_t last_used = 0;
};

}  // namespace

struct ThumbnailCache::Survey {
    int64_t rows = 0;
    int64_t bytes = 0;  // of the files that exist
    int64_t missing = 0;
    std::unordered_set<std::string> hashes_with_files;  // filled when asked
    std::unordered_set<std::string> present;            // "<hash>/<size>" of the files that exist, when asked
};

ThumbnailCache::ThumbnailCache(Catalog& catalog, uint64_t budget_bytes) : catalog_(catalog), budget_(budget_bytes) {}

Expected<std::optional<StoredThumbnail>> ThumbnailCache::find(const std::string& hash, uint32_t size, int64_t now) {
    // No catalog.flush() here: a flush per request would undo the scan's batching. A thumbnail still in
    // the batch is simply not found yet, and made again by the caller.
    Database& db = catalog_.database();
    if (!rows_of_hash_) {
        auto stmt = db.prepare("SELECT size, path, width, height, bytes, last_used FROM thumbnails WHERE hash = ?1 ORDER BY size");
        if (!stmt) return unexpected(stmt.error());
        rows_of_hash_.emplace(std::move(*stmt));
        // bytes too: rows from schema version 1 have 0 ("unknown") until their file is seen.
        auto mark = db.prepare("UPDATE thumbnails SET last_used = ?3, bytes = ?4 WHERE hash = ?1 AND size = ?2");
        if (!mark) return unexpected(mark.error());
        mark_used_.emplace(std::move(*mark));
    }
    std::vector<Row> rows;
    rows_of_hash_->bind({hash});
    for (;;) {
        auto more = rows_of_hash_->step();
        if (!more) return unexpected(more.error());
        if (!*more) break;
        rows.push_back({static_cast<uint32_t>(rows_of_hash_->column_int(0)), rows_of_hash_->column_text(1),
                        static_cast<uint32_t>(rows_of_hash_->column_int(2)), static_cast<uint32_t>(rows_of_hash_->column_int(3)),
                        rows_of_hash_->column_int(4), rows_of_hash_->column_int(5)});
    }
    rows_of_hash_->reset();

    // The full-resolution image answers only for itself: a thumbnail request never gets megabytes, and
    // a full-resolution request never gets a thumbnail it would take for the original's pixels.
    std::erase_if(rows, [&](const Row& r) { return (r.size == kFullResolutionSize) != (size == kFullResolutionSize); });
    // Preference order: the sizes at least `size`, smallest first, then the smaller ones, largest first.
    std::stable_partition(rows.begin(), rows.end(), [&](const Row& r) { return size != 0 && r.size >= size; });
    const auto smaller = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return size == 0 || r.size < size; });
    std::reverse(smaller, rows.end());
    for (const Row& r : rows) {
        const auto bytes = size_on_disk(r.path);
        if (!bytes) continue;
        if (now - r.last_used >= kMarkResolutionUs || *bytes != r.bytes) {
            // Best effort: a mark lost to a busy catalog only makes this thumbnail look older, which is no
            // reason to fail the request that wants to show it.
            // Not a change any query sees (last use and size only): the stamp leaves it out.
            (void)db.write_unseen([&] { return mark_used_->run({hash, int64_t{r.size}, now, *bytes}); });
        }
        return std::optional<StoredThumbnail>(StoredThumbnail{r.size, r.path, r.width, r.height});
    }
    return std::optional<StoredThumbnail>{};
}

Expected<ThumbnailCache::Survey> ThumbnailCache::survey(bool collect_hashes, bool collect_present) {
    Database& db = catalog_.database();
    auto stmt = db.prepare("SELECT hash, size, path, bytes FROM thumbnails");
    if (!stmt) return unexpected(stmt.error());
    Survey s;
    // Rows whose stored size is unknown (0) or wrong: written back below, so that the next survey and
    // a future SQL sum agree with the disk.
    std::vector<std::pair<std::pair<std::string, int64_t>, int64_t>> corrections;
    for (;;) {
        auto more = stmt->step();
        if (!more) return unexpected(more.error());
        if (!*more) break;
        ++s.rows;
        const auto bytes = size_on_disk(stmt->column_text(2));
        if (!bytes) {
            ++s.missing;
            continue;
        }
        s.bytes += *bytes;
        if (*bytes != stmt->column_int(3)) corrections.push_back({{stmt->column_text(0), stmt->column_int(1)}, *bytes});
        if (collect_hashes) s.hashes_with_files.insert(stmt->column_text(0));
        if (collect_present) s.present.insert(stmt->column_text(0) + "/" + std::to_string(stmt->column_int(1)));
    }
    stmt->reset();
    // A catalog opened read-only (`thumbs stats` on a read-only mount) keeps its stale sizes: the sums
    // above come from the disk anyway.
    if (!corrections.empty() && !db.read_only()) {
        auto tx = Transaction::begin(db);
        if (!tx) return unexpected(tx.error());
        auto update = db.prepare("UPDATE thumbnails SET bytes = ?3 WHERE hash = ?1 AND size = ?2");
        if (!update) return unexpected(update.error());
        for (const auto& [key, bytes] : corrections)
            if (auto ok = update->run({key.first, key.second, bytes}); !ok) return unexpected(ok.error());
        if (auto ok = tx->commit(); !ok) return unexpected(ok.error());
    }
    return s;
}

Expected<PruneResult> ThumbnailCache::prune() {
    if (auto ok = catalog_.flush(); !ok) return unexpected(ok.error());
    auto before = survey(false, false);
    if (!before) return unexpected(before.error());
    PruneResult result;
    result.bytes_after = before->bytes;
    const auto budget = static_cast<int64_t>(std::min<uint64_t>(budget_, INT64_MAX));
    if (result.bytes_after <= budget) return result;

    Database& db = catalog_.database();
    // Oldest use first; among equals (never used) the larger sizes, which free the most and are made
    // again first when needed.
    auto oldest = db.prepare("SELECT hash, size, path FROM thumbnails ORDER BY last_used, size DESC, hash");
    if (!oldest) return unexpected(oldest.error());
    struct Victim {
        std::string hash;
        int64_t size = 0;
        std::string path;
        int64_t bytes = 0;
    };
    std::vector<Victim> victims;
    int64_t remaining = result.bytes_after;
    while (remaining > budget) {
        auto more = oldest->step();
        if (!more) return unexpected(more.error());
        if (!*more) break;
        std::string path = oldest->column_text(2);
        const auto bytes = size_on_disk(path);
        if (!bytes) continue;  // already gone: nothing to free, and its row is how prewarm knows to remake it
        victims.push_back({oldest->column_text(0), oldest->column_int(1), std::move(path), *bytes});
        remaining -= *bytes;
    }
    oldest->reset();

    auto tx = Transaction::begin(db);
    if (!tx) return unexpected(tx.error());
    auto remove = db.prepare("DELETE FROM thumbnails WHERE hash = ?1 AND size = ?2");
    if (!remove) return unexpected(remove.error());
    for (const Victim& v : victims) {
        // The file before the commit: a row left pointing at a deleted file is reported missing and
        // made again, whereas a file left without its row would take disk space the budget never sees.
        std::error_code ec;
        if (!std::filesystem::remove(v.path, ec) && ec) {
            return unexpected(make_error("io", "delete_failed", "cannot delete thumbnail '" + v.path + "': " + ec.message()));
        }
        if (auto ok = remove->run({v.hash, v.size}); !ok) return unexpected(ok.error());
        ++result.removed;
        result.bytes_freed += v.bytes;
    }
    if (auto ok = tx->commit(); !ok) return unexpected(ok.error());
    result.bytes_after -= result.bytes_freed;
    return result;
}

Expected<ThumbnailCacheStats> ThumbnailCache::stats() {
    if (auto ok = catalog_.flush(); !ok) return unexpected(ok.error());
    auto s = survey(true, false);
    if (!s) return unexpected(s.error());
    ThumbnailCacheStats out;
    out.thumbnails = s->rows;
    out.bytes = s->bytes;
    out.budget_bytes = static_cast<int64_t>(std::min<uint64_t>(budget_, INT64_MAX));
    out.missing_files = s->missing;
    auto live = catalog_.database().prepare("SELECT DISTINCT hash FROM files WHERE status = 'ok' AND hash IS NOT NULL");
    if (!live) return unexpected(live.error());
    for (;;) {
        auto more = live->step();
        if (!more) return unexpected(more.error());
        if (!*more) break;
        if (!s->hashes_with_files.count(live->column_text(0))) ++out.photos_without;
    }
    return out;
}

Expected<std::vector<ThumbnailNeed>> ThumbnailCache::missing(const std::vector<uint32_t>& sizes) {
    if (auto ok = catalog_.flush(); !ok) return unexpected(ok.error());
    auto s = survey(false, true);
    if (!s) return unexpected(s.error());
    auto live = catalog_.database().prepare(
        "SELECT f.hash, min(f.path) FROM files f JOIN photos p ON p.hash = f.hash WHERE f.status = 'ok' "
        "GROUP BY f.hash ORDER BY max(p.added_at) DESC, f.hash");
    if (!live) return unexpected(live.error());
    std::vector<ThumbnailNeed> out;
    for (;;) {
        auto more = live->step();
        if (!more) return unexpected(more.error());
        if (!*more) return out;
        ThumbnailNeed need{live->column_text(0), live->column_text(1), {}};
        for (uint32_t size : sizes)
            if (!s->present.count(need.hash + "/" + std::to_string(size))) need.sizes.push_back(size);
        if (!need.sizes.empty()) out.push_back(std::move(need));
    }
}

Expected<int64_t> ThumbnailCache::recorded_bytes() {
    if (auto ok = catalog_.flush(); !ok) return unexpected(ok.error());
    return catalog_.database().query_int("SELECT coalesce(sum(bytes), 0) FROM thumbnails");
}

}  // namespace lbx::engine::catalog
