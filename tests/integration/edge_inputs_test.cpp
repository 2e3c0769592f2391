// What a scripting user hits at the edges, end to end with the real binaries on real files: FIFOs and
// other special files, paths that are not UTF-8, hostile queries, unreadable folders, earlier failures
// on a rescan, a full disk under the catalog and a catalog this user may not write.
#include "catalog/catalog.hpp"
#include "support/child_process.hpp"
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include <lightbox/ipc/json_path.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace lbx;
using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr uid_t kOtherUser = 65534;  // "nobody": any uid but root's does

std::vector<json> json_lines(const std::string& out) {
    std::vector<json> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        INFO("line: " << line);
        CHECK(ipc::is_valid_utf8(line));
        lines.push_back(json::parse(line));
    }
    return lines;
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// The engine as another user, with its own cache and data folders under `home`.
test::ProcessResult run_engine_as_other_user(const std::vector<std::string>& args, const fs::path& home) {
    std::vector<std::string> argv{LIGHTBOX_TEST_ENGINE_EXE};
    argv.insert(argv.end(), args.begin(), args.end());
    test::ChildProcess child(argv,
                             {"HOME=" + home.string(), "XDG_CACHE_HOME=" + (home / "cache").string(),
                              "XDG_DATA_HOME=" + (home / "data").string()},
                             "", kOtherUser);
    auto result = child.wait(60s);
    REQUIRE(result.exit_code != 126);  // could not switch user
    return result;
}

// Whether the other user can start the build's engine at all: the build tree may lie under a home
// directory that user cannot enter (root's is 0700), and exec then fails (127) whatever the engine does.
// The engine needs its plugins and libraries beside it, too big to copy for a test: such a test skips.
bool other_user_reaches_engine() {
    test::ChildProcess probe({LIGHTBOX_TEST_ENGINE_EXE, "--version"}, {}, "", kOtherUser);
    return probe.wait(30s).exit_code != 127;
}
#define LBX_SKIP_UNLESS_OTHER_USER_REACHES_ENGINE()                                                                 \
    if (!other_user_reaches_engine()) {                                                                            \
        WARN("skipped: uid 65534 cannot run " LIGHTBOX_TEST_ENGINE_EXE " (exit 127): the build tree lies where "   \
             "that user cannot enter, such as root's home; clone or build elsewhere to run this test");          \
        return;                                                                                                    \
    }

void give_to_other_user(const fs::path& path) {
    REQUIRE(::chown(path.c_str(), kOtherUser, kOtherUser) == 0);
    fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
}

// A tmpfs mounted for one test, unmounted at its end.
class TmpfsMount {
public:
    TmpfsMount(const fs::path& where, const std::string& size) : where_(where) {
        fs::create_directories(where);
        auto r = test::run_process({"/usr/bin/mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", where.string()});
        mounted_ = r.exit_code == 0;
        error_ = r.err;
    }
    ~TmpfsMount() {
        if (mounted_) test::run_process({"/usr/bin/umount", where_.string()});
    }
    TmpfsMount(const TmpfsMount&) = delete;
    TmpfsMount& operator=(const TmpfsMount&) = delete;
    bool mounted() const { return mounted_; }
    const std::string& error() const { return error_; }

private:
    fs::path where_;
    bool mounted_ = false;
    std::string error_;
};

}  // namespace

TEST_CASE("a FIFO named on the command line or on stdin fails at once, and a served scan of one ends",
          "[integration][cli]") {
    test::TempDir dir;
    test::write_photo_set(dir / "photos", 1, 160, 120);
    const fs::path fifo = dir / "pipe.jpg";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string photo = (dir / "photos" / "photo-0000.jpg").string();

    for (const bool from_stdin : {false, true}) {
        INFO((from_stdin ? "paths on stdin" : "paths as arguments"));
        auto r = from_stdin ? test::run_engine({"run", "--json", "--only", "metadata", "-"}, {},
                                               fifo.string() + "\n" + photo + "\n")
                            : test::run_engine({"run", "--json", "--only", "metadata", fifo.string(), photo});
        CHECK_FALSE(r.timed_out);
        CHECK(r.exit_code == 1);
        auto lines = json_lines(r.out);
        REQUIRE(lines.size() == 2);
        for (const json& line : lines) {
            if (line["path"] != fifo.string()) continue;
            CHECK(line["status"] == "failed");
            CHECK(line["error"]["code"] == "not_regular_file");
            CHECK(line["error"]["message"] == "cannot read: a FIFO (named pipe), not a regular file (not opened)");
        }
    }

    test::ServedEngine engine;
    auto scanned = test::run_ctl({"--endpoint", engine.command_endpoint(), "scan", fifo.string(), "--wait"});
    CHECK(scanned.exit_code == 1);  // the job completed, with one failed file
    CHECK((scanned.out + scanned.err).find("completed") != std::string::npos);
}

