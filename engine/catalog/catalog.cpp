#include "catalog/catalog.hpp"
#include "catalog/try.hpp"

#include "catalog/catalog_schema.hpp"
#include "catalog/face_assignments.hpp"
#include "catalog/facet_index.hpp"
#include "catalog/float_blob.hpp"
#include "catalog/match_list.hpp"
#include "catalog/postgres_database.hpp"
#include "catalog/postgres_schema.hpp"
#include "catalog/sqlite_db.hpp"

#include <lightbox/ipc/error_codes.hpp>
#include <lightbox/ipc/library_location.hpp>
#include <lightbox/ipc/xdg.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>

namespace lbx::engine::catalog {
namespace {

SqlValue text_or_null(const std::optional<std::string>& v) { return v ? SqlValue{*v} : SqlValue{}; }
SqlValue number_or_null(const std::optional<double>& v) { return v ? SqlValue{*v} : SqlValue{}; }

// A thumbnail file's size; 0 ("unknown") when it cannot be read, and the cache stats it again later.
int64_t file_bytes(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<int64_t>(size);
}

}  // namespace

int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::filesystem::path default_catalog_file() {
    const auto data = ipc::xdg_base_dir(ipc::XdgDir::data).value_or(std::filesystem::path("/tmp") / ".local" / "share");
    return data / "lightbox" / "library.lbx";
}

Catalog::Catalog(std::unique_ptr<Database> db, BatchPolicy policy)
    : db_(std::move(db)),
      facet_index_(std::make_unique<FacetIndex>()),
      last_matches_(std::make_unique<MatchList>()),
      policy_(policy) {}

void Catalog::forget_last_matches() { *last_matches_ = MatchList{}; }

Catalog::~Catalog() { (void)flush(); }

bool is_postgres_location(std::string_view location) { return ipc::is_postgres_uri(location); }

std::string location_label(const std::string& location) {
    if (is_postgres_location(location)) return "PostgreSQL library " + pg::describe_conninfo(location);
    return "'" + location + "'";
}

Expected<std::unique_ptr<Catalog>> Catalog::open_location(const std::string& location, BatchPolicy policy) {
    if (!is_postgres_location(location)) return open(std::filesystem::path(location), policy);
    auto db = PostgresDatabase::connect(location);
    if (!db) return unexpected(db.error());
    auto version = create_postgres_schema((*db)->connection());
    if (!version) return unexpected(version.error());
    return std::make_unique<Catalog>(std::move(*db), policy);
}

Expected<std::unique_ptr<Catalog>> Catalog::open_location_read_only(const std::string& location) {
    if (!is_postgres_location(location)) return open_read_only(std::filesystem::path(location));
    auto db = PostgresDatabase::connect(location);
    if (!db) return unexpected(db.error());
    auto version = postgres_schema_version((*db)->connection());
    if (!version) return unexpected(version.error());
    if (*version != kSchemaVersion) {
        return unexpected(make_error("catalog", *version < kSchemaVersion ? "too_old" : "too_new",
                                     "catalog " + (*db)->description() + " has schema version " + std::to_string(*version) +
                                         ", not this engine's " + std::to_string(kSchemaVersion) +
                                         (*version == 0               ? ": it holds no library yet (a scan creates it)"
                                          : *version < kSchemaVersion ? ", and this command only reads: a scan (lightbox-engine run --catalog) updates it"
                                                                      : "")));
    }
    return std::make_unique<Catalog>(std::move(*db), BatchPolicy{});
}

Expected<std::unique_ptr<Catalog>> Catalog::open(const std::filesystem::path& file, BatchPolicy policy) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    auto db = SqliteDatabase::open(file);
    if (!db) return unexpected(db.error());
    // WAL: readers (the shell's queries) never block the scan's writer; NORMAL sync is crash-safe in WAL
    // (a power loss may lose the last transactions, never corrupt the file).
    LBX_TRY((*db)->exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON"));
    // Queries and facets read tens of megabytes for 100 000 photos: a 64 MiB page cache, the file mapped
    // rather than copied through read(), sorts and temporary tables in memory.
    LBX_TRY((*db)->exec("PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY"));
    auto version = migrate(**db);
    if (!version) return unexpected(version.error());
    return std::make_unique<Catalog>(std::move(*db), policy);
}

Expected<std::unique_ptr<Catalog>> Catalog::open_read_only(const std::filesystem::path& file) {
    auto db = SqliteDatabase::open(file, OpenMode::read_only);
    if (!db) return unexpected(db.error());
    LBX_TRY((*db)->exec("PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY"));
    auto version = (*db)->query_int("PRAGMA user_version");
    if (!version) return unexpected(version.error());
    if (*version < kSchemaVersion) {
        return unexpected(make_error("catalog", "too_old",
                                     "catalog '" + file.string() + "' has schema version " + std::to_string(*version) +
                                         ", older than this engine's " + std::to_string(kSchemaVersion) +
                                         ", and this command only reads: a scan (lightbox-engine run --catalog) updates it"));
    }
    auto checked = migrate(**db);  // refuses a newer catalog; at the current version it writes nothing
    if (!checked) return unexpected(checked.error());
    return std::make_unique<Catalog>(std::move(*db), BatchPolicy{});
}

Expected<std::unordered_map<std::string, FileState>> Catalog::file_states() {
    auto stmt = db_->prepare(
        "SELECT f.path, coalesce(f.hash, ''), f.size, f.mtime_ns, f.status, x.path IS NOT NULL, x.stage, x.plugin, "
        "x.plugin_version, x.code, x.message FROM files f LEFT JOIN failures x ON x.path = f.path AND f.status = 'failed'");
    if (!stmt) return unexpected(stmt.error());
    std::unordered_map<std::string, FileState> states;
    for (;;) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) break;
        FileState state{stmt->column_text(1), static_cast<uint64_t>(stmt->column_int(2)), stmt->column_int(3),
                        stmt->column_text(4), std::nullopt};
        if (stmt->column_int(5) != 0) {
            // The ledger keeps the plugin id, not the stage id: the engine's own steps have "engine" for both.
            std::string plugin = stmt->column_text(7);
            state.failure = StageFailure{stmt->column_text(6), plugin == "engine" ? plugin : "", plugin,
                                         stmt->column_text(8), stmt->column_text(9), stmt->column_text(10)};
        }
        states.emplace(stmt->column_text(0), std::move(state));
    }
    return states;
}

