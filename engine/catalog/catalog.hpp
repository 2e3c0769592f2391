// The catalog: one SQLite file (WAL) per library, or a PostgreSQL database that several engines share
// (database.hpp). Photos are keyed by content hash; files (path, size,
// mtime, status) point at them, so a moved photo keeps its tags and thumbnails. Results are written in
// batches (by count and by time) inside transactions: a crash loses at most the batch in flight, and the
// next scan redoes it. A Catalog belongs to one thread.
#pragma once

#include "catalog/database.hpp"
#include "pipeline/photo_result.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lbx::engine::catalog {

class FacetIndex;
struct MatchList;

struct FileState {
    std::string hash;  // empty for a file that failed before it was hashed
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    std::string status;  // "ok", "failed", "missing"
    std::optional<StageFailure> failure;  // status "failed": the failure the ledger recorded for it
};

struct CatalogStats {
    int64_t photos = 0;
    int64_t files_ok = 0;
    int64_t files_failed = 0;
    int64_t files_missing = 0;
    int64_t failures = 0;
    int64_t user_tags = 0;
};

// One entry of the bad-files ledger. Times are microseconds since the epoch (now_us()).
struct FailureRecord {
    std::string path, stage, plugin, plugin_version, code, message;
    int64_t first_seen = 0, last_seen = 0;
};

// Everything the catalog knows about one photo (the shell's detail view).
// A metadata entry as stored: the raw value and how people read it (empty when the stage gave none).
struct StoredEntry {
    std::string key;
    std::string value;
    std::string printed;
};

struct PhotoDetails {
    std::string hash;
    std::string path;    // one live path, or the last known one when every file of the photo is missing
    std::string format;
    std::string status;  // "ok" (some file of it is live) or "missing"
    uint64_t file_size = 0;
    uint32_t width = 0, height = 0;
    std::vector<StoredEntry> metadata;                           // by key
    std::map<std::string, std::string> summary_text;            // LBX_FIELD_* -> value: taken_at, make, model, lens
    std::map<std::string, double> summary_numbers;              // iso, f_number, exposure_time, focal_length, gps_lat, gps_lon
    std::vector<Tag> auto_tags;                                 // with the plugin that made each (source)
    std::vector<std::string> user_tags;
    std::vector<StoredThumbnail> thumbnails;                    // by size
    std::vector<Region> regions;                                // objects, faces: by plugin, in the order found
    int rotation = 0;                                           // the user's, clockwise quarter turns (0..3)
    std::vector<std::string> rejected_tags;                     // auto tags the user turned down, by name
};

// A folder of the library with its live photos: those with an "ok" file below it (ListFolders).
struct RootInfo {
    std::string path;
    int64_t photos = 0;
};

// What taking a folder out of the library removed (RemoveFolder).
struct RootRemoval {
    std::string root;     // as the library held it
    int64_t photos = 0;   // photos that left the library
    int64_t files = 0;    // file rows dropped (of kept photos too: those with a live file elsewhere)
};

struct BatchPolicy {
    std::size_t max_results = 256;
    std::chrono::milliseconds max_delay{1000};
};

class Catalog {
public:
    // Opens or creates the file, sets WAL mode and brings the schema up to date.
    static Expected<std::unique_ptr<Catalog>> open(const std::filesystem::path& file, BatchPolicy policy = {});
    // For commands that only read (`query`, `thumbs stats`): never writes, so a catalog on a read-only
    // file, folder or mount can be read (OpenMode::read_only). One with an older schema is refused,
    // since migrating it is a write.
    static Expected<std::unique_ptr<Catalog>> open_read_only(const std::filesystem::path& file);
    // A library named as users name it (--catalog): a PostgreSQL URI (postgresql://... or postgres://...,
    // handed to libpq as it is: sdk_docs/postgres.md) or an SQLite file. A PostgreSQL database without the
    // catalog's tables gets them; the read-only form refuses one at another schema version.
    static Expected<std::unique_ptr<Catalog>> open_location(const std::string& location, BatchPolicy policy = {});
    static Expected<std::unique_ptr<Catalog>> open_location_read_only(const std::string& location);
    ~Catalog();  // flushes what is queued (errors are lost here: call flush() to see them)

