// The libpq layer (catalog/postgres_db.hpp) against a real PostgreSQL 15 server started for this test
// process (support/postgres_server.hpp): typed reads, values bound as parameters (hostile strings
// included), errors as values that name the statement, the server's message and its SQLSTATE, and
// transactions that roll back unless committed. Skipped, with a warning, where PostgreSQL is not
// installed; the connection failures need no server and always run.
#include "catalog/postgres_db.hpp"
#include "support/child_process.hpp"
#include "support/postgres_server.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <libpq-fe.h>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <thread>

using namespace lbx::engine::catalog;
using lbx::test::PostgresServer;
using lbx::test::connect_or_fail;

TEST_CASE("a PostgreSQL connection binds parameters and reads typed columns", "[catalog][postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    auto conn = connect_or_fail(server->create_database());
    CHECK(conn->description().find("'test_") != std::string::npos);
    REQUIRE(conn->exec("CREATE TABLE t (i BIGINT, r DOUBLE PRECISION, s TEXT, b BYTEA, n INTEGER)"));

    const std::vector<uint8_t> bytes{0, 1, 2, 0x5c, 0x27, 0xff, 0};  // NUL, backslash, quote, 0xff
    auto insert = conn->query(
        "INSERT INTO t (i, r, s, b, n) VALUES ($1, $2, $3, $4, $5)",
        {int64_t{std::numeric_limits<int64_t>::min()}, 0.1, std::string("text"), SqlBlob{bytes}, SqlValue{}});
    REQUIRE(insert);
    CHECK(insert->affected_rows() == 1);
    REQUIRE(conn->query("INSERT INTO t (i, r, s, b, n) VALUES ($1, $2, $3, $4, $5)",
                        {int64_t{42}, std::numeric_limits<double>::infinity(), std::string(), SqlBlob{}, int64_t{7}}));

    auto rows = conn->query("SELECT i, r, s, b, n FROM t ORDER BY i");
    REQUIRE(rows);
    REQUIRE(rows->rows() == 2);
    REQUIRE(rows->columns() == 5);
    CHECK(rows->column("s") == 2);
    CHECK_FALSE(rows->column("nope"));
    CHECK(rows->integer(0, 0).value() == std::numeric_limits<int64_t>::min());
    CHECK(rows->real(0, 1).value() == 0.1);  // the shortest text that round-trips, both ways
    CHECK(rows->text(0, 2).value() == "text");
    CHECK(rows->blob(0, 3).value() == bytes);
    CHECK(rows->is_null(0, 4));
    CHECK(rows->integer(1, 0).value() == 42);
    CHECK(std::isinf(rows->real(1, 1).value()));
    CHECK(rows->text(1, 2).value().empty());
    CHECK_FALSE(rows->is_null(1, 2));  // '' is not NULL
    CHECK(rows->blob(1, 3).value().empty());
    CHECK(rows->integer(1, 4).value() == 7);
    CHECK(rows->real(1, 4).value() == 7.0);

    // A read of another type, of NULL or out of range is an error naming the column, never a guess.
    auto wrong_type = rows->integer(0, 2);
    REQUIRE_FALSE(wrong_type);
    CHECK(wrong_type.error().code == pg::kErrorColumn);
    CHECK(wrong_type.error().message.find("'s'") != std::string::npos);
    auto null = rows->integer(0, 4);
    REQUIRE_FALSE(null);
    CHECK(null.error().message.find("NULL") != std::string::npos);
    CHECK_FALSE(rows->text(5, 0));
    CHECK(conn->query_int("SELECT count(*) FROM t WHERE i = $1", {int64_t{42}}).value() == 1);
    CHECK(conn->query_int("SELECT i FROM t WHERE i = $1", {int64_t{-1}}).value() == 0);  // no row
}

