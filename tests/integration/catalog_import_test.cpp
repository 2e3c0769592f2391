// `lightbox-engine catalog import` on real `run --json` outputs: the shards' outputs imported make the same
// library as one `run --catalog` of the whole folder; importing again changes nothing and keeps what the
// user did; a bad line is named by file and line while the others are imported; a shard killed and run
// again completes the set.
#include "catalog/catalog.hpp"
#include "support/child_process.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

using lbx::test::run_engine;

namespace {

using PhotoTags = std::map<std::string, std::set<std::string>>;  // hash -> tag names

PhotoTags photo_tags(const std::string& catalog) {
    auto q = run_engine({"query", "--catalog", catalog, "--format", "jsonl", "--fields", "hash,tags"});
    INFO(q.err);
    REQUIRE(q.exit_code == 0);
    PhotoTags out;
    std::istringstream lines(q.out);
    for (std::string line; std::getline(lines, line);) {
        const auto j = nlohmann::json::parse(line);
        auto& names = out[j.at("hash").get<std::string>()];
        for (const auto& t : j.at("tags")) names.insert(t.at("name").get<std::string>());
    }
    return out;
}

void write_text(const std::filesystem::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
}

// The full pipeline but the slow analysis: records with hashes, auto tags and thumbnails.
std::vector<std::string> run_args(const lbx::test::TempDir& dir, std::vector<std::string> more) {
    std::vector<std::string> args{"run", "--json", "--no-progress", "--analysis", "off", "--thumbs", (dir / "thumbs").string()};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

lbx::test::ProcessResult import(const std::string& catalog, std::vector<std::string> files, const std::string& stdin_text = "") {
    files.insert(files.begin(), {"catalog", "import", "--catalog", catalog});
    return run_engine(files, {}, stdin_text);
}

}  // namespace

TEST_CASE("catalog import: two shards' outputs make the library one run --catalog makes, and again changes nothing",
          "[catalog_import]") {
    lbx::test::TempDir dir;
    const std::string photos = (dir / "photos").string();
    REQUIRE(run_engine({"sample", photos}).exit_code == 0);
    // A file that fails (into the failures ledger) and a name that is not UTF-8 (path_b64 in the records).
    write_text(dir / "photos" / "broken.jpg", "\xFF\xD8\xFF this is no JPEG");
    std::filesystem::path latin1 = dir / "photos";
    latin1 /= std::string("caf\xE9.jpg");
    for (const auto& entry : std::filesystem::directory_iterator(photos)) {
        if (entry.path().extension() == ".jpg" && entry.path().filename() != "broken.jpg") {
            std::filesystem::copy_file(entry.path(), latin1);
            break;
        }
    }
    REQUIRE(std::filesystem::exists(latin1));
    std::vector<std::string> outputs;
    for (int i = 0; i < 2; ++i) {
        auto shard = run_engine(run_args(dir, {"--shard", std::to_string(i) + "/2", photos}));
        INFO(shard.err);
        REQUIRE(shard.exit_code <= 1);  // the sample holds no broken files today; a failed one imports too
        outputs.push_back((dir / ("shard" + std::to_string(i) + ".jsonl")).string());
        write_text(outputs.back(), shard.out);
    }
    auto single = run_engine(run_args(dir, {"--catalog", (dir / "single.lbx").string(), photos}));
    INFO(single.err);
    REQUIRE(single.exit_code <= 1);

    const std::string imported = (dir / "imported.lbx").string();
    auto first = import(imported, outputs);
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(first.err.find("from 2 files: ") != std::string::npos);
    CHECK(first.err.find(", 1 failed, 0 skipped") != std::string::npos);
    const PhotoTags whole = photo_tags((dir / "single.lbx").string());
    REQUIRE(whole.size() >= 10);
    CHECK(photo_tags(imported) == whole);
    const auto listed = [](const std::string& catalog) {  // paths (absolute, as a scan stores them) and formats
        auto q = run_engine({"query", "--catalog", catalog, "--sort", "path", "--format", "jsonl", "--fields", "path,hash,format,size"});
        REQUIRE(q.exit_code == 0);
        return q.out;
    };
    CHECK(listed(imported) == listed((dir / "single.lbx").string()));
    const auto failures = [](const std::string& catalog) {
        auto opened = lbx::engine::catalog::Catalog::open(catalog);
        REQUIRE(opened);
        auto stats = (*opened)->stats();
        REQUIRE(stats);
        auto ledger = (*opened)->failures(0, -1);
        REQUIRE(ledger);
        REQUIRE(ledger->size() == 1);
        return std::make_tuple(stats->photos, stats->files_ok, stats->files_failed, (*ledger)[0].path, (*ledger)[0].code);
    };
    CHECK(failures(imported) == failures((dir / "single.lbx").string()));
    // Some photo has auto tags: the comparison is not of empty sets.
    CHECK(std::any_of(whole.begin(), whole.end(), [](const auto& p) { return !p.second.empty(); }));

    // Again, one file from stdin: the same catalog.
    std::ifstream shard0(outputs[0]);
    std::stringstream text;
    text << shard0.rdbuf();
    auto second = import(imported, {"-", outputs[1]}, text.str());
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(photo_tags(imported) == whole);

    // The imported files are read again by the next real scan (their mtime is not in the records), and
    // that scan leaves the same library.
    auto rescan = run_engine(run_args(dir, {"--catalog", imported, photos}));
    REQUIRE(rescan.exit_code <= 1);
    CHECK(rescan.out.find("\"status\":\"unchanged\"") == std::string::npos);
    CHECK(photo_tags(imported) == whole);
}

TEST_CASE("catalog import: the user's tags, rejections and rotation survive an import of the same photos", "[catalog_import]") {
    lbx::test::TempDir dir;
    const std::string photos = (dir / "photos").string();
    REQUIRE(run_engine({"sample", photos}).exit_code == 0);
    auto whole = run_engine(run_args(dir, {photos}));
    REQUIRE(whole.exit_code <= 1);
    const std::string results = (dir / "all.jsonl").string();
    write_text(results, whole.out);
    const std::string library = (dir / "lib.lbx").string();
    REQUIRE(import(library, {results}).exit_code == 0);

    const PhotoTags before = photo_tags(library);
    const auto tagged = std::find_if(before.begin(), before.end(), [](const auto& p) { return !p.second.empty(); });
    REQUIRE(tagged != before.end());
    const std::string hash = tagged->first;
    const std::string rejected = *tagged->second.begin();
    {
        auto opened = lbx::engine::catalog::Catalog::open(library);
        REQUIRE(opened);
        auto& catalog = **opened;
        REQUIRE(catalog.add_user_tag(hash, "holiday-2024"));
        REQUIRE(catalog.reject_auto_tags(hash, {rejected}));
        REQUIRE(catalog.set_rotation(hash, 1));
    }
    auto again = import(library, {results});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);

