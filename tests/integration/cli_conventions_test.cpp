// The command-line conventions of lightbox-engine and lightbox-ctl (sdk_docs/cli.md), on the real binaries:
// NUL-separated paths in and out, query words that start with '-', -V everywhere, number options that say
// what they want, no retries of what cannot heal, and the completions and man pages the build generates
// from the same definitions (sourced in bash, rendered with man).
#include "support/child_process.hpp"
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <set>
#include <sstream>

using lbx::test::run_engine;
using lbx::test::run_process;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, separator)) parts.push_back(part);
    return parts;
}

// The sample set, scanned into a catalog (metadata only: fast, and enough for paths and queries).
struct SampleCatalog {
    lbx::test::TempDir dir;
    std::string catalog = (dir / "lib.lbx").string();
    std::string photos = (dir / "photos").string();
    uint64_t photo_count = 0;

    SampleCatalog() {
        REQUIRE(run_engine({"sample", photos}).exit_code == 0);
        auto scan = run_engine({"run", "--catalog", catalog, "--only", "metadata", "--analysis", "off", "--no-progress", photos});
        INFO(scan.err);
        REQUIRE(scan.exit_code == 0);
        auto all = query({});
        REQUIRE(all.exit_code == 0);
        photo_count = split(all.out, '\n').size();
        REQUIRE(photo_count >= 10);
        CHECK(contains(all.err, std::to_string(photo_count) + " photos"));
    }

    lbx::test::ProcessResult query(std::vector<std::string> args) const {
        args.insert(args.begin(), {"query", "--catalog", catalog});
        return run_engine(args);
    }
    std::size_t matches(const std::vector<std::string>& args) const {
        auto result = query(args);
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        return split(result.out, '\n').size();
    }
};

// What bash completes for a command line whose last word is being typed, with the script the build made.
std::set<std::string> bash_completes(const std::string& program, const std::vector<std::string>& words) {
    const std::string script = LIGHTBOX_TEST_BINARY_DIR "/share/bash-completion/completions/" + program;
    REQUIRE(std::filesystem::exists(script));
    std::string line = "COMP_WORDS=(";
    for (const std::string& w : words) line += "'" + w + "' ";
    line += "); COMP_CWORD=" + std::to_string(words.size() - 1) + "; ";
    std::string function = "_";
    for (char c : program) function += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    // The function's own status is compgen's (1 when nothing matches): only the sourcing must succeed.
    auto result = run_process({"/bin/bash", "-c", "source '" + script + "' && " + line + function +
                                                      "; printf '%s\\n' \"${COMPREPLY[@]}\""});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    std::set<std::string> out;
    for (const std::string& w : split(result.out, '\n'))
        if (!w.empty()) out.insert(w);
    return out;
}

// What zsh's completion system offers for the last word of `line`, with the build's completion functions:
// an interactive zsh in a pseudo-terminal, given the line and a Tab (tests/support/zsh_complete.zsh).
std::set<std::string> zsh_completes(const std::string& line) {
    REQUIRE(std::filesystem::exists("/usr/bin/zsh"));  // scripts/install-deps.sh installs it
    lbx::test::TempDir dir;
    const std::filesystem::path out = dir / "matches";
    auto result = run_process({"/usr/bin/timeout", "60", "/usr/bin/zsh", "-f", LIGHTBOX_TEST_SOURCE_DIR "/tests/support/zsh_complete.zsh",
                               LIGHTBOX_TEST_BINARY_DIR "/share/zsh/site-functions", out.string(), line});
    INFO(line << ": " << result.err);
    REQUIRE(result.exit_code == 0);
    std::set<std::string> matches;
    if (!std::filesystem::exists(out)) return matches;
    auto bytes = lbx::test::read_file(out);
    for (const std::string& w : split(std::string(bytes.begin(), bytes.end()), '\n'))
        if (!w.empty()) matches.insert(w);
    return matches;
}