Expected<void> Catalog::record(const PhotoResult& result, int64_t seen_at) {
    if (result.skipped) return {};
    if (pending_.empty()) oldest_pending_ = std::chrono::steady_clock::now();
    pending_.emplace_back(result, seen_at);
    if (pending_.size() >= policy_.max_results || std::chrono::steady_clock::now() - oldest_pending_ >= policy_.max_delay) {
        return flush();
    }
    return {};
}

Expected<void> Catalog::flush() {
    if (pending_.empty()) return {};
    const bool shared = db_->dialect() == SqlDialect::postgres;
    // Engines sharing a PostgreSQL library write the same photos at once: in one order (by hash), two
    // batches lock their rows in the same order and seldom deadlock; when the server still ends one
    // batch's transaction (a deadlock, a serialization failure), the whole batch rolled back and is
    // written again.
    if (shared)
        std::stable_sort(pending_.begin(), pending_.end(), [](const auto& a, const auto& b) { return a.first.hash < b.first.hash; });
    constexpr int kAttempts = 5;
    for (int attempt = 1;; ++attempt) {
        auto written = write_pending();
        if (written) break;
        const std::string state = shared ? pg::sqlstate_of(written.error()) : std::string();
        const bool transient = state == "40P01" || state == "40001";
        if (!transient || attempt == kAttempts) return written;
    }
    pending_.clear();
    return {};
}

std::vector<std::string> Catalog::drop_pending() {
    std::vector<std::string> paths;
    for (const auto& [result, seen_at] : pending_) paths.push_back(result.path);
    pending_.clear();
    return paths;
}

// The statements of write(), prepared once per catalog: a scan writes thousands of results, and
// preparing eleven statements for each cost more than running them.
struct Catalog::WriteStatements {
    Statement touch, failed_file, failure, photo, clear_metadata, add_metadata, clear_tags, add_tag, add_thumb, file,
        clear_failure, clear_regions, add_region, clear_marks, add_mark, photo_exists;
    std::unique_ptr<FaceCarryOver> faces;  // face assignments across a rewrite of the regions

