// Stage work in supervised worker processes: a plugin that crashes, aborts, exits, hangs, allocates 20 GB,
// leaks or writes to stdout costs the one file it misbehaves on. The misbehaving fixture plugin
// (tests/fixture_plugins/misbehaving_stage.cpp) does so on files whose path holds its trigger; the real
// lightbox-engine runs it in `run` (with and without a catalog) and in `serve` driven by lightbox-ctl.
#include "catalog/sqlite_db.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/child_process.hpp"
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::filesystem::path kFixture = std::filesystem::path(LIGHTBOX_TEST_FIXTURE_PLUGIN_DIR) / "misbehaving";

// A folder of distinct JPEGs (good-NN.jpg) and trigger files (bad-NN.jpg), a private plugin folder with a
// copy of the misbehaving plugin, a quarantine record and a pipeline config that runs it.
struct Setup {
    lbx::test::TempDir dir;
    std::filesystem::path photos = dir / "photos";
    std::filesystem::path plugins = dir / "plugins";
    std::filesystem::path config = dir / "misbehave.toml";

    Setup(const std::string& action, int good, int bad) {
        std::filesystem::create_directories(photos);
        std::filesystem::create_directories(plugins);
        std::filesystem::copy_file(kFixture / "libfixture_misbehaving.so", plugins / "libfixture_misbehaving.so");
        for (int i = 0; i < good + bad; ++i) {
            const bool trigger = i >= good;
            char name[32];
            std::snprintf(name, sizeof name, "%s-%02d.jpg", trigger ? "zbad" : "good", i);
            lbx::test::write_file(photos / name, lbx::sample::encode_jpeg(lbx::sample::make_scene(320, 240, 100 + i)));
        }
        std::ofstream(config) << "[[stage]]\nkind = \"metadata\"\n[[stage]]\nkind = \"decode\"\n"
                                 "[[stage]]\nkind = \"tag\"\nuse = \"misbehave\"\n[stage.params]\naction = \""
                              << action << "\"\ntrigger = \"bad-\"\n[[stage]]\nkind = \"thumbnail\"\nuse = \"thumbnail\"\n";
    }
    std::vector<std::string> env() const {
        return {"LIGHTBOX_PLUGIN_PATH=" + plugins.string(), "LIGHTBOX_QUARANTINE_FILE=" + (dir / "quarantine.json").string(),
                "XDG_DATA_HOME=" + (dir / "data").string(), "XDG_CACHE_HOME=" + (dir / "cache").string()};
    }
    std::vector<std::string> run_args(std::vector<std::string> extra) const {
        std::vector<std::string> args{"run", "--json", "--no-progress", "--config", config.string(), "--thumbs", (dir / "thumbs").string()};
        args.insert(args.end(), extra.begin(), extra.end());
        args.push_back(photos.string());
        return args;
    }
};

std::map<std::string, json> by_name(const std::string& out) {
    std::map<std::string, json> lines;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        json j = json::parse(line);  // a plugin's stdout junk would fail the test here
        lines[std::filesystem::path(j.at("path").get<std::string>()).filename().string()] = j;
    }
    return lines;
}

void check_good_files(const std::map<std::string, json>& lines, int good) {
    for (int i = 0; i < good; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "good-%02d.jpg", i);
        INFO(name);
        REQUIRE(lines.count(name) == 1);
        CHECK(lines.at(name).at("status") == "ok");
    }
}

const json& failure_of(const std::map<std::string, json>& lines, const std::string& name) {
    INFO(name);
    REQUIRE(lines.count(name) == 1);
    REQUIRE(lines.at(name).at("status") == "failed");
    return lines.at(name).at("error");
}

}  // namespace

