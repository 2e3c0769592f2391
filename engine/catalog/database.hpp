// The catalog's connection to the database it lives in, whichever that is: an SQLite file (the embedded
// default, sqlite_db.hpp) or a PostgreSQL database shared by several engines (postgres_database.hpp).
// The catalog's code is written once against this interface, with statements in the SQL both accept
// (sql_dialect.hpp says what is rewritten for PostgreSQL) and values always bound, never spliced in.
//
// A Database and its statements belong to one thread at a time.
#pragma once

#include "catalog/schema_definition.hpp"
#include "catalog/sql_value.hpp"
#include "core/expected.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lbx::engine::catalog {

// What a database does for one prepared statement (SqliteStatement, PostgresStatement).
class StatementBackend {
public:
    virtual ~StatementBackend() = default;
    virtual void bind(const std::vector<SqlValue>& values) = 0;  // parameters 1..n, after a reset
    virtual void bind_int(int index, int64_t value) = 0;        // one more, after bind()
    virtual Expected<bool> step() = 0;                          // true while a row is available
    virtual void reset() = 0;                                   // ends the rows; bindings stay
    virtual int64_t column_int(int i) const = 0;                // a boolean reads as 0 or 1
    virtual double column_double(int i) const = 0;
    virtual bool column_is_null(int i) const = 0;
    virtual std::string_view column_view(int i) const = 0;      // valid until the next step or reset
    virtual std::vector<uint8_t> column_blob(int i) const = 0;
};

// A prepared statement with parameters bound in order (?1, ?2, ... or ?), read a row at a time.
class Statement {
public:
    explicit Statement(std::unique_ptr<StatementBackend> backend) : backend_(std::move(backend)) {}

    Statement& bind(const std::vector<SqlValue>& values) {
        backend_->bind(values);
        return *this;
    }
    Statement& bind_int(int index, int64_t value) {
        backend_->bind_int(index, value);
        return *this;
    }
    Expected<bool> step() { return backend_->step(); }
    // Binds, steps to the end and resets (statements without rows).
    Expected<void> run(const std::vector<SqlValue>& values = {});
    // Ends a read early: a statement kept for reuse and left mid-rows would hold its read snapshot open
    // (in SQLite's WAL that keeps the checkpoint from reclaiming the log).
    void reset() { backend_->reset(); }

    int64_t column_int(int i) const { return backend_->column_int(i); }
    double column_double(int i) const { return backend_->column_double(i); }
    bool column_is_null(int i) const { return backend_->column_is_null(i); }
    std::string column_text(int i) const { return std::string(backend_->column_view(i)); }
    std::vector<uint8_t> column_blob(int i) const { return backend_->column_blob(i); }
    // The text without a copy: valid until the next step, reset or column call on this column.
    std::string_view column_view(int i) const { return backend_->column_view(i); }

    StatementBackend& backend() { return *backend_; }

private:
    std::unique_ptr<StatementBackend> backend_;
};

// A statement of Database::cached() while in use: reset when the use ends, so that no read snapshot
// outlives it.
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

// Identifies the state of the database as one connection sees it: equal stamps, no commit in between,
// by another connection or by this one. What in-memory copies of catalog data (facet index, last query's
// matches) check before they are used.
struct ChangeStamp {
    int64_t data_version = -1;   // SQLite's PRAGMA data_version; PostgreSQL: the library's change count
    int64_t total_changes = -1;  // rows this connection changed (less those discounted)
    bool operator==(const ChangeStamp&) const = default;
};

class Database {
public:
    virtual ~Database() = default;

    virtual SqlDialect dialect() const = 0;
    // What messages call this library: the SQLite file, or "'db' on HOST:PORT as USER" (never a password).
    virtual std::string description() const = 0;
    // The SQLite file; empty for a database on a server.
    virtual std::filesystem::path file() const { return {}; }

    virtual Expected<void> exec(std::string_view sql) = 0;  // statements without parameters, ';'-separated
    virtual Expected<Statement> prepare(std::string_view sql) = 0;
    virtual bool read_only() = 0;
    virtual int64_t changes() = 0;  // rows changed by the last statement that changed rows
    virtual Expected<ChangeStamp> change_stamp() = 0;

    // Transactions (Transaction, ReadSnapshot below): the statements that open and end them here.
    virtual std::string_view begin_write_sql() const = 0;
    virtual std::string_view begin_read_sql() const = 0;
    virtual bool in_transaction() = 0;

    // `sql` prepared once for this connection and kept: for statements run once per photo of a listing
    // (preparing them again each time cost more than running them). One use at a time per statement.
    Expected<CachedStatement> cached(std::string_view sql);
    Expected<int64_t> query_int(std::string_view sql);  // the first column of the first row (0: none)

    // Runs `write`, statements whose rows no query reads (the thumbnail cache's last-use marks), so that
    // they leave change_stamp where it was: showing a thumbnail must not throw away the last query's
    // matches and the facet index (both rebuilt from every photo when the stamp moves). Its changes are
    // left out of the count (on PostgreSQL, no trigger counts the updates these are: postgres_schema.cpp).
    Expected<void> write_unseen(const std::function<Expected<void>()>& write);
    int64_t discounted_changes() const { return discounted_changes_; }

protected:
    void discount_changes(int64_t rows) { discounted_changes_ += rows; }
    // Derived classes call this first in their destructors: the kept statements go before the connection.
    void forget_cached() { cached_.clear(); }

private:
    std::unordered_map<std::string, Statement> cached_;
    int64_t discounted_changes_ = 0;
};

inline Expected<ChangeStamp> change_stamp(Database& db) { return db.change_stamp(); }

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
// snapshot, and SQLite's file locks are taken once instead of around each statement (the lock and unlock
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
