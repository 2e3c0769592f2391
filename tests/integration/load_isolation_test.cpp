// A plugin that crashes or hangs while it is loaded (its library's constructor) or while its stage is
// created costs itself only: the supervisor of `run` loads plugins in a probe worker first and never
// creates a stage itself; the fault is named with the plugin and the phase, counted in the quarantine
// ledger once per run (the third run quarantines it), and every other plugin and file goes on. The
// fixtures are tests/fixture_plugins/start_fault.cpp.
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/child_process.hpp"
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <thread>
#include <fstream>
#include <map>
#include <sstream>

using nlohmann::json;

namespace {

// Four distinct JPEGs (and, when asked, a file in the fixture's own format), a private plugin folder with
// a copy of one fixture plugin, and a private quarantine record.
struct Setup {
    lbx::test::TempDir dir;
    std::filesystem::path photos = dir / "photos";
    std::filesystem::path plugins = dir / "plugins";
    std::string library;

    explicit Setup(const std::string& fixture) {
        std::filesystem::create_directories(photos);
        std::filesystem::create_directories(plugins);
        library = "libfixture_" + fixture + ".so";
        std::filesystem::copy_file(std::filesystem::path(LIGHTBOX_TEST_FIXTURE_PLUGIN_DIR) / fixture / library, plugins / library);
        for (int i = 0; i < 4; ++i) {
            lbx::test::write_file(photos / ("photo-" + std::to_string(i) + ".jpg"),
                                  lbx::sample::encode_jpeg(lbx::sample::make_scene(160, 120, 200 + i)));
        }
    }
    std::vector<std::string> env() const {
        return {"LIGHTBOX_PLUGIN_PATH=" + plugins.string(), "LIGHTBOX_QUARANTINE_FILE=" + (dir / "quarantine.json").string(),
                "XDG_DATA_HOME=" + (dir / "data").string(), "XDG_CACHE_HOME=" + (dir / "cache").string(),
                "LIGHTBOX_TEST_CREATE_MARKER=" + (dir / "create-pids").string()};
    }
    std::vector<std::string> run_args(std::vector<std::string> extra = {}) const {
        std::vector<std::string> args{"run", "--json", "--no-progress", "--analysis", "off", "--thumbs", (dir / "thumbs").string()};
        args.insert(args.end(), extra.begin(), extra.end());
        args.push_back(photos.string());
        return args;
    }
    json quarantine() const {
        std::ifstream in(dir / "quarantine.json");
        return in ? json::parse(in) : json::object();
    }
};

std::map<std::string, json> by_name(const std::string& out) {
    std::map<std::string, json> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        json j = json::parse(line);
        lines[std::filesystem::path(j.at("path").get<std::string>()).filename().string()] = j;
    }
    return lines;
}

void check_photos_ok(const std::map<std::string, json>& lines) {
    for (int i = 0; i < 4; ++i) {
        const std::string name = "photo-" + std::to_string(i) + ".jpg";
        INFO(name);
        REQUIRE(lines.count(name) == 1);
        CHECK(lines.at(name).at("status") == "ok");
    }
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::size_t count_of(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
    return n;
}

}  // namespace

