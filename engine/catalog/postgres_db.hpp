// A thin RAII layer over libpq, the PostgreSQL client library, in the spirit of sqlite_db.hpp: a
// connection, statements with bound parameters ($1, $2, ...: the catalog builds no SQL from values),
// typed reads of a result's columns, and a transaction that rolls back unless committed. Errors are
// values naming the statement, the server's message and its SQLSTATE; nothing here throws.
//
// Connecting takes a libpq connection string, URI (`postgresql://user@host/library?sslmode=verify-full`)
// or key=value form, and hands it to libpq as it is, so all of libpq's options pass through. Passwords
// belong in libpq's own files and environment (~/.pgpass, PGPASSFILE, pg_service.conf, PGSERVICE), never
// on a command line where `ps` shows them; a password that is given anyway is kept out of every message.
//
// Threads: a Connection belongs to one thread at a time (libpq connections are not shared); engines that
// write concurrently each open their own.
#pragma once

#include "catalog/sql_value.hpp"
#include "core/expected.hpp"

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// libpq's handles (libpq-fe.h), declared here so that users of this header need not include libpq.
struct pg_conn;
struct pg_result;

namespace lbx::engine::catalog::pg {

// Error codes (Error::code) of this layer, with domain "catalog".
inline constexpr std::string_view kErrorConnect = "cannot_connect";  // no connection: bad URI, no server, refused
inline constexpr std::string_view kErrorServer = "postgres";         // the server refused a statement
inline constexpr std::string_view kErrorConnectionLost = "connection_lost";  // the server ended the session
inline constexpr std::string_view kErrorBind = "bad_parameter";       // a value PostgreSQL cannot take (NUL in text)
inline constexpr std::string_view kErrorColumn = "bad_column";        // a typed read of a column of another type
inline constexpr std::string_view kErrorTransaction = "transaction";  // begin inside one, commit of a failed one

// What messages call the database a connection string names: "'library' on HOST:PORT as USER", never
// its password (nor the string itself when libpq cannot read it).
std::string describe_conninfo(const std::string& conninfo);

// The SQLSTATE (https://www.postgresql.org/docs/15/errcodes-appendix.html) of an error this layer
// returned for a statement the server refused ("23505": unique violation), else "".
std::string sqlstate_of(const Error& error);

struct ResultDeleter {
    void operator()(pg_result* result) const;
};

// The rows a statement returned (text format: every value is read from its text form).
class Result {
public:
    int rows() const;
    int columns() const;
    // Rows inserted, updated or deleted by the statement (INSERT ... ON CONFLICT counts both).
    int64_t affected_rows() const;
    std::string_view command_status() const;  // "INSERT 0 1", "COMMIT", "ROLLBACK", ...
    std::optional<int> column(std::string_view name) const;

    bool is_null(int row, int column) const;
    // The value's text form as the server sent it (bytea escaped as \x...), unchecked: for readers that
    // convert it themselves (postgres_database.cpp). "" for NULL.
    std::string_view value(int row, int column) const;
    unsigned type(int column) const;  // the column's type oid
    // Typed reads: an error, never a guess, when the column is NULL or of another type (a text column read
    // as an integer is a bug in the statement, reported with its name).
    Expected<int64_t> integer(int row, int column) const;            // smallint, integer, bigint
    Expected<double> real(int row, int column) const;                // real, double precision, numeric, integers
    Expected<std::string> text(int row, int column) const;           // text, varchar, char, name
    Expected<std::vector<uint8_t>> blob(int row, int column) const;  // bytea

    Result(pg_result* result, std::string statement) : result_(result), statement_(std::move(statement)) {}

private:
    Error column_error(int row, int column, std::string_view what) const;
    Expected<std::string_view> typed_value(int row, int column, std::initializer_list<unsigned> types,
                                           std::string_view type_name) const;