TEST_CASE("hostile strings bound as parameters round-trip and run nothing", "[catalog][postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    auto conn = connect_or_fail(server->create_database());
    REQUIRE(conn->exec("CREATE TABLE photos (hash TEXT PRIMARY KEY, path TEXT NOT NULL)"));
    const std::vector<std::string> hostile{
        "O'Brien's \"photo\".jpg", "'; DROP TABLE photos; --",     "x'); DELETE FROM photos WHERE ('1' = '1",
        "$1 $2 ?1 :name @p %s %n", "back\\slash \\x00 \\' E'\\n'", "東京 🌸 Ünïcödé ﷽ \u202e\u200b",
        "line\nbreak\ttab\r",      std::string(100000, '\''),
    };
    for (std::size_t i = 0; i < hostile.size(); ++i) {
        INFO("string " << i);
        REQUIRE(conn->query("INSERT INTO photos (hash, path) VALUES ($1, $2)", {std::to_string(i), hostile[i]}));
        auto back = conn->query("SELECT path FROM photos WHERE path = $1", {hostile[i]});
        REQUIRE(back);
        REQUIRE(back->rows() == 1);
        CHECK(back->text(0, 0).value() == hostile[i]);
    }
    CHECK(conn->query_int("SELECT count(*) FROM photos").value() == static_cast<int64_t>(hostile.size()));

    // Text that PostgreSQL cannot hold is refused, not cut short or mangled: a NUL byte here, before
    // anything is sent; bytes that are not UTF-8 by the server, with its SQLSTATE.
    auto nul = conn->query("INSERT INTO photos (hash, path) VALUES ('nul', $1)", {std::string("a\0b", 3)});
    REQUIRE_FALSE(nul);
    CHECK(nul.error().code == pg::kErrorBind);
    CHECK(nul.error().message.find("$1") != std::string::npos);
    auto latin1 = conn->query("INSERT INTO photos (hash, path) VALUES ('latin1', $1)", {std::string("caf\xe9")});
    REQUIRE_FALSE(latin1);
    CHECK(pg::sqlstate_of(latin1.error()) == "22021");  // character_not_in_repertoire
    CHECK(conn->query_int("SELECT count(*) FROM photos").value() == static_cast<int64_t>(hostile.size()));
}

TEST_CASE("a refused statement is an error naming it, the server's message and the SQLSTATE", "[catalog][postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    auto conn = connect_or_fail(server->create_database());
    REQUIRE(conn->exec("CREATE TABLE photos (hash TEXT PRIMARY KEY)"));
    REQUIRE(conn->query("INSERT INTO photos (hash) VALUES ($1)", {std::string("h1")}));
    auto duplicate = conn->query("INSERT INTO photos (hash) VALUES ($1)", {std::string("h1")});
    REQUIRE_FALSE(duplicate);
    const auto& e = duplicate.error();
    CHECK(e.domain == "catalog");
    CHECK(e.code == pg::kErrorServer);
    CHECK(pg::sqlstate_of(e) == "23505");
    CHECK(e.message.find("INSERT INTO photos (hash)") != std::string::npos);
    CHECK(e.message.find("duplicate key value violates unique constraint") != std::string::npos);
    CHECK(e.message.find("[SQLSTATE 23505]") != std::string::npos);
    CHECK(e.detail.find("Key (hash)=(h1) already exists") != std::string::npos);

    auto syntax = conn->exec("SELEC 1");
    REQUIRE_FALSE(syntax);
    CHECK(pg::sqlstate_of(syntax.error()) == "42601");
    auto missing = conn->query("SELECT x FROM no_such_table");
    REQUIRE_FALSE(missing);
    CHECK(pg::sqlstate_of(missing.error()) == "42P01");
    CHECK(pg::sqlstate_of(lbx::engine::make_error("catalog", "sqlite", "x")).empty());
    // The connection is still usable after errors outside a transaction.
    CHECK(conn->query_int("SELECT count(*) FROM photos").value() == 1);
}

TEST_CASE("a PostgreSQL transaction rolls back unless committed", "[catalog][postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    const std::string uri = server->create_database();
    auto writer = connect_or_fail(uri);
    auto reader = connect_or_fail(uri);
    REQUIRE(writer->exec("CREATE TABLE t (v TEXT PRIMARY KEY)"));
    auto count = [&] { return reader->query_int("SELECT count(*) FROM t").value(); };

    {
        auto tx = pg::Transaction::begin(*writer);
        REQUIRE(tx);
        REQUIRE(writer->query("INSERT INTO t (v) VALUES ($1)", {std::string("dropped")}));
        CHECK(writer->in_transaction());
        CHECK(count() == 0);  // not visible before commit
        // One transaction at a time: PostgreSQL would only warn, and the outer commit take the inner's rows.
        auto nested = pg::Transaction::begin(*writer);
        REQUIRE_FALSE(nested);
        CHECK(nested.error().code == pg::kErrorTransaction);
    }  // destroyed without commit
    CHECK_FALSE(writer->in_transaction());
    CHECK(count() == 0);

    {
        auto tx = pg::Transaction::begin(*writer);
        REQUIRE(tx);
        REQUIRE(writer->query("INSERT INTO t (v) VALUES ($1)", {std::string("kept")}));
        REQUIRE(tx->commit());
    }
    CHECK(count() == 1);

    // A statement that fails inside a transaction dooms it: commit says so instead of reporting success.
    {
        auto tx = pg::Transaction::begin(*writer);
        REQUIRE(tx);
        REQUIRE(writer->query("INSERT INTO t (v) VALUES ($1)", {std::string("lost")}));
        REQUIRE_FALSE(writer->query("INSERT INTO t (v) VALUES ($1)", {std::string("kept")}));  // duplicate
        auto committed = tx->commit();
        REQUIRE_FALSE(committed);
        CHECK(committed.error().code == pg::kErrorTransaction);
        CHECK(committed.error().message.find("rolled the transaction back") != std::string::npos);
    }
    CHECK_FALSE(writer->in_transaction());
    CHECK(count() == 1);
}

