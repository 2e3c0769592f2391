// The rules for explicit endpoints (which event endpoint goes with a command endpoint; TCP only on
// loopback), the endpoints file, and the TCP token: random, kept in a 0600 file that is replaced rather
// than followed through a symlink, compared without early exit.
#include "support/test_files.hpp"

#include "lightbox/ipc/endpoint.hpp"
#include "lightbox/ipc/token.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

using namespace lbx;
namespace fs = std::filesystem;

namespace {


std::string text_of(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

ipc::EndpointPair pair_for(const std::string& command) {
    auto pair = ipc::endpoints_for(command);
    INFO(command);
    REQUIRE(pair);
    return *pair;
}

void check_refused(const std::string& command) {
    INFO(command);
    auto pair = ipc::endpoints_for(command);
    REQUIRE_FALSE(pair);
    CHECK(pair.error().status == ipc::Status::bad_request);
    CHECK(pair.error().domain == "config");
    CHECK(pair.error().code == "bad_endpoint");
    CHECK_THAT(pair.error().message, Catch::StartsWith("endpoint '" + command + "' "));
}

}  // namespace

TEST_CASE("an ipc command endpoint gets the event endpoint beside it", "[ipc]") {
    CHECK(pair_for("ipc:///run/user/1000/lightbox/engine.cmd") ==
          ipc::EndpointPair{"ipc:///run/user/1000/lightbox/engine.cmd", "ipc:///run/user/1000/lightbox/engine.events"});
    CHECK(pair_for("ipc:///tmp/x/other.cmd").events == "ipc:///tmp/x/other.events");
    CHECK(pair_for("ipc:///tmp/x/engine").events == "ipc:///tmp/x/engine.events");
    CHECK(pair_for("ipc:///tmp/x/engine.sock").events == "ipc:///tmp/x/engine.sock.events");
    // The default endpoints are a pair under this rule.
    CHECK(pair_for(ipc::command_endpoint("/run/user/5/lightbox")).events == ipc::event_endpoint("/run/user/5/lightbox"));

    check_refused("ipc://engine.cmd");
    check_refused("ipc://relative/dir/engine.cmd");
    check_refused("ipc://");
    CHECK_THAT(ipc::endpoints_for("ipc://engine.cmd").error().message, Catch::Contains("absolute path"));

    CHECK(ipc::ipc_path("ipc:///tmp/x/engine.cmd") == fs::path("/tmp/x/engine.cmd"));
    CHECK_FALSE(ipc::ipc_path("tcp://127.0.0.1:5555"));
    CHECK_FALSE(ipc::ipc_path("inproc://x"));
}

TEST_CASE("a loopback tcp command endpoint gets the next port for events", "[ipc]") {
    CHECK(pair_for("tcp://127.0.0.1:5555") == ipc::EndpointPair{"tcp://127.0.0.1:5555", "tcp://127.0.0.1:5556"});
    CHECK(pair_for("tcp://127.1.2.3:1").events == "tcp://127.1.2.3:2");
    CHECK(pair_for("tcp://localhost:7000").events == "tcp://localhost:7001");
    CHECK(pair_for("tcp://[::1]:7000").events == "tcp://[::1]:7001");
    CHECK(pair_for("tcp://127.0.0.1:65534").events == "tcp://127.0.0.1:65535");
    // Any free port: both ephemeral, whatever way it is asked for.
    CHECK(pair_for("tcp://127.0.0.1:*") == ipc::EndpointPair{"tcp://127.0.0.1:*", "tcp://127.0.0.1:*"});
    CHECK(pair_for("tcp://127.0.0.1:0") == ipc::EndpointPair{"tcp://127.0.0.1:*", "tcp://127.0.0.1:*"});
    CHECK(pair_for("tcp://localhost:0") == ipc::EndpointPair{"tcp://localhost:*", "tcp://localhost:*"});

    CHECK(ipc::is_tcp("tcp://127.0.0.1:5555"));
    CHECK_FALSE(ipc::is_tcp("ipc:///tmp/x"));

    // Ports that have no next port, or are not ports.
    check_refused("tcp://127.0.0.1:65535");
    check_refused("tcp://127.0.0.1:65536");
    check_refused("tcp://127.0.0.1:");
    check_refused("tcp://127.0.0.1:http");
    check_refused("tcp://127.0.0.1:55x");
    check_refused("tcp://127.0.0.1:-1");
    check_refused("tcp://127.0.0.1");
}

TEST_CASE("a tcp endpoint that is not loopback is refused", "[ipc]") {
    for (const char* endpoint : {"tcp://10.0.0.1:5555", "tcp://0.0.0.0:5555", "tcp://example.com:5555", "tcp://*:5555",
                                 "tcp://192.168.1.20:5555", "tcp://[::]:5555", "tcp://127.0.0.1.example.com:5555",
                                 "tcp://eth0:5555", "tcp://:5555", "tcp://128.0.0.1:5555", "tcp://localhost.evil:5555"}) {
        check_refused(endpoint);
        CHECK_THAT(ipc::endpoints_for(endpoint).error().message, Catch::Contains("is not a loopback address"));
    }
}

TEST_CASE("an inproc endpoint gets a named event endpoint and unknown transports are refused", "[ipc]") {
    CHECK(pair_for("inproc://engine") == ipc::EndpointPair{"inproc://engine", "inproc://engine.events"});
    check_refused("inproc://");
    for (const char* endpoint : {"udp://127.0.0.1:5555", "pgm://eth0;239.192.1.1:5555", "ws://127.0.0.1:5555",
                                 "/run/user/1000/lightbox/engine.cmd", "", "IPC:///tmp/x", "tcp:/127.0.0.1:5555"}) {
        check_refused(endpoint);
        CHECK_THAT(ipc::endpoints_for(endpoint).error().message, Catch::Contains("unknown transport"));
    }
}

TEST_CASE("the endpoints file round-trips and is private", "[ipc]") {
    test::TempDir tmp;
    const fs::path file = ipc::endpoints_file(tmp.path());
    CHECK(file == tmp / "endpoints");
    const ipc::EndpointPair pair{"ipc:///run/user/1000/lightbox/engine.cmd", "ipc:///run/user/1000/lightbox/engine.events"};

    const mode_t old_umask = ::umask(0);  // the most permissive umask: the file is 0600 all the same
    auto written = ipc::write_endpoints_file(file, pair);
    ::umask(old_umask);
    REQUIRE(written);
    CHECK(lbx::test::file_mode(file) == 0600);
    CHECK(text_of(file) == "command " + pair.commands + "\nevents " + pair.events + "\n");
    CHECK_FALSE(fs::exists(file.string() + ".tmp"));

    auto read = ipc::read_endpoints_file(file);
    REQUIRE(read);
    CHECK(*read == pair);

    // Written again (an engine restarted on tcp): replaced whole.
    const ipc::EndpointPair tcp{"tcp://127.0.0.1:5555", "tcp://127.0.0.1:5556"};
    REQUIRE(ipc::write_endpoints_file(file, tcp));
    auto again = ipc::read_endpoints_file(file);
    REQUIRE(again);
    CHECK(*again == tcp);
    CHECK(lbx::test::file_mode(file) == 0600);

    SECTION("endpoints with spaces in their paths") {
        // A runtime directory or an --endpoint may contain spaces; ZeroMQ's ipc:// takes any path.
        const ipc::EndpointPair spaced{"ipc:///tmp/my photos/engine.cmd", "ipc:///tmp/my photos/engine.events"};
        REQUIRE(ipc::write_endpoints_file(file, spaced));
        auto read_spaced = ipc::read_endpoints_file(file);
        REQUIRE(read_spaced);
        CHECK(*read_spaced == spaced);
    }
    SECTION("a missing file") {
        auto missing = ipc::read_endpoints_file(tmp / "nothing");
        REQUIRE_FALSE(missing);
        CHECK(missing.error().status == ipc::Status::not_found);
    }
    SECTION("an incomplete file") {
        std::ofstream(tmp / "half") << "command ipc:///x/engine.cmd\n";
        auto half = ipc::read_endpoints_file(tmp / "half");
        REQUIRE_FALSE(half);
        CHECK(half.error().code == "malformed");
    }
    SECTION("a directory that does not exist") {
        auto failed = ipc::write_endpoints_file(tmp / "no" / "endpoints", pair);
        REQUIRE_FALSE(failed);
        CHECK(failed.error().code == "write_failed");
    }
}

TEST_CASE("generated tokens are 64 hex digits and differ", "[ipc]") {
    auto a = ipc::generate_token();
    auto b = ipc::generate_token();
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->size() == 64);
    CHECK(b->size() == 64);
    const auto is_hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
    CHECK(std::all_of(a->begin(), a->end(), is_hex));
    CHECK(std::all_of(b->begin(), b->end(), is_hex));
    CHECK(*a != *b);
}