    static Expected<std::unique_ptr<WriteStatements>> prepare(Database& db) {
        const std::string_view sql[] = {
            // touch: seen again; a missing file that came back unchanged is live again, a failed one stays failed.
            // seen_at never goes back: an engine that started earlier (a shared library) writing the file
            // after a later scan must not make that scan's mark_missing take it for unseen.
            "UPDATE files SET seen_at = max(seen_at, ?1), status = CASE status WHEN 'missing' THEN "
            "CASE WHEN hash IS NULL THEN 'failed' ELSE 'ok' END ELSE status END WHERE path = ?2",
            "INSERT INTO files(path, hash, size, mtime_ns, status, seen_at) VALUES (?1, NULL, ?2, ?3, 'failed', ?4) "
            "ON CONFLICT(path) DO UPDATE SET hash = NULL, size = ?2, mtime_ns = ?3, status = 'failed', seen_at = max(files.seen_at, ?4)",
            "INSERT INTO failures(path, size, mtime_ns, stage, plugin, plugin_version, code, message, first_seen, last_seen) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) ON CONFLICT(path) DO UPDATE SET size = ?2, mtime_ns = ?3, "
            "stage = ?4, plugin = ?5, plugin_version = ?6, code = ?7, message = ?8, last_seen = ?9",
            "INSERT INTO photos(hash, format, file_size, width, height, taken_at, make, model, lens, iso, f_number, "
            "exposure_time, focal_length, gps_lat, gps_lon, added_at, updated_at, phash) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17) "
            "ON CONFLICT(hash) DO UPDATE SET format = ?2, file_size = ?3, width = ?4, height = ?5, taken_at = ?6, make = ?7, "
            "model = ?8, lens = ?9, iso = ?10, f_number = ?11, exposure_time = ?12, focal_length = ?13, gps_lat = ?14, "
            "gps_lon = ?15, updated_at = ?16, phash = coalesce(?17, photos.phash)",
            "DELETE FROM metadata WHERE hash = ?1",
            "INSERT OR REPLACE INTO metadata(hash, key, value, printed) VALUES (?1, ?2, ?3, ?4)",
            "DELETE FROM auto_tags WHERE hash = ?1 AND source = ?2",
            // add_tag: never one the user turned down for this photo (tag_rejections).
            "INSERT OR REPLACE INTO auto_tags(hash, name, category, source, confidence) SELECT ?1, ?2, ?3, ?4, ?5 "
            "WHERE NOT EXISTS (SELECT 1 FROM tag_rejections WHERE hash = ?1 AND name = ?2)",
            "INSERT OR REPLACE INTO thumbnails(hash, size, width, height, path, bytes, last_used) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            "INSERT INTO files(path, hash, size, mtime_ns, status, seen_at) VALUES (?1, ?2, ?3, ?4, 'ok', ?5) "
            "ON CONFLICT(path) DO UPDATE SET hash = ?2, size = ?3, mtime_ns = ?4, status = 'ok', seen_at = max(files.seen_at, ?5)",
            "DELETE FROM failures WHERE path = ?1",
            "DELETE FROM regions WHERE hash = ?1 AND source = ?2",
            "INSERT OR REPLACE INTO regions(hash, source, idx, kind, label, confidence, x, y, w, h, points, quality, "
            "embedding, embedding_model) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            "DELETE FROM analyses WHERE hash = ?1 AND plugin = ?2",
            "INSERT OR REPLACE INTO analyses(hash, stage, plugin, plugin_version, analysed_at, error) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            "SELECT 1 FROM photos WHERE hash = ?1",
        };
        std::vector<Statement> prepared;
        for (std::string_view q : sql) {
            auto stmt = db.prepare(q);
            if (!stmt) return unexpected(stmt.error());
            prepared.push_back(std::move(*stmt));
        }
        auto faces = FaceCarryOver::prepare(db);
        if (!faces) return unexpected(faces.error());
        auto at = [&](std::size_t i) { return std::move(prepared[i]); };
        return std::make_unique<WriteStatements>(at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7), at(8), at(9), at(10), at(11), at(12),
                                                at(13), at(14), at(15), std::move(*faces));
    }
};

Expected<void> Catalog::write_pending() {
    if (write_statements_) write_statements_->faces->forget();
    auto tx = Transaction::begin(*db_);
    if (!tx) return unexpected(tx.error());
    for (const auto& [result, seen_at] : pending_) LBX_TRY(write(result, seen_at));
    return tx->commit();
}

Expected<void> Catalog::write(const PhotoResult& r, int64_t seen_at) {
    if (!write_statements_) {
        auto prepared = WriteStatements::prepare(*db_);
        if (!prepared) return unexpected(prepared.error());
        write_statements_ = std::move(*prepared);
    }
    WriteStatements& w = *write_statements_;
    if (r.unchanged) return w.touch.run({seen_at, r.path});
    const int64_t now = now_us();
    if (r.analysis_only) {
        // The photo may have left the library since it was picked (RemovePhotos): nothing to attach to.
        auto exists = w.photo_exists.bind({r.hash}).step();
        if (!exists) return unexpected(exists.error());
        w.photo_exists.reset();
        if (!*exists) return {};
    }
    if (!r.ok() && r.analysis_only) {
        // The worker died or hung on it: the marks (with the error) keep it from being retried in a loop.
        for (const AnalysisMark& mark : r.analysed)
            LBX_TRY(w.add_mark.run({r.hash, mark.stage_id, mark.plugin, mark.plugin_version, now, mark.error}));
        return {};
    }
    if (!r.ok()) {
        const StageFailure& f = *r.failure;
        LBX_TRY(w.failed_file.run({r.path, static_cast<int64_t>(r.file_size), r.mtime_ns, seen_at}));
        return w.failure.run({r.path, static_cast<int64_t>(r.file_size), r.mtime_ns, f.stage, f.plugin, f.plugin_version,
                              f.code, f.message, now});
    }

    if (!r.analysis_only) LBX_TRY(write_photo(r, now));
    // Auto tags, regions and ledger marks of the tag stages that ran replace theirs; those of a stage that
    // did not run this time (`--analysis off`, `--only`) stay. User tags are never touched here. A plugin
    // that ran clears its marks too: a stage of it left out this time is then due again, since the
    // regions it made were just cleared with the plugin's. The faces' persons follow them to the new
    // regions (face_assignments.hpp).
    for (const std::string& source : r.tag_sources) {
        LBX_TRY(w.faces->hold(r.hash, source));
        LBX_TRY(w.clear_tags.run({r.hash, source}));
        LBX_TRY(w.clear_regions.run({r.hash, source}));
        LBX_TRY(w.clear_marks.run({r.hash, source}));
    }
    for (const Tag& t : r.tags) LBX_TRY(w.add_tag.run({r.hash, t.name, t.category, t.source, t.confidence}));
    std::map<std::string, int64_t> next_index;  // per source
    for (const Region& g : r.regions) {
        LBX_TRY(w.add_region.run({r.hash, g.source, next_index[g.source]++, g.kind, g.label, g.confidence, g.x, g.y, g.width,
                                  g.height, float_blob(g.points), g.quality, float_blob(g.embedding),
                                  g.embedding.empty() ? SqlValue{} : SqlValue{g.embedding_model}}));
    }
    LBX_TRY(w.faces->carry(r.hash, r.regions));
    for (const AnalysisMark& mark : r.analysed)
        LBX_TRY(w.add_mark.run({r.hash, mark.stage_id, mark.plugin, mark.plugin_version, now, mark.error}));
    // A thumbnail just made counts as just used: a new import is what the user looks at next. The analysis
    // phase makes the previews the first phase left (keep_analysis_phase).
    for (const StoredThumbnail& t : r.thumbnails)
        LBX_TRY(w.add_thumb.run({r.hash, int64_t{t.size}, int64_t{t.width}, int64_t{t.height}, t.path, file_bytes(t.path), now}));
    if (r.analysis_only) return {};
    LBX_TRY(w.file.run({r.path, r.hash, static_cast<int64_t>(r.file_size), r.mtime_ns, seen_at}));
    return w.clear_failure.run({r.path});
}

