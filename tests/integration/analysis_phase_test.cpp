// The analysis phase and its ledger with the real engine and the real models: `run --catalog` analyses
// photos an earlier scan left unanalysed, once, and again only when the analysing plugin's version
// changes; the service scans first (browsable at once), analyses after in a job of its own, pauses and
// resumes, stays paused across a restart, and lets a scan go first.
#include "catalog/catalog.hpp"
#include "support/child_process.hpp"
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include <lightbox/ipc/client.hpp>
#include <lightbox/ipc/event_subscriber.hpp>
#include <lightbox/ipc/topics.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <set>
#include <sstream>
#include <thread>

using namespace lbx;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const fs::path kDarknet = "/usr/share/darknet/data";
const fs::path kModels = fs::path(LIGHTBOX_TEST_DATA_DIR) / "models";

void require_models_and_photos() {
    INFO("the models are fetched by scripts/fetch-models.sh " << kModels.string() << " (scripts/test.sh runs it)");
    REQUIRE(fs::exists(kModels / "objects" / "centernet.onnx"));
    INFO("the photos of known content come with Debian's darknet package (scripts/install-deps.sh)");
    REQUIRE(fs::exists(kDarknet / "dog.jpg"));
}

// `count` distinct photos of the same dog: dog.jpg with a different byte after its end-of-image marker
// (decoders stop there), so each has a content hash of its own.
void write_dogs(const fs::path& dir, int count, int first = 0) {
    fs::create_directories(dir);
    const std::vector<uint8_t> dog = test::read_file(kDarknet / "dog.jpg");
    for (int i = first; i < first + count; ++i) {
        std::vector<uint8_t> bytes = dog;
        bytes.push_back(static_cast<uint8_t>(i));
        bytes.push_back(static_cast<uint8_t>(i >> 8));
        char name[32];
        std::snprintf(name, sizeof name, "dog-%03d.jpg", i);
        test::write_file(dir / name, bytes);
    }
}

std::set<std::string> query_names(const std::string& library, const std::string& q) {
    const test::ProcessResult r = test::run_engine({"query", "--catalog", library, q});
    INFO(q << ": " << r.err);
    REQUIRE(r.exit_code == 0);
    std::set<std::string> names;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) names.insert(fs::path(line.substr(0, line.find("  "))).filename().string());
    return names;
}

// The analysis job the engine starts on its own (ListJobs), waited for until it appears.
uint64_t wait_analysis_job(ipc::Client& client, const std::set<uint64_t>& not_these = {}) {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    for (;;) {
        auto jobs = client.call(ipc::ListJobs{});
        REQUIRE(jobs);
        for (const ipc::JobSnapshot& j : jobs->jobs)
            if (j.progress.kind == ipc::JobKind::analysis && !not_these.count(j.progress.job_id)) return j.progress.job_id;
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(20ms);  // polling interval
    }
}

std::vector<uint32_t> thumbnail_sizes(const ipc::PhotoInfo& photo) {
    std::vector<uint32_t> sizes;
    for (const ipc::ThumbnailRef& t : photo.thumbnails) sizes.push_back(t.size);
    return sizes;
}

bool has_analysis_job(ipc::Client& client) {
    auto jobs = client.call(ipc::ListJobs{});
    REQUIRE(jobs);
    return std::any_of(jobs->jobs.begin(), jobs->jobs.end(),
                       [](const ipc::JobSnapshot& j) { return j.progress.kind == ipc::JobKind::analysis; });
}

}  // namespace

