#include "catalog/catalog_schema.hpp"

#include <algorithm>
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

// Version 2: what the thumbnail cache's budget needs, and the library's folders.
// - thumbnails.bytes: the file's size. SQL cannot read file sizes, so rows from version 1 keep 0
//   ("unknown") and are filled when the file is next seen (ThumbnailCache's find, stats and prune stat it).
// - thumbnails.last_used: when the thumbnail was last served, for least-recently-used eviction; 0 for
//   rows from version 1, so they are the first to go.
// - roots: the folders the user added to the library (what a rescan walks).
// - failures by last_seen: the failures list is shown newest first, a page at a time.
constexpr std::string_view kVersion2 = R"sql(
ALTER TABLE thumbnails ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE thumbnails ADD COLUMN last_used INTEGER NOT NULL DEFAULT 0;
CREATE INDEX thumbnails_last_used ON thumbnails(last_used);

CREATE TABLE roots (
    path TEXT PRIMARY KEY,
    added_at INTEGER NOT NULL
);

CREATE INDEX failures_last_seen ON failures(last_seen);
)sql";

// Version 3: indexes the query language's common terms can be driven by (sdk_docs/query.md).
// - Tag names compare without case (tag:Beach finds "beach"), so their indexes use NOCASE; the binary
//   ones served no query.
// - files by (hash, status, path) covers the join from a photo to its live paths, so a query never reads
//   the files table itself.
// - ANALYZE (sampled) gives the planner row counts, so it starts from the most selective index.
constexpr std::string_view kVersion3 = R"sql(
DROP INDEX auto_tags_name;
DROP INDEX user_tags_name;
CREATE INDEX auto_tags_name ON auto_tags(name COLLATE NOCASE);
CREATE INDEX user_tags_name ON user_tags(name COLLATE NOCASE);
DROP INDEX files_hash;
CREATE INDEX files_hash ON files(hash, status, path);
PRAGMA analysis_limit = 1000;
ANALYZE;
)sql";

// Version 4: regions (plugin API 1.2): objects and faces found in a photo, by the plugin that found them
// (`source`, so that a rescan without a stage keeps what it found before). Boxes are fractions of the
// upright image; keypoints and embeddings are little-endian float32 arrays.
constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE regions (
    hash TEXT NOT NULL,
    source TEXT NOT NULL,
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    confidence REAL NOT NULL,
    x REAL NOT NULL,
    y REAL NOT NULL,
    w REAL NOT NULL,
    h REAL NOT NULL,
    points BLOB,
    quality REAL NOT NULL DEFAULT 0,
    embedding BLOB,
    embedding_model TEXT,
    PRIMARY KEY (hash, source, idx)
) WITHOUT ROWID;
CREATE INDEX regions_kind ON regions(kind, label COLLATE NOCASE);
CREATE INDEX auto_tags_category ON auto_tags(category, name COLLATE NOCASE);
)sql";

// Version 5: the analysis ledger. One row per photo and analysis-phase stage that ran on it, with the
// plugin version: the analysis phase picks the photos without a row for today's stage and version, so a
// photo is analysed again only when its content (a new hash) or the analysing plugin changed. `error` is
// empty when the stage succeeded ("code: message" otherwise: not retried until the plugin changes).
// library_state: what the library remembers across engines (`analysis_paused`).
constexpr std::string_view kVersion5 = R"sql(
CREATE TABLE analyses (
    hash TEXT NOT NULL,
    stage TEXT NOT NULL,
    plugin TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    analysed_at INTEGER NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (hash, stage)
) WITHOUT ROWID;

CREATE TABLE library_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// Version 6: people (engine/catalog/people.hpp, sdk_docs/analysis.md#people). Faces with an identity
// embedding are grouped into persons; the user names, merges and corrects them.
// - persons: a centroid (little-endian float32, the mean of its faces' embeddings, all of one
//   embedding_model) and a name ('' while unnamed). How many faces a person has is counted from
//   face_persons, never stored twice. A person whose faces all went (their photos removed or analysed
//   again) is kept while it has a name, so that its faces, when they come back, join it again by its
//   centroid; an unnamed one is deleted by the next grouping.
// - face_persons: one row per face the grouping placed, keyed like its region (hash, source, idx).
//   person_id NULL: the user took the face out of its person (RemoveFace), and it is never grouped again.
//   Deleting a person deletes its faces' rows (a merge moves them first).
// - regions.grouped: 1 once the grouping has looked at the face (placed it, or skipped it: no embedding,
//   quality too low, taken out by the user). Catalog::write replaces a photo's regions when its
//   analysis runs again (a new plugin version, the file moved): the new rows start at 0, and the partial
//   index lists exactly the faces still to group, so a grouping pass reads nothing else.
// - Across such a rewrite a face keeps its row: Catalog::write moves each row to the new face whose box
//   overlaps the old one most (face_assignments.hpp), so names, merges and the user's removals survive
//   re-analysis; a face with no counterpart leaves its person and the new faces are grouped afresh.
constexpr std::string_view kVersion6 = R"sql(
ALTER TABLE regions ADD COLUMN grouped INTEGER NOT NULL DEFAULT 0;
CREATE INDEX regions_ungrouped ON regions(quality) WHERE kind = 'face' AND grouped = 0;

CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    centroid BLOB NOT NULL,
    embedding_model TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX persons_name ON persons(name COLLATE NOCASE);

