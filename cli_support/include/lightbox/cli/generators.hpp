// Shell completions and the man page, generated from the CLI11 definitions that parse the command line, so
// that neither can list an option the program does not have (or miss one it has). What they read from
// the tree: visible subcommands and options (an empty group hides one, as it does from --help), names,
// descriptions, whether an option takes a value, the words of a one_of() or CLI::IsMember check, the
// positional arguments, and footers (the program's footer is the man page's
// EXIT STATUS section).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace lbx::cli {

// A script for bash-completion (share/bash-completion/completions/PROGRAM): subcommands, options, the
// words an option or argument may be; file names otherwise.
std::string bash_completion(const CLI::App& root);

// A zsh completion function (share/zsh/site-functions/_PROGRAM), with descriptions.
std::string zsh_completion(const CLI::App& root);

// A man page in roff (share/man/man1/PROGRAM.1): every command with its options.
std::string man_page(const CLI::App& root, const std::string& version);

}  // namespace lbx::cli