TEST_CASE("a plugin library that crashes while loading is named with its phase, skipped, and quarantined by the third run", "[isolation][load]") {
    Setup s("load_crash");
    for (int run = 1; run <= 3; ++run) {
        INFO("run " << run);
        const auto r = lbx::test::run_engine(s.run_args(), s.env());
        INFO(r.err);
        CHECK(r.exit_code == 0);  // no file needs the plugin: the engine survived and every photo is done
        check_photos_ok(by_name(r.out));
        // Named once per run, with the phase and the signal; not loaded again in this run.
        CHECK(count_of(r.err, "crashed in phase load") == 1);
        CHECK(has(r.err, s.library));
        CHECK(has(r.err, "SIGSEGV"));
        const json plugin = s.quarantine().at("plugins").at(s.library);
        CHECK(plugin.at("faults").size() == static_cast<std::size_t>(run));
        CHECK(plugin.at("faults").back().at("phase") == "load");
        CHECK(plugin.value("quarantined", false) == (run == 3));
        CHECK(has(r.err, "is quarantined") == (run == 3));
    }
    // Quarantined: not even tried in a probe any more.
    const auto after = lbx::test::run_engine(s.run_args(), s.env());
    INFO(after.err);
    CHECK(after.exit_code == 0);
    CHECK_FALSE(has(after.err, "crashed in phase"));
    CHECK(has(after.err, "is quarantined"));
    const json listed = json::parse(lbx::test::run_engine({"plugins", "--json"}, s.env()).out);
    REQUIRE(listed.at("quarantined").size() == 1);
    CHECK(listed.at("quarantined")[0].at("id") == s.library);
}

TEST_CASE("a plugin library that hangs while loading is killed at the deadline and skipped", "[isolation][load]") {
    Setup s("load_hang");
    const auto r = lbx::test::run_engine(s.run_args({"--file-timeout", "2"}), s.env());
    INFO(r.err);
    CHECK(r.exit_code == 0);
    check_photos_ok(by_name(r.out));
    CHECK(count_of(r.err, "hung in phase load") == 1);
    CHECK(has(r.err, s.library));
    CHECK(s.quarantine().at("plugins").at(s.library).at("faults").at(0).at("code") == "timeout");

    // `plugins` probes the libraries the same way, under its own --file-timeout: the listing comes back
    // without the hung library (a second fault on the record, not yet a quarantine).
    const auto listed = lbx::test::run_engine({"plugins", "--json", "--file-timeout", "1"}, s.env());
    INFO(listed.err);
    CHECK(listed.exit_code == 0);
    CHECK(count_of(listed.err, "hung in phase load") == 1);
    const json plugins = json::parse(listed.out).at("plugins");
    CHECK(std::none_of(plugins.begin(), plugins.end(), [&](const json& p) { return has(p.at("file").get<std::string>(), s.library); }));
    CHECK(s.quarantine().at("plugins").at(s.library).at("faults").size() == 2);
    const auto inspected = lbx::test::run_engine({"plugins", "inspect", "org.lightbox.jpegdec", "--file-timeout", "1"}, s.env());
    CHECK(count_of(inspected.err, "hung in phase load") == 1);
}

TEST_CASE("a stage whose create() crashes or hangs fails only the files that need it, naming the plugin and the phase", "[isolation][load]") {
    struct Case {
        std::string fixture, format, magic, plugin, stage_id, words;
    };
    for (const Case& c : {Case{"create_crash", "ccrs", "CCRS", "org.lightbox.test.create-crash", "ccrsdec", "crashed in phase create"},
                          Case{"create_hang", "chng", "CHNG", "org.lightbox.test.create-hang", "chngdec", "hung in phase create"}}) {
        DYNAMIC_SECTION(c.fixture) {
            Setup s(c.fixture);
            lbx::test::write_file(s.photos / ("other." + c.format), std::vector<uint8_t>(c.magic.begin(), c.magic.end()));
            for (int run = 1; run <= 2; ++run) {
                INFO("run " << run);
                const auto r = lbx::test::run_engine(s.run_args({"--jobs", "2", "--file-timeout", "3"}), s.env());
                INFO(r.err);
                CHECK(r.exit_code == 1);  // some files failed
                const auto lines = by_name(r.out);
                CHECK(lines.size() == 5);
                check_photos_ok(lines);
                REQUIRE(lines.count("other." + c.format) == 1);
                const json& file = lines.at("other." + c.format);
                REQUIRE(file.at("status") == "failed");
                const json& e = file.at("error");
                CHECK(e.at("code") == "plugin_not_loaded");
                CHECK(e.at("stage") == "decode");
                CHECK(e.at("stage_id") == c.stage_id);
                CHECK(e.at("plugin") == c.plugin);
                CHECK(e.at("plugin_version") == "0.1.0");
                CHECK(has(e.at("message").get<std::string>(), c.words));
                CHECK(count_of(r.err, c.words) == 1);  // found by the probe, once
                CHECK_FALSE(has(r.err, "is quarantined"));
            }
            // The third run's probe quarantines it: its workers do not load it, so its format is unknown and
            // the file is no photo any more; the next runs do not try it at all.
            for (int run = 3; run <= 4; ++run) {
                INFO("run " << run);
                const auto r = lbx::test::run_engine(s.run_args({"--file-timeout", "3"}), s.env());
                INFO(r.err);
                CHECK(r.exit_code == 0);
                const auto lines = by_name(r.out);
                CHECK(lines.size() == 4);
                check_photos_ok(lines);
                CHECK(count_of(r.err, c.words) == (run == 3 ? 1u : 0u));
                CHECK(has(r.err, "is quarantined"));
            }
            CHECK(s.quarantine().at("plugins").at(c.plugin).at("faults").size() == 3);
        }
    }
}

