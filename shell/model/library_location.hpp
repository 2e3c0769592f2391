// What File > Open Library accepts: an SQLite library file or a PostgreSQL library's URI
// (postgresql://HOST/DATABASE?..., sdk_docs/postgres.md), as the engine's --catalog does. The app keeps
// the last library in its settings file, so a URI that carries a password is refused: libpq reads
// passwords from ~/.pgpass or a service file, which is where they belong.
#pragma once

#include <optional>
#include <string>

namespace lbx::shell {

// The library `text` names (without its surrounding blanks; a file's path made absolute), or nullopt
// with why it cannot name one in `problem`.
std::optional<std::string> library_location(const std::string& text, std::string* problem);

// What the window title calls a library: a file's name without its extension, a URI's database.
std::string library_name(const std::string& location);

}  // namespace lbx::shell