    // Every file the catalog knows, by path: what a scan compares against to skip unchanged files.
    Expected<std::unordered_map<std::string, FileState>> file_states();

    // Queue one scan result (processed or unchanged); written when the batch is full or old enough.
    // `seen_at` identifies the scan (see mark_missing).
    Expected<void> record(const PhotoResult& result, int64_t seen_at);
    Expected<void> flush();
    // After a failed write (a full disk): forgets the queued results, which the next scan redoes, and
    // returns their paths, so the caller can name what was not stored.
    std::vector<std::string> drop_pending();

    // After a complete walk of `roots` by the scan `seen_at`: their files that this scan did not see
    // are marked missing (kept, with their photos and tags, for when the drive comes back). Files below a
    // folder that this scan recorded as unreadable (kCodeUnreadableFolder) are left as they were.
    Expected<int64_t> mark_missing(const std::vector<std::string>& roots, int64_t seen_at);

    // User tags: kept apart from auto tags and never touched by a rescan.
    Expected<void> add_user_tag(const std::string& hash, const std::string& name);
    Expected<void> remove_user_tag(const std::string& hash, const std::string& name);
    Expected<std::vector<std::string>> user_tags(const std::string& hash);
    Expected<std::vector<std::string>> auto_tag_names(const std::string& hash);

    // Auto tags the user turned down (tag_rejections): taken from the photo now, and never written for it
    // again, whichever stage makes them (a rescan of the file, analysis by a newer plugin). Names compare
    // without case. Returns how many auto tags the photo lost (one name may come from several stages).
    Expected<int64_t> reject_auto_tags(const std::string& hash, const std::vector<std::string>& names);
    // Forgets rejections: a tag comes back when a stage next writes it (the file changed, a newer plugin).
    Expected<void> restore_auto_tags(const std::string& hash, const std::vector<std::string>& names);
    Expected<std::vector<std::string>> rejected_tags(const std::string& hash);  // by name

    // The user's rotation of a photo in clockwise quarter turns (0..3), on top of its EXIF orientation:
    // clients turn what they draw; the file and its thumbnails are never rewritten, and a rescan keeps it.
    // False for a hash the catalog does not have.
    Expected<bool> set_rotation(const std::string& hash, int quarter_turns);
    Expected<std::vector<StoredThumbnail>> thumbnails(const std::string& hash);

    // The library's folders (what a rescan walks). Adding one already there keeps its first added_at.
    Expected<void> add_roots(const std::vector<std::string>& roots, int64_t added_at);
    Expected<std::vector<std::string>> roots();  // by path
    // catalog_roots.cpp. Each folder with how many live photos have a file below it (a photo with files
    // below two folders counts in both), by path. A range of the files' path index per folder: cheap.
    Expected<std::vector<RootInfo>> root_infos();
    // Takes a folder out of the library, never off the disk: its roots row (a rescan no longer walks it),
    // the files rows below it and their ledger entries, and the photos left without a live file outside
    // it (as remove_photos: tags, regions, thumbnails...). Files below another folder of the library
    // (one inside it, or one it is inside) stay. nullopt when `root` is not one of the library's folders
    // (a trailing '/' does not matter).
    Expected<std::optional<RootRemoval>> remove_root(const std::string& root);

    // Takes photos out of the library, never off the disk: their files rows, metadata, auto and user
    // tags, tag rejections, regions, ledger marks, thumbnails (rows and thumbnail files) and their faces' places in persons
    // (a person left without faces is deleted, unless named). Returns how many photos were removed; unknown
    // hashes are ignored. A later scan of a folder that still holds the file adds it back.
    Expected<int64_t> remove_photos(const std::vector<std::string>& hashes);

    // The failures ledger, last_seen newest first; limit -1: all.
    Expected<std::vector<FailureRecord>> failures(int64_t offset, int64_t limit);
    Expected<int64_t> failure_count();