TEST_CASE("workers run the lean worker program, which refuses a wrong command line", "[isolation][load]") {
    // engine/worker_main.cpp: the pipeline and the worker loop without the engine's 57 libraries.
    const std::filesystem::path worker = std::filesystem::path(LIGHTBOX_TEST_ENGINE_EXE).parent_path() / "lightbox-engine-worker";
    REQUIRE(std::filesystem::exists(worker));
    for (const std::vector<std::string>& argv :
         {std::vector<std::string>{worker.string()}, {worker.string(), "run"}, {worker.string(), "worker", "--channel-fd", "x", "--marker-fd", "4"},
          {worker.string(), "worker", "--marker-fd", "4"}, {worker.string(), "worker", "--channel-fd", "3", "--marker-fd", "4", "--bogus", "1"}}) {
        lbx::test::ChildProcess p(argv);
        const auto r = p.wait();
        CHECK(r.exit_code == 2);
        CHECK(has(r.err, "not for users"));
    }
    Setup s("create_marker");
    std::ofstream(s.dir / "marker.toml") << "[[stage]]\nkind = \"metadata\"\n[[stage]]\nkind = \"decode\"\n"
                                            "[[stage]]\nkind = \"tag\"\nuse = \"pidmark\"\n";
    std::vector<std::string> env = s.env();
    env.push_back("LIGHTBOX_TEST_CREATE_EXE_MARKER=" + (s.dir / "create-exes").string());
    env.push_back("LIGHTBOX_TEST_CREATE_ENV_MARKER=" + (s.dir / "create-env").string());
    env.push_back("GLIBC_TUNABLES=glibc.malloc.tcache_count=100");  // the user's own, which must still win
    const auto r = lbx::test::run_engine(s.run_args({"--config", (s.dir / "marker.toml").string(), "--jobs", "2"}), env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    check_photos_ok(by_name(r.out));
    std::ifstream in(s.dir / "create-exes");
    int workers = 0;
    for (std::string line; std::getline(in, line); ++workers) CHECK(std::filesystem::path(line) == worker);
    CHECK(workers >= 1);
    // A worker keeps more freed small blocks (worker_process.cpp), before the user's tunables.
    std::ifstream env_in(s.dir / "create-env");
    int envs = 0;
    for (std::string line; std::getline(env_in, line); ++envs)
        CHECK(line == "glibc.malloc.tcache_count=256:glibc.malloc.tcache_count=100");
    CHECK(envs == workers);
}

TEST_CASE("the supervisor creates no stage: create() runs in worker processes only", "[isolation][load]") {
    Setup s("create_marker");
    std::ofstream(s.dir / "marker.toml") << "[[stage]]\nkind = \"metadata\"\n[[stage]]\nkind = \"decode\"\n"
                                            "[[stage]]\nkind = \"tag\"\nuse = \"pidmark\"\n";
    const std::vector<std::string> config{"--config", (s.dir / "marker.toml").string()};
    auto pids = [&] {
        std::vector<std::string> out;
        std::ifstream in(s.dir / "create-pids");
        for (std::string line; std::getline(in, line);) out.push_back(line);
        return out;
    };
    auto run = [&](std::vector<std::string> extra) {
        std::vector<std::string> argv{LIGHTBOX_TEST_ENGINE_EXE};
        for (const std::string& a : s.run_args(extra)) argv.push_back(a);
        lbx::test::ChildProcess engine(argv, s.env());
        const std::string supervisor = std::to_string(engine.pid());
        const auto r = engine.wait();
        INFO(r.err);
        CHECK(r.exit_code == 0);
        check_photos_ok(by_name(r.out));
        return supervisor;
    };

    const std::string supervisor = run([&] {
        auto a = config;
        a.insert(a.end(), {"--jobs", "2"});
        return a;
    }());
    const std::vector<std::string> created = pids();
    CHECK(created.size() >= 2);  // the probe and at least one worker
    for (const std::string& pid : created) CHECK(pid != supervisor);

    // The fixture does write the pid of the process that creates the stage: in process with isolation none.
    std::filesystem::remove(s.dir / "create-pids");
    const std::string in_process = run([&] {
        auto a = config;
        a.insert(a.end(), {"--isolation", "none"});
        return a;
    }());
    CHECK(pids() == std::vector<std::string>{in_process});
}

TEST_CASE("under serve a plugin that crashes while loading or in create() costs itself only, and the service creates no stage", "[isolation][load][service]") {
    Setup s("create_crash");
    for (const char* fixture : {"load_crash", "create_marker"}) {
        const std::string library = std::string("libfixture_") + fixture + ".so";
        std::filesystem::copy_file(std::filesystem::path(LIGHTBOX_TEST_FIXTURE_PLUGIN_DIR) / fixture / library, s.plugins / library);
    }
    lbx::test::write_file(s.photos / "other.ccrs", {'C', 'C', 'R', 'S'});
    std::ofstream(s.dir / "marker.toml") << "[[stage]]\nkind = \"metadata\"\n[[stage]]\nkind = \"decode\"\n"
                                            "[[stage]]\nkind = \"tag\"\nuse = \"pidmark\"\n";
    lbx::test::ServedEngine engine({"--catalog", (s.dir / "lib.lbx").string(), "--jobs", "2"}, s.env());
    const auto ctl = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--endpoint", engine.command_endpoint()});
        return lbx::test::run_ctl(args);
    };
    // The library that crashes while loading was tried in a probe only: the service is up and lists why.
    const auto plugins = ctl({"plugins"});
    INFO(plugins.out);
    CHECK(has(plugins.out, "libfixture_load_crash.so"));
    CHECK(has(plugins.out, "crashed or hung while loading"));

    const auto scanned = ctl({"scan", s.photos.string(), "--pipeline", (s.dir / "marker.toml").string(), "--wait"});
    INFO(scanned.out << scanned.err);
    CHECK(scanned.exit_code == 1);  // other.ccrs failed
    CHECK(ctl({"hello"}).exit_code == 0);
    const auto failures = ctl({"failures"});
    INFO(failures.out);
    CHECK(has(failures.out, "other.ccrs"));
    CHECK(has(failures.out, "plugin_not_loaded"));
    const json listed = json::parse(ctl({"query", "--format", "json", "--fields", "path"}).out);
    CHECK(listed.at("total") == 4);

    std::ifstream in(s.dir / "create-pids");
    std::vector<std::string> created;
    for (std::string line; std::getline(in, line);) created.push_back(line);
    CHECK_FALSE(created.empty());
    for (const std::string& pid : created) CHECK(pid != std::to_string(engine.process().pid()));
}

