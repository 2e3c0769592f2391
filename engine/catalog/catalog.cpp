#include "catalog/catalog.hpp"

#include "catalog/catalog_schema.hpp"

#include <cstdlib>

namespace lbx::engine::catalog {
namespace {

SqlValue text_or_null(const std::optional<std::string>& v) { return v ? SqlValue{*v} : SqlValue{}; }
SqlValue number_or_null(const std::optional<double>& v) { return v ? SqlValue{*v} : SqlValue{}; }

#define LBX_TRY(expr)                                          \
    do {                                                       \
        if (auto lbx_ok_ = (expr); !lbx_ok_) return unexpected(lbx_ok_.error()); \
    } while (0)

}  // namespace

int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::filesystem::path default_catalog_file() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && xdg[0] == '/') return std::filesystem::path(xdg) / "lightbox" / "library.lbx";
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home ? home : "/tmp") / ".local" / "share" / "lightbox" / "library.lbx";
}

Catalog::Catalog(std::unique_ptr<Database> db, BatchPolicy policy) : db_(std::move(db)), policy_(policy) {}

Catalog::~Catalog() { (void)flush(); }

Expected<std::unique_ptr<Catalog>> Catalog::open(const std::filesystem::path& file, BatchPolicy policy) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    auto db = Database::open(file);
    if (!db) return unexpected(db.error());
    // WAL: readers (the shell's queries) never block the scan's writer; NORMAL sync is crash-safe in WAL
    // (a power loss may lose the last transactions, never corrupt the file).
    LBX_TRY((*db)->exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON"));
    auto version = migrate(**db);
    if (!version) return unexpected(version.error());
    return std::make_unique<Catalog>(std::move(*db), policy);
}

Expected<std::unordered_map<std::string, FileState>> Catalog::file_states() {
    auto stmt = db_->prepare("SELECT path, coalesce(hash, ''), size, mtime_ns, status FROM files");
    if (!stmt) return unexpected(stmt.error());
    std::unordered_map<std::string, FileState> states;
    for (;;) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) break;
        states.emplace(stmt->column_text(0), FileState{stmt->column_text(1), static_cast<uint64_t>(stmt->column_int(2)),
                                                       stmt->column_int(3), stmt->column_text(4)});
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
    auto tx = Transaction::begin(*db_);
    if (!tx) return unexpected(tx.error());
    for (const auto& [result, seen_at] : pending_) LBX_TRY(write(result, seen_at));
    LBX_TRY(tx->commit());
    pending_.clear();
    return {};
}

