// `lightbox-engine run --catalog`: the real binary on a real SQLite file. A rescan reads nothing, and
// killing the engine with SIGKILL in the middle of a scan, again and again, leaves a sound catalog that
// the next scan completes without duplicates.
#include "catalog/catalog.hpp"
#include "support/child_process.hpp"
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <sstream>

using namespace lbx;
using namespace std::chrono_literals;

namespace {

std::vector<nlohmann::json> json_lines(const std::string& out) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
}

}  // namespace

TEST_CASE("run --catalog stores a scan and the rescan reads no file", "[integration][catalog]") {
    test::TempDir dir;
    test::write_photo_set(dir / "photos", 20, 320, 240);
    const std::string catalog = (dir / "library.lbx").string();
    const std::vector<std::string> args{"run", "--json", "--catalog", catalog, "--thumbs", (dir / "thumbs").string(),
                                        (dir / "photos").string()};
    auto first = test::run_engine(args);
    REQUIRE(first.exit_code == 0);
    auto first_lines = json_lines(first.out);
    REQUIRE(first_lines.size() == 20);
    for (const auto& line : first_lines) CHECK(line["status"] == "ok");

    auto second = test::run_engine(args);
    REQUIRE(second.exit_code == 0);
    auto second_lines = json_lines(second.out);
    REQUIRE(second_lines.size() == 20);
    for (const auto& line : second_lines) CHECK(line["status"] == "unchanged");
    CHECK(second.err.find("20 unchanged (not read)") != std::string::npos);

    std::filesystem::remove(dir / "photos" / "photo-0003.jpg");
    auto third = test::run_engine(args);
    CHECK(third.exit_code == 0);
    CHECK(third.err.find("1 files no longer found") != std::string::npos);

    auto bad = test::run_engine({"run", "--catalog", (dir / "photos" / "photo-0000.jpg").string(), (dir / "photos").string()});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("photo-0000.jpg") != std::string::npos);
}

TEST_CASE("SIGKILL during a catalog scan loses at most the batch in flight", "[integration][catalog][slow]") {
    test::TempDir dir;
    const int count = 150;
    test::write_photo_set(dir / "photos", count, 640, 480);
    const std::string catalog = (dir / "library.lbx").string();
    const std::vector<std::string> argv{LIGHTBOX_TEST_ENGINE_EXE, "run", "--json", "--jobs", "2", "--catalog", catalog,
                                        "--thumbs", (dir / "thumbs").string(), (dir / "photos").string()};
    for (std::size_t kill_after : {5u, 30u, 60u}) {
        INFO("killed after " << kill_after << " lines");
        test::ChildProcess engine(argv);
        engine.wait_for_stdout_lines(kill_after, 60s);
        engine.send_signal(SIGKILL);
        engine.wait();
        auto opened = engine::catalog::Catalog::open(catalog);
        REQUIRE(opened);
        CHECK((*opened)->integrity_check().value() == "ok");
    }
    auto last = test::run_process(argv);
    REQUIRE(last.exit_code == 0);
    auto opened = engine::catalog::Catalog::open(catalog);
    REQUIRE(opened);
    auto stats = (*opened)->stats();
    REQUIRE(stats);
    CHECK(stats->files_ok == count);  // every file once: paths are the key
    CHECK(stats->files_missing == 0);
    CHECK(stats->photos == 4);        // four distinct pictures, copied
    CHECK((*opened)->integrity_check().value() == "ok");
}