TEST_CASE("the supervisor opens no plugin library: one that crashes outside a worker serves every run", "[isolation][load]") {
    // The fixture's constructor kills any process but a worker: the engine knows it from a probe worker's
    // description, then from the probe record, and its stage runs in the workers.
    Setup s("engine_load_crash");
    std::ofstream(s.dir / "worker-only.toml") << "[[stage]]\nkind = \"metadata\"\n[[stage]]\nkind = \"decode\"\n"
                                                 "[[stage]]\nkind = \"tag\"\nuse = \"workeronly\"\n";
    for (int run = 1; run <= 2; ++run) {  // the first run probes, the second registers the record
        INFO("run " << run);
        const auto r = lbx::test::run_engine(s.run_args({"--config", (s.dir / "worker-only.toml").string(), "--jobs", "2"}), s.env());
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        const auto lines = by_name(r.out);
        check_photos_ok(lines);
        for (const auto& [name, line] : lines) {
            const json& tags = line.at("tags");
            CHECK(std::any_of(tags.begin(), tags.end(), [](const json& t) { return t.at("name") == "pid-marked"; }));
        }
        CHECK_FALSE(has(r.err, "crashed"));
    }
    const auto listed = lbx::test::run_engine({"plugins", "--json"}, s.env());
    INFO(listed.err);
    REQUIRE(listed.exit_code == 0);
    const json plugins = json::parse(listed.out).at("plugins");
    CHECK(std::any_of(plugins.begin(), plugins.end(), [](const json& p) { return p.at("id") == "org.lightbox.test.worker-only"; }));
    const auto inspected = lbx::test::run_engine({"plugins", "inspect", "org.lightbox.test.worker-only"}, s.env());
    INFO(inspected.err);
    CHECK(inspected.exit_code == 0);
    CHECK(has(inspected.out, "workeronly"));

    lbx::test::ServedEngine engine({"--catalog", (s.dir / "lib.lbx").string()}, s.env());
    const auto ctl = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--endpoint", engine.command_endpoint()});
        return lbx::test::run_ctl(args);
    };
    const auto scanned = ctl({"scan", s.photos.string(), "--pipeline", (s.dir / "worker-only.toml").string(), "--wait"});
    INFO(scanned.out << scanned.err);
    CHECK(scanned.exit_code == 0);
    CHECK(ctl({"hello"}).exit_code == 0);
    const json tagged = json::parse(ctl({"query", "tag:pid-marked", "--format", "json", "--fields", "path"}).out);
    CHECK(tagged.at("total") == 4);
}