Expected<void> Catalog::write(const PhotoResult& r, int64_t seen_at) {
    if (r.unchanged) {
        // Seen again: a missing file that came back unchanged is live again; a failed one stays failed.
        auto touch = db_->prepare(
            "UPDATE files SET seen_at = ?1, status = CASE status WHEN 'missing' THEN "
            "CASE WHEN hash IS NULL THEN 'failed' ELSE 'ok' END ELSE status END WHERE path = ?2");
        if (!touch) return unexpected(touch.error());
        return touch->run({seen_at, r.path});
    }
    const int64_t now = now_us();
    if (!r.ok()) {
        const StageFailure& f = *r.failure;
        auto file = db_->prepare(
            "INSERT INTO files(path, hash, size, mtime_ns, status, seen_at) VALUES (?1, NULL, ?2, ?3, 'failed', ?4) "
            "ON CONFLICT(path) DO UPDATE SET hash = NULL, size = ?2, mtime_ns = ?3, status = 'failed', seen_at = ?4");
        if (!file) return unexpected(file.error());
        LBX_TRY(file->run({r.path, static_cast<int64_t>(r.file_size), r.mtime_ns, seen_at}));
        auto failure = db_->prepare(
            "INSERT INTO failures(path, size, mtime_ns, stage, plugin, plugin_version, code, message, first_seen, last_seen) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) ON CONFLICT(path) DO UPDATE SET size = ?2, mtime_ns = ?3, "
            "stage = ?4, plugin = ?5, plugin_version = ?6, code = ?7, message = ?8, last_seen = ?9");
        if (!failure) return unexpected(failure.error());
        return failure->run({r.path, static_cast<int64_t>(r.file_size), r.mtime_ns, f.stage, f.plugin, f.plugin_version,
                             f.code, f.message, now});
    }

    const Metadata& m = r.metadata;
    auto photo = db_->prepare(
        "INSERT INTO photos(hash, format, file_size, width, height, taken_at, make, model, lens, iso, f_number, "
        "exposure_time, focal_length, gps_lat, gps_lon, added_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16) "
        "ON CONFLICT(hash) DO UPDATE SET format = ?2, file_size = ?3, width = ?4, height = ?5, taken_at = ?6, make = ?7, "
        "model = ?8, lens = ?9, iso = ?10, f_number = ?11, exposure_time = ?12, focal_length = ?13, gps_lat = ?14, "
        "gps_lon = ?15, updated_at = ?16");
    if (!photo) return unexpected(photo.error());
    LBX_TRY(photo->run({r.hash, r.format, static_cast<int64_t>(r.file_size), int64_t{r.width}, int64_t{r.height},
                        text_or_null(m.get_text(LBX_FIELD_TAKEN_AT)), text_or_null(m.get_text(LBX_FIELD_MAKE)),
                        text_or_null(m.get_text(LBX_FIELD_MODEL)), text_or_null(m.get_text(LBX_FIELD_LENS)),
                        number_or_null(m.get_number(LBX_FIELD_ISO)), number_or_null(m.get_number(LBX_FIELD_F_NUMBER)),
                        number_or_null(m.get_number(LBX_FIELD_EXPOSURE_TIME)),
                        number_or_null(m.get_number(LBX_FIELD_FOCAL_LENGTH)), number_or_null(m.get_number(LBX_FIELD_GPS_LAT)),
                        number_or_null(m.get_number(LBX_FIELD_GPS_LON)), now}));

    auto clear_metadata = db_->prepare("DELETE FROM metadata WHERE hash = ?1");
    auto add_metadata = db_->prepare("INSERT OR REPLACE INTO metadata(hash, key, value) VALUES (?1, ?2, ?3)");
    auto clear_tags = db_->prepare("DELETE FROM auto_tags WHERE hash = ?1");
    auto add_tag = db_->prepare(
        "INSERT OR REPLACE INTO auto_tags(hash, name, category, source, confidence) VALUES (?1, ?2, ?3, ?4, ?5)");
    auto add_thumb = db_->prepare(
        "INSERT OR REPLACE INTO thumbnails(hash, size, width, height, path) VALUES (?1, ?2, ?3, ?4, ?5)");
    auto file = db_->prepare(
        "INSERT INTO files(path, hash, size, mtime_ns, status, seen_at) VALUES (?1, ?2, ?3, ?4, 'ok', ?5) "
        "ON CONFLICT(path) DO UPDATE SET hash = ?2, size = ?3, mtime_ns = ?4, status = 'ok', seen_at = ?5");
    auto clear_failure = db_->prepare("DELETE FROM failures WHERE path = ?1");
    for (auto* s : {&clear_metadata, &add_metadata, &clear_tags, &add_tag, &add_thumb, &file, &clear_failure})
        if (!*s) return unexpected(s->error());

    LBX_TRY(clear_metadata->run({r.hash}));
    for (const auto& [key, value] : m.entries) LBX_TRY(add_metadata->run({r.hash, key, value}));
    LBX_TRY(clear_tags->run({r.hash}));  // auto tags only: user_tags are never touched here
    for (const Tag& t : r.tags) LBX_TRY(add_tag->run({r.hash, t.name, t.category, t.source, t.confidence}));
    for (const StoredThumbnail& t : r.thumbnails)
        LBX_TRY(add_thumb->run({r.hash, int64_t{t.size}, int64_t{t.width}, int64_t{t.height}, t.path}));
    LBX_TRY(file->run({r.path, r.hash, static_cast<int64_t>(r.file_size), r.mtime_ns, seen_at}));
    return clear_failure->run({r.path});
}

Expected<int64_t> Catalog::mark_missing(const std::vector<std::string>& roots, int64_t seen_at) {
    LBX_TRY(flush());
    auto tx = Transaction::begin(*db_);
    if (!tx) return unexpected(tx.error());
    // A root is a folder (its files are those below "root/") or one file (exactly that path).
    auto stmt = db_->prepare(
        "UPDATE files SET status = 'missing' WHERE status != 'missing' AND seen_at < ?1 "
        "AND (path = ?2 OR substr(path, 1, length(?3)) = ?3)");
    if (!stmt) return unexpected(stmt.error());
    int64_t changed = 0;
    for (std::string root : roots) {
        while (root.size() > 1 && root.back() == '/') root.pop_back();
        LBX_TRY(stmt->run({seen_at, root, root == "/" ? root : root + "/"}));
        changed += sqlite3_changes(db_->handle());
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
    auto stmt = db.prepare(sql);
    if (!stmt) return unexpected(stmt.error());
    stmt->bind({hash});
    std::vector<std::string> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) return out;
        out.push_back(stmt->column_text(0));
    }
}

}  // namespace

Expected<std::vector<std::string>> Catalog::user_tags(const std::string& hash) {
    return strings_of(*db_, "SELECT name FROM user_tags WHERE hash = ?1 ORDER BY name", hash);
}

Expected<std::vector<std::string>> Catalog::auto_tag_names(const std::string& hash) {
    return strings_of(*db_, "SELECT name FROM auto_tags WHERE hash = ?1 ORDER BY name", hash);
}

Expected<std::vector<StoredThumbnail>> Catalog::thumbnails(const std::string& hash) {
    auto stmt = db_->prepare("SELECT size, path, width, height FROM thumbnails WHERE hash = ?1 ORDER BY size");
    if (!stmt) return unexpected(stmt.error());
    stmt->bind({hash});
    std::vector<StoredThumbnail> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return unexpected(row.error());
        if (!*row) return out;
        out.push_back({static_cast<uint32_t>(stmt->column_int(0)), stmt->column_text(1),
                       static_cast<uint32_t>(stmt->column_int(2)), static_cast<uint32_t>(stmt->column_int(3))});
    }
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
    auto stmt = db_->prepare("PRAGMA integrity_check");
    if (!stmt) return unexpected(stmt.error());
    auto row = stmt->step();
    if (!row) return unexpected(row.error());
    return *row ? stmt->column_text(0) : std::string("no answer");
}

}  // namespace lbx::engine::catalog