// The man page the build made, rendered by man(1) as plain text.
std::string rendered_man_page(const std::string& program) {
    const std::string page = LIGHTBOX_TEST_BINARY_DIR "/share/man/man1/" + program + ".1";
    REQUIRE(std::filesystem::exists(page));
    if (!std::filesystem::exists("/usr/bin/man") || !std::filesystem::exists("/usr/bin/groff")) {
        WARN("man or groff is not installed: the roff text itself is checked");
        auto bytes = lbx::test::read_file(page);
        std::string text(bytes.begin(), bytes.end());
        for (std::size_t at; (at = text.find("\\-")) != std::string::npos;) text.replace(at, 2, "-");
        return text;
    }
    // groff's own warnings (-ww) would flag a malformed request or escape in the generated roff.
    auto checked = run_process({"/usr/bin/groff", "-man", "-ww", "-z", page});
    CHECK(checked.exit_code == 0);
    CHECK(checked.err.empty());
    auto shown = run_process({"/usr/bin/man", "-l", page}, {"MANPAGER=cat", "PAGER=cat", "MANWIDTH=200", "LC_ALL=C"});
    INFO(shown.err);
    REQUIRE(shown.exit_code == 0);
    return shown.out;
}

const std::vector<std::vector<std::string>> kEngineCommands{
    {}, {"run"}, {"plugins"}, {"plugins", "inspect"}, {"plugins", "check"}, {"plugins", "reset"},
    {"serve"}, {"query"}, {"thumbs"}, {"sample"}};
const std::vector<std::string> kCtlCommands{
    "hello", "plugins", "scan", "status", "cancel", "jobs", "photo", "thumbnail", "watch", "shutdown", "query", "facets",
    "tag", "failures", "rescan", "remove", "library", "settings", "analysis", "persons", "person-rename",
    "person-merge", "face-remove"};

}  // namespace

TEST_CASE("run -0 reads NUL-terminated paths, and a NUL in a newline-separated list is a usage error", "[cli]") {
    lbx::test::TempDir dir;
    REQUIRE(run_engine({"sample", (dir / "photos").string()}).exit_code == 0);
    // A name with a newline in it: only a NUL-terminated list can name it.
    const auto odd = dir / "photos" / "two\nlines.jpg";
    std::filesystem::rename(dir / "photos" / "jpeg-orientation-1-paris.jpg", odd);
    const auto plain = dir / "photos" / "jpeg-orientation-3-tokyo.jpg";
    REQUIRE(std::filesystem::exists(plain));
    const std::string list = odd.string() + '\0' + plain.string() + '\0';

    auto nul = run_engine({"run", "-0", "--json", "--only", "metadata", "--no-progress", "-"}, {}, list);
    INFO(nul.err);
    CHECK(nul.exit_code == 0);
    std::set<std::string> paths;
    for (const std::string& line : split(nul.out, '\n')) {
        auto j = nlohmann::json::parse(line);
        CHECK(j.at("status") == "ok");
        paths.insert(j.at("path").get<std::string>());
    }
    CHECK(paths == std::set<std::string>{odd.string(), plain.string()});
    auto long_name = run_engine({"run", "--null", "--only", "metadata", "--no-progress", "-"}, {}, list);
    CHECK(long_name.exit_code == 0);

    // A NUL-terminated list read as lines: its first line holds a NUL, so it is refused before any file is
    // read; never is a path cut at the NUL or stored with it.
    const std::string no_newlines = plain.string() + '\0' + (dir / "photos" / "png-screenshot.png").string() + '\0';
    auto lines = run_engine({"run", "--json", "--only", "metadata", "--catalog", (dir / "lib.lbx").string(), "-"}, {}, no_newlines);
    CHECK(lines.exit_code == 2);
    CHECK(contains(lines.err, "stdin line 1 holds a NUL byte: paths that end with NUL (find -print0) need -0"));
    CHECK(lines.out.empty());
    auto stored = run_engine({"query", "--catalog", (dir / "lib.lbx").string()});
    CHECK(stored.out.empty());
    CHECK(contains(stored.err, "0 photos"));

    auto without_stdin = run_engine({"run", "-0", (dir / "photos").string()});
    CHECK(without_stdin.exit_code == 2);
    CHECK(contains(without_stdin.err, "no path is '-'"));
}