Expected<void> Catalog::write_photo(const PhotoResult& r, int64_t now) {
    WriteStatements& w = *write_statements_;
    const Metadata& m = r.metadata;
    LBX_TRY(w.photo.run({r.hash, r.format, static_cast<int64_t>(r.file_size), int64_t{r.width}, int64_t{r.height},
                         text_or_null(m.get_text(LBX_FIELD_TAKEN_AT)), text_or_null(m.get_text(LBX_FIELD_MAKE)),
                         text_or_null(m.get_text(LBX_FIELD_MODEL)), text_or_null(m.get_text(LBX_FIELD_LENS)),
                         number_or_null(m.get_number(LBX_FIELD_ISO)), number_or_null(m.get_number(LBX_FIELD_F_NUMBER)),
                         number_or_null(m.get_number(LBX_FIELD_EXPOSURE_TIME)),
                         number_or_null(m.get_number(LBX_FIELD_FOCAL_LENGTH)), number_or_null(m.get_number(LBX_FIELD_GPS_LAT)),
                         number_or_null(m.get_number(LBX_FIELD_GPS_LON)), now,
                         // The same content always hashes the same: a metadata-only scan (no hash) keeps it.
                         r.perceptual_hash ? SqlValue{static_cast<int64_t>(*r.perceptual_hash)} : SqlValue{}}));
    if (!r.metadata_entries_known) return {};  // an imported record without them: the stored ones stay
    LBX_TRY(w.clear_metadata.run({r.hash}));
    for (const auto& [key, value] : m.entries) {
        const auto printed = m.printed.find(key);
        LBX_TRY(w.add_metadata.run({r.hash, key, value, printed == m.printed.end() ? std::string() : printed->second}));
    }
    return {};
}

Expected<int64_t> Catalog::mark_missing(const std::vector<std::string>& roots, int64_t seen_at) {
    LBX_TRY(flush());
    auto tx = Transaction::begin(*db_);
    if (!tx) return unexpected(tx.error());
    // A root is a folder (its files are those below "root/") or one file (exactly that path). A folder
    // this scan could not list (recorded by it as failed with kCodeUnreadableFolder) hid its files: they
    // were not seen, yet are not known to be gone, so they stay as they were.
    auto stmt = db_->prepare(
        "UPDATE files SET status = 'missing' WHERE status != 'missing' AND seen_at < ?1 "
        "AND (path = ?2 OR substr(path, 1, length(?3)) = ?3) "
        "AND NOT EXISTS (SELECT 1 FROM failures x JOIN files u ON u.path = x.path WHERE x.code = ?4 AND u.seen_at = ?1 "
        "AND substr(files.path, 1, length(x.path) + 1) = x.path || '/')");
    if (!stmt) return unexpected(stmt.error());
    int64_t changed = 0;
    for (std::string root : roots) {
        while (root.size() > 1 && root.back() == '/') root.pop_back();
        LBX_TRY(stmt->run({seen_at, root, root == "/" ? root : root + "/", std::string(kCodeUnreadableFolder)}));
        changed += db_->changes();
    }
    LBX_TRY(tx->commit());
    return changed;
}

Expected<void> Catalog::add_user_tag(const std::string& hash, const std::string& name) {
    auto stmt = db_->prepare("INSERT OR IGNORE INTO user_tags(hash, name, added_at) VALUES (?1, ?2, ?3)");
    if (!stmt) return unexpected(stmt.error());
    return stmt->run({hash, name, now_us()});
}

Expected<void> Catalog::remove_user_tag(const std::string& hash, const std::string& name) {
    auto stmt = db_->prepare("DELETE FROM user_tags WHERE hash = ?1 AND name = ?2");
    if (!stmt) return unexpected(stmt.error());
    return stmt->run({hash, name});
}

namespace {

Expected<std::vector<std::string>> strings_of(Database& db, std::string_view sql, const std::string& hash) {
    auto cached = db.cached(sql);
    if (!cached) return unexpected(cached.error());
    Statement& stmt = **cached;
    stmt.bind({hash});
    std::vector<std::string> out;
    for (;;) {
        auto row = stmt.step();
        if (!row) return unexpected(row.error());
        if (!*row) return out;
        out.push_back(stmt.column_text(0));
    }
}

}  // namespace

