// Several engines, one PostgreSQL library (a real PostgreSQL 15, support/postgres_server.hpp): four
// `lightbox-engine run --catalog postgresql://...` processes scanning overlapping shards and folders at
// once, into one shared thumbnail folder, while a client tags the photos as they appear, make the library
// one run makes (the same photos, files and hashes, no duplicate), and every tag the client gave is kept;
// an engine killed with SIGKILL mid-scan and run again completes the set.
#include "catalog/catalog.hpp"
#include "support/child_process.hpp"
#include "support/postgres_server.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <set>
#include <thread>

using lbx::test::ChildProcess;
using lbx::test::PostgresServer;
using lbx::test::run_engine;
namespace catalog = lbx::engine::catalog;

namespace {

// The full pipeline but the slow analysis, into one thumbnail folder that all engines share.
std::vector<std::string> run_argv(const lbx::test::TempDir& dir, const std::string& library, std::vector<std::string> more) {
    std::vector<std::string> argv{LIGHTBOX_TEST_ENGINE_EXE, "run", "--no-progress", "--analysis", "off",
                                  "--thumbs", (dir / "thumbs").string(), "--catalog", library};
    argv.insert(argv.end(), more.begin(), more.end());
    return argv;
}

// What the library holds, as `query` lists it: every live file's path, photo hash, format and size.
std::string listing(const std::string& library) {
    auto q = run_engine({"query", "--catalog", library, "--sort", "path", "--format", "jsonl", "--fields", "path,hash,format,size"});
    INFO(q.err);
    REQUIRE(q.exit_code == 0);
    return q.out;
}

int64_t count(catalog::Catalog& library, const std::string& sql) { return library.database().query_int(sql).value(); }

}  // namespace

TEST_CASE("four engines scanning overlapping shards and folders into one PostgreSQL library make what one run makes, "
          "and keep every tag a client gave meanwhile",
          "[postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    const std::string uri = server->create_database();
    lbx::test::TempDir dir;
    const std::string photos = (dir / "photos").string(), more = photos + "/more", other = (dir / "other").string();
    // The same sample three times: photos/more and other hold the very photos of photos/ at other paths,
    // so engines meet on the same hashes as well as on the same paths.
    for (const std::string& folder : {photos, more, other}) REQUIRE(run_engine({"sample", folder}).exit_code == 0);
    const std::string reference = (dir / "single.lbx").string();
    auto single = ChildProcess(run_argv(dir, reference, {photos, other})).wait();
    INFO(single.err);
    REQUIRE(single.exit_code <= 1);

    // Shards of photos/, all of photos/ again, and other/ with photos/more: every file is scanned by two
    // engines at least, at the same time.
    std::vector<std::unique_ptr<ChildProcess>> engines;
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--shard", "0/2", photos}, {"--shard", "1/2", photos}, {photos}, {other, more}})
        engines.push_back(std::make_unique<ChildProcess>(run_argv(dir, uri, args)));

    // The client: tags each photo it finds while the engines run, on a connection of its own.
    std::atomic<bool> engines_done{false};
    std::set<std::string> tagged;
    std::string client_error;
    std::thread client([&] {
        auto opened = catalog::Catalog::open_location(uri);
        if (!opened) {
            client_error = opened.error().message;
            return;
        }
        for (bool last = false; !last;) {
            last = engines_done.load();  // one more pass after the engines ended: the photos they stored last
            auto stmt = (*opened)->database().prepare("SELECT hash FROM photos ORDER BY hash");
            if (!stmt) {
                client_error = stmt.error().message;
                return;
            }
            std::vector<std::string> hashes;
            for (auto row = stmt->step(); row && *row; row = stmt->step()) hashes.push_back(stmt->column_text(0));
            for (const std::string& hash : hashes) {
                if (tagged.count(hash)) continue;
                if (auto ok = (*opened)->add_user_tag(hash, "kept by the client"); !ok) {
                    client_error = ok.error().message;
                    return;
                }
                tagged.insert(hash);
            }
        }
    });
    for (auto& engine : engines) {
        auto ended = engine->wait(std::chrono::seconds(240));
        INFO(ended.err);
        CHECK_FALSE(ended.timed_out);
        CHECK(ended.exit_code <= 1);
        CHECK(ended.err.find("catalog") == std::string::npos);  // no write refused, no conflict reported
    }
    engines_done = true;
    client.join();
    REQUIRE(client_error.empty());

    CHECK(listing(uri) == listing(reference));
    auto shared = catalog::Catalog::open_location(uri);
    REQUIRE(shared);
    auto alone = catalog::Catalog::open(reference);
    REQUIRE(alone);
    for (const char* sql : {"SELECT count(*) FROM photos", "SELECT count(*) FROM files", "SELECT count(*) FROM auto_tags",
                            "SELECT count(*) FROM thumbnails", "SELECT count(*) FROM metadata"}) {
        INFO(sql);
        CHECK(count(**shared, sql) == count(**alone, sql));
    }
    CHECK(count(**shared, "SELECT count(*) FROM photos") == static_cast<int64_t>(tagged.size()));
    CHECK(count(**shared, "SELECT count(*) FROM user_tags WHERE name = 'kept by the client'") ==
          static_cast<int64_t>(tagged.size()));
    // Every thumbnail the library names is a whole file in the shared folder.
    auto thumbs = (*shared)->database().prepare("SELECT path, bytes FROM thumbnails");
    REQUIRE(thumbs);
    for (auto row = thumbs->step(); row && *row; row = thumbs->step()) {
        INFO(thumbs->column_text(0));
        std::error_code ec;
        CHECK(std::filesystem::file_size(thumbs->column_text(0), ec) == static_cast<uintmax_t>(thumbs->column_int(1)));
    }
}