TEST_CASE("query --print0, query words that start with '-', and the total of a page", "[cli]") {
    SampleCatalog sample;

    auto nul = sample.query({"--print0"});
    REQUIRE(nul.exit_code == 0);
    REQUIRE_FALSE(nul.out.empty());
    CHECK(nul.out.back() == '\0');
    CHECK_FALSE(contains(nul.out, "\n"));
    const std::vector<std::string> paths = split(nul.out, '\0');
    CHECK(paths.size() == sample.photo_count);
    for (const std::string& p : paths) CHECK(std::filesystem::is_regular_file(p));
    CHECK(sample.query({"--print0", "--json"}).exit_code == 2);

    // A negated term as the first word: an option to CLI11 unless the command takes it as text.
    const std::size_t paris = sample.matches({"path:paris"});
    REQUIRE(paris >= 1);
    CHECK(sample.matches({"-path:paris"}) == sample.photo_count - paris);
    CHECK(sample.matches({"--", "-path:paris"}) == sample.photo_count - paris);
    CHECK(sample.matches({"--json", "-path:paris", "--sort", "path"}) == sample.photo_count - paris);
    // Several words are one query, in order; quoted or not is the same.
    CHECK(sample.matches({"path:orientation", "-path:paris"}) == sample.matches({"path:orientation -path:paris"}));
    CHECK(sample.matches({"path:paris", "OR", "path:tokyo"}) == paris + sample.matches({"path:tokyo"}));

    auto typo = sample.query({"--limt", "3"});
    CHECK(typo.exit_code == 2);
    CHECK(contains(typo.err, "unknown option '--limt'"));
    CHECK(contains(typo.err, "'--'"));

    auto page = sample.query({"--limit", "3"});
    CHECK(split(page.out, '\n').size() == 3);
    CHECK(contains(page.err, "3 of " + std::to_string(sample.photo_count) + " photos"));
    auto later = sample.query({"--limit", "3", "--offset", "2"});
    CHECK(contains(later.err, "3 of " + std::to_string(sample.photo_count) + " photos (3 to 5)"));

    auto bad_date = sample.query({"date:2019-13"});
    CHECK(bad_date.exit_code == 2);
    CHECK(contains(bad_date.err, "query error at position 6: 'date:2019-13': month 13 is not 1-12"));
    auto empty_range = sample.query({"year:2019..2018"});
    CHECK(empty_range.exit_code == 2);
    CHECK(contains(empty_range.err, "the range is empty"));
    CHECK(sample.query({"focal:nan"}).exit_code == 2);
}

