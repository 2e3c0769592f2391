#include "support/postgres_server.hpp"

#include <catch2/catch.hpp>

#include "catalog/postgres_db.hpp"
#include "support/child_process.hpp"

#include <libpq-fe.h>

#include <fcntl.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace lbx::test {
namespace {

constexpr auto kToolTimeout = std::chrono::seconds(120);  // initdb, pg_ctl on a loaded 2-core machine
constexpr auto kReadyTimeout = std::chrono::seconds(60);  // from pg_ctl start to accepting connections
constexpr auto kReadyPoll = std::chrono::milliseconds(50);

std::filesystem::path bin_dir() {
    const char* env = std::getenv("LIGHTBOX_TEST_PG_BIN");
    return env && *env ? std::filesystem::path(env) : std::filesystem::path("/usr/lib/postgresql/15/bin");
}

std::string missing_binary() {
    for (const char* tool : {"initdb", "pg_ctl", "postgres"}) {
        const auto path = bin_dir() / tool;
        if (::access(path.c_str(), X_OK) != 0) return path.string();
    }
    return {};
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

std::string postgres_unavailable_reason() {
    const std::string missing = missing_binary();
    return missing.empty() ? std::string()
                           : "PostgreSQL server binaries not found (" + missing +
                                 "; install Debian's postgresql-15): PostgreSQL test skipped";
}

PostgresServer* PostgresServer::shared() {
    if (!missing_binary().empty()) return nullptr;
    // Destroyed at exit, after the tests: the server is stopped then.
    static std::unique_ptr<PostgresServer> server;
    static std::string failure;
    if (!server && failure.empty()) {
        std::unique_ptr<PostgresServer> starting(new PostgresServer());
        try {
            starting->start();
            server = std::move(starting);
        } catch (const std::exception& e) {
            failure = e.what();  // each later test fails with the same reason instead of retrying
        }
    }
    if (!server) throw std::runtime_error(failure);
    return server.get();
}

std::string PostgresServer::run_tool(const std::vector<std::string>& argv, const char* what) {
    ChildProcess tool(argv, {}, "", run_as_);
    auto result = tool.wait(kToolTimeout);
    if (result.timed_out || result.exit_code != 0) {
        throw std::runtime_error(std::string(what) + " failed (exit " + std::to_string(result.exit_code) +
                                 (result.timed_out ? ", timed out" : "") + "): " + result.err + result.out);
    }
    return result.out;
}

void PostgresServer::start() {
    bin_ = bin_dir();
    // Under /tmp rather than TMPDIR: a socket's path must stay under ~100 bytes, and `nobody` must be
    // able to reach the folder (a TMPDIR inside root's home would not let it).
    std::string pattern = "/tmp/lightbox-pg-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a folder for PostgreSQL");
    directory_ = pattern;
    if (::geteuid() == 0) {
        const passwd* nobody = ::getpwnam("nobody");
        if (!nobody) throw std::runtime_error("running as root and no user 'nobody' to run PostgreSQL as");
        run_as_ = nobody->pw_uid;
        // ChildProcess switches to gid = uid: nobody/nogroup are both 65534 on Debian.
        if (::chown(directory_.c_str(), nobody->pw_uid, nobody->pw_uid) != 0)
            throw std::runtime_error("cannot give " + directory_.string() + " to nobody");
    }
    start_watchdog();
    const auto data = directory_ / "data";
    run_tool({(bin_ / "initdb").string(), "-D", data.string(), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
              "--locale=C", "--no-sync", "--no-instructions"},
             "initdb");
    {
        // Only the socket in our folder; durability is not what these tests check; small, since a
        // parallel ctest runs one server per test process. No autovacuum: these databases live
        // for one test, and its work would only run beside the tests.
        std::ofstream conf(data / "postgresql.conf", std::ios::app);
        conf << "\nlisten_addresses = ''\nunix_socket_directories = '" << directory_.string()
             << "'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
             << "shared_buffers = 16MB\nmax_connections = 20\nautovacuum = off\n";
        if (!conf) throw std::runtime_error("cannot write " + (data / "postgresql.conf").string());
    }
    // -W: pg_ctl returns once the server is launched; readiness is polled below, with our own bound.
    run_tool(
        {(bin_ / "pg_ctl").string(), "-D", data.string(), "-l", (directory_ / "server.log").string(), "-W", "start"},
        "pg_ctl start");
    running_ = true;
    const std::string conninfo = "host=" + directory_.string() + " user=postgres dbname=postgres connect_timeout=5";
    const auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
    while (PQping(conninfo.c_str()) != PQPING_OK) {
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error("PostgreSQL did not accept connections within " +
                                     std::to_string(kReadyTimeout.count()) +
                                     " s; its log: " + read_text(directory_ / "server.log"));
        }
        std::this_thread::sleep_for(kReadyPoll);
    }
}

