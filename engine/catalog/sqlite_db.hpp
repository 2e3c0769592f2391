// A thin RAII layer over the SQLite C API: a connection and prepared statements with bound parameters
// (the catalog builds no SQL from values). Errors are values naming the statement and SQLite's reason.
#pragma once

#include "catalog/sql_value.hpp"
#include "core/expected.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace lbx::engine::catalog {

class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt, &sqlite3_finalize) {}

    // Binds parameters 1..n in order, after a reset.
    Statement& bind(const std::vector<SqlValue>& values);
    // One more integer parameter at `index` (1-based), after bind().
    Statement& bind_int(int index, int64_t value) {
        sqlite3_bind_int64(stmt_.get(), index, value);
        return *this;
    }
    // One step: true while a row is available.
    Expected<bool> step();
    // Steps to the end (for statements without rows).
    Expected<void> run(const std::vector<SqlValue>& values = {});
    // Ends a read early: a statement kept for reuse and left mid-rows would hold its read snapshot open
    // (in WAL that keeps the checkpoint from reclaiming the log).
    void reset() { sqlite3_reset(stmt_.get()); }

    int64_t column_int(int i) const { return sqlite3_column_int64(stmt_.get(), i); }
    double column_double(int i) const { return sqlite3_column_double(stmt_.get(), i); }
    bool column_is_null(int i) const { return sqlite3_column_type(stmt_.get(), i) == SQLITE_NULL; }
    std::string column_text(int i) const;
    std::vector<uint8_t> column_blob(int i) const;
    // The text without a copy: valid until the next step, reset or column call on this column.
    std::string_view column_view(int i) const;

private:
    sqlite3* db_;
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt_;
};

// A statement of Database::cached() while in use: reset when the use ends, so that no read snapshot
// outlives it (a kept statement left mid-rows would keep WAL from reclaiming its log).
class CachedStatement {
public:
    explicit CachedStatement(Statement& statement) : statement_(&statement) {}
    CachedStatement(CachedStatement&& other) noexcept : statement_(std::exchange(other.statement_, nullptr)) {}
    CachedStatement& operator=(CachedStatement&&) = delete;
    ~CachedStatement() {
        if (statement_) statement_->reset();
    }
    Statement& operator*() { return *statement_; }

private:
    Statement* statement_;
};

enum class OpenMode {
    read_write,  // created when missing
    // Never writes, so that reading commands work on a catalog they may not write (a read-only file,
    // folder or mount). The file must exist. In WAL mode a reader needs the -shm index beside the file:
    // when the folder does not let SQLite create it and no -wal holds changes, the file is opened
    // `immutable` (https://sqlite.org/wal.html#readonly, https://sqlite.org/uri.html#uriimmutable).
    read_only,
};

class Database {
public:
    static Expected<std::unique_ptr<Database>> open(const std::filesystem::path& file,
                                                    OpenMode mode = OpenMode::read_write);

    Expected<void> exec(std::string_view sql);  // statements without parameters (schema, pragmas)
    Expected<Statement> prepare(std::string_view sql);
    // `sql` prepared once for this connection and kept: for statements run once per photo of a listing
    // (preparing them again each time cost more than running them). One use at a time per statement.
    Expected<CachedStatement> cached(std::string_view sql);
    Expected<int64_t> query_int(std::string_view sql);  // the first column of the first row
    const std::filesystem::path& file() const { return file_; }
    bool read_only() { return sqlite3_db_readonly(db_.get(), "main") == 1; }
    sqlite3* handle() { return db_.get(); }
    int64_t changes() { return sqlite3_changes64(db_.get()); }  // rows changed by the last statement
    // Rows this connection changed that no query reads (the thumbnail cache's last-use marks): left out
    // of change_stamp, so that showing a thumbnail does not throw away the last query's matches and the
    // facet index (both rebuilt from 100 000 photos when the stamp moves).
    void discount_changes(int64_t rows) { discounted_changes_ += rows; }
    int64_t discounted_changes() const { return discounted_changes_; }
    int64_t last_insert_rowid() { return sqlite3_last_insert_rowid(db_.get()); }

    Database(sqlite3* db, std::filesystem::path file) : db_(db, &sqlite3_close_v2), file_(std::move(file)) {}

private:
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> db_;
    std::filesystem::path file_;
    std::unordered_map<std::string, Statement> cached_;  // after db_: finalized before the connection closes
    int64_t discounted_changes_ = 0;
};

// Identifies the state of the database as one connection sees it: equal stamps, no commit in between,
// by another connection (PRAGMA data_version) or by this one (total changes). What in-memory copies of
// catalog data (facet index, last query's matches) check before they are used.
struct ChangeStamp {
    int64_t data_version = -1;
    int64_t total_changes = -1;
    bool operator==(const ChangeStamp&) const = default;
};
Expected<ChangeStamp> change_stamp(Database& db);

// A transaction that rolls back unless committed.
class Transaction {
public:
    static Expected<Transaction> begin(Database& db);
    Expected<void> commit();
    ~Transaction();
    Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
    Transaction& operator=(Transaction&&) = delete;

private:
    explicit Transaction(Database* db) : db_(db) {}
    Database* db_;
};

// One read transaction over many statements (a listing of records): every statement sees the same
// snapshot, and the file's locks are taken once instead of around each statement (the lock and unlock
// system calls were most of the time of a 20 000-record listing). Ended when it goes; nothing to commit.
class ReadSnapshot {
public:
    static Expected<ReadSnapshot> begin(Database& db);
    ~ReadSnapshot();
    ReadSnapshot(ReadSnapshot&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
    ReadSnapshot& operator=(ReadSnapshot&&) = delete;

private:
    explicit ReadSnapshot(Database* db) : db_(db) {}
    Database* db_;
};

}  // namespace lbx::engine::catalog
