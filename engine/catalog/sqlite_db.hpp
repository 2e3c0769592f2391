// The catalog's SQLite database (database.hpp's interface over the SQLite C API): one file, opened in
// WAL mode by the catalog, with prepared statements and bound parameters (the catalog builds no SQL from
// values). Errors are values naming the statement and SQLite's reason.
#pragma once

#include "catalog/database.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lbx::engine::catalog {

class SqliteStatement final : public StatementBackend {
public:
    SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt, &sqlite3_finalize) {}

    void bind(const std::vector<SqlValue>& values) override;
    void bind_int(int index, int64_t value) override { sqlite3_bind_int64(stmt_.get(), index, value); }
    Expected<bool> step() override;
    void reset() override { sqlite3_reset(stmt_.get()); }
    int64_t column_int(int i) const override { return sqlite3_column_int64(stmt_.get(), i); }
    double column_double(int i) const override { return sqlite3_column_double(stmt_.get(), i); }
    bool column_is_null(int i) const override { return sqlite3_column_type(stmt_.get(), i) == SQLITE_NULL; }
    std::string_view column_view(int i) const override;
    std::vector<uint8_t> column_blob(int i) const override;

private:
    sqlite3* db_;
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt_;
};

enum class OpenMode {
    read_write,  // created when missing
    // Never writes, so that reading commands work on a catalog they may not write (a read-only file,
    // folder or mount). The file must exist. In WAL mode a reader needs the -shm index beside the file:
    // when the folder does not let SQLite create it and no -wal holds changes, the file is opened
    // `immutable` (https://sqlite.org/wal.html#readonly, https://sqlite.org/uri.html#uriimmutable).
    read_only,
};

class SqliteDatabase final : public Database {
public:
    static Expected<std::unique_ptr<SqliteDatabase>> open(const std::filesystem::path& file,
                                                          OpenMode mode = OpenMode::read_write);
    SqliteDatabase(sqlite3* db, std::filesystem::path file) : db_(db, &sqlite3_close_v2), file_(std::move(file)) {}
    ~SqliteDatabase() override { forget_cached(); }

    SqlDialect dialect() const override { return SqlDialect::sqlite; }
    std::string description() const override { return "'" + file_.string() + "'"; }
    std::filesystem::path file() const override { return file_; }
    Expected<void> exec(std::string_view sql) override;
    Expected<Statement> prepare(std::string_view sql) override;
    bool read_only() override { return sqlite3_db_readonly(db_.get(), "main") == 1; }
    int64_t changes() override { return sqlite3_changes64(db_.get()); }
    // PRAGMA data_version moves on another connection's commit; total changes on this one's writes.
    Expected<ChangeStamp> change_stamp() override;
    std::string_view begin_write_sql() const override { return "BEGIN IMMEDIATE"; }
    std::string_view begin_read_sql() const override { return "BEGIN DEFERRED"; }
    bool in_transaction() override { return sqlite3_get_autocommit(db_.get()) == 0; }

    sqlite3* handle() { return db_.get(); }

private:
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> db_;
    std::filesystem::path file_;
};

}  // namespace lbx::engine::catalog