Expected<std::vector<std::string>> Catalog::user_tags(const std::string& hash) {
    return strings_of(*db_, "SELECT name FROM user_tags WHERE hash = ?1 ORDER BY name", hash);
}

Expected<std::vector<std::string>> Catalog::auto_tag_names(const std::string& hash) {
    return strings_of(*db_, "SELECT name FROM auto_tags WHERE hash = ?1 ORDER BY name", hash);
}

Expected<int64_t> Catalog::reject_auto_tags(const std::string& hash, const std::vector<std::string>& names) {
    LBX_TRY(flush());  // results queued before the rejection are written first, then cleared by it
    auto tx = Transaction::begin(*db_);
    if (!tx) return unexpected(tx.error());
    auto reject = db_->prepare("INSERT INTO tag_rejections(hash, name, rejected_at) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT(hash, name) DO NOTHING");
    if (!reject) return unexpected(reject.error());
    auto remove = db_->prepare("DELETE FROM auto_tags WHERE hash = ?1 AND name = ?2 COLLATE NOCASE");
    if (!remove) return unexpected(remove.error());
    const int64_t now = now_us();
    int64_t removed = 0;
    for (const std::string& name : names) {
        LBX_TRY(reject->run({hash, name, now}));
        LBX_TRY(remove->run({hash, name}));
        removed += db_->changes();
    }
    LBX_TRY(tx->commit());
    return removed;
}

Expected<void> Catalog::restore_auto_tags(const std::string& hash, const std::vector<std::string>& names) {
    auto stmt = db_->prepare("DELETE FROM tag_rejections WHERE hash = ?1 AND name = ?2");
    if (!stmt) return unexpected(stmt.error());
    for (const std::string& name : names) LBX_TRY(stmt->run({hash, name}));
    return {};
}

Expected<std::vector<std::string>> Catalog::rejected_tags(const std::string& hash) {
    return strings_of(*db_, "SELECT name FROM tag_rejections WHERE hash = ?1 ORDER BY name", hash);
}

Expected<bool> Catalog::set_rotation(const std::string& hash, int quarter_turns) {
    if (quarter_turns < 0 || quarter_turns > 3) {
        return unexpected(make_error("catalog", "bad_rotation", "a rotation is 0 to 3 quarter turns, not " + std::to_string(quarter_turns)));
    }
    LBX_TRY(flush());
    auto stmt = db_->prepare("UPDATE photos SET rotation = ?2 WHERE hash = ?1");
    if (!stmt) return unexpected(stmt.error());
    LBX_TRY(stmt->run({hash, int64_t{quarter_turns}}));
    return db_->changes() > 0;
}

Expected<std::vector<StoredThumbnail>> Catalog::thumbnails(const std::string& hash) {
    auto cached = db_->cached("SELECT size, path, width, height FROM thumbnails WHERE hash = ?1 ORDER BY size");
    if (!cached) return unexpected(cached.error());
    Statement& stmt = **cached;
    stmt.bind({hash});
    std::vector<StoredThumbnail> out;
    for (;;) {
        auto row = stmt.step();
        if (!row) return unexpected(row.error());
        if (!*row) return out;
        out.push_back({static_cast<uint32_t>(stmt.column_int(0)), stmt.column_text(1),
                       static_cast<uint32_t>(stmt.column_int(2)), static_cast<uint32_t>(stmt.column_int(3))});
    }
}

Expected<void> Catalog::add_roots(const std::vector<std::string>& roots, int64_t added_at) {
    auto tx = Transaction::begin(*db_);
    if (!tx) return unexpected(tx.error());
    auto stmt = db_->prepare("INSERT OR IGNORE INTO roots(path, added_at) VALUES (?1, ?2)");
    if (!stmt) return unexpected(stmt.error());
    for (std::string root : roots) {
        // "/photos/" and "/photos" are one folder (as in mark_missing), so adding either twice is a no-op.
        while (root.size() > 1 && root.back() == '/') root.pop_back();
        if (root.empty()) return unexpected(make_error("catalog", "bad_root", "a library folder cannot be an empty path"));
        LBX_TRY(stmt->run({root, added_at}));
    }
    return tx->commit();
}

Expected<std::vector<std::string>> Catalog::roots() {
    auto stmt = db_->prepare("SELECT path FROM roots ORDER BY path");
    if (!stmt) return unexpected(stmt.error());
    std::vector<std::string> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) return out;
        out.push_back(stmt->column_text(0));
    }
}

Expected<int64_t> Catalog::remove_photos(const std::vector<std::string>& hashes) {
    LBX_TRY(flush());
    auto tx = Transaction::begin(*db_);
    if (!tx) return unexpected(tx.error());
    std::vector<std::string> thumbnail_files;
    auto removed = delete_photos(hashes, thumbnail_files);
    if (!removed) return unexpected(removed.error());
    // Files go before the commit: should the commit fail, rows that point at deleted thumbnails are
    // harmless (the cache reports them missing and they are made again), whereas files left behind by
    // a crash after the commit would fill the disk unseen by the budget.
    for (const std::string& file : thumbnail_files) {
        std::error_code ec;
        std::filesystem::remove(file, ec);
    }
    LBX_TRY(tx->commit());
    return *removed;
}