TEST_CASE("every command of both programs takes -V and --version, and --help", "[cli]") {
    for (const auto& command : kEngineCommands) {
        for (const char* flag : {"-V", "--version"}) {
            std::vector<std::string> args = command;
            args.push_back(flag);
            auto result = run_engine(args);
            INFO("lightbox-engine " << join(args) << "\n" << result.err);
            CHECK(result.exit_code == 0);
            CHECK(result.out.starts_with("lightbox-engine 0.1.0 (plugin API "));
        }
    }
    auto help = run_engine({"query", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(contains(help.out, "--print0"));
    CHECK(contains(help.out, "Words that start with '-' are part of it"));
    for (std::string command : kCtlCommands) {
        for (std::vector<std::string> args : {std::vector<std::string>{command, "-V"}, std::vector<std::string>{"-V"}}) {
            auto result = run_process({LIGHTBOX_TEST_CTL_EXE, args[0], args.size() > 1 ? args[1] : "--version"});
            INFO("lightbox-ctl " << join(args) << "\n" << result.err);
            CHECK(result.exit_code == 0);
            CHECK(result.out.starts_with("lightbox-ctl 0.1.0 (protocol "));
        }
    }
}

TEST_CASE("sample prints each photo it writes, and says why when it cannot write them or its helper is missing", "[cli]") {
    lbx::test::TempDir dir;
    const auto wrote = run_engine({"sample", (dir / "photos").string()});
    INFO(wrote.err);
    REQUIRE(wrote.exit_code == 0);
    const std::vector<std::string> files = split(wrote.out, '\n');
    REQUIRE(files.size() >= 10);
    for (const std::string& f : files) CHECK(std::filesystem::is_regular_file(f));
    CHECK(contains(wrote.err, "wrote " + std::to_string(files.size()) + " sample photos"));

    const auto unwritable = run_engine({"sample", "/proc/lightbox-no-such-dir"});
    CHECK(unwritable.exit_code == 1);
    CHECK(contains(unwritable.err, "cannot write the sample set to '/proc/lightbox-no-such-dir'"));

    // lightbox-engine writes photos with lightbox-engine-sample, installed beside it; alone, it says so.
    const std::filesystem::path alone = dir / "alone" / "lightbox-engine";
    std::filesystem::create_directories(alone.parent_path());
    std::filesystem::copy_file(LIGHTBOX_TEST_ENGINE_EXE, alone);
    std::filesystem::permissions(alone, std::filesystem::perms::owner_exec, std::filesystem::perm_options::add);
    const auto missing = run_process({alone.string(), "sample", (dir / "more").string()});
    CHECK(missing.exit_code == 1);
    CHECK(contains(missing.err, "cannot start " + (alone.parent_path() / "lightbox-engine-sample").string()));
    CHECK_FALSE(std::filesystem::exists(dir / "more"));
}

TEST_CASE("number options say what they want, with exit code 2", "[cli]") {
    auto jobs = run_engine({"run", "--jobs=abc", "/nonexistent"});
    CHECK(jobs.exit_code == 2);
    CHECK(contains(jobs.err, "lightbox-engine: --jobs: 'abc' is not a whole number between 1 and 1024"));
    CHECK(contains(run_engine({"run", "-j", "0", "/x"}).err, "--jobs: '0' is not a whole number between 1 and 1024"));
    CHECK(contains(run_engine({"run", "--jobs", "1.5", "/x"}).err, "'1.5' is not a whole number"));
    CHECK(contains(run_engine({"serve", "--nice", "40"}).err, "--nice: '40' is not a whole number between 0 and 19"));
    auto timeout = run_engine({"run", "--file-timeout", "nan", "/x"});
    CHECK(timeout.exit_code == 2);
    CHECK(contains(timeout.err, "--file-timeout: 'nan' is not a number between 0.1 and 86400"));
    auto sort = run_engine({"query", "--sort", "size"});
    CHECK(sort.exit_code == 2);
    CHECK(contains(sort.err, "--sort: 'size' is not one of: taken, path, added"));
    auto ctl = run_process({LIGHTBOX_TEST_CTL_EXE, "--timeout", "soon", "hello"});
    CHECK(ctl.exit_code == 2);
    CHECK(contains(ctl.err, "lightbox-ctl: --timeout: 'soon' is not a whole number between 10 and 600000"));
    auto no_command = run_engine({});
    CHECK(no_command.exit_code == 2);
    CHECK(contains(no_command.err, "lightbox-engine --help"));
}

TEST_CASE("lightbox-ctl says at once that no engine listens at a socket that does not exist", "[cli]") {
    lbx::test::TempDir dir;
    const auto before = std::chrono::steady_clock::now();
    // The default timeout and retries: 3 attempts of 1.5 s, had it tried.
    auto result = run_process({LIGHTBOX_TEST_CTL_EXE, "--endpoint", "ipc://" + (dir / "engine.cmd").string(), "hello"});
    const auto elapsed = std::chrono::steady_clock::now() - before;
    CHECK(result.exit_code == 3);
    CHECK(contains(result.err, "does not exist"));
    CHECK(elapsed < 1s);
}

TEST_CASE("the build's bash completions complete commands, options and values of both programs", "[cli]") {
    using Words = std::set<std::string>;
    CHECK(bash_completes("lightbox-engine", {"lightbox-engine", "ru"}) == Words{"run"});
    CHECK(bash_completes("lightbox-engine", {"lightbox-engine", "run", "--ca"}) == Words{"--catalog"});
    CHECK(bash_completes("lightbox-engine", {"lightbox-engine", "run", "--jobs", "4", "--no-p"}) == Words{"--no-progress"});
    CHECK(bash_completes("lightbox-engine", {"lightbox-engine", "query", "--sort", ""}) == Words{"taken", "path", "added"});
    CHECK(bash_completes("lightbox-engine", {"lightbox-engine", "query", "--pr"}) == Words{"--print0"});
    CHECK(bash_completes("lightbox-engine", {"lightbox-engine", "plugins", ""}) == Words{"inspect", "check", "reset"});
    CHECK(bash_completes("lightbox-engine", {"lightbox-engine", "thumbs", "p"}) == Words{"prune", "prewarm"});
    CHECK(bash_completes("lightbox-engine", {"lightbox-engine", "run", "--isolation", ""}) == Words{"process", "none"});
    CHECK(bash_completes("lightbox-engine", {"lightbox-engine", "w"}).empty());  // worker is hidden
    CHECK(bash_completes("lightbox-ctl", {"lightbox-ctl", "--json", "qu"}) == Words{"query"});
    CHECK(bash_completes("lightbox-ctl", {"lightbox-ctl", "thumbnail", "--o"}) == Words{"--output"});
    CHECK(bash_completes("lightbox-ctl", {"lightbox-ctl", "analysis", ""}) == Words{"pause", "resume"});
    // The record options, defined once (cli_support/record_output.cpp) on run, query and lightbox-ctl query.
    for (const char* command : {"run", "query"})
        CHECK(bash_completes("lightbox-engine", {"lightbox-engine", command, "--format", ""}) == Words{"jsonl", "json", "csv", "tsv"});
    CHECK(bash_completes("lightbox-ctl", {"lightbox-ctl", "query", "--format", ""}) == Words{"jsonl", "json", "csv", "tsv"});
    CHECK(bash_completes("lightbox-ctl", {"lightbox-ctl", "query", "--fi"}) == Words{"--fields"});
}

TEST_CASE("the build's zsh completions complete commands, options and values of both programs", "[cli]") {
    using Words = std::set<std::string>;
    const std::string zsh = LIGHTBOX_TEST_BINARY_DIR "/share/zsh/site-functions/_lightbox-engine";
    auto zsh_text = lbx::test::read_file(zsh);
    const std::string text(zsh_text.begin(), zsh_text.end());
    CHECK(text.starts_with("#compdef lightbox-engine\n"));
    CHECK(contains(text, "'--catalog=[store results in this catalog"));
    CHECK(zsh_completes("lightbox-engine ru") == Words{"run"});
    CHECK(zsh_completes("lightbox-engine run --ca") == Words{"--catalog"});
    CHECK(zsh_completes("lightbox-engine run --jobs 4 --no-p") == Words{"--no-progress"});
    CHECK(zsh_completes("lightbox-engine query --sort ") == Words{"taken", "path", "added"});
    CHECK(zsh_completes("lightbox-engine query --pr") == Words{"--print0"});
    CHECK(zsh_completes("lightbox-engine plugins ") == Words{"inspect", "check", "reset"});
    CHECK(zsh_completes("lightbox-engine thumbs p") == Words{"prune", "prewarm"});
    CHECK(zsh_completes("lightbox-engine run --isolation ") == Words{"process", "none"});
    CHECK(zsh_completes("lightbox-engine w").empty());           // worker is hidden
    CHECK(zsh_completes("lightbox-engine run --jobs ").empty());  // a number: no file names
    CHECK(zsh_completes("lightbox-ctl --json qu") == Words{"query"});
    CHECK(zsh_completes("lightbox-ctl thumbnail --o") == Words{"--output"});
    CHECK(zsh_completes("lightbox-ctl analysis ") == Words{"pause", "resume"});
    for (const char* command : {"run", "query"})
        CHECK(zsh_completes(std::string("lightbox-engine ") + command + " --format ") == Words{"jsonl", "json", "csv", "tsv"});
    CHECK(zsh_completes("lightbox-ctl query --format ") == Words{"jsonl", "json", "csv", "tsv"});
    CHECK(zsh_completes("lightbox-ctl query --fi") == Words{"--fields"});
}

TEST_CASE("the build's man pages list every command and option and render with man", "[cli]") {
    const std::string engine = rendered_man_page("lightbox-engine");
    for (const auto& command : kEngineCommands) {
        if (command.empty()) continue;
        INFO(join(command));
        CHECK(contains(engine, "lightbox-engine " + join(command)));
    }
    for (const char* text : {"NAME", "SYNOPSIS", "EXIT STATUS", "--catalog", "--print0", "--null", "QUERY...", "paths..."})
        CHECK(contains(engine, text));
    CHECK_FALSE(contains(engine, "lightbox-engine worker"));
    const std::string ctl = rendered_man_page("lightbox-ctl");
    for (const std::string& command : kCtlCommands) CHECK(contains(ctl, "lightbox-ctl " + command));
    CHECK(contains(ctl, "--endpoint"));
}
