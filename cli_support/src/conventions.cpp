#include "lightbox/cli/conventions.hpp"

#include "lightbox/cli/generators.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

namespace lbx::cli {

namespace {

// 1024, 0.1, 86400: the bounds as a person writes them.
std::string number_text(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

void set_version_everywhere(CLI::App& app, const std::string& version) {
    app.set_version_flag("-V,--version", version, "print the version and exit");
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) set_version_everywhere(*sub, version);
}

}  // namespace

CLI::Validator whole_number(int64_t min, int64_t max) {
    const std::string wanted = "a whole number between " + std::to_string(min) + " and " + std::to_string(max);
    return CLI::Validator(
        [min, max, wanted](std::string& text) -> std::string {
            const char* first = text.data();
            const char* last = text.data() + text.size();
            if (first != last && *first == '+') ++first;  // from_chars takes '-', not '+'
            int64_t value = 0;
            const auto [end, ec] = std::from_chars(first, last, value);
            if (first == last || ec != std::errc() || end != last || value < min || value > max)
                return "'" + text + "' is not " + wanted;
            return {};
        },
        max == INT64_MAX ? "INT >= " + std::to_string(min) : "INT in [" + std::to_string(min) + " - " + std::to_string(max) + "]",
        "whole_number");
}

CLI::Validator number(double min, double max) {
    const std::string wanted = "a number between " + number_text(min) + " and " + number_text(max);
    return CLI::Validator(
        [min, max, wanted](std::string& text) -> std::string {
            char* end = nullptr;
            errno = 0;
            const double value = text.empty() ? NAN : std::strtod(text.c_str(), &end);
            // strtod also reads "nan", "inf" and hex floats: only finite values in range pass.
            if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value) ||
                value < min || value > max)
                return "'" + text + "' is not " + wanted;
            return {};
        },
        "NUMBER in [" + number_text(min) + " - " + number_text(max) + "]", "number");
}

CLI::Validator one_of(std::vector<std::string> words) {
    std::string listed;
    std::string braces;
    for (const std::string& w : words) {
        listed += (listed.empty() ? "" : ", ") + w;
        braces += (braces.empty() ? "" : ",") + w;
    }
    // The description's "{a,b}" is what the completion and man page generators list (generators.cpp).
    return CLI::Validator(
        [words, listed](std::string& text) -> std::string {
            for (const std::string& w : words)
                if (w == text) return {};
            return "'" + text + "' is not one of: " + listed;
        },
        "{" + braces + "}", "one_of");
}

FreeTextCommand::FreeTextCommand(CLI::App& parent, std::string name, std::string description, std::string text_name,
                                 std::string text_description)
    : CLI::App(std::move(description), std::move(name), &parent) {
    allow_extras();
    // The text's positional takes no word: its check refuses each one while parsing (validate_positionals),
    // so every word lands in missing_ in the order given, next to the '-' words CLI11 took for unknown
    // options. It still matters that it exists: with a positional left to fill, CLI11 handles '--' in this
    // command instead of handing the words after it back to the program's own options (where -hdr is -h).
    validate_positionals();
    add_option(text_name, unused_, text_description)
        ->check(CLI::Validator([](std::string&) { return std::string("taken as text"); }, "", "free_text"));
    footer(text_name + ": " + text_description + ". Words that start with '-' are part of it; after '--' every word is.");
}

std::string FreeTextCommand::text() const {
    std::string joined;
    for (const auto& [kind, word] : missing_) {
        // A long option is refused by the caller (unknown_options); the first '--' only ends the options.
        if (kind == CLI::detail::Classifier::LONG || kind == CLI::detail::Classifier::POSITIONAL_MARK) continue;
        joined += (joined.empty() ? "" : " ") + word;
    }
    return joined;
}

std::vector<std::string> FreeTextCommand::unknown_options() const {
    std::vector<std::string> unknown;
    for (const auto& [kind, word] : missing_)
        if (kind == CLI::detail::Classifier::LONG) unknown.push_back(word);
    return unknown;
}

FreeTextCommand* add_free_text_command(CLI::App& parent, std::string name, std::string description, std::string text_name,
                                       std::string text_description) {
    auto command = std::make_shared<FreeTextCommand>(parent, std::move(name), std::move(description), std::move(text_name),
                                                     std::move(text_description));
    FreeTextCommand* raw = command.get();
    parent.add_subcommand(std::move(command));
    return raw;
}

GeneratedDocs::GeneratedDocs(CLI::App& root, std::string version) : version_(std::move(version)) {
    completion_ = root.add_subcommand("completion", "print the shell completion script (bash or zsh)");
    completion_->group("");  // hidden: the installed scripts are what users see
    completion_->add_option("shell", shell_, "bash or zsh")->required()->check(one_of({"bash", "zsh"}));
    completion_->add_option("--output,-o", output_, "file to write ('-', the default: stdout)");
    man_ = root.add_subcommand("man", "print the man page (roff)");
    man_->group("");
    man_->add_option("--output,-o", output_, "file to write ('-', the default: stdout)");
}

bool GeneratedDocs::requested() const { return completion_->parsed() || man_->parsed(); }

int GeneratedDocs::run(const CLI::App& root) const {
    const std::string text = man_->parsed()       ? man_page(root, version_)
                             : shell_ == "bash" ? bash_completion(root)
                                                : zsh_completion(root);
    if (std::string error = write_output(output_, text); !error.empty()) {
        std::fprintf(stderr, "%s: %s\n", root.get_name().c_str(), error.c_str());
        return 1;
    }
    return 0;
}

void finish_definition(CLI::App& root, const std::string& version) {
    set_version_everywhere(root, version);
    const std::string program = root.get_name();
    // One line that names the program, then where help is; CLI11's default says neither.
    root.failure_message([program](const CLI::App*, const CLI::Error& e) {
        return program + ": " + e.what() + "\n" + program + ": see '" + program + " --help' or '" + program +
               " COMMAND --help'\n";
    });
}

std::optional<int> parse(CLI::App& root, int argc, const char* const* argv) {
    try {
        root.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version end the run with 0 (their output on stdout); anything else is a usage error.
        const int code = root.exit(e);
        return code == 0 ? 0 : kExitUsage;
    }
    return std::nullopt;
}

std::string write_output(const std::string& path, std::string_view bytes) {
    if (path == "-") {
        std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        std::cout.flush();
        return std::cout ? std::string() : "cannot write to stdout";
    }
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (!file) return "cannot write '" + path + "': " + std::strerror(errno);
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
    const int write_errno = errno;
    const bool closed = std::fclose(file) == 0;
    if (!written || !closed) return "cannot write '" + path + "': " + std::strerror(written ? errno : write_errno);
    return {};
}

}  // namespace lbx::cli
