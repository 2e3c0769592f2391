#include "catalog/database.hpp"

namespace lbx::engine::catalog {

Expected<void> Statement::run(const std::vector<SqlValue>& values) {
    bind(values);
    for (;;) {
        auto more = step();
        if (!more) return unexpected(more.error());
        if (!*more) break;
    }
    reset();
    return {};
}

Expected<CachedStatement> Database::cached(std::string_view sql) {
    auto found = cached_.find(std::string(sql));
    if (found == cached_.end()) {
        auto stmt = prepare(sql);
        if (!stmt) return unexpected(stmt.error());
        found = cached_.emplace(std::string(sql), std::move(*stmt)).first;
    }
    return CachedStatement(found->second);
}

Expected<void> Database::write_unseen(const std::function<Expected<void>()>& write) {
    auto ok = write();
    if (ok) discount_changes(changes());
    return ok;
}

Expected<int64_t> Database::query_int(std::string_view sql) {
    auto stmt = prepare(sql);
    if (!stmt) return unexpected(stmt.error());
    auto row = stmt->step();
    if (!row) return unexpected(row.error());
    const int64_t value = *row ? stmt->column_int(0) : 0;
    stmt->reset();
    return value;
}

Expected<Transaction> Transaction::begin(Database& db) {
    if (auto ok = db.exec(db.begin_write_sql()); !ok) return unexpected(ok.error());
    return Transaction(&db);
}

Expected<void> Transaction::commit() {
    Database* db = std::exchange(db_, nullptr);
    auto ok = db->exec("COMMIT");
    // A COMMIT that failed (a full disk) may leave the transaction open: end it, or every later write
    // on this connection would fail with "cannot start a transaction within a transaction".
    if (!ok && db->in_transaction()) (void)db->exec("ROLLBACK");
    return ok;
}

Transaction::~Transaction() {
    if (db_) (void)db_->exec("ROLLBACK");
}

Expected<ReadSnapshot> ReadSnapshot::begin(Database& db) {
    if (auto ok = db.exec(db.begin_read_sql()); !ok) return unexpected(ok.error());
    return ReadSnapshot(&db);
}

ReadSnapshot::~ReadSnapshot() {
    if (db_) (void)db_->exec("COMMIT");  // a read: nothing to keep or lose
}

}  // namespace lbx::engine::catalog
