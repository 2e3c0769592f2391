// The pipeline's small parts: content hash, file walking, the bounded queue.
#include "pipeline/batch_runner.hpp"
#include "pipeline/bounded_queue.hpp"
#include "pipeline/content_hash.hpp"
#include "pipeline/file_walker.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>
#include <cstring>
#include <map>
#include <sstream>
#include <thread>

using namespace lbx::engine;

TEST_CASE("the content hash is XXH3-128 as 32 hex digits", "[pipeline]") {
    std::vector<uint8_t> empty;
    CHECK(content_hash(empty) == "99aa06d3014798d86001c324468d497f");  // XXH3_128bits of nothing
    std::vector<uint8_t> a{1, 2, 3}, b{1, 2, 4};
    CHECK(content_hash(a).size() == 32);
    CHECK(content_hash(a) != content_hash(b));
    CHECK(content_hash(a) == content_hash(std::vector<uint8_t>{1, 2, 3}));
}

TEST_CASE("folders are walked recursively in name order, hidden entries skipped", "[pipeline]") {
    lbx::test::TempDir dir;
    for (const char* f : {"b.jpg", "a.jpg", "sub/c.jpg", "sub/deeper/d.png", ".hidden/e.jpg", "sub/.f.jpg"})
        lbx::test::write_file(dir / f, {1});
    std::vector<std::string> seen;
    std::istringstream none;
    walk_inputs({dir.path().string()}, none, [&](InputFile f) {
        seen.push_back(std::filesystem::relative(f.path, dir.path()).string());
        CHECK_FALSE(f.named_explicitly);
        return true;
    });
    CHECK(seen == std::vector<std::string>{"a.jpg", "b.jpg", "sub/c.jpg", "sub/deeper/d.png"});
}

