#include "catalog/catalog_copy.hpp"

#include "catalog/schema_definition.hpp"
#include "catalog/try.hpp"

namespace lbx::engine::catalog {
namespace {

Error copy_error(const std::string& message) { return make_error("catalog", "copy", message); }

// A source column's value, typed as the schema defines the column (SQLite may hold other types; the
// target's are strict).
SqlValue value_of(Statement& row, int i, ColumnType type) {
    if (row.column_is_null(i)) return SqlValue{};
    switch (type) {
        case ColumnType::integer:
        case ColumnType::row_id: return row.column_int(i);
        case ColumnType::real: return row.column_double(i);
        case ColumnType::blob: return SqlBlob{row.column_blob(i)};
        case ColumnType::text: return row.column_text(i);
    }
    return SqlValue{};
}

Expected<int64_t> count_rows(Database& db, const std::string& table) { return db.query_int("SELECT count(*) FROM " + table); }

}  // namespace

Expected<std::vector<CopiedTable>> copy_library(Database& from, Database& to) {
    for (const char* table : {"photos", "files", "persons"}) {
        auto held = count_rows(to, table);
        if (!held) return unexpected(held.error());
        if (*held > 0) {
            return unexpected(copy_error("the target library " + to.description() + " already holds " +
                                         std::to_string(*held) + " rows in " + table +
                                         ": a library is copied into an empty one, never merged"));
        }
    }
    auto snapshot = ReadSnapshot::begin(from);  // the source as it is at one moment, even if an engine writes
    if (!snapshot) return unexpected(snapshot.error());
    auto tx = Transaction::begin(to);
    if (!tx) return unexpected(tx.error());
    std::vector<CopiedTable> copied;
    // The definition lists tables so that a table comes after those its foreign keys name.
    for (const TableDefinition& table : schema_tables()) {
        const std::string name(table.name);
        std::string columns, params;
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            columns += (i ? ", " : "") + std::string(table.columns[i].name);
            params += (i ? ", ?" : "?") + std::to_string(i + 1);
        }
        auto read = from.prepare("SELECT " + columns + " FROM " + name);
        if (!read) return unexpected(read.error());
        auto write = to.prepare("INSERT INTO " + name + " (" + columns + ") VALUES (" + params + ")");
        if (!write) return unexpected(write.error());
        int64_t rows = 0;
        for (;;) {
            auto row = read->step();
            if (!row) return unexpected(row.error());
            if (!*row) break;
            std::vector<SqlValue> values;
            for (std::size_t i = 0; i < table.columns.size(); ++i)
                values.push_back(value_of(*read, static_cast<int>(i), table.columns[i].type));
            LBX_TRY(write->run(values));
            ++rows;
        }
        // Ids copied as they were: the target's generator goes on after the largest.
        for (const ColumnDefinition& column : table.columns) {
            if (column.type != ColumnType::row_id || to.dialect() != SqlDialect::postgres || rows == 0) continue;
            const std::string id(column.name);
            LBX_TRY(to.query_int("SELECT setval(pg_get_serial_sequence('" + name + "', '" + id + "'), (SELECT max(" + id +
                                 ") FROM " + name + "))"));
        }
        copied.push_back({name, rows});
    }
    for (const CopiedTable& table : copied) {
        auto held = count_rows(to, table.table);
        if (!held) return unexpected(held.error());
        if (*held != table.rows) {
            return unexpected(copy_error("table " + table.table + ": " + std::to_string(table.rows) + " rows read from " +
                                         from.description() + " but " + std::to_string(*held) + " in " + to.description() +
                                         "; nothing was copied"));
        }
    }
    LBX_TRY(tx->commit());
    return copied;
}

}  // namespace lbx::engine::catalog