TEST_CASE("an engine killed with SIGKILL mid-scan into PostgreSQL, run again, completes the set", "[postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    const std::string uri = server->create_database();
    lbx::test::TempDir dir;
    const std::string photos = (dir / "photos").string();
    REQUIRE(run_engine({"sample", photos}).exit_code == 0);
    REQUIRE(run_engine({"sample", photos + "/more"}).exit_code == 0);
    const std::string reference = (dir / "single.lbx").string();
    REQUIRE(ChildProcess(run_argv(dir, reference, {photos})).wait().exit_code <= 1);

    {
        // One result line out: the engine is mid-scan. Killed there, with results maybe unstored.
        ChildProcess killed(run_argv(dir, uri, {"--jobs", "1", "--shard", "0/2", photos}));
        REQUIRE(killed.wait_for_stdout_lines(1, std::chrono::seconds(120)));
        killed.send_signal(SIGKILL);
        // Killed mid-scan as a rule; a machine slow enough to let it finish first changes nothing below.
        const auto ended = killed.wait();
        CHECK((ended.exit_code == 128 + SIGKILL || ended.exit_code <= 1));
    }
    auto other = ChildProcess(run_argv(dir, uri, {"--shard", "1/2", photos})).wait();
    INFO(other.err);
    REQUIRE(other.exit_code <= 1);
    auto again = ChildProcess(run_argv(dir, uri, {"--shard", "0/2", photos})).wait();
    INFO(again.err);
    REQUIRE(again.exit_code <= 1);
    CHECK(listing(uri) == listing(reference));
}

TEST_CASE("a PostgreSQL library that cannot be reached is a clear error that never shows the password", "[postgres]") {
    lbx::test::TempDir dir;
    const std::string photos = (dir / "photos").string();
    REQUIRE(run_engine({"sample", photos}).exit_code == 0);
    // No server on that socket folder; a password written into the URI anyway.
    const std::string uri = "postgresql://ann:s3cret-pw@/photos?host=" + (dir / "no-server").string() + "&connect_timeout=2";
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"run", "--no-progress", "--catalog", uri, photos},
          std::vector<std::string>{"query", "--catalog", uri, "tag:dog"},
          std::vector<std::string>{"catalog", "import", "--catalog", uri, "-"},
          std::vector<std::string>{"catalog", "migrate", "--catalog", (dir / "none.lbx").string(), "--to", uri}}) {
        auto r = run_engine(args);
        INFO(args[0] << ": " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("s3cret-pw") == std::string::npos);
        if (args[0] != "catalog" || args[1] != "migrate") CHECK(r.err.find("cannot connect") != std::string::npos);
    }
}