    auto opened = lbx::engine::catalog::Catalog::open(library);
    REQUIRE(opened);
    auto& catalog = **opened;
    auto user = catalog.user_tags(hash);
    REQUIRE(user);
    CHECK(*user == std::vector<std::string>{"holiday-2024"});
    auto autos = catalog.auto_tag_names(hash);
    REQUIRE(autos);
    CHECK(std::find(autos->begin(), autos->end(), rejected) == autos->end());  // turned down stays down
    auto details = catalog.photo(hash);
    REQUIRE(details);
    REQUIRE(details->has_value());
    CHECK((*details)->rotation == 1);
    CHECK_FALSE((*details)->thumbnails.empty());  // the run's thumbnails are on this machine: kept
    auto stats = catalog.stats();
    REQUIRE(stats);
    CHECK(stats->photos == static_cast<int64_t>(before.size()));
}

TEST_CASE("catalog import: a bad line is named by file and line, the others are imported, exit code 1", "[catalog_import]") {
    lbx::test::TempDir dir;
    const std::string photos = (dir / "photos").string();
    REQUIRE(run_engine({"sample", photos}).exit_code == 0);
    auto whole = run_engine(run_args(dir, {photos}));
    REQUIRE(whole.exit_code <= 1);
    std::vector<std::string> lines;
    std::istringstream in(whole.out);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    REQUIRE(lines.size() >= 4);

    // Line 2: garbage; line 4: a record cut in half (a writer killed mid-line); the rest as printed.
    std::string text = lines[0] + "\nnot json at all\n" + lines[1] + "\n" + lines[2].substr(0, lines[2].size() / 2) + "\n";
    for (std::size_t i = 3; i < lines.size(); ++i) text += lines[i] + "\n";
    const std::string results = (dir / "damaged.jsonl").string();
    write_text(results, text);
    const std::string library = (dir / "lib.lbx").string();
    auto r = import(library, {results});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(results + ":2: not a photo record") != std::string::npos);
    CHECK(r.err.find(results + ":4: not a photo record") != std::string::npos);
    CHECK(r.err.find(results + ":1:") == std::string::npos);
    CHECK(r.err.find("2 malformed lines") != std::string::npos);
    CHECK(photo_tags(library).size() == lines.size() - 1);  // all but the one cut in half

    // A record is as untrusted as a plugin: a region outside the photo, or larger than the host allows a
    // plugin, is refused with its line named.
    const std::string hostile = (dir / "hostile.jsonl").string();
    write_text(hostile, R"({"path":"/x/a.jpg","hash":"00000000000000000000000000000001","status":"ok","format":"jpeg",)"
                        R"("regions":[{"kind":"object","label":"dog","box":[0.5,0.5,0.9,0.9],"source":"org.x"}]})" "\n");
    auto refused = import((dir / "hostile.lbx").string(), {hostile});
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find(hostile + ":1: not a photo record: a region without") != std::string::npos);

    // A file that is not there: said, and the others still imported; exit code 1.
    auto missing = import((dir / "other.lbx").string(), {(dir / "nope.jsonl").string(), results});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("cannot open '" + (dir / "nope.jsonl").string() + "': no such file") != std::string::npos);
    CHECK(photo_tags((dir / "other.lbx").string()).size() == lines.size() - 1);

    // A metadata-only run without --hash: nothing to key the photos by, so each is skipped, said on stderr.
    auto metadata = run_engine({"run", "--json", "--no-progress", "--only=metadata", "--", photos});
    REQUIRE(metadata.exit_code <= 1);
    auto skipped = import((dir / "meta.lbx").string(), {"-"}, metadata.out);
    INFO(skipped.err);
    CHECK(skipped.exit_code == 0);
    CHECK(skipped.err.find("<stdin>:1: skipped ") != std::string::npos);
    CHECK(skipped.err.find("no hash") != std::string::npos);
    CHECK(skipped.err.find(" 0 photos") != std::string::npos);
}

