#include "catalog/postgres_database.hpp"

#include "catalog/sql_dialect.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <functional>

namespace lbx::engine::catalog {
namespace {

// Type oids of the built-in types (PostgreSQL's catalog/pg_type.dat; fixed since 7.x).
constexpr unsigned kBoolOid = 16, kByteaOid = 17;

// One letter per parameter's type: what a statement is prepared for.
std::string type_signature(const std::vector<SqlValue>& values) {
    std::string signature;
    for (const auto& v : values) signature += "nidtb"[v.index()];
    return signature;
}

// A write whose answer no caller reads: INSERT, UPDATE or DELETE without RETURNING. Inside a transaction
// it is sent without waiting (pg::Statement::send); its error, if any, fails the transaction's next
// statement or its COMMIT.
bool is_plain_write(const std::string& sql) {
    const std::size_t start = sql.find_first_not_of(" \t\n");
    if (start == std::string::npos) return false;
    const std::string_view head = std::string_view(sql).substr(start, 6);
    auto is = [&](std::string_view verb) {
        if (head.size() < verb.size()) return false;
        for (std::size_t i = 0; i < verb.size(); ++i)
            if (std::toupper(static_cast<unsigned char>(head[i])) != verb[i]) return false;
        return true;
    };
    return (is("INSERT") || is("UPDATE") || is("DELETE")) && sql.find("RETURNING") == std::string::npos &&
           sql.find("returning") == std::string::npos;
}

}  // namespace

void PostgresStatement::bind(const std::vector<SqlValue>& values) {
    reset();
    params_ = values;
}

void PostgresStatement::bind_int(int index, int64_t value) {
    if (index < 1) return;
    if (params_.size() < static_cast<std::size_t>(index)) params_.resize(static_cast<std::size_t>(index));
    params_[static_cast<std::size_t>(index - 1)] = value;
}

Expected<bool> PostgresStatement::step() {
    if (!result_) {
        auto result = db_->run(sql_, params_);
        if (!result) return unexpected(result.error());
        result_.emplace(std::move(*result));
        row_ = -1;
    }
    ++row_;
    return row_ < result_->rows();
}

void PostgresStatement::reset() {
    result_.reset();
    row_ = -1;
}

bool PostgresStatement::has_column(int i) const {
    return result_ && row_ >= 0 && row_ < result_->rows() && i >= 0 && i < result_->columns();
}

int64_t PostgresStatement::column_int(int i) const {
    if (!has_column(i)) return 0;  // as SQLite reads a column with no row: a caller's slip, never a crash
    const std::string_view text = column_view(i);
    if (result_->type(i) == kBoolOid) return text == "t" ? 1 : 0;
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) return value;
    // A real or numeric read as an integer: truncated toward zero, as SQLite converts it.
    return static_cast<int64_t>(std::strtod(std::string(text).c_str(), nullptr));
}

double PostgresStatement::column_double(int i) const {
    const std::string_view text = column_view(i);
    if (text.empty()) return 0;
    return std::strtod(std::string(text).c_str(), nullptr);  // takes "NaN", "Infinity", "-Infinity"
}

bool PostgresStatement::column_is_null(int i) const { return !has_column(i) || result_->is_null(row_, i); }

std::string_view PostgresStatement::column_view(int i) const { return has_column(i) ? result_->value(row_, i) : std::string_view(); }

std::vector<uint8_t> PostgresStatement::column_blob(int i) const {
    if (column_is_null(i)) return {};
    if (result_->type(i) != kByteaOid) {
        const std::string_view text = column_view(i);
        return std::vector<uint8_t>(text.begin(), text.end());
    }
    auto bytes = result_->blob(row_, i);
    return bytes ? std::move(*bytes) : std::vector<uint8_t>();
}

std::string engine_identity() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return std::to_string(::getpid()) + "@" + host;
}

Expected<std::unique_ptr<PostgresDatabase>> PostgresDatabase::connect(const std::string& conninfo) {
    auto conn = pg::Connection::connect(conninfo);
    if (!conn) return unexpected(conn.error());
    // Who writes, in the notifications the library's triggers send (postgres_schema.cpp).
    if (auto named = (*conn)->query("SELECT set_config('lightbox.engine', $1, false)", {engine_identity()}); !named)
        return unexpected(named.error());
    return std::make_unique<PostgresDatabase>(std::move(*conn));
}

Expected<void> PostgresDatabase::exec(std::string_view sql) {
    if (auto ok = settle(); !ok) return ok;
    return conn_->exec(postgres_sql(sql));
}

Expected<void> PostgresDatabase::settle() {
    auto ok = conn_->drain();
    total_changes_ += conn_->take_pipelined_rows();
    if (last_was_sent_) {
        last_changes_ = conn_->last_pipelined_rows();
        last_was_sent_ = false;
    }
    if (!ok) return ok;
    if (sent_error_) return unexpected(*std::exchange(sent_error_, std::nullopt));
    return {};
}

int64_t PostgresDatabase::changes() {
    if (auto ok = settle(); !ok) sent_error_ = ok.error();  // told by the next statement
    return last_changes_;
}

Expected<Statement> PostgresDatabase::prepare(std::string_view sql) {
    // Prepared on the server at the first step, once the parameters' types are known.
    return Statement(std::make_unique<PostgresStatement>(*this, postgres_sql(sql)));
}

Expected<pg::Result> PostgresDatabase::run(const std::string& sql, const std::vector<SqlValue>& params) {
    const std::string key = type_signature(params) + " " + sql;
    auto found = prepared_.find(key);
    if (found == prepared_.end()) {
        // Full: forget them all on the server (outside a transaction, where DEALLOCATE cannot fail for
        // an earlier statement's error), then here.
        if (prepared_.size() >= kMaxPrepared && !conn_->in_transaction() && conn_->exec("DEALLOCATE ALL"))
            prepared_.clear();
        auto prepared = conn_->prepare(sql, params);
        if (!prepared) return unexpected(prepared.error());
        found = prepared_.emplace(key, std::move(*prepared)).first;
    }
    if (conn_->in_transaction() && is_plain_write(sql)) {
        if (sent_error_) return unexpected(*std::exchange(sent_error_, std::nullopt));
        auto sent = found->second.send(params);
        if (!sent) return unexpected(sent.error());
        last_was_sent_ = true;
        return pg::Result(nullptr, std::string());  // no rows; the rows it changes are counted when answered
    }
    if (auto ok = settle(); !ok) return unexpected(ok.error());
    auto result = found->second.run(params);
    if (!result) return unexpected(result.error());
    const std::string_view status = result->command_status();
    for (std::string_view verb : {"INSERT", "UPDATE", "DELETE", "MERGE"}) {
        if (status.substr(0, verb.size()) != verb) continue;
        last_changes_ = result->affected_rows();
        total_changes_ += last_changes_;
        break;
    }
    return result;
}

Expected<ChangeStamp> PostgresDatabase::change_stamp() {
    if (auto ok = settle(); !ok) return unexpected(ok.error());
    // The library's own count of its changing transactions (postgres_schema.cpp, lightbox_changes).
    auto counted = conn_->query_int("SELECT CAST(coalesce(sum(changes), 0) AS BIGINT) FROM lightbox_changes");
    if (!counted) return unexpected(counted.error());
    return ChangeStamp{*counted, total_changes_ - discounted_changes()};
}

}  // namespace lbx::engine::catalog