TEST_CASE("a stage that crashes, aborts or exits costs one file, named with its plugin and stage", "[isolation]") {
    struct Case {
        std::string action, code, words;
    };
    for (const Case& c : {Case{"segv", "crashed", "SIGSEGV"}, Case{"abort", "crashed", "SIGABRT"},
                          Case{"exit", "crashed", "exited with status 0"}}) {
        DYNAMIC_SECTION(c.action) {
            Setup s(c.action, 6, 1);
            const auto r = lbx::test::run_engine(s.run_args({"--jobs", "2"}), s.env());
            INFO(r.err);
            CHECK(r.exit_code == 1);  // some files failed
            const auto lines = by_name(r.out);
            CHECK(lines.size() == 7);
            check_good_files(lines, 6);
            const json& e = failure_of(lines, "zbad-06.jpg");
            CHECK(e.at("code") == c.code);
            CHECK(e.at("stage") == "tag");
            CHECK(e.at("stage_id") == "misbehave");
            CHECK(e.at("plugin") == "org.lightbox.test.misbehaving");
            CHECK(e.at("plugin_version") == "0.1.0");
            CHECK(e.at("message").get<std::string>().find(c.words) != std::string::npos);
        }
    }
}

TEST_CASE("a plugin writing to stdout does not corrupt run --json", "[isolation]") {
    Setup s("stdout", 3, 1);
    const auto r = lbx::test::run_engine(s.run_args({"--jobs", "2"}), s.env());
    INFO(r.err);
    CHECK(r.exit_code == 0);
    const auto lines = by_name(r.out);  // every line parses as JSON
    CHECK(lines.size() == 4);
    CHECK(r.out.find("must never reach") == std::string::npos);
}

TEST_CASE("a hang fails with timeout, an allocation bomb with no_memory, a leak with out_of_memory", "[isolation]") {
    SECTION("hang") {
        Setup s("hang", 4, 1);
        const auto start = std::chrono::steady_clock::now();
        const auto r = lbx::test::run_engine(s.run_args({"--jobs", "2", "--file-timeout", "2"}), s.env());
        INFO(r.err);
        CHECK(r.exit_code == 1);
        CHECK(std::chrono::steady_clock::now() - start < 30s);
        const auto lines = by_name(r.out);
        check_good_files(lines, 4);
        CHECK(failure_of(lines, "zbad-04.jpg").at("code") == "timeout");
        CHECK(failure_of(lines, "zbad-04.jpg").at("stage_id") == "misbehave");
    }
    SECTION("alloc") {
        Setup s("alloc", 4, 1);
        const auto r = lbx::test::run_engine(s.run_args({"--jobs", "2", "--worker-memory-mb", "1024"}), s.env());
        INFO(r.err);
        const auto lines = by_name(r.out);
        check_good_files(lines, 4);
        const std::string code = failure_of(lines, "zbad-04.jpg").at("code");
        CHECK((code == "no_memory" || code == "out_of_memory"));
    }
    SECTION("leak") {
        Setup s("leak", 4, 1);
        const auto r = lbx::test::run_engine(s.run_args({"--jobs", "2", "--worker-memory-mb", "768"}), s.env());
        INFO(r.err);
        const auto lines = by_name(r.out);
        check_good_files(lines, 4);
        CHECK(failure_of(lines, "zbad-04.jpg").at("code") == "out_of_memory");
    }
}

TEST_CASE("with a catalog every other file is stored and the crash is in the failures ledger, not retried", "[isolation]") {
    Setup s("segv", 8, 1);
    const std::string catalog = (s.dir / "lib.lbx").string();
    const auto first = lbx::test::run_engine(s.run_args({"--jobs", "2", "--catalog", catalog}), s.env());
    INFO(first.err);
    CHECK(first.exit_code == 1);
    const auto query = lbx::test::run_engine({"query", "--catalog", catalog, "--json"}, s.env());
    CHECK(std::count(query.out.begin(), query.out.end(), '\n') == 8);
    // The rescan does not read the file that crashed again (it did not change).
    const auto again = lbx::test::run_engine(s.run_args({"--jobs", "2", "--catalog", catalog}), s.env());
    INFO(again.err);
    const auto again_lines = by_name(again.out);
    REQUIRE(again_lines.count("zbad-08.jpg") == 1);
    // Not read again: reported from the ledger as still failed.
    CHECK(again_lines.at("zbad-08.jpg").value("unchanged", false));
    CHECK(again_lines.at("zbad-08.jpg").at("error").at("code") == "crashed");
}