    std::unique_ptr<pg_result, ResultDeleter> result_;
    std::string statement_;  // its start, for errors
};

class Connection;

// A statement the server parsed and planned once (PQprepare), for statements run many times (a scan's
// writes). Its parameters' types are the ones the server infers from the statement. It belongs to its
// connection and must not outlive it; the server forgets it when the connection closes.
class Statement {
public:
    Expected<Result> run(const std::vector<SqlValue>& params = {});
    // Sends the statement in libpq's pipeline mode without waiting for its answer: for writes inside a
    // transaction, where a scan's hundreds of statements per batch would each wait a round trip. Its
    // outcome (an error, the rows it changed) comes with the connection's next drain(), which every other
    // call on the connection does first.
    Expected<void> send(const std::vector<SqlValue>& params = {});

    Statement(Connection* conn, std::string name, std::string sql)
        : conn_(conn), name_(std::move(name)), sql_(std::move(sql)) {}

private:
    Connection* conn_;
    std::string name_;  // lbx_1, lbx_2, ...: unique on the connection
    std::string sql_;
};

struct ConnectionDeleter {
    void operator()(pg_conn* conn) const;
};

class Connection {
public:
    // Connects with a libpq connection string or URI. Without a connect_timeout (in the string or
    // PGCONNECT_TIMEOUT) a server that does not answer is given up after 10 s.
    static Expected<std::unique_ptr<Connection>> connect(const std::string& conninfo);

    // Statements without parameters, several separated by ';' (schema); run in one implicit transaction
    // unless they contain their own BEGIN/COMMIT.
    Expected<void> exec(std::string_view sql);
    // One statement with parameters $1..$n bound in order.
    Expected<Result> query(std::string_view sql, const std::vector<SqlValue>& params = {});
    // One statement prepared once and run many times (Statement::run). Its parameters take the types of
    // `typed_as`'s values (bigint, double precision, text, bytea), as query() declares them; a parameter
    // given no value there, or NULL, takes the type the statement implies.
    Expected<Statement> prepare(std::string_view sql, const std::vector<SqlValue>& typed_as = {});
    // The first column of the first row as an integer (0 when there is no row).
    Expected<int64_t> query_int(std::string_view sql, const std::vector<SqlValue>& params = {});

    // "'dbname' on HOST:PORT as USER": what messages call this library (never a password).
    const std::string& description() const { return description_; }
    // True between BEGIN and COMMIT/ROLLBACK, also after a failed statement inside them.
    bool in_transaction() const;

    // Waits for the answers of the statements sent (Statement::send) and leaves pipeline mode. The first
    // failed one is the error (the server skipped the rest of them); the transaction they ran in has
    // then failed. Nothing sent: nothing to do.
    Expected<void> drain();
    // Rows changed by the sent statements drained since the last call (then 0 again), and by the last of them.
    int64_t take_pipelined_rows() { return std::exchange(pipelined_rows_, 0); }
    int64_t last_pipelined_rows() const { return last_pipelined_rows_; }
    bool has_unanswered() const { return !unanswered_.empty(); }
    pg_conn* handle() { return conn_.get(); }

    Connection(pg_conn* conn, std::string description) : conn_(conn), description_(std::move(description)) {}

private:
    std::unique_ptr<pg_conn, ConnectionDeleter> conn_;
    friend class Statement;
    // Statements sent at most before their answers are read: the server's answers (some 30 bytes each)
    // must fit the socket's buffers, or a blocking send would wait for a server that waits for us.
    static constexpr std::size_t kMaxUnanswered = 256;

    std::string description_;
    int64_t prepared_ = 0;  // statements prepared so far: names them
    std::vector<std::string> unanswered_;  // the SQL of each statement sent and not yet answered, in order
    int64_t pipelined_rows_ = 0;
    int64_t last_pipelined_rows_ = 0;
};

// A transaction that rolls back unless committed. Only one at a time on a connection.
class Transaction {
public:
    static Expected<Transaction> begin(Connection& conn);
    // Commits; an error when the server rolled back instead (a statement inside it failed).
    Expected<void> commit();
    ~Transaction();
    Transaction(Transaction&& other) noexcept : conn_(std::exchange(other.conn_, nullptr)) {}
    Transaction& operator=(Transaction&&) = delete;

private:
    explicit Transaction(Connection* conn) : conn_(conn) {}
    Connection* conn_;
};

}  // namespace lbx::engine::catalog::pg