TEST_CASE("special files, broken symlinks and empty non-photos in a walked folder get a line and a count",
          "[integration][cli]") {
    test::TempDir dir;
    const fs::path photos = dir / "photos";
    test::write_photo_set(photos, 1, 160, 120);
    REQUIRE(::mkfifo((photos / "fifo").c_str(), 0600) == 0);
    const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(sock >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", (photos / "sock").c_str());
    REQUIRE(::bind(sock, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    ::close(sock);
    fs::create_symlink(photos / "gone.jpg", photos / "dangling.jpg");
    fs::create_symlink(photos / "loop-b.jpg", photos / "loop-a.jpg");
    fs::create_symlink(photos / "loop-a.jpg", photos / "loop-b.jpg");
    test::write_file(photos / "notes.txt", {});

    auto r = test::run_engine({"run", "--json", "--only", "metadata", photos.string()});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 1);
    std::map<std::string, json> by_name;
    for (const json& line : json_lines(r.out))
        by_name[fs::path(line["path"].get<std::string>()).filename().string()] = line;
    REQUIRE(by_name.size() == 4);
    CHECK(by_name["photo-0000.jpg"]["status"] == "ok");
    CHECK(by_name["dangling.jpg"]["error"]["code"] == "broken_link");
    CHECK(by_name["dangling.jpg"]["error"]["message"] ==
          "dangling symlink to '" + (photos / "gone.jpg").string() + "' (no such file)");
    CHECK(by_name["loop-a.jpg"]["error"]["code"] == "broken_link");
    CHECK(by_name["loop-a.jpg"]["error"]["message"].get<std::string>().starts_with("symlink loop"));
    CHECK(r.err.find("skipped " + (photos / "fifo").string() + ": a FIFO (named pipe), not a photo\n") !=
          std::string::npos);
    CHECK(r.err.find("skipped " + (photos / "sock").string() + ": a socket, not a photo\n") != std::string::npos);
    CHECK(r.err.find("notes.txt") == std::string::npos);  // an ordinary non-photo: only counted
    CHECK(r.err.find("3 skipped (not photos)") != std::string::npos);
}

TEST_CASE("a path that is not UTF-8 is written losslessly by run, query and lightbox-ctl", "[integration][cli][ctl]") {
    test::TempDir dir;
    test::write_photo_set(dir / "src", 1, 160, 120);
    const fs::path photos = dir / "photos";
    fs::create_directories(photos);
    const fs::path odd = photos / "caf\xe9.jpg";  // Latin-1 e-acute alone: not UTF-8
    fs::copy_file(dir / "src" / "photo-0000.jpg", odd);
    const std::string shown = (photos / "caf\xEF\xBF\xBD.jpg").string();  // U+FFFD in its place
    const std::string exact = ipc::base64(odd.string());
    auto check_path = [&](const json& j) {
        CHECK(j["path"] == shown);
        CHECK(j["path_b64"] == exact);
    };

    auto run = test::run_engine({"run", "--json", "--thumbs", (dir / "thumbs").string(), photos.string()});
    INFO("stderr: " << run.err);
    REQUIRE(run.exit_code == 0);
    auto lines = json_lines(run.out);
    REQUIRE(lines.size() == 1);
    check_path(lines[0]);
    CHECK(lines[0]["status"] == "ok");
    CHECK_FALSE(lines[0]["thumbnails"][0].contains("path_b64"));  // a UTF-8 path has no second field

    const std::string catalog = (dir / "library.lbx").string();
    REQUIRE(test::run_engine({"run", "--catalog", catalog, "--only", "metadata", photos.string()}).exit_code == 0);
    auto rescan = test::run_engine({"run", "--json", "--catalog", catalog, "--only", "metadata", photos.string()});
    auto unchanged = json_lines(rescan.out);
    REQUIRE(unchanged.size() == 1);
    CHECK(unchanged[0]["status"] == "unchanged");
    check_path(unchanged[0]);
    auto query = test::run_engine({"query", "--catalog", catalog, "--json"});
    REQUIRE(query.exit_code == 0);
    auto rows = json_lines(query.out);
    REQUIRE(rows.size() == 1);
    check_path(rows[0]);

    test::ServedEngine engine({"--catalog", (dir / "served.lbx").string()});
    auto ctl = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--endpoint", engine.command_endpoint()});
        return test::run_ctl(args);
    };
    REQUIRE(ctl({"scan", photos.string(), "--wait"}).exit_code == 0);
    auto listed = ctl({"--json", "query"});  // photo records, one per line
    REQUIRE(listed.exit_code == 0);
    auto records = json_lines(listed.out);
    REQUIRE(records.size() == 1);
    check_path(records[0]);
    auto photo = ctl({"--json", "photo", records[0]["hash"].get<std::string>()});
    REQUIRE(photo.exit_code == 0);
    auto details = json_lines(photo.out);
    REQUIRE(details.size() == 1);
    check_path(details[0]);
}

TEST_CASE("hostile queries are short positioned errors: exit 2 from query, bad_query from a service that lives on",
          "[integration][cli][ctl]") {
    test::TempDir dir;
    test::write_photo_set(dir / "photos", 2, 160, 120);
    const std::string catalog = (dir / "library.lbx").string();
    REQUIRE(
        test::run_engine({"run", "--catalog", catalog, "--only", "metadata", (dir / "photos").string()}).exit_code ==
        0);

    const std::string deep = std::string(20000, '(') + "a" + std::string(20000, ')');
    std::string huge;
    for (int i = 0; i < 10000; ++i) huge += "w" + std::to_string(i) + " ";  // one argument stays under 128 KiB
    for (const std::string& query : {deep, huge}) {
        auto r = test::run_engine({"query", "--catalog", catalog, query});
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("query error at position") != std::string::npos);
        CHECK(r.err.size() < 400);
        CHECK(r.err.find("SELECT") == std::string::npos);
    }

    test::ServedEngine engine({"--catalog", catalog});
    auto refused = test::run_ctl({"--endpoint", engine.command_endpoint(), "query", deep});
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("parentheses nested too deeply") != std::string::npos);
    CHECK(refused.err.find("bad_query") != std::string::npos);
    auto still = test::run_ctl({"--endpoint", engine.command_endpoint(), "query"});
    CHECK(still.exit_code == 0);  // the service is still serving
}