Expected<int64_t> Catalog::delete_photos(const std::vector<std::string>& hashes, std::vector<std::string>& thumbnail_files) {
    auto thumbs = db_->prepare("SELECT path FROM thumbnails WHERE hash = ?1");
    if (!thumbs) return unexpected(thumbs.error());
    // Faces leave their persons before their regions go (the centroids need their embeddings); the
    // photo row last, so that its change count is the one read below.
    const std::string_view deletes[] = {
        "DELETE FROM files WHERE hash = ?1",     "DELETE FROM metadata WHERE hash = ?1",
        "DELETE FROM auto_tags WHERE hash = ?1", "DELETE FROM user_tags WHERE hash = ?1",
        "DELETE FROM thumbnails WHERE hash = ?1", "DELETE FROM regions WHERE hash = ?1",
        "DELETE FROM analyses WHERE hash = ?1",  "DELETE FROM tag_rejections WHERE hash = ?1",
        "DELETE FROM photos WHERE hash = ?1",
    };
    std::vector<Statement> statements;
    for (std::string_view sql : deletes) {
        auto stmt = db_->prepare(sql);
        if (!stmt) return unexpected(stmt.error());
        statements.push_back(std::move(*stmt));
    }
    int64_t removed = 0;
    for (const std::string& hash : hashes) {
        thumbs->bind({hash});
        for (;;) {
            auto row = thumbs->step();
            if (!row) return unexpected(row.error());
            if (!*row) break;
            thumbnail_files.push_back(thumbs->column_text(0));
        }
        LBX_TRY(forget_photo_faces(*db_, hash));
        for (Statement& stmt : statements) LBX_TRY(stmt.run({hash}));
        removed += db_->changes();
    }
    LBX_TRY(drop_unnamed_empty_persons(*db_));
    return removed;
}

Expected<std::vector<FailureRecord>> Catalog::failures(int64_t offset, int64_t limit) {
    LBX_TRY(flush());
    auto stmt = db_->prepare(
        "SELECT path, stage, plugin, plugin_version, code, message, first_seen, last_seen FROM failures "
        "ORDER BY last_seen DESC, path LIMIT ?1 OFFSET ?2");
    if (!stmt) return unexpected(stmt.error());
    stmt->bind({limit < 0 ? std::numeric_limits<int64_t>::max() : limit, std::max(offset, int64_t{0})});
    std::vector<FailureRecord> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) return out;
        out.push_back({stmt->column_text(0), stmt->column_text(1), stmt->column_text(2), stmt->column_text(3),
                       stmt->column_text(4), stmt->column_text(5), stmt->column_int(6), stmt->column_int(7)});
    }
}

Expected<std::optional<std::string>> Catalog::state_value(const std::string& key) {
    auto stmt = db_->prepare("SELECT value FROM library_state WHERE key = ?1");
    if (!stmt) return unexpected(stmt.error());
    auto row = stmt->bind({key}).step();
    if (!row) return unexpected(row.error());
    if (!*row) return std::optional<std::string>{};
    return std::optional<std::string>{stmt->column_text(0)};
}

Expected<void> Catalog::set_state_value(const std::string& key, const std::string& value) {
    LBX_TRY(flush());
    auto stmt = db_->prepare("INSERT INTO library_state(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2");
    if (!stmt) return unexpected(stmt.error());
    return stmt->run({key, value});
}

Expected<int64_t> Catalog::failure_count() {
    LBX_TRY(flush());
    return db_->query_int("SELECT count(*) FROM failures");
}