TEST_CASE("a bad URI or a missing server is a clear error value", "[catalog][postgres]") {
    lbx::test::TempDir dir;  // a folder with no server's socket in it
    auto no_server = pg::Connection::connect("postgresql:///library?host=" + dir.path().string() + "&user=lightbox");
    REQUIRE_FALSE(no_server);
    CHECK(no_server.error().code == pg::kErrorConnect);
    CHECK(no_server.error().message.find("cannot connect to PostgreSQL library 'library' on " + dir.path().string()) !=
          std::string::npos);
    CHECK(no_server.error().message.find("No such file or directory") != std::string::npos);

    auto bad_uri = pg::Connection::connect("postgresql://[::1/library");
    REQUIRE_FALSE(bad_uri);
    CHECK(bad_uri.error().code == pg::kErrorConnect);
    CHECK(bad_uri.error().message.find("IPv6") != std::string::npos);

    auto bad_option = pg::Connection::connect("postgresql:///library?sslmode=sometimes");
    REQUIRE_FALSE(bad_option);
    CHECK(bad_option.error().message.find("sslmode") != std::string::npos);

    // A password written into the URI anyway never reaches a message.
    auto with_password = pg::Connection::connect("postgresql://ann:s3cr3t-pw@/library?host=" + dir.path().string());
    REQUIRE_FALSE(with_password);
    CHECK(with_password.error().message.find("s3cr3t-pw") == std::string::npos);
    CHECK(with_password.error().message.find("as ann") != std::string::npos);
    for (const std::string& conninfo :
         std::vector<std::string>{"host=" + dir.path().string() + " password=s3cr3t-pw dbname=library",
                                  "password=s3cr3t-pw dbname=library bogus", "postgresql://ann:s3cr3t-pw@[::1/x"}) {
        INFO(conninfo);
        auto failed = pg::Connection::connect(conninfo);
        REQUIRE_FALSE(failed);
        CHECK(failed.error().code == pg::kErrorConnect);
        CHECK(failed.error().message.find("s3cr3t-pw") == std::string::npos);
    }

    LBX_POSTGRES_SERVER_OR_SKIP(server);
    auto no_database = pg::Connection::connect(server->uri("no_such_library"));
    REQUIRE_FALSE(no_database);
    CHECK(no_database.error().code == pg::kErrorConnect);
    CHECK(no_database.error().message.find("database \"no_such_library\" does not exist") != std::string::npos);
}

TEST_CASE("a connection the server ended is an error value, also inside a transaction", "[catalog][postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    const std::string uri = server->create_database();
    auto engine = connect_or_fail(uri);
    auto admin = connect_or_fail(uri);
    REQUIRE(engine->exec("CREATE TABLE t (v TEXT)"));
    const int64_t pid = engine->query_int("SELECT pg_backend_pid()").value();
    {
        auto tx = pg::Transaction::begin(*engine);
        REQUIRE(tx);
        REQUIRE(engine->query("INSERT INTO t (v) VALUES ($1)", {std::string("lost")}));
        // What an administrator's pg_terminate_backend, a server restart or a failover does to an engine.
        auto ended =
            admin->query_int("SELECT count(*) FROM (SELECT pg_terminate_backend($1::integer) AS ok) s WHERE ok", {pid});
        INFO((ended ? std::string() : ended.error().message));
        REQUIRE(ended);
        REQUIRE(*ended == 1);
        auto after = engine->query("INSERT INTO t (v) VALUES ($1)", {std::string("after")});
        REQUIRE_FALSE(after);
        CHECK(after.error().code == pg::kErrorConnectionLost);
        CHECK(after.error().message.find("cannot run 'INSERT INTO t (v) VALUES ($1)': the connection to 'test_") !=
              std::string::npos);
        CHECK(after.error().message.find("terminating connection due to administrator command") != std::string::npos);
        CHECK_FALSE(tx->commit());
    }  // the transaction's end on a dead connection: nothing to roll back, nothing thrown
    auto later = engine->query("SELECT 1");
    REQUIRE_FALSE(later);
    CHECK(later.error().code == pg::kErrorConnectionLost);
    CHECK(admin->query_int("SELECT count(*) FROM t").value() == 0);
}