TEST_CASE("a rescan says that unchanged files which failed before are still failed, and exits 1",
          "[integration][catalog]") {
    test::TempDir dir;
    const fs::path photos = dir / "photos";
    test::write_photo_set(photos, 2, 160, 120);
    auto bytes = test::read_file(photos / "photo-0000.jpg");
    bytes.resize(bytes.size() / 3);
    test::write_file(photos / "truncated.jpg", bytes);
    const std::string catalog = (dir / "library.lbx").string();
    const std::vector<std::string> scan{"run",          "--catalog", catalog, "--thumbs", (dir / "thumbs").string(),
                                        photos.string()};

    std::vector<std::string> json_scan = scan;
    json_scan.insert(json_scan.begin() + 1, "--json");
    auto error_of_truncated = [](const std::vector<json>& lines) {
        for (const json& line : lines)
            if (fs::path(line["path"].get<std::string>()).filename() == "truncated.jpg") return line;
        FAIL("no line for truncated.jpg");
        return json();
    };
    auto first = test::run_engine(json_scan);
    CHECK(first.exit_code == 1);
    const json failed = error_of_truncated(json_lines(first.out));
    REQUIRE(failed["status"] == "failed");

    auto again = test::run_engine(json_scan);
    INFO("stderr: " << again.err);
    CHECK(again.exit_code == 1);
    auto lines = json_lines(again.out);
    REQUIRE(lines.size() == 3);
    const json still = error_of_truncated(lines);
    CHECK(still["status"] == "failed");
    CHECK(still["unchanged"] == true);
    for (const char* field : {"stage", "plugin", "plugin_version", "code", "message"})
        CHECK(still["error"][field] == failed["error"][field]);
    for (const json& line : lines)
        if (line != still) CHECK(line["status"] == "unchanged");
    CHECK(again.err.find("1 unchanged files are still failed (--retry-failed reads them again)") != std::string::npos);

    auto human = test::run_engine(scan);
    CHECK(human.exit_code == 1);
    const json& e = failed["error"];
    CHECK(human.out.find("FAILED  " + (photos / "truncated.jpg").string() + ": " + e["stage"].get<std::string>() +
                         " (" + e["plugin"].get<std::string>() + "): " + e["code"].get<std::string>() + ": " +
                         e["message"].get<std::string>() + " (unchanged since an earlier scan)\n") !=
          std::string::npos);
}