    // nullopt for a hash the catalog does not have.
    Expected<std::optional<PhotoDetails>> photo(const std::string& hash);

    // Thumbnails made outside a scan (the service on demand, `thumbs prewarm`): replaces the rows of
    // those sizes; bytes are read from the files, last_used is `now` (microseconds, like now_us()).
    Expected<void> record_thumbnails(const std::string& hash, const std::vector<StoredThumbnail>& thumbnails, int64_t now);

    // The jobs table: one row per scan, started then ended with its final state
    // ("completed", "cancelled", "failed") and counts. begin_job returns the row id.
    Expected<int64_t> begin_job(const std::vector<std::string>& paths, int64_t started_at);
    Expected<void> end_job(int64_t job_row, const std::string& state, int64_t done, int64_t failed, int64_t ended_at);
    // The counts of a running job, written now and then so that an engine's death leaves them behind.
    Expected<void> update_job_progress(int64_t job_row, int64_t done, int64_t failed);
    // Jobs still 'running' belong to an engine that died: they become 'interrupted' and are returned.
    struct InterruptedJob {
        int64_t row = 0;
        std::vector<std::string> paths;
        int64_t done = 0;
        int64_t failed = 0;
        int64_t started_at = 0;
    };
    Expected<std::vector<InterruptedJob>> interrupt_running_jobs(int64_t ended_at);

    // Refreshes the row counts the query planner chooses indexes by (a sampled ANALYZE, milliseconds even
    // for 100 000 photos). Called after each scan: without them a tag query may walk every file.
    Expected<void> update_statistics();

    // Small values the library keeps across engines (library_state): `analysis_paused` = "1".
    Expected<std::optional<std::string>> state_value(const std::string& key);
    Expected<void> set_state_value(const std::string& key, const std::string& value);

    Expected<CatalogStats> stats();
    Expected<std::string> integrity_check();  // "ok" when sound
    Database& database() { return *db_; }
    FacetIndex& facet_index() { return *facet_index_; }
    MatchList& last_matches() { return *last_matches_; }  // catalog_query.cpp's; cleared by forget_last_matches
    void forget_last_matches();                           // benchmarks: time queries as if each were new
    // Benchmarks: false sends every query through SQL, to time it beside the facet index's answers.
    bool queries_from_index() const { return queries_from_index_; }
    void set_queries_from_index(bool on) { queries_from_index_ = on; }

    Catalog(std::unique_ptr<Database> db, BatchPolicy policy);

private:
    struct WriteStatements;  // prepared once, on the first write (catalog.cpp)

    Expected<void> write_pending();  // the queued results in one transaction
    Expected<void> write(const PhotoResult& result, int64_t seen_at);
    Expected<void> write_photo(const PhotoResult& result, int64_t now);  // the photos row and its metadata
    // remove_photos' work inside the caller's transaction: returns how many photos went; the thumbnail
    // files to delete are appended to `thumbnail_files`.
    Expected<int64_t> delete_photos(const std::vector<std::string>& hashes, std::vector<std::string>& thumbnail_files);

    std::unique_ptr<Database> db_;  // declared first: destroyed last, after the statements prepared on it
    std::unique_ptr<WriteStatements> write_statements_;
    std::unique_ptr<FacetIndex> facet_index_;
    std::unique_ptr<MatchList> last_matches_;
    BatchPolicy policy_;
    bool queries_from_index_ = true;
    std::vector<std::pair<PhotoResult, int64_t>> pending_;
    std::chrono::steady_clock::time_point oldest_pending_{};
};

// True for a catalog location that names a PostgreSQL database (postgresql:// or postgres://).
bool is_postgres_location(std::string_view location);
// What messages call a catalog location: "'FILE'", or "PostgreSQL library 'db' on HOST as USER" (never a
// password that a URI holds).
std::string location_label(const std::string& location);

// Microseconds since the epoch: a scan's `seen_at`.
int64_t now_us();

// The default catalog: $XDG_DATA_HOME/lightbox/library.lbx (~/.local/share/lightbox/library.lbx).
std::filesystem::path default_catalog_file();

}  // namespace lbx::engine::catalog
