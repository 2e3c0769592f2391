#include "catalog/postgres_db.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace lbx::engine::catalog::pg {
namespace {

// Type OIDs of the built-in types (PostgreSQL's catalog/pg_type.dat; fixed since 7.x, and the server
// headers that name them are not part of libpq-dev).
constexpr Oid kByteaOid = 17, kNameOid = 19, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kTextOid = 25,
              kFloat4Oid = 700, kFloat8Oid = 701, kBpcharOid = 1042, kVarcharOid = 1043, kNumericOid = 1700;

constexpr std::size_t kShownSql = 60;    // of a statement, in a message
constexpr std::size_t kDetailSql = 200;  // in an error's detail

Error error(std::string_view code, std::string message, std::string detail = {}) {
    return make_error("catalog", std::string(code), std::move(message), std::move(detail));
}

// The start of a statement on one line: what a message calls it. The catalog's statements hold no
// values (they are bound), so showing them reveals nothing of the library.
std::string statement_label(std::string_view sql, std::size_t limit) {
    std::string label;
    bool space = false;
    for (char c : sql) {
        const bool blank = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (blank) {
            space = !label.empty();
            continue;
        }
        if (space) label += ' ';
        space = false;
        label += c;
        if (label.size() >= limit) return label + "...";
    }
    return label;
}

// libpq's messages end with a newline and some span lines, indented with tabs; ours are one line.
std::string one_line(const char* text) {
    std::string s;
    for (const char* c = text ? text : ""; *c; ++c) {
        const bool blank = *c == ' ' || *c == '\n' || *c == '\t' || *c == '\r';
        if (!blank)
            s += *c;
        else if (!s.empty() && s.back() != ' ')
            s += ' ';
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

// The password of a URI's user-information (postgresql://user:PASSWORD@host/...), or "".
std::string uri_password(std::string_view conninfo) {
    for (std::string_view scheme : {"postgresql://", "postgres://"}) {
        if (conninfo.substr(0, scheme.size()) != scheme) continue;
        std::string_view rest = conninfo.substr(scheme.size());
        rest = rest.substr(0, rest.find_first_of("/?"));
        const auto at = rest.rfind('@');
        if (at == std::string_view::npos) return {};
        const auto colon = rest.substr(0, at).find(':');
        return colon == std::string_view::npos ? std::string() : std::string(rest.substr(colon + 1, at - colon - 1));
    }
    return {};
}

// The password a connection string gives, in either form (URI or password=...), or "".
std::string password_in(const std::string& conninfo) {
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), nullptr);
    if (!options) return uri_password(conninfo);
    std::string password;
    for (PQconninfoOption* o = options; o->keyword; ++o)
        if (o->val && std::string_view(o->keyword) == "password") password = o->val;
    PQconninfoFree(options);
    return password;
}

// `text` with every occurrence of `secret` masked.
std::string masked(std::string text, const std::string& secret) {
    if (secret.empty()) return text;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
        text.replace(at, secret.size(), "***");
    return text;
}

// "'dbname' on HOST:PORT as USER" from the parsed connection string: only the parts it gives (libpq
// fills in the rest from the environment and its defaults).
void discard_notice(void*, const char*) {}

// An error for a result that is not what the statement should give, or for a failed send.
Error statement_error(PGconn* conn, const PGresult* result, std::string_view sql, const std::string& library) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string reason = primary ? one_line(primary) : one_line(PQerrorMessage(conn));
    if (reason.empty()) reason = "no result";
    // The server went away (restarted, failed over, an administrator ended the session): its own code,
    // since the caller's remedy is a new connection, not a different statement.
    const bool lost = PQstatus(conn) == CONNECTION_BAD;
    std::string message = "cannot run '" + statement_label(sql, kShownSql) +
                          "': " + (lost ? "the connection to " + library + " was lost: " : std::string()) + reason;
    std::string detail;
    if (state) {
        message += " [SQLSTATE " + std::string(state) + "]";
        detail = "SQLSTATE " + std::string(state) + "; ";
    }
    if (result) {
        if (const char* d = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL))
            detail += "detail: " + one_line(d) + "; ";
        if (const char* h = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT)) detail += "hint: " + one_line(h) + "; ";
    }
    detail += "sql: " + statement_label(sql, kDetailSql);
    return error(lost ? kErrorConnectionLost : kErrorServer, std::move(message), std::move(detail));
}