TEST_CASE("the token file is 0600 and replaces what was there without following it", "[ipc]") {
    test::TempDir tmp;
    const fs::path file = ipc::token_file(tmp.path());
    CHECK(file == tmp / "token");
    auto token = ipc::generate_token();
    REQUIRE(token);

    SECTION("a new file, whatever the umask") {
        const mode_t old_umask = ::umask(0);
        auto written = ipc::write_token_file(file, *token);
        ::umask(old_umask);
        REQUIRE(written);
        CHECK(lbx::test::file_mode(file) == 0600);
        CHECK(text_of(file) == *token);
    }
    SECTION("an existing file with other modes") {
        std::ofstream(file) << "old token from an earlier engine\n";
        ::chmod(file.c_str(), 0644);
        REQUIRE(ipc::write_token_file(file, *token));
        CHECK(lbx::test::file_mode(file) == 0600);
        CHECK(text_of(file) == *token);
    }
    SECTION("a symlink planted in its place") {
        const fs::path victim = tmp / "victim";
        std::ofstream(victim) << "do not touch";
        ::chmod(victim.c_str(), 0644);
        fs::create_symlink(victim, file);
        REQUIRE(ipc::write_token_file(file, *token));
        CHECK_FALSE(fs::is_symlink(fs::symlink_status(file)));
        CHECK(fs::is_regular_file(fs::symlink_status(file)));
        CHECK(lbx::test::file_mode(file) == 0600);
        CHECK(text_of(file) == *token);
        CHECK(text_of(victim) == "do not touch");  // the link's target is untouched
        CHECK(lbx::test::file_mode(victim) == 0644);
    }
    SECTION("a dangling symlink planted in its place") {
        const fs::path target = tmp / "would-be-created";
        fs::create_symlink(target, file);
        REQUIRE(ipc::write_token_file(file, *token));
        CHECK_FALSE(fs::exists(target));
        CHECK(fs::is_regular_file(fs::symlink_status(file)));
        CHECK(text_of(file) == *token);
    }

    auto read = ipc::read_token_file(file);
    REQUIRE(read);
    CHECK(*read == *token);
}