TEST_CASE("special files, broken and looping symlinks in a folder are reported, never dropped", "[pipeline]") {
    lbx::test::TempDir dir;
    lbx::test::write_file(dir / "a.jpg", {1});
    REQUIRE(::mkfifo((dir / "fifo.jpg").c_str(), 0600) == 0);
    const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(sock >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", (dir / "sock").c_str());
    REQUIRE(::bind(sock, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    ::close(sock);
    std::filesystem::create_symlink(dir / "gone.jpg", dir / "dangling.jpg");
    std::filesystem::create_symlink(dir / "loop2.jpg", dir / "loop1.jpg");
    std::filesystem::create_symlink(dir / "loop1.jpg", dir / "loop2.jpg");
    std::filesystem::create_symlink(dir / "fifo.jpg", dir / "to-fifo.jpg");
    std::filesystem::create_symlink(dir / "a.jpg", dir / "to-a.jpg");
    const bool device = ::mknod((dir / "null").c_str(), S_IFCHR | 0600, makedev(1, 3)) == 0;
    if (!device) WARN("no device node tested: mknod is not allowed here (" << std::strerror(errno) << ")");

    std::map<std::string, InputFile> seen;
    std::istringstream none;
    walk_inputs({dir.path().string()}, none, [&](InputFile f) {
        seen[f.path.filename().string()] = f;
        return true;
    });
    CHECK(seen.at("a.jpg").problem == WalkProblem::none);
    CHECK(seen.at("to-a.jpg").problem == WalkProblem::none);
    CHECK(seen.at("fifo.jpg").problem == WalkProblem::special_file);
    CHECK(seen.at("fifo.jpg").walk_error == "a FIFO (named pipe)");
    CHECK(seen.at("sock").problem == WalkProblem::special_file);
    CHECK(seen.at("sock").walk_error == "a socket");
    CHECK(seen.at("to-fifo.jpg").walk_error == "symlink to a FIFO (named pipe)");
    CHECK(seen.at("dangling.jpg").problem == WalkProblem::broken_link);
    CHECK(seen.at("dangling.jpg").walk_error ==
          "dangling symlink to '" + (dir / "gone.jpg").string() + "' (no such file)");
    CHECK(seen.at("loop1.jpg").problem == WalkProblem::broken_link);
    CHECK(seen.at("loop1.jpg").walk_error.starts_with("symlink loop"));
    if (device) CHECK(seen.at("null").walk_error == "a character device");
    for (const auto& [name, f] : seen) CHECK_FALSE(f.named_explicitly);
    CHECK(seen.size() == (device ? 9u : 8u));
}

TEST_CASE("'-' reads paths from a stream, explicit files are marked, stopping early works", "[pipeline]") {
    std::istringstream list("/x/one.jpg\n\n/x/two.jpg\r\n/x/three.jpg\n");
    std::vector<InputFile> seen;
    bool finished = walk_inputs({"/y/first.jpg", "-"}, list, [&](InputFile f) {
        seen.push_back(f);
        return seen.size() < 3;
    });
    CHECK_FALSE(finished);
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].path == "/y/first.jpg");
    CHECK(seen[0].named_explicitly);
    CHECK(seen[2].path == "/x/two.jpg");
}

TEST_CASE("'-' reads NUL-terminated paths with -0, and a NUL in a list of lines stops the walk with an error", "[pipeline]") {
    std::istringstream nul_list(std::string("/x/two\nlines.jpg\0/x/b.jpg\r\0\0", 28));
    PathList nul(nul_list, true);
    std::vector<std::string> seen;
    CHECK(walk_inputs({"-"}, nul, [&](InputFile f) {
        seen.push_back(f.path.string());
        return true;
    }));
    CHECK(seen == std::vector<std::string>{"/x/two\nlines.jpg", "/x/b.jpg\r"});  // every byte but NUL is the path's
    CHECK(nul.error.empty());

    std::istringstream line_list(std::string("/x/a.jpg\n/x/b.jpg\0/x/c.jpg\0", 27));
    PathList lines(line_list);
    seen.clear();
    CHECK_FALSE(walk_inputs({"-"}, lines, [&](InputFile f) {
        seen.push_back(f.path.string());
        return true;
    }));
    CHECK(seen == std::vector<std::string>{"/x/a.jpg"});  // line 2 is neither cut at the NUL nor passed on
    CHECK(lines.error == "stdin line 2 holds a NUL byte: paths that end with NUL (find -print0) need -0");
}

TEST_CASE("the bounded queue blocks producers at capacity and drains after close", "[pipeline]") {
    BoundedQueue<int> q(2);
    std::atomic<int> pushed{0};
    std::thread producer([&] {
        for (int i = 0; i < 5; ++i) {
            q.push(i);
            pushed.fetch_add(1);
        }
        q.close();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(pushed.load() <= 2);  // held back by the capacity
    std::vector<int> got;
    while (auto v = q.pop()) got.push_back(*v);
    producer.join();
    CHECK(got == std::vector<int>{0, 1, 2, 3, 4});
    CHECK_FALSE(q.push(9));  // closed
}

TEST_CASE("a stop request never leaves the walker blocked on a full queue", "[pipeline]") {
    // Regression: the workers saw the stop and closed the results before the consumer looked at the
    // flag, so nobody closed the input queue and joining the walker hung. Many files, one worker, a
    // stop from another thread at varying moments: run_batch must always return.
    lbx::test::TempDir dir;
    for (int i = 0; i < 200; ++i) lbx::test::write_file(dir / ("f" + std::to_string(i) + ".txt"), {'x'});
    lbx::engine::PluginRegistry registry;
    auto config = parse_pipeline_config("[[stage]]\nkind = \"metadata\"\n", "/cfg/x.toml");
    REQUIRE(config);
    auto pipeline = Pipeline::build(registry, *config, dir / "thumbs");
    REQUIRE(pipeline);
    for (int round = 0; round < 50; ++round) {
        std::atomic<bool> stop{false};
        BatchCounts counts;
        std::istringstream none;
        BatchCallbacks callbacks;
        callbacks.on_result = [&](const PhotoResult&) {};
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::microseconds(round * 20));
            stop.store(true);
        });
        BatchSummary s = run_batch(**pipeline, {dir.path().string()}, none, 1, stop, counts, callbacks);
        stopper.join();
        CHECK(s.ok + s.failed + s.skipped <= 200);
    }
}