TEST_CASE("a plugin that crashes on 3 files is quarantined until its file changes or it is reset", "[isolation]") {
    Setup s("segv", 3, 4);
    const auto first = lbx::test::run_engine(s.run_args({"--jobs", "1"}), s.env());
    INFO(first.err);
    const auto lines = by_name(first.out);
    check_good_files(lines, 3);
    CHECK(failure_of(lines, "zbad-03.jpg").at("code") == "crashed");
    CHECK(failure_of(lines, "zbad-05.jpg").at("code") == "crashed");
    // The third crash quarantines it: the fourth trigger file is processed without the plugin.
    CHECK(lines.at("zbad-06.jpg").at("status") == "ok");
    CHECK(first.err.find("org.lightbox.test.misbehaving 0.1.0 is quarantined") != std::string::npos);

    const auto listed = lbx::test::run_engine({"plugins", "--json"}, s.env());
    const json plugins = json::parse(listed.out);
    REQUIRE(plugins.at("quarantined").size() == 1);
    CHECK(plugins.at("quarantined")[0].at("id") == "org.lightbox.test.misbehaving");
    CHECK(plugins.at("quarantined")[0].at("last_file").get<std::string>().find("zbad-05.jpg") != std::string::npos);

    // The next run skips the plugin with one clear line and crashes nowhere.
    const auto second = lbx::test::run_engine(s.run_args({"--jobs", "1"}), s.env());
    INFO(second.err);
    CHECK(second.exit_code == 0);
    CHECK(second.err.find("quarantined") != std::string::npos);

    SECTION("a changed plugin file lifts it") {
        const auto lib = s.plugins / "libfixture_misbehaving.so";
        std::filesystem::last_write_time(lib, std::filesystem::last_write_time(lib) + 10s);
        const auto third = lbx::test::run_engine(s.run_args({"--jobs", "1"}), s.env());
        CHECK(third.out.find("\"crashed\"") != std::string::npos);
    }
    SECTION("plugins reset lifts it") {
        CHECK(lbx::test::run_engine({"plugins", "reset", "org.lightbox.test.misbehaving"}, s.env()).exit_code == 0);
        const auto third = lbx::test::run_engine(s.run_args({"--jobs", "1"}), s.env());
        CHECK(third.out.find("\"crashed\"") != std::string::npos);
    }
}

TEST_CASE("a second Ctrl-C during a hang aborts at once", "[isolation]") {
    Setup s("hang", 2, 1);
    lbx::test::ChildProcess engine({LIGHTBOX_TEST_ENGINE_EXE, "run", "--json", "--no-progress", "--config", s.config.string(),
                                    "--thumbs", (s.dir / "thumbs").string(), "--jobs", "1", "--file-timeout", "600",
                                    "--stop-grace", "60", s.photos.string()},
                                   s.env());
    REQUIRE(engine.wait_for_stdout_lines(2, 60s));
    engine.send_signal(SIGINT);
    REQUIRE(engine.wait_for_stderr("stopping after the files in flight", 10s));
    const auto start = std::chrono::steady_clock::now();
    engine.send_signal(SIGINT);
    const auto r = engine.wait(30s);
    CHECK(r.exit_code == 130);
    CHECK(std::chrono::steady_clock::now() - start < 5s);  // not the 60 s grace
}

TEST_CASE("Ctrl-C or SIGTERM during a hang ends within the grace period, the finished files kept", "[isolation]") {
    for (const int sig : {SIGINT, SIGTERM}) {
        DYNAMIC_SECTION("signal " << sig) {
            Setup s("hang", 4, 1);
            const std::string catalog = (s.dir / "lib.lbx").string();
            lbx::test::ChildProcess engine({LIGHTBOX_TEST_ENGINE_EXE, "run", "--json", "--no-progress", "--config", s.config.string(),
                                            "--thumbs", (s.dir / "thumbs").string(), "--catalog", catalog, "--jobs", "1",
                                            "--file-timeout", "600", "--stop-grace", "1", s.photos.string()},
                                           s.env());
            REQUIRE(engine.wait_for_stdout_lines(4, 60s));  // the good files are done; the trigger hangs
            const auto start = std::chrono::steady_clock::now();
            engine.send_signal(sig);
            const auto r = engine.wait(30s);
            const auto took = std::chrono::steady_clock::now() - start;
            INFO(r.err);
            CHECK(r.exit_code == 130);
            CHECK(took < 1s + 2s);
            CHECK(by_name(r.out).size() == 4);
            const auto query = lbx::test::run_engine({"query", "--catalog", catalog, "--json"}, s.env());
            CHECK(std::count(query.out.begin(), query.out.end(), '\n') == 4);
        }
    }
}