TEST_CASE("reading a token file", "[ipc]") {
    test::TempDir tmp;
    SECTION("surrounding whitespace is not part of the token") {
        std::ofstream(tmp / "token") << "  abc123\n";
        auto read = ipc::read_token_file(tmp / "token");
        REQUIRE(read);
        CHECK(*read == "abc123");
    }
    SECTION("a missing file") {
        auto read = ipc::read_token_file(tmp / "none");
        REQUIRE_FALSE(read);
        CHECK(read.error().status == ipc::Status::unauthorized);
        CHECK(read.error().code == "no_token");
    }
    SECTION("an empty file") {
        std::ofstream(tmp / "token").flush();
        auto read = ipc::read_token_file(tmp / "token");
        REQUIRE_FALSE(read);
        CHECK(read.error().code == "no_token");
    }
    SECTION("writing into a missing directory fails") {
        auto written = ipc::write_token_file(tmp / "no" / "token", "abc");
        REQUIRE_FALSE(written);
        CHECK(written.error().code == "write_failed");
    }
}

TEST_CASE("tokens compare equal only when they are the same", "[ipc]") {
    const std::string token(64, 'f');
    CHECK(ipc::tokens_equal(token, token));
    CHECK(ipc::tokens_equal("", ""));
    std::string first = token;
    first.front() = 'e';
    std::string last = token;
    last.back() = 'e';
    CHECK_FALSE(ipc::tokens_equal(token, first));
    CHECK_FALSE(ipc::tokens_equal(token, last));
    CHECK_FALSE(ipc::tokens_equal(token, token.substr(0, 63)));
    CHECK_FALSE(ipc::tokens_equal(token, token + "f"));
    CHECK_FALSE(ipc::tokens_equal(token, ""));
    CHECK_FALSE(ipc::tokens_equal("", token));
    // Bytes beyond ASCII and embedded NULs count like any other.
    CHECK_FALSE(ipc::tokens_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
    CHECK(ipc::tokens_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
    CHECK_FALSE(ipc::tokens_equal("\xff", "\x7f"));
}
