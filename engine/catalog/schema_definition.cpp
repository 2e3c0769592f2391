#include "catalog/schema_definition.hpp"

namespace lbx::engine::catalog {
namespace {

using T = ColumnType;

// Each table as migrations 1..11 (catalog_schema.cpp) leave it; the comments there say why each is so.
const std::vector<TableDefinition> kTables{
    {"photos",
     {{"hash", T::text, ""},
      {"format", T::text, "NOT NULL"},
      {"file_size", T::integer, "NOT NULL"},
      {"width", T::integer, "NOT NULL"},
      {"height", T::integer, "NOT NULL"},
      {"taken_at", T::text, ""},
      {"make", T::text, ""},
      {"model", T::text, ""},
      {"lens", T::text, ""},
      {"iso", T::real, ""},
      {"f_number", T::real, ""},
      {"exposure_time", T::real, ""},
      {"focal_length", T::real, ""},
      {"gps_lat", T::real, ""},
      {"gps_lon", T::real, ""},
      {"added_at", T::integer, "NOT NULL"},
      {"updated_at", T::integer, "NOT NULL"},
      {"phash", T::integer, ""},
      {"rotation", T::integer, "NOT NULL DEFAULT 0"}},
     "hash"},
    {"files",
     {{"path", T::text, ""},
      {"hash", T::text, ""},
      {"size", T::integer, "NOT NULL"},
      {"mtime_ns", T::integer, "NOT NULL"},
      {"status", T::text, "NOT NULL CHECK (status IN ('ok', 'failed', 'missing'))"},
      {"seen_at", T::integer, "NOT NULL"}},
     "path"},
    {"metadata",
     {{"hash", T::text, "NOT NULL"},
      {"key", T::text, "NOT NULL"},
      {"value", T::text, "NOT NULL"},
      {"printed", T::text, "NOT NULL DEFAULT ''"}},
     "hash, key",
     true},
    {"auto_tags",
     {{"hash", T::text, "NOT NULL"},
      {"name", T::text, "NOT NULL"},
      {"category", T::text, "NOT NULL"},
      {"source", T::text, "NOT NULL"},
      {"confidence", T::real, "NOT NULL"}},
     "hash, category, name, source",
     true},
    {"user_tags",
     {{"hash", T::text, "NOT NULL"}, {"name", T::text, "NOT NULL"}, {"added_at", T::integer, "NOT NULL"}},
     "hash, name",
     true},
    {"thumbnails",
     {{"hash", T::text, "NOT NULL"},
      {"size", T::integer, "NOT NULL"},
      {"width", T::integer, "NOT NULL"},
      {"height", T::integer, "NOT NULL"},
      {"path", T::text, "NOT NULL"},
      {"bytes", T::integer, "NOT NULL DEFAULT 0"},
      {"last_used", T::integer, "NOT NULL DEFAULT 0"}},
     "hash, size",
     true},
    {"failures",
     {{"path", T::text, ""},
      {"size", T::integer, "NOT NULL"},
      {"mtime_ns", T::integer, "NOT NULL"},
      {"stage", T::text, "NOT NULL"},
      {"plugin", T::text, "NOT NULL"},
      {"plugin_version", T::text, "NOT NULL"},
      {"code", T::text, "NOT NULL"},
      {"message", T::text, "NOT NULL"},
      {"first_seen", T::integer, "NOT NULL"},
      {"last_seen", T::integer, "NOT NULL"}},
     "path"},
    {"jobs",
     {{"id", T::row_id, ""},
      {"started_at", T::integer, "NOT NULL"},
      {"ended_at", T::integer, ""},
      {"state", T::text, "NOT NULL"},
      {"done", T::integer, "NOT NULL DEFAULT 0"},
      {"failed", T::integer, "NOT NULL DEFAULT 0"},
      {"paths", T::text, "NOT NULL"}},
     "id"},
    {"roots", {{"path", T::text, ""}, {"added_at", T::integer, "NOT NULL"}}, "path"},
    {"regions",
     {{"hash", T::text, "NOT NULL"},
      {"source", T::text, "NOT NULL"},
      {"idx", T::integer, "NOT NULL"},
      {"kind", T::text, "NOT NULL"},
      {"label", T::text, "NOT NULL DEFAULT ''"},
      {"confidence", T::real, "NOT NULL"},
      {"x", T::real, "NOT NULL"},
      {"y", T::real, "NOT NULL"},
      {"w", T::real, "NOT NULL"},
      {"h", T::real, "NOT NULL"},
      {"points", T::blob, ""},
      {"quality", T::real, "NOT NULL DEFAULT 0"},
      {"embedding", T::blob, ""},
      {"embedding_model", T::text, ""},
      {"grouped", T::integer, "NOT NULL DEFAULT 0"}},
     "hash, source, idx",
     true},
    {"analyses",
     {{"hash", T::text, "NOT NULL"},
      {"stage", T::text, "NOT NULL"},
      {"plugin", T::text, "NOT NULL"},
      {"plugin_version", T::text, "NOT NULL"},
      {"analysed_at", T::integer, "NOT NULL"},
      {"error", T::text, "NOT NULL DEFAULT ''"}},
     "hash, stage",
     true},
    {"library_state", {{"key", T::text, ""}, {"value", T::text, "NOT NULL"}}, "key", true},
    {"persons",
     {{"id", T::row_id, ""},
      {"name", T::text, "NOT NULL DEFAULT ''"},
      {"centroid", T::blob, "NOT NULL"},
      {"embedding_model", T::text, "NOT NULL"},
      {"created_at", T::integer, "NOT NULL"}},
     "id"},
    {"face_persons",
     {{"hash", T::text, "NOT NULL"},
      {"source", T::text, "NOT NULL"},
      {"idx", T::integer, "NOT NULL"},
      {"person_id", T::integer, "REFERENCES persons(id) ON DELETE CASCADE"}},
     "hash, source, idx",
     true},
    {"tag_rejections",
     {{"hash", T::text, "NOT NULL"},
      {"name", T::text, "NOT NULL COLLATE NOCASE"},
      {"rejected_at", T::integer, "NOT NULL"}},
     "hash, name",
     true},
};

const std::vector<IndexDefinition> kIndexes{
    {"photos_taken_at", "photos", "taken_at", ""},
    {"photos_model", "photos", "model", ""},
    {"photos_phash", "photos", "phash, hash", "phash IS NOT NULL"},
    {"files_hash", "files", "hash, status, path", ""},
    {"auto_tags_name", "auto_tags", "name COLLATE NOCASE", "", "hash"},
    {"auto_tags_category", "auto_tags", "category, name COLLATE NOCASE", ""},
    {"user_tags_name", "user_tags", "name COLLATE NOCASE", "", "hash"},
    {"thumbnails_last_used", "thumbnails", "last_used", ""},
    {"failures_last_seen", "failures", "last_seen", ""},
    {"regions_kind", "regions", "kind, label COLLATE NOCASE", ""},
    {"regions_ungrouped", "regions", "quality", "kind = 'face' AND grouped = 0"},
    {"persons_name", "persons", "name COLLATE NOCASE", ""},
    {"face_persons_person", "face_persons", "person_id, hash", ""},
};

}  // namespace

const std::vector<TableDefinition>& schema_tables() {
    return kTables;
}
const std::vector<IndexDefinition>& schema_indexes() {
    return kIndexes;
}

std::string_view column_type_name(ColumnType type, SqlDialect dialect) {
    const bool sqlite = dialect == SqlDialect::sqlite;
    switch (type) {
        case ColumnType::text:
            return "TEXT";
        case ColumnType::integer:
            return sqlite ? "INTEGER" : "BIGINT";
        case ColumnType::real:
            return sqlite ? "REAL" : "DOUBLE PRECISION";
        case ColumnType::blob:
            return sqlite ? "BLOB" : "BYTEA";
        // SQLite: an INTEGER primary key is the rowid, given max + 1 when an insert leaves it out.
        // PostgreSQL: an identity column that still takes an id given explicitly (copying a library).
        case ColumnType::row_id:
            return sqlite ? "INTEGER" : "BIGINT GENERATED BY DEFAULT AS IDENTITY";
    }
    return "TEXT";
}

std::string schema_ddl(SqlDialect dialect) {
    std::string ddl;
    for (const auto& table : kTables) {
        ddl += "CREATE TABLE " + std::string(table.name) + " (\n";
        for (const auto& column : table.columns) {
            ddl += "    " + std::string(column.name) + " " + std::string(column_type_name(column.type, dialect));
            if (!column.constraints.empty()) ddl += " " + std::string(column.constraints);
            ddl += ",\n";
        }
        ddl += "    PRIMARY KEY (" + std::string(table.primary_key) + ")\n)";
        if (table.without_rowid && dialect == SqlDialect::sqlite) ddl += " WITHOUT ROWID";
        ddl += ";\n";
    }
    for (const auto& index : kIndexes) {
        ddl += "CREATE INDEX " + std::string(index.name) + " ON " + std::string(index.table) + "(" +
               std::string(index.keys) + ")";
        if (!index.postgres_include.empty() && dialect == SqlDialect::postgres)
            ddl += " INCLUDE (" + std::string(index.postgres_include) + ")";
        if (!index.where.empty()) ddl += " WHERE " + std::string(index.where);
        ddl += ";\n";
    }
    return ddl;
}

}  // namespace lbx::engine::catalog
