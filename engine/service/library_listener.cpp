#include "service/library_listener.hpp"

#include "catalog/postgres_database.hpp"

#include <libpq-fe.h>

namespace lbx::engine::service {

int LibraryListener::fd() const { return conn_ ? PQsocket(conn_->handle()) : -1; }

bool LibraryListener::maintain(std::chrono::steady_clock::time_point now) {
    if (conn_ || now < next_try_) return false;
    next_try_ = now + kRetry;
    auto conn = catalog::pg::Connection::connect(location_);
    if (!conn) return false;
    if (!(*conn)->exec("LISTEN lightbox_library")) return false;
    conn_ = std::move(*conn);
    return std::exchange(lost_, false);
}

bool LibraryListener::other_engine_changed() {
    if (!conn_) return false;
    if (PQconsumeInput(conn_->handle()) == 0 || PQstatus(conn_->handle()) != CONNECTION_OK) {
        conn_.reset();  // the server ended the session: maintain() connects again
        lost_ = true;
        return false;
    }
    static const std::string self = catalog::engine_identity();
    bool changed = false;
    while (PGnotify* notice = PQnotifies(conn_->handle())) {
        changed = changed || self != (notice->extra ? notice->extra : "");
        PQfreemem(notice);
    }
    return changed;
}

}  // namespace lbx::engine::service