TEST_CASE("Ctrl-C or SIGTERM while a stage's create() hangs ends within the grace period, not at the file deadline", "[isolation][load]") {
    using namespace std::chrono_literals;
    for (const int sig : {SIGINT, SIGTERM}) {
        DYNAMIC_SECTION("signal " << sig) {
            Setup s("create_hang");
            const auto marker = s.dir / "create-pids";
            std::vector<std::string> argv{LIGHTBOX_TEST_ENGINE_EXE};
            for (const std::string& a : s.run_args({"--jobs", "1", "--file-timeout", "600", "--stop-grace", "1"})) argv.push_back(a);
            lbx::test::ChildProcess engine(argv, s.env());
            // The fixture's create() writes its process id, then hangs: the run is starting its first worker.
            const auto until = std::chrono::steady_clock::now() + 60s;
            while (!std::filesystem::exists(marker) && std::chrono::steady_clock::now() < until)
                std::this_thread::sleep_for(20ms);
            REQUIRE(std::filesystem::exists(marker));
            const auto start = std::chrono::steady_clock::now();
            engine.send_signal(sig);
            const auto r = engine.wait(30s);
            const auto took = std::chrono::steady_clock::now() - start;
            INFO(r.err);
            CHECK(r.exit_code == 130);
            CHECK(took < 1s + 3s);  // the grace, not the 600 s deadline
            CHECK(has(r.err, "stopping after the files in flight"));
            CHECK_FALSE(has(r.err, "hung in phase create"));  // stopped, not a fault of the plugin's
            CHECK(s.quarantine().value("plugins", json::object()).empty());
        }
    }
}