TEST_CASE("a prepared statement runs many times with new values", "[catalog][postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    auto conn = connect_or_fail(server->create_database());
    REQUIRE(
        conn->exec("CREATE TABLE regions (hash TEXT, idx INTEGER, quality DOUBLE PRECISION, embedding BYTEA, "
                   "PRIMARY KEY (hash, idx))"));
    auto insert = conn->prepare("INSERT INTO regions (hash, idx, quality, embedding) VALUES ($1, $2, $3, $4)");
    INFO((insert ? std::string() : insert.error().message));
    REQUIRE(insert);
    {
        auto tx = pg::Transaction::begin(*conn);
        REQUIRE(tx);
        for (int64_t i = 0; i < 1000; ++i) {
            const SqlValue embedding = i % 2 ? SqlValue{SqlBlob{{uint8_t(i), 0, uint8_t(i >> 8)}}} : SqlValue{};
            auto ok =
                insert->run({std::string("'; DROP TABLE regions; --"), i, 0.5 * static_cast<double>(i), embedding});
            INFO((ok ? std::string() : ok.error().message));
            REQUIRE(ok);
        }
        REQUIRE(tx->commit());
    }
    auto select = conn->prepare("SELECT idx, quality, embedding FROM regions WHERE idx = $1");
    REQUIRE(select);
    for (int64_t i : {int64_t{1}, int64_t{998}, int64_t{999}}) {
        auto row = select->run({i});
        REQUIRE(row);
        REQUIRE(row->rows() == 1);
        CHECK(row->integer(0, 0).value() == i);
        CHECK(row->real(0, 1).value() == 0.5 * static_cast<double>(i));
        CHECK(row->is_null(0, 2) == (i % 2 == 0));
        if (i % 2) CHECK(row->blob(0, 2).value() == std::vector<uint8_t>{uint8_t(i), 0, uint8_t(i >> 8)});
    }
    CHECK(conn->query_int("SELECT count(*) FROM regions").value() == 1000);

    auto bad = conn->prepare("SELEC idx FROM regions");
    REQUIRE_FALSE(bad);
    CHECK(pg::sqlstate_of(bad.error()) == "42601");
    auto nul = insert->run({std::string("a\0b", 3), int64_t{5000}, 0.0, SqlValue{}});
    REQUIRE_FALSE(nul);
    CHECK(nul.error().code == pg::kErrorBind);
    auto duplicate = insert->run({std::string("'; DROP TABLE regions; --"), int64_t{0}, 0.0, SqlValue{}});
    REQUIRE_FALSE(duplicate);
    CHECK(pg::sqlstate_of(duplicate.error()) == "23505");
    CHECK(duplicate.error().message.find("cannot run 'INSERT INTO regions") != std::string::npos);
}