// A result that ended well: commands (no rows) or rows.
bool succeeded(const PGresult* result) {
    const auto status = PQresultStatus(result);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
}

std::string shortest(double value) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    return std::string(buffer, end);  // "inf", "-inf", "nan": PostgreSQL's float8 input takes them
}

// Parameters as libpq takes them: integers and reals in their text form, with their types declared;
// text as it is; bytes in binary form. NULL has no type: the server takes the one the statement implies.
struct BoundParameters {
    std::vector<Oid> types;
    std::vector<std::string> texts;
    std::vector<const SqlBlob*> blobs;
    std::vector<int> lengths;
    std::vector<int> formats;
    std::vector<bool> nulls;

    std::vector<const char*> values() const {
        static const char kEmpty = 0;  // an empty blob still needs a pointer: a null one means NULL
        std::vector<const char*> out(types.size(), nullptr);
        for (std::size_t i = 0; i < out.size(); ++i) {
            if (nulls[i]) continue;
            if (blobs[i])
                out[i] = blobs[i]->bytes.empty() ? &kEmpty : reinterpret_cast<const char*>(blobs[i]->bytes.data());
            else
                out[i] = texts[i].c_str();
        }
        return out;
    }
};

Expected<BoundParameters> bind_parameters(std::string_view sql, const std::vector<SqlValue>& params) {
    const std::size_t n = params.size();
    BoundParameters bound{std::vector<Oid>(n, 0), std::vector<std::string>(n), std::vector<const SqlBlob*>(n, nullptr),
                          std::vector<int>(n, 0), std::vector<int>(n, 0),      std::vector<bool>(n, false)};
    for (std::size_t i = 0; i < n; ++i) {
        const auto& value = params[i];
        if (std::holds_alternative<std::monostate>(value)) {
            bound.nulls[i] = true;
        } else if (const auto* v = std::get_if<int64_t>(&value)) {
            bound.types[i] = kInt8Oid;
            bound.texts[i] = std::to_string(*v);
        } else if (const auto* d = std::get_if<double>(&value)) {
            bound.types[i] = kFloat8Oid;
            bound.texts[i] = shortest(*d);
        } else if (const auto* s = std::get_if<std::string>(&value)) {
            // Text parameters travel NUL-terminated: a NUL inside would cut the value short unseen.
            if (s->find('\0') != std::string::npos) {
                return unexpected(error(
                    kErrorBind, "cannot bind $" + std::to_string(i + 1) + " of '" + statement_label(sql, kShownSql) +
                                    "': text holds a NUL byte, which PostgreSQL text cannot store"));
            }
            bound.types[i] = kTextOid;
            bound.texts[i] = *s;
        } else {
            const auto& blob = std::get<SqlBlob>(value);
            bound.types[i] = kByteaOid;
            bound.blobs[i] = &blob;
            bound.formats[i] = 1;  // binary: the bytes as they are
            bound.lengths[i] = static_cast<int>(blob.bytes.size());
        }
    }
    return bound;
}

}  // namespace

std::string describe_conninfo(const std::string& conninfo) {
    char* parse_error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parse_error);
    PQfreemem(parse_error);
    // Never quoted back: a string libpq cannot read may still hold a password.
    if (!options) return "(a connection string libpq cannot read)";
    std::string dbname, host, port, user, service;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val) continue;
        const std::string_view key = o->keyword;
        if (key == "dbname")
            dbname = o->val;
        else if (key == "host")
            host = o->val;
        else if (key == "port")
            port = o->val;
        else if (key == "user")
            user = o->val;
        else if (key == "service")
            service = o->val;
    }
    PQconninfoFree(options);
    std::string text = dbname.empty() ? std::string("the default database") : "'" + dbname + "'";
    if (!service.empty()) text += " of service '" + service + "'";
    if (!host.empty() || !port.empty())
        text += " on " + (host.empty() ? std::string("localhost") : host) + (port.empty() ? "" : ":" + port);
    if (!user.empty()) text += " as " + user;
    return text;
}

std::string sqlstate_of(const Error& e) {
    constexpr std::string_view kPrefix = "SQLSTATE ";
    if (e.code != kErrorServer || e.detail.compare(0, kPrefix.size(), kPrefix) != 0) return {};
    return e.detail.substr(kPrefix.size(), 5);
}