CREATE TABLE face_persons (
    hash TEXT NOT NULL,
    source TEXT NOT NULL,
    idx INTEGER NOT NULL,
    person_id INTEGER REFERENCES persons(id) ON DELETE CASCADE,
    PRIMARY KEY (hash, source, idx)
) WITHOUT ROWID;
CREATE INDEX face_persons_person ON face_persons(person_id, hash);
)sql";

// Version 7: how people read a metadata value (plugin API 1.3: "F2.8" for "14/5", "Fired" for "1"), for
// the photo view's table. Empty when the stage gave none (rows from before: a rescan that reads the file
// again fills it).
constexpr std::string_view kVersion7 = R"sql(
ALTER TABLE metadata ADD COLUMN printed TEXT NOT NULL DEFAULT '';
)sql";

// Version 8: the perceptual hash (engine/pipeline/perceptual_hash.hpp), 64 bits stored as a signed
// integer, for duplicates and similar photos (`similar:` queries, FindSimilar). NULL until the file is
// decoded again: photos of earlier versions get theirs when a scan reads them (a changed file, a rescan
// after a pipeline change). The partial index covers (phash, hash): grouping reads every hash from it
// without touching the table.
constexpr std::string_view kVersion8 = R"sql(
ALTER TABLE photos ADD COLUMN phash INTEGER;
CREATE INDEX photos_phash ON photos(phash, hash) WHERE phash IS NOT NULL;
)sql";

// Version 9: what the user decided about a photo that the file does not say.
// - photos.rotation: the user's rotation in clockwise quarter turns (0..3), on top of the EXIF orientation
//   the thumbnails already apply. Clients turn what they draw; the file and the thumbnails are never
//   rewritten. The scan's upsert of a photo leaves the column alone, so a rescan keeps it.
// - tag_rejections: auto tags the user turned down for a photo ("this is not a dog"). Catalog::write
//   never inserts an auto tag that has a row here, whichever stage makes it again (a rescan, analysis
//   with a newer plugin), so queries and facets, which read auto_tags, never see it. Names compare
//   without case, as tag queries do.
constexpr std::string_view kVersion9 = R"sql(
ALTER TABLE photos ADD COLUMN rotation INTEGER NOT NULL DEFAULT 0;
CREATE TABLE tag_rejections (
    hash TEXT NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    rejected_at INTEGER NOT NULL,
    PRIMARY KEY (hash, name)
) WITHOUT ROWID;
)sql";

// Version 10: the files of photos that an earlier version stored without a perceptual hash (version 8)
// or without printed metadata values (version 7) are read again by the next scan, which fills both: their
// mtime is set to one no file has, so the scan's unchanged-file check fails once. Nothing of the user's
// is touched (tags, rejections, rotation, persons are keyed by content hash). A photo that has no
// perceptual hash for a reason of its own (a metadata-only scan) is read once more, then left alone.
constexpr std::string_view kVersion10 = R"sql(
UPDATE files SET mtime_ns = -1 WHERE status = 'ok' AND hash IN (
    SELECT hash FROM photos WHERE phash IS NULL
    UNION SELECT hash FROM metadata WHERE printed = '');
)sql";

// Version 11: PostgreSQL's tag-name indexes carry the photo's hash (postgres_schema.cpp), so a tag:
// query reads its photos from the index alone. SQLite's already do: an index of a WITHOUT ROWID table
// holds the table's key, (hash, ...). Nothing changes here; the version stays one number for both.
constexpr std::string_view kVersion11 = R"sql(
SELECT 1;
)sql";

// Version 12: PostgreSQL counts the library's own commits (postgres_schema.cpp, lightbox_changes), so
// that a commit to another database of the same server no longer looks like a change of this library.
// SQLite's PRAGMA data_version already concerns its one file. Nothing changes here.
constexpr std::string_view kVersion12 = R"sql(
SELECT 1;
)sql";

constexpr std::array<std::string_view, kSchemaVersion> kMigrations{kVersion1, kVersion2,  kVersion3,  kVersion4,
                                                                  kVersion5, kVersion6,  kVersion7,  kVersion8,
                                                                  kVersion9, kVersion10, kVersion11, kVersion12};

}  // namespace

Expected<int> migrate(Database& db) { return migrate_to(db, kSchemaVersion); }

Expected<int> migrate_to(Database& db, int target) {
    if (target < 0 || target > kSchemaVersion) {
        return unexpected(make_error("catalog", "bad_version", "no schema version " + std::to_string(target) + " (this engine knows 0.." +
                                                                   std::to_string(kSchemaVersion) + ")"));
    }
    auto version = db.query_int("PRAGMA user_version");
    if (!version) return unexpected(version.error());
    if (*version > kSchemaVersion) {
        return unexpected(make_error("catalog", "too_new",
                                     "catalog '" + db.file().string() + "' has schema version " + std::to_string(*version) +
                                         ", newer than this engine's " + std::to_string(kSchemaVersion) +
                                         ": use a newer Lightbox"));
    }
    for (int next = static_cast<int>(*version) + 1; next <= target; ++next) {
        auto tx = Transaction::begin(db);
        if (!tx) return unexpected(tx.error());
        if (auto ok = db.exec(kMigrations[static_cast<std::size_t>(next - 1)]); !ok) return unexpected(ok.error());
        if (auto ok = db.exec("PRAGMA user_version = " + std::to_string(next)); !ok) return unexpected(ok.error());
        if (auto ok = tx->commit(); !ok) return unexpected(ok.error());
    }
    return std::max(static_cast<int>(*version), target);
}

}  // namespace lbx::engine::catalog