TEST_CASE("catalog import: a shard killed mid-run, then run again, completes the set", "[catalog_import]") {
    lbx::test::TempDir dir;
    const std::string photos = (dir / "photos").string();
    REQUIRE(run_engine({"sample", photos}).exit_code == 0);
    REQUIRE(run_engine({"sample", photos + "/more"}).exit_code == 0);
    auto single = run_engine(run_args(dir, {"--catalog", (dir / "single.lbx").string(), photos}));
    REQUIRE(single.exit_code <= 1);
    const PhotoTags whole = photo_tags((dir / "single.lbx").string());

    const std::string library = (dir / "lib.lbx").string();
    auto shard0 = run_engine(run_args(dir, {"--shard", "0/2", photos}));
    REQUIRE(shard0.exit_code <= 1);
    write_text(dir / "shard0.jsonl", shard0.out);
    REQUIRE(import(library, {(dir / "shard0.jsonl").string()}).exit_code == 0);

    // Shard 1 killed after its first record: what it printed is imported, and the set is short.
    std::vector<std::string> argv = run_args(dir, {"--jobs", "1", "--shard", "1/2", photos});
    argv.insert(argv.begin(), LIGHTBOX_TEST_ENGINE_EXE);
    lbx::test::ChildProcess killed(argv);
    REQUIRE(killed.wait_for_stdout_lines(1, std::chrono::seconds(60)));
    killed.send_signal(SIGKILL);
    auto cut = killed.wait();
    write_text(dir / "shard1.jsonl", cut.out);
    auto partial = import(library, {(dir / "shard1.jsonl").string()});
    INFO(partial.err);
    REQUIRE(partial.exit_code <= 1);  // a kill mid-line leaves half a record: named, the rest imported
    const auto short_set = photo_tags(library);
    CHECK_FALSE(short_set.empty());

    auto rerun = run_engine(run_args(dir, {"--shard", "1/2", photos}));
    REQUIRE(rerun.exit_code <= 1);
    // The kill can land after the last record was printed (the run was only summing up): the set is
    // short exactly when the killed run printed fewer whole records than a full run of the shard.
    const auto whole_lines = [](const std::string& out) {
        return static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n'));
    };
    if (whole_lines(cut.out) < whole_lines(rerun.out)) CHECK(short_set.size() < whole.size());
    write_text(dir / "shard1.jsonl", rerun.out);
    auto rest = import(library, {(dir / "shard1.jsonl").string()});
    INFO(rest.err);
    REQUIRE(rest.exit_code == 0);
    CHECK(photo_tags(library) == whole);
}

