// Hears of the changes other engines make to a PostgreSQL library shared with this one (LISTEN on the
// channel the library's triggers notify: catalog/postgres_schema.cpp), so that the service can tell its
// clients (LibraryChanged "other_engine") and a desktop app attached to this engine shows the photos that
// an engine on another machine added. Its own writes (payload: this process, engine_identity()) are not
// news: the service announces those itself.
//
// It holds a connection of its own, which only listens; the service polls its socket with its ZeroMQ
// sockets. A connection the server ended is opened again, at most every few seconds, without a word to
// clients until it is back (a change made meanwhile is then announced once, to be safe).
#pragma once

#include "catalog/postgres_db.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace lbx::engine::service {

class LibraryListener {
public:
    explicit LibraryListener(std::string location) : location_(std::move(location)) {}

    const std::string& location() const { return location_; }
    // The socket to poll for reading; -1 while there is no connection (maintain() makes one).
    int fd() const;
    // Connects and listens when there is no connection and the last try is old enough. Returns true when a
    // connection was made again after one was lost: the library may have changed meanwhile.
    bool maintain(std::chrono::steady_clock::time_point now);
    // Reads what the server sent (after fd() was readable): true when another engine changed the library.
    bool other_engine_changed();

private:
    static constexpr std::chrono::seconds kRetry{5};

    std::string location_;
    std::unique_ptr<catalog::pg::Connection> conn_;
    std::chrono::steady_clock::time_point next_try_{};
    bool lost_ = false;  // a connection was lost and not yet made again
};

}  // namespace lbx::engine::service