TEST_CASE("an unreadable subfolder leaves its photos in the catalog as they were, with a warning",
          "[integration][catalog]") {
    if (::geteuid() != 0) {
        WARN("skipped: needs root to run the engine as a second user, who cannot list a mode-000 folder");
        return;
    }
    LBX_SKIP_UNLESS_OTHER_USER_REACHES_ENGINE();
    test::TempDir dir;
    give_to_other_user(dir.path());
    const fs::path photos = dir / "photos";
    test::write_photo_set(photos, 2, 160, 120);
    test::write_photo_set(photos / "locked", 2, 200, 150);
    const std::string catalog = (dir / "library.lbx").string();
    const std::vector<std::string> scan{"run", "--catalog", catalog, "--only", "metadata", photos.string()};
    REQUIRE(test::run_engine(scan).exit_code == 0);
    for (const fs::path& p : {dir / "library.lbx", photos, photos / "photo-0000.jpg", photos / "photo-0001.jpg"})
        give_to_other_user(p);
    fs::permissions(photos / "locked", fs::perms::none);

    // Root lists any folder: the engine runs as another user, who cannot list photos/locked.
    auto r = run_engine_as_other_user(scan, dir.path());
    fs::permissions(photos / "locked", fs::perms::owner_all);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 1);  // the folder is a failed entry
    CHECK(r.out.find("FAILED  " + (photos / "locked").string() +
                     ": read (engine): unreadable_folder: cannot list folder: Permission denied") != std::string::npos);
    CHECK(r.err.find("warning: cannot list folder '" + (photos / "locked").string() +
                     "': the catalog keeps its files as they were") != std::string::npos);
    CHECK(r.err.find("marked missing") == std::string::npos);

    auto opened = engine::catalog::Catalog::open(catalog);
    REQUIRE(opened);
    auto states = (*opened)->file_states();
    REQUIRE(states);
    CHECK(states->at((photos / "locked" / "photo-0000.jpg").string()).status == "ok");
    CHECK(states->at((photos / "locked" / "photo-0001.jpg").string()).status == "ok");
}