namespace {

// lightbox-ctl against one served engine.
struct Ctl {
    const lbx::test::ServedEngine& engine;
    lbx::test::ProcessResult operator()(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--endpoint", engine.command_endpoint()});
        return lbx::test::run_ctl(args);
    }
    json status(uint64_t job) const { return json::parse((*this)({"--json", "status", std::to_string(job)}).out); }
    // Polls the job's snapshot (a request, not a sleep-and-hope) until `done` holds or the time is up.
    bool wait_until(uint64_t job, const std::function<bool(const json&)>& done, std::chrono::seconds limit) const {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            if (done(status(job))) return true;
            std::this_thread::sleep_for(50ms);
        }
        return false;
    }
    uint64_t start_scan(const Setup& s) const {
        const auto started = (*this)({"--json", "scan", s.photos.string(), "--pipeline", s.config.string()});
        REQUIRE(started.exit_code == 0);
        return json::parse(started.out).at("job_id").get<uint64_t>();
    }
};

std::vector<std::string> service_env(const Setup& s) {
    return {"LIGHTBOX_PLUGIN_PATH=" + s.plugins.string(), "LIGHTBOX_QUARANTINE_FILE=" + (s.dir / "quarantine.json").string()};
}

}  // namespace

TEST_CASE("under serve a crashing plugin costs one file: the service answers, the ledger has it, no crash loop", "[isolation][service]") {
    Setup s("segv", 5, 3);
    lbx::test::ServedEngine engine({"--catalog", (s.dir / "lib.lbx").string(), "--jobs", "2"}, service_env(s));
    const Ctl ctl{engine};
    const auto scanned = ctl({"scan", s.photos.string(), "--pipeline", s.config.string(), "--wait"});
    INFO(scanned.err);
    CHECK(scanned.exit_code == 1);  // three files failed
    CHECK(ctl({"hello"}).exit_code == 0);
    const auto failures = ctl({"failures"});
    for (const char* name : {"zbad-05.jpg", "zbad-06.jpg", "zbad-07.jpg"}) CHECK(failures.out.find(name) != std::string::npos);
    CHECK(failures.out.find("crashed") != std::string::npos);
    // The third crash quarantined the plugin: the plugins list (and so the desktop app's dialog) says why.
    const auto plugins = ctl({"plugins"});
    CHECK(plugins.out.find("org.lightbox.test.misbehaving 0.1.0 is quarantined") != std::string::npos);
    CHECK(plugins.out.find("last file") != std::string::npos);
    const json listed = json::parse(ctl({"query", "--format", "json", "--fields", "path"}).out);
    CHECK(listed.at("total") == 5);
    // The rescan reads nothing that crashed before: it completes and the engine is still there.
    const auto rescanned = ctl({"rescan", "--wait"});
    CHECK(rescanned.out.find("completed") != std::string::npos);
    CHECK(ctl({"hello"}).exit_code == 0);
}

TEST_CASE("under serve, cancel and Shutdown during a hang finish within the grace period", "[isolation][service]") {
    Setup s("hang", 4, 1);
    lbx::test::ServedEngine engine({"--catalog", (s.dir / "lib.lbx").string(), "--jobs", "1", "--file-timeout", "600",
                                    "--stop-grace", "1"},
                                   service_env(s));
    const Ctl ctl{engine};
    const uint64_t job = ctl.start_scan(s);
    REQUIRE(ctl.wait_until(job, [](const json& j) { return j.at("done") >= 4; }, 60s));  // the trigger hangs now

    auto start = std::chrono::steady_clock::now();
    CHECK(ctl({"cancel", std::to_string(job)}).exit_code == 0);
    CHECK(ctl.wait_until(job, [](const json& j) { return j.at("state") == "cancelled"; }, 10s));
    CHECK(std::chrono::steady_clock::now() - start < 1s + 2s);
    CHECK(json::parse(ctl({"query", "--format", "json", "--fields", "path"}).out).at("total") == 4);

    const uint64_t second = ctl.start_scan(s);
    REQUIRE(ctl.wait_until(second, [](const json& j) { return j.at("current_path").get<std::string>().find("good-03") != std::string::npos || j.at("done") >= 1; }, 60s));
    start = std::chrono::steady_clock::now();
    CHECK(ctl({"shutdown"}).exit_code == 0);
    const auto stopped = engine.process().wait(30s);
    CHECK(stopped.exit_code == 0);
    CHECK(std::chrono::steady_clock::now() - start < 1s + 2s);
}