void PostgresServer::start_watchdog() {
    int fds[2];
    // Close-on-exec: no other child (initdb, pg_ctl, the postmaster it starts) may hold the write end,
    // or the watchdog would wait for them too.
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("cannot create the PostgreSQL watchdog's pipe");
    // `read` returns at EOF, when every holder of the write end (this process alone) is gone. The
    // postmaster's pid is the first line of postmaster.pid; SIGINT is its fast shutdown. Root may signal
    // a server that runs as nobody. Waits 10 s at most for the server to exit before removing its files.
    const char* script =
        "read _; pid=$(head -n 1 \"$1/data/postmaster.pid\" 2>/dev/null) && kill -INT \"$pid\" 2>/dev/null && "
        "for i in $(seq 1 100); do kill -0 \"$pid\" 2>/dev/null || break; sleep 0.1; done; rm -rf \"$1\"";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
    // Not the test's output: ctest would wait for the watchdog to close it.
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // A session of its own: a Ctrl-C to the test's terminal must not end the watchdog with the test.
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
    std::string dir = directory_.string();
    std::vector<char*> argv{const_cast<char*>("/bin/sh"),
                            const_cast<char*>("-c"),
                            const_cast<char*>(script),
                            const_cast<char*>("lightbox-pg-watchdog"),
                            dir.data(),
                            nullptr};
    const int rc = ::posix_spawn(&watchdog_, "/bin/sh", &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(fds[0]);
    if (rc != 0) {
        ::close(fds[1]);
        watchdog_ = -1;
        throw std::runtime_error("cannot start the PostgreSQL watchdog: " + std::to_string(rc));
    }
    watchdog_pipe_ = fds[1];
}

std::string PostgresServer::uri(const std::string& name) const {
    return "postgresql:///" + name + "?host=" + directory_.string() + "&user=postgres";
}

std::string PostgresServer::create_database() {
    const std::string name = "test_" + std::to_string(++databases_);
    auto conn = engine::catalog::pg::Connection::connect(uri("postgres"));
    if (!conn) throw std::runtime_error(conn.error().message);
    if (auto ok = (*conn)->exec("CREATE DATABASE " + name); !ok) throw std::runtime_error(ok.error().message);
    return uri(name);
}

PostgresServer::~PostgresServer() {
    if (running_) {
        try {
            run_tool({(bin_ / "pg_ctl").string(), "-D", (directory_ / "data").string(), "-m", "fast", "-w", "stop"},
                     "pg_ctl stop");
        } catch (const std::exception&) {
            // Nothing more to do at exit; the folder is removed all the same.
        }
    }
    std::error_code ignored;
    if (!directory_.empty()) std::filesystem::remove_all(directory_, ignored);
    // The watchdog finds nothing left to do, and exits.
    if (watchdog_pipe_ >= 0) ::close(watchdog_pipe_);
    if (watchdog_ > 0) ::waitpid(watchdog_, nullptr, 0);
}

std::unique_ptr<engine::catalog::pg::Connection> connect_or_fail(const std::string& uri) {
    auto conn = engine::catalog::pg::Connection::connect(uri);
    INFO((conn ? std::string() : conn.error().message));
    REQUIRE(conn);
    return std::move(*conn);
}

}  // namespace lbx::test