TEST_CASE("a plugin whose descriptions are not UTF-8 is listed, inspected and recorded, its bytes shown as U+FFFD", "[isolation][load]") {
    Setup s("latin1");
    for (int run = 1; run <= 2; ++run) {  // the probe, then the record of it
        INFO("run " << run);
        const auto listed = lbx::test::run_engine({"plugins", "--json"}, s.env());
        INFO(listed.err);
        REQUIRE(listed.exit_code == 0);
        const json plugins = json::parse(listed.out).at("plugins");
        const auto raw = std::find_if(plugins.begin(), plugins.end(), [](const json& p) { return p.at("id") == "org.lightbox.test.raw"; });
        REQUIRE(raw != plugins.end());
        CHECK(raw->at("description") == "d\xEF\xBF\xBDj\xEF\xBF\xBD vu");
    }
    const auto inspected = lbx::test::run_engine({"plugins", "inspect", "org.lightbox.test.raw", "--json"}, s.env());
    INFO(inspected.err);
    CHECK(inspected.exit_code == 0);
    CHECK(json::parse(inspected.out).at("stages").at(0).at("description") == "caf\xEF\xBF\xBD stage");
}

TEST_CASE("under serve, cancel and Shutdown while a stage's create() hangs end within the grace period", "[isolation][load][service]") {
    using namespace std::chrono_literals;
    Setup s("create_hang");
    const auto marker = s.dir / "create-pids";
    lbx::test::ServedEngine engine({"--catalog", (s.dir / "lib.lbx").string(), "--jobs", "1", "--file-timeout", "600",
                                    "--stop-grace", "1"},
                                   s.env());
    const auto ctl = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--endpoint", engine.command_endpoint()});
        return lbx::test::run_ctl(args);
    };
    const auto state_of = [&](uint64_t job) {
        return json::parse(ctl({"--json", "status", std::to_string(job)}).out).at("state").get<std::string>();
    };
    const auto start_scan = [&] {
        const auto started = ctl({"--json", "scan", s.photos.string()});
        REQUIRE(started.exit_code == 0);
        return json::parse(started.out).at("job_id").get<uint64_t>();
    };
    // The fixture's create() writes its process id, then hangs: the job is starting its first worker.
    const auto wait_for_create = [&](std::size_t pids) {
        const auto until = std::chrono::steady_clock::now() + 60s;
        for (;;) {
            std::ifstream in(marker);
            std::size_t lines = 0;
            for (std::string line; std::getline(in, line);) ++lines;
            if (lines >= pids || std::chrono::steady_clock::now() > until) return lines >= pids;
            std::this_thread::sleep_for(20ms);
        }
    };

    const uint64_t job = start_scan();
    REQUIRE(wait_for_create(1));
    auto start = std::chrono::steady_clock::now();
    CHECK(ctl({"cancel", std::to_string(job)}).exit_code == 0);
    std::string state;
    while (!(state = state_of(job)).empty() && state != "cancelled" && std::chrono::steady_clock::now() - start < 30s)
        std::this_thread::sleep_for(50ms);
    CHECK(state == "cancelled");
    CHECK(std::chrono::steady_clock::now() - start < 1s + 3s);  // the grace, not the 600 s deadline
    CHECK(ctl({"hello"}).exit_code == 0);
    CHECK(s.quarantine().value("plugins", json::object()).empty());  // stopped, not a fault of the plugin's

    start_scan();
    REQUIRE(wait_for_create(2));
    start = std::chrono::steady_clock::now();
    CHECK(ctl({"shutdown"}).exit_code == 0);
    const auto stopped = engine.process().wait(30s);
    CHECK(stopped.exit_code == 0);
    CHECK(std::chrono::steady_clock::now() - start < 1s + 3s);
}
