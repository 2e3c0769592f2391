// The catalog's PostgreSQL database (database.hpp's interface over postgres_db.hpp's libpq layer): a
// library on a server, shared by several engines. Statements are the catalog's SQLite text rewritten by
// postgres_sql() (sql_dialect.hpp); each is prepared on the server once per set of parameter types and
// run with its parameters bound. Rows come back whole (libpq's default), and step() walks them.
#pragma once

#include "catalog/database.hpp"
#include "catalog/postgres_db.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lbx::engine::catalog {

class PostgresDatabase;

// This engine process as the library's change notifications name it: "PID@HOST".
std::string engine_identity();

class PostgresStatement final : public StatementBackend {
public:
    PostgresStatement(PostgresDatabase& db, std::string sql) : db_(&db), sql_(std::move(sql)) {}

    void bind(const std::vector<SqlValue>& values) override;
    void bind_int(int index, int64_t value) override;
    Expected<bool> step() override;
    void reset() override;
    int64_t column_int(int i) const override;
    double column_double(int i) const override;
    bool column_is_null(int i) const override;
    std::string_view column_view(int i) const override;
    std::vector<uint8_t> column_blob(int i) const override;

private:
    bool has_column(int i) const;  // a row is current and has column i

    PostgresDatabase* db_;
    std::string sql_;  // PostgreSQL's text
    std::vector<SqlValue> params_;
    std::optional<pg::Result> result_;
    int row_ = -1;
};

class PostgresDatabase final : public Database {
public:
    // Connects with a libpq URI or connection string (postgresql://host/library?sslmode=...). The schema
    // is the caller's (postgres_schema.hpp).
    static Expected<std::unique_ptr<PostgresDatabase>> connect(const std::string& conninfo);
    explicit PostgresDatabase(std::unique_ptr<pg::Connection> conn) : conn_(std::move(conn)) {}
    ~PostgresDatabase() override { forget_cached(); }

    SqlDialect dialect() const override { return SqlDialect::postgres; }
    std::string description() const override { return conn_->description(); }
    Expected<void> exec(std::string_view sql) override;
    Expected<Statement> prepare(std::string_view sql) override;
    bool read_only() override { return false; }
    int64_t changes() override;
    // The library's count of the transactions that changed what queries read (lightbox_changes, which
    // the tables' triggers keep: postgres_schema.cpp), with this connection's own changes: no commit to
    // the library passes unseen, and commits to other databases of the server are not seen. The
    // thumbnails' last-use marks (write_unseen) are updates no trigger counts.
    Expected<ChangeStamp> change_stamp() override;
    std::string_view begin_write_sql() const override { return "BEGIN"; }
    // One snapshot for every statement of a listing, as SQLite's read transaction gives.
    std::string_view begin_read_sql() const override { return "BEGIN ISOLATION LEVEL REPEATABLE READ"; }
    bool in_transaction() override { return conn_->in_transaction(); }

    pg::Connection& connection() { return *conn_; }
    // Runs `sql` (PostgreSQL's text) with `params`: prepared on the server the first time this text is
    // run with parameters of these types, and kept; rows it changed count as changes. Inside a transaction
    // a plain write (INSERT, UPDATE, DELETE without RETURNING) is only sent (libpq's pipeline mode: a scan
    // writes some twenty statements per photo, each a round trip otherwise); its answer is read before
    // the next statement that returns rows, the transaction's end, changes() or change_stamp(), and an
    // error in it is the error of that call.
    Expected<pg::Result> run(const std::string& sql, const std::vector<SqlValue>& params);

private:
    // Statements kept on the server at most: queries are built per search, and each would otherwise stay
    // prepared for the life of the connection (the service's: weeks).
    static constexpr std::size_t kMaxPrepared = 512;

    // Reads the answers of the writes sent (pg::Connection::drain) and counts the rows they changed.
    Expected<void> settle();

    std::unique_ptr<pg::Connection> conn_;
    std::map<std::string, pg::Statement> prepared_;  // by the parameters' types ("nidtb" letters), ' ', text
    int64_t last_changes_ = 0;
    int64_t total_changes_ = 0;
    bool last_was_sent_ = false;       // the last write was sent and not yet answered
    std::optional<Error> sent_error_;  // a sent write's error, found by changes(): the next call's
};

}  // namespace lbx::engine::catalog