TEST_CASE("run analyses what an earlier scan left unanalysed, once, and again when the plugin version changes", "[analysis]") {
    require_models_and_photos();
    test::TempDir dir;
    fs::create_directories(dir / "photos");
    fs::copy_file(kDarknet / "dog.jpg", dir / "photos" / "dog.jpg");
    fs::copy_file(kDarknet / "horses.jpg", dir / "photos" / "horses.jpg");
    const std::string library = (dir / "library.lbx").string();
    const auto run = [&](const std::string& analysis) {
        const test::ProcessResult r = test::run_engine({"run", "--no-progress", "--analysis", analysis, "--sizes", "256", "--thumbs",
                                                        (dir / "thumbs").string(), "--catalog", library, (dir / "photos").string()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return r.err;
    };

    run("off");
    CHECK(query_names(library, "").size() == 2);  // browsable
    CHECK(query_names(library, "label:dog").empty());

    // Unchanged files are not read again for the first phase, but the analysis they never had is done.
    std::string err = run("on");
    CHECK(err.find("2 unchanged") != std::string::npos);
    CHECK(err.find("analysing 2 photos scanned earlier") != std::string::npos);
    CHECK(query_names(library, "label:dog") == std::set<std::string>{"dog.jpg"});
    CHECK(query_names(library, "label:horse") == std::set<std::string>{"horses.jpg"});

    // Once: nothing is left for a second run.
    err = run("on");
    CHECK(err.find("analysing") == std::string::npos);

    // A new version of the analysing plugin (here: the ledger says an older one ran) analyses again,
    // only the photos it concerns.
    {
        auto opened = engine::catalog::Catalog::open(library);
        REQUIRE(opened);
        auto& db = (*opened)->database();
        REQUIRE(db.exec("UPDATE analyses SET plugin_version = '0.9.0' WHERE stage = 'objects' AND hash IN "
                        "(SELECT hash FROM files WHERE path LIKE '%dog.jpg')"));
        CHECK(db.query_int("SELECT count(*) FROM analyses WHERE plugin_version = '0.9.0'").value() == 1);
    }
    err = run("on");
    CHECK(err.find("analysing 1 photos scanned earlier") != std::string::npos);
    CHECK(query_names(library, "label:dog") == std::set<std::string>{"dog.jpg"});
    auto opened = engine::catalog::Catalog::open(library);
    REQUIRE(opened);
    CHECK((*opened)->database().query_int("SELECT count(*) FROM analyses WHERE plugin_version = '0.9.0'").value() == 0);
    CHECK((*opened)->database().query_int("SELECT count(*) FROM analyses WHERE error != ''").value() == 0);
}

TEST_CASE("the service scans first, then analyses in a job of its own that pauses, resumes and yields to scans", "[analysis][service]") {
    require_models_and_photos();
    test::TempDir dir;
    write_dogs(dir / "dogs", 24);
    const std::string catalog = (dir / "library.lbx").string();
    zmq::context_t context;
    {
        test::ServedEngine engine({"--catalog", catalog, "--jobs", "1", "--analysis", "on"});
        ipc::Client client(context, engine.client_options(5000ms));
        auto paused = client.call(ipc::SetAnalysisPaused{true});
        REQUIRE(paused);
        CHECK(paused->paused);
        CHECK(paused->enabled);
        CHECK(paused->stages == std::vector<std::string>{"objects", "faces", "identity"});

        auto started = client.call(ipc::StartScan{{(dir / "dogs").string()}, "", {}, ""});
        REQUIRE(started);
        const ipc::JobSnapshot scan = test::wait_for_job(client, started->job_id, 180s);
        CHECK(scan.progress.state == ipc::JobState::completed);
        CHECK(scan.progress.kind == ipc::JobKind::scan);
        // Browsable at once; no labels yet, and no analysis job while paused.
        auto all = client.call(ipc::Query{"", ipc::QuerySort::path, false, 0, 0});
        REQUIRE(all);
        CHECK(all->total == 24);
        // The first phase made the grid's thumbnails only; the larger previews come with the analysis.
        auto first = client.call(ipc::GetPhoto{all->photos.front().id});
        REQUIRE(first);
        CHECK(thumbnail_sizes(first->photo) == std::vector<uint32_t>{256});
        auto dogs = client.call(ipc::Query{"label:dog", ipc::QuerySort::path, false, 0, 0});
        REQUIRE(dogs);
        CHECK(dogs->total == 0);
        auto state = client.call(ipc::GetAnalysis{});
        REQUIRE(state);
        CHECK(state->paused);
        CHECK(state->pending == 24);
        CHECK(state->job_id == 0);
        CHECK_FALSE(has_analysis_job(client));
    }
    {
        // Paused is the library's: a new engine on it stays paused.
        test::ServedEngine engine({"--catalog", catalog, "--jobs", "1", "--analysis", "on"});
        ipc::Client client(context, engine.client_options(5000ms));
        auto state = client.call(ipc::GetAnalysis{});
        REQUIRE(state);
        CHECK(state->paused);
        CHECK(state->pending == 24);

        ipc::EventSubscriber events(context, engine.event_endpoint());
        events.subscribe(ipc::kTopicPhotoDone);
        events.subscribe(ipc::kTopicHeartbeat);
        const auto subscribed_by = std::chrono::steady_clock::now() + 10s;
        for (bool beat = false; !beat;) {  // a heartbeat arrived: the subscription is in place
            REQUIRE(std::chrono::steady_clock::now() < subscribed_by);
            auto e = events.next(200ms);
            beat = e && *e && std::holds_alternative<ipc::Heartbeat>((*e)->event);
        }

        auto resumed = client.call(ipc::SetAnalysisPaused{false});
        REQUIRE(resumed);
        CHECK_FALSE(resumed->paused);
        REQUIRE(resumed->job_id != 0);
        const uint64_t first_job = resumed->job_id;
        // Pause once the job has stored a photo: it ends `paused`, what it did is kept. The first photo
        // waits for a worker to load the models: over a minute on two busy cores (seen with a build
        // running beside the suite), so the bound is a hang's, not a speed target.
        const auto done_by = std::chrono::steady_clock::now() + 180s;
        for (bool analysed = false; !analysed;) {
            REQUIRE(std::chrono::steady_clock::now() < done_by);
            auto e = events.next(500ms);
            REQUIRE(e);
            if (!*e) continue;
            if (const auto* done = std::get_if<ipc::PhotoDone>(&(*e)->event)) analysed = done->job_id == first_job;
        }
        REQUIRE(client.call(ipc::SetAnalysisPaused{true}));
        const ipc::JobSnapshot stopped = test::wait_for_job(client, first_job, 180s);
        CHECK(stopped.progress.state == ipc::JobState::paused);
        CHECK(stopped.progress.kind == ipc::JobKind::analysis);
        state = client.call(ipc::GetAnalysis{});
        REQUIRE(state);
        CHECK(state->job_id == 0);
        CHECK(state->pending > 0);
        CHECK(state->pending < 24);
        auto dogs = client.call(ipc::Query{"label:dog", ipc::QuerySort::path, false, 0, 0});
        REQUIRE(dogs);
        CHECK(dogs->total == 24 - state->pending);

        // Resumed, then a scan arrives: the analysis job stops for it and a new one finishes after it.
        resumed = client.call(ipc::SetAnalysisPaused{false});
        REQUIRE(resumed);
        const uint64_t second_job = resumed->job_id;
        REQUIRE(second_job != 0);
        write_dogs(dir / "more", 1, 24);
        auto started = client.call(ipc::StartScan{{(dir / "more").string()}, "", {}, ""});
        REQUIRE(started);
        CHECK(test::wait_for_job(client, started->job_id, 180s).progress.state == ipc::JobState::completed);
        const ipc::JobSnapshot yielded = test::wait_for_job(client, second_job, 180s);
        CHECK((yielded.progress.state == ipc::JobState::cancelled || yielded.progress.state == ipc::JobState::completed));
        const uint64_t third_job = wait_analysis_job(client, {first_job, second_job});
        const ipc::JobSnapshot last = test::wait_for_job(client, third_job, 180s);
        CHECK(last.progress.state == ipc::JobState::completed);
        state = client.call(ipc::GetAnalysis{});
        REQUIRE(state);
        CHECK(state->pending == 0);
        dogs = client.call(ipc::Query{"label:dog", ipc::QuerySort::path, false, 0, 0});
        REQUIRE(dogs);
        CHECK(dogs->total == 25);
        auto photo = client.call(ipc::GetPhoto{dogs->photos.front().id});
        REQUIRE(photo);
        CHECK(thumbnail_sizes(photo->photo) == std::vector<uint32_t>{256, 1024});
        const auto& regions = photo->photo.regions;
        CHECK(std::any_of(regions.begin(), regions.end(), [](const ipc::PhotoRegion& g) {
            return g.kind == "object" && g.label == "dog" && g.width > 0.2 && g.source == "org.lightbox.vision";
        }));
    }
}