void ResultDeleter::operator()(pg_result* result) const {
    PQclear(result);
}
void ConnectionDeleter::operator()(pg_conn* conn) const {
    PQfinish(conn);
}

int Result::rows() const {
    return PQntuples(result_.get());
}
int Result::columns() const {
    return PQnfields(result_.get());
}
std::string_view Result::command_status() const {
    const char* status = PQcmdStatus(result_.get());  // NULL for no result
    return status != nullptr ? status : "";
}

int64_t Result::affected_rows() const {
    const char* count = PQcmdTuples(result_.get());
    int64_t n = 0;
    std::from_chars(count, count + std::strlen(count), n);
    return n;
}

std::optional<int> Result::column(std::string_view name) const {
    for (int i = 0; i < columns(); ++i)
        if (name == PQfname(result_.get(), i)) return i;
    return std::nullopt;
}

bool Result::is_null(int row, int column) const {
    return PQgetisnull(result_.get(), row, column) == 1;
}

std::string_view Result::value(int row, int column) const {
    return std::string_view(PQgetvalue(result_.get(), row, column),
                            static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

unsigned Result::type(int column) const {
    return PQftype(result_.get(), column);
}

Error Result::column_error(int row, int column, std::string_view what) const {
    const char* name = column >= 0 && column < columns() ? PQfname(result_.get(), column) : nullptr;
    return error(kErrorColumn, "cannot read column " + (name ? "'" + std::string(name) + "'" : std::to_string(column)) +
                                   " of row " + std::to_string(row) + " of '" + statement_label(statement_, kShownSql) +
                                   "': " + std::string(what));
}

Expected<std::string_view> Result::typed_value(int row, int column, std::initializer_list<unsigned> types,
                                               std::string_view type_name) const {
    if (row < 0 || row >= rows() || column < 0 || column >= columns())
        return unexpected(column_error(
            row, column,
            "out of range (" + std::to_string(rows()) + " rows, " + std::to_string(columns()) + " columns)"));
    const Oid type = PQftype(result_.get(), column);
    bool known = false;
    for (unsigned t : types) known = known || t == type;
    if (!known)
        return unexpected(
            column_error(row, column, "not " + std::string(type_name) + " (type oid " + std::to_string(type) + ")"));
    if (is_null(row, column)) return unexpected(column_error(row, column, "NULL"));
    return std::string_view(PQgetvalue(result_.get(), row, column),
                            static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

Expected<int64_t> Result::integer(int row, int column) const {
    auto text = typed_value(row, column, {kInt2Oid, kInt4Oid, kInt8Oid}, "an integer");
    if (!text) return unexpected(text.error());
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size())
        return unexpected(column_error(row, column, "'" + std::string(*text) + "' is not an integer"));
    return value;
}

Expected<double> Result::real(int row, int column) const {
    auto text =
        typed_value(row, column, {kFloat4Oid, kFloat8Oid, kNumericOid, kInt2Oid, kInt4Oid, kInt8Oid}, "a number");
    if (!text) return unexpected(text.error());
    // strtod takes PostgreSQL's "NaN", "Infinity" and "-Infinity"; the value is NUL-terminated by libpq.
    char* end = nullptr;
    const double value = std::strtod(text->data(), &end);
    if (end != text->data() + text->size())
        return unexpected(column_error(row, column, "'" + std::string(*text) + "' is not a number"));
    return value;
}

Expected<std::string> Result::text(int row, int column) const {
    auto text = typed_value(row, column, {kTextOid, kVarcharOid, kBpcharOid, kNameOid}, "text");
    if (!text) return unexpected(text.error());
    return std::string(*text);
}

Expected<std::vector<uint8_t>> Result::blob(int row, int column) const {
    auto text = typed_value(row, column, {kByteaOid}, "bytea");
    if (!text) return unexpected(text.error());
    std::size_t size = 0;
    unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text->data()), &size);
    if (!bytes) return unexpected(column_error(row, column, "cannot decode bytea (out of memory)"));
    std::vector<uint8_t> out(bytes, bytes + size);
    PQfreemem(bytes);
    return out;
}

Expected<std::unique_ptr<Connection>> Connection::connect(const std::string& conninfo) {
    const std::string description = describe_conninfo(conninfo);
    // Ours first, the caller's string last: libpq lets later parameters override earlier ones, so a
    // connect_timeout or application_name in the string wins.
    std::vector<const char*> keywords{"fallback_application_name"};
    std::vector<const char*> values{"lightbox"};
    if (!std::getenv("PGCONNECT_TIMEOUT")) {
        keywords.push_back("connect_timeout");
        values.push_back("10");
    }
    keywords.push_back("dbname");  // expanded as a whole connection string (expand_dbname = 1)
    values.push_back(conninfo.c_str());
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    PGconn* raw = PQconnectdbParams(keywords.data(), values.data(), 1);
    auto conn = std::make_unique<Connection>(raw, description);
    if (!raw) return unexpected(error(kErrorConnect, "cannot connect to " + description + ": out of memory"));
    if (PQstatus(raw) != CONNECTION_OK) {
        return unexpected(error(kErrorConnect, "cannot connect to PostgreSQL library " + description + ": " +
                                                   masked(one_line(PQerrorMessage(raw)), password_in(conninfo))));
    }
    // The server's notices ("relation already exists, skipping") would go to stderr; none is an error.
    PQsetNoticeProcessor(raw, discard_notice, nullptr);
    // Describe what was reached, with libpq's defaults filled in.
    std::string reached =
        std::string("'") + PQdb(raw) + "' on " + PQhost(raw) + ":" + PQport(raw) + " as " + PQuser(raw);
    conn->description_ = std::move(reached);
    return conn;
}

Expected<void> Connection::exec(std::string_view sql) {
    if (auto ok = drain(); !ok) return ok;
    std::unique_ptr<PGresult, ResultDeleter> result(PQexec(conn_.get(), std::string(sql).c_str()));
    if (!result || !succeeded(result.get()))
        return unexpected(statement_error(conn_.get(), result.get(), sql, description_));
    return {};
}

Expected<Result> Connection::query(std::string_view sql, const std::vector<SqlValue>& params) {
    if (auto ok = drain(); !ok) return unexpected(ok.error());
    auto bound = bind_parameters(sql, params);
    if (!bound) return unexpected(bound.error());
    const auto values = bound->values();
    PGresult* raw = PQexecParams(conn_.get(), std::string(sql).c_str(), static_cast<int>(params.size()),
                                 bound->types.data(), values.data(), bound->lengths.data(), bound->formats.data(), 0);
    Result result(raw, statement_label(sql, kDetailSql));
    if (!raw || !succeeded(raw)) return unexpected(statement_error(conn_.get(), raw, sql, description_));
    return result;
}

Expected<Statement> Connection::prepare(std::string_view sql, const std::vector<SqlValue>& typed_as) {
    if (auto ok = drain(); !ok) return unexpected(ok.error());
    auto bound = bind_parameters(sql, typed_as);
    if (!bound) return unexpected(bound.error());
    std::string name = "lbx_" + std::to_string(++prepared_);
    std::unique_ptr<PGresult, ResultDeleter> result(PQprepare(conn_.get(), name.c_str(), std::string(sql).c_str(),
                                                              static_cast<int>(bound->types.size()), bound->types.data()));
    if (!result || !succeeded(result.get()))
        return unexpected(statement_error(conn_.get(), result.get(), sql, description_));
    return Statement(this, std::move(name), std::string(sql));
}

Expected<Result> Statement::run(const std::vector<SqlValue>& params) {
    if (auto ok = conn_->drain(); !ok) return unexpected(ok.error());
    auto bound = bind_parameters(sql_, params);
    if (!bound) return unexpected(bound.error());
    const auto values = bound->values();
    PGconn* conn = conn_->handle();
    PGresult* raw = PQexecPrepared(conn, name_.c_str(), static_cast<int>(params.size()), values.data(),
                                   bound->lengths.data(), bound->formats.data(), 0);
    Result result(raw, statement_label(sql_, kDetailSql));
    if (!raw || !succeeded(raw)) return unexpected(statement_error(conn, raw, sql_, conn_->description()));
    return result;
}

Expected<void> Statement::send(const std::vector<SqlValue>& params) {
    auto bound = bind_parameters(sql_, params);
    if (!bound) return unexpected(bound.error());
    if (conn_->unanswered_.size() >= Connection::kMaxUnanswered)
        if (auto ok = conn_->drain(); !ok) return ok;
    PGconn* conn = conn_->handle();
    if (PQpipelineStatus(conn) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn) != 1)
        return unexpected(statement_error(conn, nullptr, sql_, conn_->description()));
    const auto values = bound->values();
    if (PQsendQueryPrepared(conn, name_.c_str(), static_cast<int>(params.size()), values.data(), bound->lengths.data(),
                            bound->formats.data(), 0) != 1) {
        Error e = statement_error(conn, nullptr, sql_, conn_->description());
        (void)conn_->drain();  // what was sent before still has answers to read
        return unexpected(std::move(e));
    }
    conn_->unanswered_.push_back(sql_);
    return {};
}