TEST_CASE("statements sent in pipeline mode are answered at the next call: rows counted, the first error reported", "[catalog][postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    const std::string uri = server->create_database();
    auto conn = connect_or_fail(uri);
    auto reader = connect_or_fail(uri);
    REQUIRE(conn->exec("CREATE TABLE t (v BIGINT PRIMARY KEY)"));
    auto insert = conn->prepare("INSERT INTO t (v) VALUES ($1)");
    REQUIRE(insert);
    auto update = conn->prepare("UPDATE t SET v = v + 100000 WHERE v < $1");
    REQUIRE(update);
    {
        auto tx = pg::Transaction::begin(*conn);
        REQUIRE(tx);
        // More than the connection keeps unanswered at once (256): it reads answers on the way.
        for (int64_t i = 0; i < 1000; ++i) REQUIRE(insert->send({i}));
        REQUIRE(update->send({int64_t{10}}));
        CHECK(conn->has_unanswered());
        // A statement with rows reads the answers first, and sees the writes.
        CHECK(conn->query_int("SELECT count(*) FROM t WHERE v >= 100000").value() == 10);
        CHECK_FALSE(conn->has_unanswered());
        CHECK(conn->take_pipelined_rows() == 1010);
        CHECK(conn->last_pipelined_rows() == 10);
        CHECK(conn->take_pipelined_rows() == 0);
        REQUIRE(tx->commit());
    }
    CHECK(reader->query_int("SELECT count(*) FROM t").value() == 1000);

    // A failed statement: the server skips the rest; the error names the statement and its SQLSTATE, and
    // the transaction is lost whole.
    {
        auto tx = pg::Transaction::begin(*conn);
        REQUIRE(tx);
        REQUIRE(insert->send({int64_t{5000}}));
        REQUIRE(insert->send({int64_t{500}}));  // a duplicate
        REQUIRE(insert->send({int64_t{5001}}));
        auto committed = tx->commit();
        REQUIRE_FALSE(committed);
        CHECK(pg::sqlstate_of(committed.error()) == "23505");
        CHECK(committed.error().message.find("cannot run 'INSERT INTO t (v) VALUES ($1)'") != std::string::npos);
    }
    CHECK_FALSE(conn->in_transaction());
    CHECK_FALSE(conn->has_unanswered());
    CHECK(reader->query_int("SELECT count(*) FROM t WHERE v >= 5000 AND v < 6000").value() == 0);
    CHECK(conn->query_int("SELECT count(*) FROM t").value() == 1000);  // the connection goes on

    // A value PostgreSQL cannot take is refused before anything is sent.
    {
        auto tx = pg::Transaction::begin(*conn);
        REQUIRE(tx);
        auto text = conn->prepare("INSERT INTO t (v) SELECT length($1)");
        REQUIRE(text);
        auto nul = text->send({std::string("a\0b", 3)});
        REQUIRE_FALSE(nul);
        CHECK(nul.error().code == pg::kErrorBind);
        CHECK_FALSE(conn->has_unanswered());
    }

    // The server ends the session while answers are due: an error value, no hang.
    const int64_t pid = conn->query_int("SELECT pg_backend_pid()").value();
    {
        auto tx = pg::Transaction::begin(*conn);
        REQUIRE(tx);
        REQUIRE(insert->send({int64_t{7000}}));
        REQUIRE(reader->query_int("SELECT count(*) FROM (SELECT pg_terminate_backend($1::integer) AS ok) s WHERE ok", {pid}).value() == 1);
        (void)insert->send({int64_t{7001}});  // may fail already, or only when answers are read
        auto committed = tx->commit();
        REQUIRE_FALSE(committed);
    }
    CHECK(reader->query_int("SELECT count(*) FROM t WHERE v >= 7000 AND v < 8000").value() == 0);
}

// Not run by itself (hidden by [.]): the test below runs it in a process of its own, which starts the
// server, says where, and aborts, as a failed assertion or a crash would: no destructor runs.
TEST_CASE("a test process that aborts with its server running", "[.][postgres_abort]") {
    auto* server = PostgresServer::shared();
    REQUIRE(server);
    std::cout << "server directory: " << server->directory().string() << std::endl;
    std::abort();
}

TEST_CASE("a test process that dies without destructors leaves no server running", "[catalog][postgres]") {
    if (!PostgresServer::shared()) {
        WARN(lbx::test::postgres_unavailable_reason());
        return;
    }
    const auto self = std::filesystem::read_symlink("/proc/self/exe");
    lbx::test::ChildProcess child({self.string(), "[postgres_abort]"});
    const auto result = child.wait(std::chrono::seconds(120));
    CHECK(result.exit_code == 128 + SIGABRT);
    const std::string marker = "server directory: ";
    const auto at = result.out.find(marker);
    INFO(result.out << result.err);
    REQUIRE(at != std::string::npos);
    const std::filesystem::path dir =
        result.out.substr(at + marker.size(), result.out.find('\n', at) - at - marker.size());
    // The watchdog stops the server and removes its folder: wait for both, with a bound.
    const std::string conninfo = "host=" + dir.string() + " user=postgres dbname=postgres connect_timeout=2";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while ((std::filesystem::exists(dir) || PQping(conninfo.c_str()) != PQPING_NO_RESPONSE) &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK_FALSE(std::filesystem::exists(dir));
    CHECK(PQping(conninfo.c_str()) == PQPING_NO_RESPONSE);
}