Expected<std::optional<PhotoDetails>> Catalog::photo(const std::string& hash) {
    LBX_TRY(flush());
    PhotoDetails d;
    {
        auto cached = db_->cached(
            "SELECT format, file_size, width, height, taken_at, make, model, lens, iso, f_number, exposure_time, focal_length, "
            "gps_lat, gps_lon, rotation FROM photos WHERE hash = ?1");
        if (!cached) return unexpected(cached.error());
        Statement& stmt = **cached;
        stmt.bind({hash});
        auto row = stmt.step();
        if (!row) return unexpected(row.error());
        if (!*row) return std::optional<PhotoDetails>{};
        d.hash = hash;
        d.format = stmt.column_text(0);
        d.file_size = static_cast<uint64_t>(stmt.column_int(1));
        d.width = static_cast<uint32_t>(stmt.column_int(2));
        d.height = static_cast<uint32_t>(stmt.column_int(3));
        // The metadata stage's summary, as scanned (LBX_FIELD_* names; NULL columns were not in the file).
        const char* texts[] = {LBX_FIELD_TAKEN_AT, LBX_FIELD_MAKE, LBX_FIELD_MODEL, LBX_FIELD_LENS};
        for (int i = 0; i < 4; ++i)
            if (!stmt.column_is_null(4 + i)) d.summary_text[texts[i]] = stmt.column_text(4 + i);
        const char* numbers[] = {LBX_FIELD_ISO, LBX_FIELD_F_NUMBER, LBX_FIELD_EXPOSURE_TIME, LBX_FIELD_FOCAL_LENGTH,
                                 LBX_FIELD_GPS_LAT, LBX_FIELD_GPS_LON};
        for (int i = 0; i < 6; ++i)
            if (!stmt.column_is_null(8 + i)) d.summary_numbers[numbers[i]] = stmt.column_double(8 + i);
        d.rotation = static_cast<int>(stmt.column_int(14));
    }
    {  // a live path first; else the one seen last (where the photo was when its drive went away)
        auto cached = db_->cached(
            "SELECT path, status FROM files WHERE hash = ?1 ORDER BY status = 'ok' DESC, seen_at DESC, path LIMIT 1");
        if (!cached) return unexpected(cached.error());
        Statement& stmt = **cached;
        stmt.bind({hash});
        auto row = stmt.step();
        if (!row) return unexpected(row.error());
        d.path = *row ? stmt.column_text(0) : std::string();
        d.status = *row && stmt.column_text(1) == ipc::file_state::kOk ? ipc::file_state::kOk : ipc::file_state::kMissing;
    }
    {
        auto cached = db_->cached("SELECT key, value, printed FROM metadata WHERE hash = ?1 ORDER BY key");
        if (!cached) return unexpected(cached.error());
        Statement& stmt = **cached;
        stmt.bind({hash});
        for (;;) {
            auto row = stmt.step();
            if (!row) return unexpected(row.error());
            if (!*row) break;
            d.metadata.push_back({stmt.column_text(0), stmt.column_text(1), stmt.column_text(2)});
        }
    }
    {
        auto cached = db_->cached("SELECT name, category, confidence, source FROM auto_tags WHERE hash = ?1 ORDER BY category, name, source");
        if (!cached) return unexpected(cached.error());
        Statement& stmt = **cached;
        stmt.bind({hash});
        for (;;) {
            auto row = stmt.step();
            if (!row) return unexpected(row.error());
            if (!*row) break;
            d.auto_tags.push_back(Tag{stmt.column_text(0), stmt.column_text(1), stmt.column_double(2), stmt.column_text(3)});
        }
    }
    {
        auto cached = db_->cached("SELECT kind, label, confidence, x, y, w, h, points, quality, embedding, embedding_model, source "
                                 "FROM regions WHERE hash = ?1 ORDER BY source, idx");
        if (!cached) return unexpected(cached.error());
        Statement& stmt = **cached;
        stmt.bind({hash});
        for (;;) {
            auto row = stmt.step();
            if (!row) return unexpected(row.error());
            if (!*row) break;
            Region g;
            g.kind = stmt.column_text(0);
            g.label = stmt.column_text(1);
            g.confidence = stmt.column_double(2);
            g.x = stmt.column_double(3);
            g.y = stmt.column_double(4);
            g.width = stmt.column_double(5);
            g.height = stmt.column_double(6);
            g.points = floats_of(stmt.column_blob(7));
            g.quality = stmt.column_double(8);
            g.embedding = floats_of(stmt.column_blob(9));
            g.embedding_model = stmt.column_text(10);
            g.source = stmt.column_text(11);
            d.regions.push_back(std::move(g));
        }
    }
    auto user = user_tags(hash);
    if (!user) return unexpected(user.error());
    d.user_tags = std::move(*user);
    auto rejected = rejected_tags(hash);
    if (!rejected) return unexpected(rejected.error());
    d.rejected_tags = std::move(*rejected);
    auto thumbs = thumbnails(hash);
    if (!thumbs) return unexpected(thumbs.error());
    d.thumbnails = std::move(*thumbs);
    return std::optional<PhotoDetails>(std::move(d));
}