Expected<void> Connection::drain() {
    PGconn* conn = conn_.get();
    if (PQpipelineStatus(conn) == PQ_PIPELINE_OFF) return {};
    std::optional<Error> failed;
    if (PQpipelineSync(conn) != 1) {
        failed = statement_error(conn, nullptr, unanswered_.empty() ? std::string_view("SYNC") : unanswered_.front(), description_);
    } else {
        // Each statement's answer ends with a null result; the sync point's own result ends the pipeline.
        // A lost connection gives nulls only: bounded by the number of statements sent.
        std::size_t index = 0, nulls = 0;
        for (;;) {
            std::unique_ptr<PGresult, ResultDeleter> result(PQgetResult(conn));
            if (!result) {
                ++index;
                if (++nulls > unanswered_.size() + 1 || PQstatus(conn) == CONNECTION_BAD) {
                    if (!failed) failed = statement_error(conn, nullptr, "SYNC", description_);
                    break;
                }
                continue;
            }
            const ExecStatusType status = PQresultStatus(result.get());
            if (status == PGRES_PIPELINE_SYNC) break;
            if (status == PGRES_PIPELINE_ABORTED) continue;  // skipped after an earlier failure
            const std::string_view sql = index < unanswered_.size() ? std::string_view(unanswered_[index]) : "SYNC";
            if (!succeeded(result.get())) {
                if (!failed) failed = statement_error(conn, result.get(), sql, description_);
                continue;
            }
            const char* count = PQcmdTuples(result.get());
            int64_t n = 0;
            std::from_chars(count, count + std::strlen(count), n);
            pipelined_rows_ += n;
            last_pipelined_rows_ = n;
        }
    }
    unanswered_.clear();
    if (PQexitPipelineMode(conn) != 1 && !failed)
        failed = error(kErrorServer, "cannot leave pipeline mode on " + description_ + ": " + one_line(PQerrorMessage(conn)));
    if (failed) return unexpected(std::move(*failed));
    return {};
}

