// The command-line conventions of lightbox-engine and lightbox-ctl (sdk_docs/cli.md), in one place so the
// two programs keep them alike:
//   - `-h/--help` and `-V/--version` on the program and on every subcommand;
//   - a usage error is one line "PROGRAM: what is wrong" on stderr, then exit code 2;
//   - number options say what they want: "--jobs: 'abc' is not a whole number between 1 and 1024";
//   - a file argument "-" means stdout (or stdin), as in POSIX utilities;
//   - words that start with '-' are taken as free text (a query's `-tag:blurry`) where a command takes text.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lbx::cli {

inline constexpr int kExitUsage = 2;  // the same in both programs

// Checks for add_option(...)->check(...). The message names the value and what was wanted; CLI11 puts the
// option's name in front ("--jobs: 'abc' is not a whole number between 1 and 1024").
CLI::Validator whole_number(int64_t min, int64_t max);
CLI::Validator number(double min, double max);
// One of the words (also listed by the completions and the man page, from the validator's description).
CLI::Validator one_of(std::vector<std::string> words);

// A subcommand that takes free text (a query) as all its words that are not its options, in order: a word
// that starts with '-' (`-tag:blurry`, `-(a OR b)`) is text, not an unknown option, and after `--` every
// word is. Only words that look like long options (`--limt`) are refused, since no text starts with "--"
// on purpose. Its own -h and -V still win: `-hdr` asks for help; `-- -hdr` is text.
class FreeTextCommand : public CLI::App {
public:
    // `text_name` ("QUERY") and `text_description` describe the text in --help, the man page and the completions.
    FreeTextCommand(CLI::App& parent, std::string name, std::string description, std::string text_name,
                    std::string text_description);

    std::string text() const;  // the words joined by single blanks
    // Words that looked like long options before any `--`: the caller refuses them (usage error).
    std::vector<std::string> unknown_options() const;

private:
    std::vector<std::string> unused_;  // the text's positional, for --help and the generators: never filled
};

// Adds a FreeTextCommand to `parent`; returns it (owned by `parent`).
FreeTextCommand* add_free_text_command(CLI::App& parent, std::string name, std::string description, std::string text_name,
                                       std::string text_description);

// The hidden commands that print what is generated from the App's definitions: `completion bash|zsh` and
// `man`, each with `--output FILE` ("-", the default: stdout). Parse first, then call `run` when `requested`.
class GeneratedDocs {
public:
    GeneratedDocs(CLI::App& root, std::string version);  // version: for the man page's header
    bool requested() const;
    int run(const CLI::App& root) const;  // the exit code

private:
    CLI::App* completion_ = nullptr;
    CLI::App* man_ = nullptr;
    std::string shell_;
    std::string output_ = "-";
    std::string version_;
};

// Call once the whole tree is defined: -V/--version (printing `version`) on the root and every subcommand,
// and usage errors as "PROGRAM: message" plus where to find help.
void finish_definition(CLI::App& root, const std::string& version);

// Parses; a value is the exit code to end with now (0 after --help or --version, 2 after a usage error,
// reported on stderr), nullopt when the command should run.
std::optional<int> parse(CLI::App& root, int argc, const char* const* argv);

// Writes `bytes` to the file `path`, or to stdout when `path` is "-". Empty on success, else why not
// ("cannot write 'out.jpg': No space left on device").
std::string write_output(const std::string& path, std::string_view bytes);

}  // namespace lbx::cli