Expected<void> Catalog::record_thumbnails(const std::string& hash, const std::vector<StoredThumbnail>& thumbnails, int64_t now) {
    LBX_TRY(flush());  // after the scan results queued before, so that the newest rows win
    auto tx = Transaction::begin(*db_);
    if (!tx) return unexpected(tx.error());
    auto stmt = db_->prepare(
        "INSERT OR REPLACE INTO thumbnails(hash, size, width, height, path, bytes, last_used) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!stmt) return unexpected(stmt.error());
    for (const StoredThumbnail& t : thumbnails)
        LBX_TRY(stmt->run({hash, int64_t{t.size}, int64_t{t.width}, int64_t{t.height}, t.path, file_bytes(t.path), now}));
    return tx->commit();
}

Expected<int64_t> Catalog::begin_job(const std::vector<std::string>& paths, int64_t started_at) {
    auto stmt = db_->prepare("INSERT INTO jobs(started_at, state, paths) VALUES (?1, 'running', ?2) RETURNING id");
    if (!stmt) return unexpected(stmt.error());
    // A JSON array: paths may hold any character but NUL, so no separator would be safe.
    stmt->bind({started_at, nlohmann::json(paths).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
    auto row = stmt->step();
    if (!row) return unexpected(row.error());
    const int64_t id = *row ? stmt->column_int(0) : 0;
    stmt->reset();
    return id;
}

Expected<void> Catalog::end_job(int64_t job_row, const std::string& state, int64_t done, int64_t failed, int64_t ended_at) {
    auto stmt = db_->prepare("UPDATE jobs SET state = ?2, done = ?3, failed = ?4, ended_at = ?5 WHERE id = ?1");
    if (!stmt) return unexpected(stmt.error());
    LBX_TRY(stmt->run({job_row, state, done, failed, ended_at}));
    if (db_->changes() == 0) return unexpected(make_error("catalog", ipc::codes::kNotFound, "no job " + std::to_string(job_row) + " in the catalog"));
    return {};
}

Expected<void> Catalog::update_job_progress(int64_t job_row, int64_t done, int64_t failed) {
    auto stmt = db_->prepare("UPDATE jobs SET done = ?2, failed = ?3 WHERE id = ?1 AND state = 'running'");
    if (!stmt) return unexpected(stmt.error());
    return stmt->run({job_row, done, failed});
}

Expected<std::vector<Catalog::InterruptedJob>> Catalog::interrupt_running_jobs(int64_t ended_at) {
    std::vector<InterruptedJob> jobs;
    {
        auto stmt = db_->prepare("SELECT id, paths, coalesce(done, 0), coalesce(failed, 0), started_at FROM jobs WHERE state = 'running' ORDER BY id");
        if (!stmt) return unexpected(stmt.error());
        stmt->bind({});
        for (;;) {
            auto row = stmt->step();
            if (!row) return unexpected(row.error());
            if (!*row) break;
            InterruptedJob j;
            j.row = stmt->column_int(0);
            const nlohmann::json paths = nlohmann::json::parse(stmt->column_text(1), nullptr, false);
            if (paths.is_array())
                for (const auto& p : paths)
                    if (p.is_string()) j.paths.push_back(p.get<std::string>());
            j.done = stmt->column_int(2);
            j.failed = stmt->column_int(3);
            j.started_at = stmt->column_int(4);
            jobs.push_back(std::move(j));
        }
    }
    auto stmt = db_->prepare("UPDATE jobs SET state = 'interrupted', ended_at = ?1 WHERE state = 'running'");
    if (!stmt) return unexpected(stmt.error());
    LBX_TRY(stmt->run({ended_at}));
    return jobs;
}

Expected<void> Catalog::update_statistics() {
    LBX_TRY(flush());
    if (db_->dialect() == SqlDialect::postgres) return db_->exec("ANALYZE");  // samples by itself
    return db_->exec("PRAGMA analysis_limit = 1000; ANALYZE");
}

Expected<CatalogStats> Catalog::stats() {
    LBX_TRY(flush());
    CatalogStats s;
    const std::pair<int64_t*, std::string_view> queries[] = {
        {&s.photos, "SELECT count(*) FROM photos"},
        {&s.files_ok, "SELECT count(*) FROM files WHERE status = 'ok'"},
        {&s.files_failed, "SELECT count(*) FROM files WHERE status = 'failed'"},
        {&s.files_missing, "SELECT count(*) FROM files WHERE status = 'missing'"},
        {&s.failures, "SELECT count(*) FROM failures"},
        {&s.user_tags, "SELECT count(*) FROM user_tags"},
    };
    for (const auto& [field, sql] : queries) {
        auto n = db_->query_int(sql);
        if (!n) return unexpected(n.error());
        *field = *n;
    }
    return s;
}

Expected<std::string> Catalog::integrity_check() {
    if (auto ok = flush(); !ok) return unexpected(ok.error());
    if (db_->dialect() == SqlDialect::sqlite) {
        // The file's own pages and indexes (a server checks its own: data checksums, amcheck).
        auto stmt = db_->prepare("PRAGMA integrity_check");
        if (!stmt) return unexpected(stmt.error());
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        const std::string pages = *row ? stmt->column_text(0) : std::string("no answer");
        if (pages != "ok") return pages;
    } else {
        auto version = postgres_schema_version(static_cast<PostgresDatabase&>(*db_).connection());
        if (!version) return unexpected(version.error());
        if (*version != kSchemaVersion)
            return "schema version " + std::to_string(*version) + ", not this engine's " + std::to_string(kSchemaVersion);
    }
    // What the catalog's own writes keep true on both backends, each change in one transaction: a file
    // with a hash has its photo (a photo is written before its files, and its files removed first), and
    // a face's person names a region that exists (assignments follow their regions across rewrites).
    struct Invariant {
        const char* what;
        const char* sql;  // the offending rows' first column, one per row
    };
    const Invariant invariants[] = {
        {"a file names a photo the library lacks",
         "SELECT f.path FROM files f WHERE f.hash IS NOT NULL AND NOT EXISTS (SELECT 1 FROM photos p WHERE p.hash = f.hash)"},
        {"a face's person names no region",
         "SELECT a.hash FROM face_persons a WHERE NOT EXISTS (SELECT 1 FROM regions g WHERE g.hash = a.hash AND "
         "g.source = a.source AND g.idx = a.idx)"},
    };
    std::string found;
    for (const Invariant& rule : invariants) {
        auto stmt = db_->prepare(rule.sql);
        if (!stmt) return unexpected(stmt.error());
        int64_t count = 0;
        std::string first;
        for (;;) {
            auto row = stmt->step();
            if (!row) return unexpected(row.error());
            if (!*row) break;
            if (count++ == 0) first = stmt->column_text(0);
        }
        if (count > 0)
            found += (found.empty() ? "" : "; ") + std::string(rule.what) + ": " + std::to_string(count) + " (first: " + first + ")";
    }
    return found.empty() ? std::string("ok") : found;
}

}  // namespace lbx::engine::catalog