Expected<int64_t> Connection::query_int(std::string_view sql, const std::vector<SqlValue>& params) {
    auto result = query(sql, params);
    if (!result) return unexpected(result.error());
    if (result->rows() == 0) return 0;
    return result->integer(0, 0);
}

bool Connection::in_transaction() const {
    const auto status = PQtransactionStatus(conn_.get());
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

Expected<Transaction> Transaction::begin(Connection& conn) {
    // PostgreSQL only warns about a BEGIN inside a transaction; the outer one's commit would then commit
    // what the inner one meant to roll back.
    if (conn.in_transaction())
        return unexpected(error(kErrorTransaction, "cannot begin a transaction on " + conn.description() +
                                                       ": one is already open on this connection"));
    if (auto ok = conn.exec("BEGIN"); !ok) return unexpected(ok.error());
    return Transaction(&conn);
}

Expected<void> Transaction::commit() {
    Connection* conn = std::exchange(conn_, nullptr);
    auto result = conn->query("COMMIT");
    if (!result) {
        if (conn->in_transaction()) (void)conn->exec("ROLLBACK");
        return unexpected(result.error());
    }
    // COMMIT of a transaction in which a statement failed succeeds as a ROLLBACK: say so.
    if (result->command_status() != "COMMIT") {
        return unexpected(
            error(kErrorTransaction, "cannot commit on " + conn->description() +
                                         ": the server rolled the transaction back (a statement in it failed)"));
    }
    return {};
}

Transaction::~Transaction() {
    if (conn_ && conn_->in_transaction()) (void)conn_->exec("ROLLBACK");
}

}  // namespace lbx::engine::catalog::pg
