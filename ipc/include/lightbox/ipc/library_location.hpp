// How a library is named on a command line, in OpenLibrary and in LibraryInfo: an SQLite file's path, or a
// PostgreSQL URI (postgresql://... or postgres://..., libpq's forms) for a library several engines share.
// Shared by the engine and the desktop app, which must not take a URI for a relative path.
#pragma once

#include <string_view>

namespace lbx::ipc {

inline bool is_postgres_uri(std::string_view location) {
    return location.substr(0, 13) == "postgresql://" || location.substr(0, 11) == "postgres://";
}

}  // namespace lbx::ipc
