#include "catalog/sqlite_db.hpp"

namespace lbx::engine::catalog {
namespace {

Error sql_error(sqlite3* db, std::string what) {
    return make_error("catalog", "sqlite", what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// A statement's error never quotes its SQL in the message: generated SQL (a query with many terms) can
// be megabytes. The start of it goes to the detail, for bug reports.
Error statement_error(sqlite3* db, const char* what, std::string_view sql) {
    constexpr std::size_t kShown = 80;
    Error e = sql_error(db, what);
    e.detail = "sql: " + std::string(sql.substr(0, kShown)) + (sql.size() > kShown ? "..." : "");
    return e;
}

}  // namespace

void SqliteStatement::bind(const std::vector<SqlValue>& values) {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int index = static_cast<int>(i + 1);
        std::visit(
            [&](const auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, std::monostate>) sqlite3_bind_null(stmt_.get(), index);
                else if constexpr (std::is_same_v<T, int64_t>) sqlite3_bind_int64(stmt_.get(), index, v);
                else if constexpr (std::is_same_v<T, double>) sqlite3_bind_double(stmt_.get(), index, v);
                else if constexpr (std::is_same_v<T, SqlBlob>)
                    sqlite3_bind_blob(stmt_.get(), index, v.bytes.data(), static_cast<int>(v.bytes.size()), SQLITE_TRANSIENT);
                else sqlite3_bind_text(stmt_.get(), index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
            },
            values[i]);
    }
}

std::vector<uint8_t> SqliteStatement::column_blob(int i) const {
    const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_.get(), i));
    const int size = sqlite3_column_bytes(stmt_.get(), i);
    return data == nullptr || size <= 0 ? std::vector<uint8_t>() : std::vector<uint8_t>(data, data + size);
}

Expected<bool> SqliteStatement::step() {
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const char* sql = sqlite3_sql(stmt_.get());
    return unexpected(statement_error(db_, "cannot run a catalog statement", sql ? sql : ""));
}

std::string_view SqliteStatement::column_view(int i) const {
    const auto* text = sqlite3_column_text(stmt_.get(), i);
    return text ? std::string_view(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), i)))
                : std::string_view();
}

namespace {

// An SQLite URI for `file` (https://sqlite.org/uri.html): '%', '?' and '#' are escaped, the rest kept.
std::string uri_of(const std::filesystem::path& file, const char* query) {
    std::string uri = "file:";
    for (char c : std::filesystem::absolute(file).string()) {
        if (c == '%') uri += "%25";
        else if (c == '?') uri += "%3f";
        else if (c == '#') uri += "%23";
        else uri += c;
    }
    return uri + "?" + query;
}

// hamming(a, b): how many bits two 64-bit integers differ in (perceptual hashes, `similar:` queries);
// NULL when either is NULL.
void hamming_function(sqlite3_context* context, int, sqlite3_value** args) {
    if (sqlite3_value_type(args[0]) == SQLITE_NULL || sqlite3_value_type(args[1]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    const auto a = static_cast<uint64_t>(sqlite3_value_int64(args[0]));
    const auto b = static_cast<uint64_t>(sqlite3_value_int64(args[1]));
    sqlite3_result_int(context, __builtin_popcountll(a ^ b));
}

Expected<std::unique_ptr<SqliteDatabase>> open_with(const std::filesystem::path& file, const std::string& name, int flags) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(name.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    auto db = std::make_unique<SqliteDatabase>(raw, file);
    if (rc != SQLITE_OK) return unexpected(sql_error(raw, "cannot open catalog '" + file.string() + "'"));
    sqlite3_busy_timeout(raw, 5000);  // another engine or a reader holding a lock: wait, then fail clearly
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_create_function(raw, "hamming", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                            hamming_function, nullptr, nullptr);
    return db;
}

// True when the write-ahead log beside `file` holds changes not yet in the file itself.
bool wal_has_changes(const std::filesystem::path& file) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file.string() + "-wal", ec);
    return !ec && size > 0;
}

}  // namespace

Expected<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const std::filesystem::path& file, OpenMode mode) {
    if (mode == OpenMode::read_write) return open_with(file, file.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

    auto db = open_with(file, file.string(), SQLITE_OPEN_READONLY);
    if (!db) return db;
    // SQLite opens lazily: the first read is what needs the WAL index.
    auto probe = (*db)->query_int("PRAGMA user_version");
    if (probe) return db;
    if (wal_has_changes(file)) {
        return unexpected(make_error("catalog", "read_only",
                                     "cannot read catalog '" + file.string() + "': its write-ahead log ('" + file.string() +
                                         "-wal') holds changes and its folder does not let them be read (" +
                                         probe.error().message + "); open it once where it can be written"));
    }
    // No log to read: the file alone is the whole catalog, and `immutable` reads it without the index.
    auto immutable = open_with(file, uri_of(file, "immutable=1"), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
    if (!immutable) return immutable;
    if (auto ok = (*immutable)->query_int("PRAGMA user_version"); !ok) return unexpected(ok.error());
    return immutable;
}

Expected<void> SqliteDatabase::exec(std::string_view sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_.get(), std::string(sql).c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK) return {};
    std::string text = message ? message : sqlite3_errmsg(db_.get());
    sqlite3_free(message);
    return unexpected(make_error("catalog", "sqlite", "catalog '" + file_.string() + "': " + text));
}

Expected<Statement> SqliteDatabase::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                           nullptr) != SQLITE_OK) {
        return unexpected(statement_error(db_.get(), "cannot prepare a catalog statement", sql));
    }
    return Statement(std::make_unique<SqliteStatement>(db_.get(), stmt));
}

Expected<ChangeStamp> SqliteDatabase::change_stamp() {
    auto version = query_int("PRAGMA data_version");
    if (!version) return unexpected(version.error());
    return ChangeStamp{*version, sqlite3_total_changes64(db_.get()) - discounted_changes()};
}

}  // namespace lbx::engine::catalog
