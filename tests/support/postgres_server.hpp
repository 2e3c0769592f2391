// A real PostgreSQL server for the tests labelled `postgres`: one per test process, started on first
// use and stopped when the process exits.
//
// It lives in a temporary directory of its own: initdb writes the cluster there, and the server listens
// only on a Unix socket in that directory (listen_addresses = ''), so parallel test processes never meet
// and nothing is reachable from the network. PostgreSQL refuses to run as root, and CI runs the tests as
// root: then the directory belongs to `nobody`, and initdb, pg_ctl and the server run as that user.
// Local connections are trusted (no password), as the superuser `postgres`.
//
// The server binaries come from Debian's postgresql-15 (/usr/lib/postgresql/15/bin; LIGHTBOX_TEST_PG_BIN
// names another folder). Without them the tests say so and skip (WARN and return).
#pragma once

#include "catalog/postgres_db.hpp"

#include <sys/types.h>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lbx::test {

class PostgresServer {
public:
    // This process's server, started on the first call. nullptr when the PostgreSQL binaries are not
    // installed (postgres_unavailable_reason() says which is missing); throws when they are there but the
    // server does not start (the message quotes the server's log).
    static PostgresServer* shared();

    // A new empty database on the server (test_1, test_2, ...), and the URI that connects to it.
    std::string create_database();
    // The URI of database `name` on this server: postgresql:///NAME?host=SOCKET_DIR&user=postgres
    std::string uri(const std::string& name) const;
    const std::filesystem::path& directory() const { return directory_; }

    // pg_ctl stop -m fast, then the directory is removed. A test process that ends without running
    // destructors (an abort, a crash, ctest's kill at its timeout) leaves the same to a watchdog: a shell
    // in a session of its own that waits for this process's end (EOF on a pipe only it holds) and then
    // stops the server (SIGINT to the postmaster: a fast shutdown) and removes the directory.
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

private:
    PostgresServer() = default;
    void start();
    void start_watchdog();
    std::string run_tool(const std::vector<std::string>& argv, const char* what);

    std::filesystem::path bin_;
    std::filesystem::path directory_;  // the socket's folder, the log, data/ (the cluster)
    std::optional<uid_t> run_as_;      // `nobody` when the tests run as root
    bool running_ = false;
    int watchdog_pipe_ = -1;  // the write end: closed by this process's end, whatever ends it
    pid_t watchdog_ = -1;
    int databases_ = 0;
};

// A connection to `uri` (a database of the test server); fails the test, with libpq's reason, when it
// cannot connect.
std::unique_ptr<engine::catalog::pg::Connection> connect_or_fail(const std::string& uri);

// Why PostgresServer::shared() returned nullptr ("" when the binaries are there).
std::string postgres_unavailable_reason();

}  // namespace lbx::test

// In a Catch2 test case: `server`, this process's PostgreSQL test server; where PostgreSQL is not
// installed, a warning that says why and the end of the test case (a skip, not a failure).
#define LBX_POSTGRES_SERVER_OR_SKIP(server)                        \
    auto* server = ::lbx::test::PostgresServer::shared();          \
    if (!server) {                                                  \
        WARN(::lbx::test::postgres_unavailable_reason());           \
        return;                                                     \
    }                                                               \
    static_assert(true, "a statement: the macro takes a semicolon")
