// File > Open Library's model: which texts name a library (a file made absolute, a postgresql:// URI),
// which are refused and why (a password kept in the settings file, another scheme, nothing), what the
// window title calls a library, and the OpenLibrary the reducer sends, now or to the next engine.
#include "model/library_location.hpp"
#include "model/reducer.hpp"
#include "reducer_fixtures.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace lbx;
using namespace lbx::shell;
using namespace lbx::shell::test_fixtures;

TEST_CASE("a library is a file, made absolute, or a postgresql:// URI without a password", "[shell]") {
    std::string problem;
    CHECK(library_location("  /p/photos.lbx \n", &problem) == std::optional<std::string>("/p/photos.lbx"));
    CHECK(library_location("photos.lbx", &problem) == (std::filesystem::current_path() / "photos.lbx").string());
    CHECK(library_location("postgresql://nas.local/photos?sslmode=require", &problem) ==
          std::optional<std::string>("postgresql://nas.local/photos?sslmode=require"));
    CHECK(library_location("postgres://anna@nas.local/photos", &problem));
    CHECK(library_location("postgresql:///photos?host=/run/postgresql&user=anna", &problem));

    for (const char* with_password : {"postgresql://anna:secret@nas.local/photos", "postgresql://nas.local/photos?password=secret",
                                      "postgresql://nas.local/photos?sslmode=require&password=secret"}) {
        INFO(with_password);
        problem.clear();
        CHECK_FALSE(library_location(with_password, &problem));
        CHECK(problem.find("~/.pgpass") != std::string::npos);
        CHECK(problem.find("secret") == std::string::npos);
    }
    CHECK_FALSE(library_location("mysql://nas.local/photos", &problem));
    CHECK(problem.find("neither a library file nor a postgresql:// URI") != std::string::npos);
    CHECK_FALSE(library_location("   ", &problem));
    CHECK(problem.find("Type the path") != std::string::npos);
}

TEST_CASE("the window title names a file library by its file, a PostgreSQL one by its database", "[shell]") {
    CHECK(library_name("/home/anna/Pictures/library.lbx") == "library");
    CHECK(library_name("postgresql://nas.local/family?sslmode=require") == "family");
    CHECK(library_name("postgresql:///bench?host=/tmp/pg") == "bench");
    CHECK(library_name("postgresql://nas.local") == "PostgreSQL library");
}

TEST_CASE("Open Library sends OpenLibrary now, or to the next engine, and refuses a password with a message", "[shell]") {
    State s = connected_state();
    s = reduce(std::move(s), OpenLibraryRequested{"postgresql://nas.local/family"});
    auto sent = commands_of<ipc::OpenLibrary>(s);
    REQUIRE(sent.size() == 1);
    CHECK(std::get<ipc::OpenLibrary>(sent[0].request).catalog == "postgresql://nas.local/family");
    CHECK(s.wanted_catalog == "postgresql://nas.local/family");

    // Refused: nothing sent, the library wanted stays, the status bar says why.
    s.outbox.clear();
    const uint64_t errors = s.last_error_serial;
    s = reduce(std::move(s), OpenLibraryRequested{"postgresql://anna:secret@nas.local/family"});
    CHECK(commands_of<ipc::OpenLibrary>(s).empty());
    CHECK(s.wanted_catalog == "postgresql://nas.local/family");
    CHECK(s.last_error_serial == errors + 1);

    // No engine yet: the next one is switched when it says which library it serves.
    State offline;
    offline = reduce(std::move(offline), OpenLibraryRequested{"/p/other.lbx"});
    CHECK(offline.outbox.empty());
    offline = reduce(std::move(offline), EngineConnected{"0.1.0", 7});
    ipc::LibraryInfoReply info;
    info.catalog = "/p/library.lbx";
    offline = reduce(std::move(offline), ReplyArrived{ipc::LibraryInfo{}, 0, ipc::Reply{info}});
    sent = commands_of<ipc::OpenLibrary>(offline);
    REQUIRE(sent.size() == 1);
    CHECK(std::get<ipc::OpenLibrary>(sent[0].request).catalog == "/p/other.lbx");

    // The engine's answer: the new library, said in the status bar in place of an older error.
    offline.last_error = "an older error";
    ipc::LibraryInfoReply other;
    other.catalog = "/p/other.lbx";
    offline = reduce(std::move(offline), ReplyArrived{sent[0].request, sent[0].tag, ipc::Reply{other}});
    CHECK(offline.library->catalog == "/p/other.lbx");
    CHECK(status_message(offline) == "Library other opened");
}