TEST_CASE("a job running when its engine died shows as interrupted on the next start, and a rescan finishes it", "[isolation][service]") {
    Setup s("hang", 4, 1);
    const std::string catalog = (s.dir / "lib.lbx").string();
    {
        lbx::test::ServedEngine engine({"--catalog", catalog, "--jobs", "1", "--file-timeout", "600"}, service_env(s));
        const Ctl ctl{engine};
        const uint64_t job = ctl.start_scan(s);
        REQUIRE(ctl.wait_until(job, [](const json& j) { return j.at("done") >= 4; }, 60s));
        // The counts reach the catalog about every second: read them there, as the next engine will.
        const auto until = std::chrono::steady_clock::now() + 30s;
        int64_t saved = 0;
        while (saved < 4 && std::chrono::steady_clock::now() < until) {
            if (auto db = lbx::engine::catalog::SqliteDatabase::open(catalog)) {
                if (auto done = (*db)->query_int("SELECT coalesce(max(done), 0) FROM jobs")) saved = *done;
            }
            if (saved < 4) std::this_thread::sleep_for(100ms);
        }
        REQUIRE(saved == 4);
        engine.process().send_signal(SIGKILL);
        engine.process().wait(10s);
    }
    lbx::test::ServedEngine engine({"--catalog", catalog, "--jobs", "1", "--file-timeout", "2"}, service_env(s));
    const Ctl ctl{engine};
    const json jobs = json::parse(ctl({"--json", "jobs"}).out);
    INFO(jobs.dump());
    REQUIRE(jobs.at("jobs").size() == 1);
    CHECK(jobs.at("jobs")[0].at("state") == "interrupted");
    CHECK(jobs.at("jobs")[0].at("done") == 4);
    const auto rescanned = ctl({"rescan", "--wait"});
    CHECK(rescanned.out.find("completed") != std::string::npos);
    // The default pipeline has no misbehaving stage: the file the first job hung on is in the set now.
    CHECK(json::parse(ctl({"query", "--format", "json", "--fields", "path"}).out).at("total") == 5);
}

TEST_CASE("plugins check names the stages that crash or hang on hostile inputs and passes every built-in plugin", "[isolation][check]") {
    lbx::test::TempDir dir;
    const std::vector<std::string> env{"LIGHTBOX_QUARANTINE_FILE=" + (dir / "quarantine.json").string(),
                                       "XDG_DATA_HOME=" + (dir / "data").string()};
    const auto bad = lbx::test::run_engine({"plugins", "check", "--file-timeout", "1", (kFixture / "libfixture_misbehaving.so").string()}, env);
    INFO(bad.out << bad.err);
    CHECK(bad.exit_code == 1);
    CHECK(bad.out.find("Stage crashdec (decode): FAIL") != std::string::npos);
    CHECK(bad.out.find("PROBLEM: crashed") != std::string::npos);
    CHECK(bad.out.find("PROBLEM: timeout") != std::string::npos);
    CHECK(bad.out.find("Stage misbehave (tag): pass") != std::string::npos);
    // A check never quarantines: it is how an author finds the faults before users do.
    CHECK_FALSE(std::filesystem::exists(dir / "quarantine.json"));

    int built_in = 0;
    for (const auto& entry : std::filesystem::directory_iterator(LIGHTBOX_TEST_PLUGIN_DIR)) {
        if (entry.path().extension() != ".so") continue;
        ++built_in;
        const auto good = lbx::test::run_engine({"plugins", "check", entry.path().string()}, env);
        INFO(good.out << good.err);
        CHECK(good.exit_code == 0);
        CHECK(good.out.find(": pass") != std::string::npos);
        CHECK(good.out.find("every stage passed") != std::string::npos);
    }
    CHECK(built_in >= 8);

    CHECK(lbx::test::run_engine({"plugins", "check", (dir / "nothing.so").string()}, env).exit_code == 2);
}
