#include "catalog/catalog_schema.hpp"

#include <array>
#include <string_view>

namespace lbx::engine::catalog {
namespace {

// Photos are keyed by their full-content hash; paths are attributes in `files`, so a moved or renamed
// photo keeps its tags, user tags and thumbnails. User tags live apart from auto tags: a rescan only
// ever replaces auto tags.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE photos (
    hash TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    taken_at TEXT,
    make TEXT,
    model TEXT,
    lens TEXT,
    iso REAL,
    f_number REAL,
    exposure_time REAL,
    focal_length REAL,
    gps_lat REAL,
    gps_lon REAL,
    added_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX photos_taken_at ON photos(taken_at);
CREATE INDEX photos_model ON photos(model);

CREATE TABLE files (
    path TEXT PRIMARY KEY,
    hash TEXT,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'missing')),
    seen_at INTEGER NOT NULL
);
CREATE INDEX files_hash ON files(hash);

CREATE TABLE metadata (
    hash TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (hash, key)
) WITHOUT ROWID;

CREATE TABLE auto_tags (
    hash TEXT NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    source TEXT NOT NULL,
    confidence REAL NOT NULL,
    PRIMARY KEY (hash, category, name, source)
) WITHOUT ROWID;
CREATE INDEX auto_tags_name ON auto_tags(name);

CREATE TABLE user_tags (
    hash TEXT NOT NULL,
    name TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (hash, name)
) WITHOUT ROWID;
CREATE INDEX user_tags_name ON user_tags(name);

CREATE TABLE thumbnails (
    hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (hash, size)
) WITHOUT ROWID;

CREATE TABLE failures (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    stage TEXT NOT NULL,
    plugin TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    state TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    paths TEXT NOT NULL
);
)sql";

constexpr std::array<std::string_view, kSchemaVersion> kMigrations{kVersion1};

}  // namespace

Expected<int> migrate(Database& db) {
    auto version = db.query_int("PRAGMA user_version");
    if (!version) return unexpected(version.error());
    if (*version > kSchemaVersion) {
        return unexpected(make_error("catalog", "too_new",
                                     "catalog '" + db.file().string() + "' has schema version " + std::to_string(*version) +
                                         ", newer than this engine's " + std::to_string(kSchemaVersion) +
                                         ": use a newer Lightbox"));
    }
    for (int next = static_cast<int>(*version) + 1; next <= kSchemaVersion; ++next) {
        auto tx = Transaction::begin(db);
        if (!tx) return unexpected(tx.error());
        if (auto ok = db.exec(kMigrations[static_cast<std::size_t>(next - 1)]); !ok) return unexpected(ok.error());
        if (auto ok = db.exec("PRAGMA user_version = " + std::to_string(next)); !ok) return unexpected(ok.error());
        if (auto ok = tx->commit(); !ok) return unexpected(ok.error());
    }
    return kSchemaVersion;
}

}  // namespace lbx::engine::catalog
