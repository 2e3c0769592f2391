// The catalog: one SQLite file (WAL) per library. Photos are keyed by content hash; files (path, size,
// mtime, status) point at them, so a moved photo keeps its tags and thumbnails. Results are written in
// batches (by count and by time) inside transactions: a crash loses at most the batch in flight, and the
// next scan redoes it. A Catalog belongs to one thread.
#pragma once

#include "catalog/sqlite_db.hpp"
#include "pipeline/photo_result.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace lbx::engine::catalog {

struct FileState {
    std::string hash;  // empty for a file that failed before it was hashed
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    std::string status;  // "ok", "failed", "missing"
};

struct CatalogStats {
    int64_t photos = 0;
    int64_t files_ok = 0;
    int64_t files_failed = 0;
    int64_t files_missing = 0;
    int64_t failures = 0;
    int64_t user_tags = 0;
};

struct BatchPolicy {
    std::size_t max_results = 256;
    std::chrono::milliseconds max_delay{1000};
};

class Catalog {
public:
    // Opens or creates the file, sets WAL mode and brings the schema up to date.
    static Expected<std::unique_ptr<Catalog>> open(const std::filesystem::path& file, BatchPolicy policy = {});
    ~Catalog();  // flushes what is queued (errors are lost here: call flush() to see them)

    // Every file the catalog knows, by path: what a scan compares against to skip unchanged files.
    Expected<std::unordered_map<std::string, FileState>> file_states();

    // Queue one scan result (processed or unchanged); written when the batch is full or old enough.
    // `seen_at` identifies the scan (see mark_missing).
    Expected<void> record(const PhotoResult& result, int64_t seen_at);
    Expected<void> flush();

    // After a complete walk of `roots` by the scan `seen_at`: their files that this scan did not see
    // are marked missing (kept, with their photos and tags, for when the drive comes back).
    Expected<int64_t> mark_missing(const std::vector<std::string>& roots, int64_t seen_at);

    // User tags: kept apart from auto tags and never touched by a rescan.
    Expected<void> add_user_tag(const std::string& hash, const std::string& name);
    Expected<void> remove_user_tag(const std::string& hash, const std::string& name);
    Expected<std::vector<std::string>> user_tags(const std::string& hash);
    Expected<std::vector<std::string>> auto_tag_names(const std::string& hash);
    Expected<std::vector<StoredThumbnail>> thumbnails(const std::string& hash);

    Expected<CatalogStats> stats();
    Expected<std::string> integrity_check();  // "ok" when sound
    Database& database() { return *db_; }

    Catalog(std::unique_ptr<Database> db, BatchPolicy policy);

private:
    Expected<void> write(const PhotoResult& result, int64_t seen_at);

    std::unique_ptr<Database> db_;
    BatchPolicy policy_;
    std::vector<std::pair<PhotoResult, int64_t>> pending_;
    std::chrono::steady_clock::time_point oldest_pending_{};
};

// Microseconds since the epoch: a scan's `seen_at`.
int64_t now_us();

// The default catalog: $XDG_DATA_HOME/lightbox/library.lbx (~/.local/share/lightbox/library.lbx).
std::filesystem::path default_catalog_file();

}  // namespace lbx::engine::catalog