TEST_CASE("a full disk under the catalog names the results not stored, stops the run and exits 3",
          "[integration][catalog]") {
    test::TempDir dir;
    TmpfsMount disk(dir / "disk", "1m");
    if (!disk.mounted()) {
        WARN("skipped: cannot mount a tmpfs here (" << disk.error() << ")");
        return;
    }
    const fs::path photos = dir / "photos";
    test::write_photo_set(photos / "first", 1, 64, 48);
    const std::string catalog = (dir / "disk" / "library.lbx").string();
    REQUIRE(
        test::run_engine({"run", "--catalog", catalog, "--only", "metadata", (photos / "first").string()}).exit_code ==
        0);
    // Fill the disk, then free a little: room for the WAL index (32 KiB) and hardly any log.
    {
        std::ofstream filler(dir / "disk" / "filler", std::ios::binary);
        const std::string block(4096, 'x');
        while (filler.write(block.data(), block.size())) {
        }
    }
    fs::resize_file(dir / "disk" / "filler", fs::file_size(dir / "disk" / "filler") - 36 * 1024);

    const int count = 400;
    test::write_photo_set(photos / "more", count, 64, 48);
    auto r = test::run_engine(
        {"run", "--catalog", catalog, "--only", "metadata", "--jobs", "2", (photos / "more").string()});
    INFO("stderr: " << r.err.substr(0, 2000));
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("lightbox-engine: cannot store results in catalog '" + catalog + "': ") != std::string::npos);
    CHECK(r.err.find("; stopping\n") != std::string::npos);
    const std::size_t printed = count_of(r.out, "\n");
    const std::size_t not_stored = count_of(r.err, "lightbox-engine: not stored in the catalog: ");
    CHECK(printed < static_cast<std::size_t>(count));  // stopped
    CHECK(not_stored == printed);                      // every result printed is named as not stored

    fs::remove(dir / "disk" / "filler");
    auto opened = engine::catalog::Catalog::open(catalog);
    REQUIRE(opened);
    CHECK((*opened)->integrity_check().value() == "ok");
    CHECK((*opened)->stats().value().files_ok == 1);  // only the first scan's photo
}

TEST_CASE("query and thumbs stats read a catalog this user may not write", "[integration][catalog]") {
    if (::geteuid() != 0) {
        WARN("skipped: needs root to run the engine as a second user, for whom the catalog is read-only");
        return;
    }
    LBX_SKIP_UNLESS_OTHER_USER_REACHES_ENGINE();
    test::TempDir dir;
    // The folder stays root's (0755): the other user can read the catalog but not create its -wal or -shm.
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
    test::write_photo_set(dir / "photos", 3, 160, 120);
    const std::string catalog = (dir / "library.lbx").string();
    REQUIRE(test::run_engine(
                {"run", "--catalog", catalog, "--thumbs", (dir / "thumbs").string(), (dir / "photos").string()})
                .exit_code == 0);
    REQUIRE_FALSE(fs::exists(catalog + "-wal"));
    fs::permissions(catalog,
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);

    auto query = run_engine_as_other_user({"query", "--catalog", catalog, "--json", ""}, dir.path());
    INFO("stderr: " << query.err);
    CHECK(query.exit_code == 0);
    CHECK(json_lines(query.out).size() == 3);
    auto stats = run_engine_as_other_user({"thumbs", "stats", "--catalog", catalog, "--json"}, dir.path());
    INFO("stderr: " << stats.err);
    CHECK(stats.exit_code == 0);
    CHECK(json::parse(stats.out)["thumbnails"] == 6);  // 3 photos, 2 sizes
    CHECK_FALSE(fs::exists(catalog + "-shm"));
}

TEST_CASE("a path is written as valid UTF-8, with its exact bytes in base64 only when needed", "[integration][cli]") {
    json j;
    ipc::put_path(j, "path", "/photos/caf\xc3\xa9 \xf0\x9f\x93\xb7.jpg");  // é and a camera emoji: valid
    CHECK(j["path"] == "/photos/caf\xc3\xa9 \xf0\x9f\x93\xb7.jpg");
    CHECK_FALSE(j.contains("path_b64"));

    ipc::put_path(j, "path", "/photos/caf\xe9.jpg");
    CHECK(j["path"] == "/photos/caf\xef\xbf\xbd.jpg");
    CHECK(j["path_b64"] == "L3Bob3Rvcy9jYWbpLmpwZw==");  // base64 -w0 of the bytes
    // Overlong forms, surrogates, code points past U+10FFFF and a cut sequence are not UTF-8.
    for (const char* bad : {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\xff"}) {
        INFO("bytes: " << bad);
        CHECK_FALSE(ipc::is_valid_utf8(bad));
        CHECK(ipc::is_valid_utf8(ipc::valid_utf8(bad)));
    }
    CHECK(ipc::base64("") == "");
    CHECK(ipc::base64("f") == "Zg==");
    CHECK(ipc::base64("fo") == "Zm8=");
    CHECK(ipc::base64("foo") == "Zm9v");
}