TEST_CASE("catalog import: the perceptual hash and the analysis marks of a record reach the catalog", "[catalog_import]") {
    lbx::test::TempDir dir;
    const std::string photos = (dir / "photos").string();
    REQUIRE(run_engine({"sample", photos}).exit_code == 0);
    auto shard = run_engine(run_args(dir, {photos}));
    REQUIRE(shard.exit_code <= 1);
    std::istringstream lines(shard.out);
    std::string first;
    REQUIRE(std::getline(lines, first));
    auto record = nlohmann::json::parse(first);
    REQUIRE(record.at("phash").get<std::string>().size() == 16);
    // As a run with the analysis on writes them (this one ran with it off, to stay quick).
    record["analysed"] = {{{"stage_id", "objects"}, {"plugin", "org.lightbox.objects"}, {"plugin_version", "1.2.0"}},
                          {{"stage_id", "faces"}, {"plugin", "org.lightbox.faces"}, {"plugin_version", "1.0.0"},
                           {"error", "no_memory: out of memory"}}};
    const std::string results = (dir / "one.jsonl").string();
    write_text(results, record.dump() + "\n");
    const std::string library = (dir / "lib.lbx").string();
    auto imported = import(library, {results});
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);

    auto opened = lbx::engine::catalog::Catalog::open(library);
    REQUIRE(opened);
    auto& db = (*opened)->database();
    auto phash = db.prepare("SELECT printf('%016x', phash) FROM photos WHERE hash = ?1");
    REQUIRE(phash);
    phash->bind({record.at("hash").get<std::string>()});
    REQUIRE(phash->step().value());
    CHECK(phash->column_text(0) == record.at("phash").get<std::string>());
    phash->reset();
    auto marks = db.prepare("SELECT stage, plugin, plugin_version, coalesce(error, '') FROM analyses ORDER BY stage");
    REQUIRE(marks);
    std::vector<std::string> found;
    for (auto row = marks->step(); row && *row; row = marks->step())
        found.push_back(marks->column_text(0) + " " + marks->column_text(1) + " " + marks->column_text(2) + " " + marks->column_text(3));
    CHECK(found == std::vector<std::string>{"faces org.lightbox.faces 1.0.0 no_memory: out of memory",
                                            "objects org.lightbox.objects 1.2.0 "});

    // An entry without its plugin is a bad line, named.
    record["analysed"] = {{{"stage_id", "objects"}}};
    write_text(results, record.dump() + "\n");
    auto bad = import(library, {results});
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("\"analysed\" entry without") != std::string::npos);
}

TEST_CASE("catalog import: records with their metadata entries give the readable metadata a scan stores, and records without keep it",
          "[catalog_import]") {
    lbx::test::TempDir dir;
    const std::string photos = (dir / "photos").string();
    REQUIRE(run_engine({"sample", photos}).exit_code == 0);
    const auto metadata = [](const std::string& catalog) {
        auto q = run_engine({"query", "--catalog", catalog, "--format", "jsonl", "--fields", "hash,metadata"});
        INFO(q.err);
        REQUIRE(q.exit_code == 0);
        std::map<std::string, nlohmann::json> out;
        std::istringstream lines(q.out);
        for (std::string line; std::getline(lines, line);) {
            const auto j = nlohmann::json::parse(line);
            out[j.at("hash").get<std::string>()] = j.at("metadata");
        }
        return out;
    };
    auto single = run_engine(run_args(dir, {"--catalog", (dir / "single.lbx").string(), photos}));
    REQUIRE(single.exit_code == 0);
    const auto scanned = metadata((dir / "single.lbx").string());
    REQUIRE(scanned.size() >= 10);
    CHECK(std::any_of(scanned.begin(), scanned.end(), [](const auto& p) { return p.second.contains("Exif.Image.Make"); }));

    // Shards written with every field, the entries among them.
    std::vector<std::string> full, plain;
    for (int i = 0; i < 2; ++i) {
        auto shard = run_engine(run_args(dir, {"--fields", "all", "--shard", std::to_string(i) + "/2", photos}));
        INFO(shard.err);
        REQUIRE(shard.exit_code == 0);
        full.push_back((dir / ("full" + std::to_string(i) + ".jsonl")).string());
        write_text(full.back(), shard.out);
        auto without = run_engine(run_args(dir, {"--shard", std::to_string(i) + "/2", photos}));
        REQUIRE(without.exit_code == 0);
        CHECK(without.out.find("\"metadata\"") == std::string::npos);
        plain.push_back((dir / ("plain" + std::to_string(i) + ".jsonl")).string());
        write_text(plain.back(), without.out);
    }
    const std::string imported = (dir / "imported.lbx").string();
    auto first = import(imported, full);
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(metadata(imported) == scanned);
    // The default records hold no entries: importing them keeps the ones stored, instead of clearing them.
    auto again = import(imported, plain);
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(metadata(imported) == scanned);

    // An entry of the wrong shape is a bad line, named; the other lines are imported.
    write_text(dir / "bad.jsonl", "{\"path\":\"/x/a.jpg\",\"status\":\"ok\",\"hash\":\"abc\",\"metadata\":{\"Exif.Image.Make\":7}}\n");
    auto bad = import((dir / "other.lbx").string(), {(dir / "bad.jsonl").string()});
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("bad.jsonl:1: not a photo record: a \"metadata\" entry without a \"value\" text") != std::string::npos);
}
