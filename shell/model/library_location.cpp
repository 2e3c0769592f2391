#include "model/library_location.hpp"

#include <lightbox/ipc/library_location.hpp>

#include <filesystem>
#include <string_view>

namespace lbx::shell {
namespace {

// A password in the URI's user information (postgresql://USER:PASSWORD@HOST) or its parameters
// (?password=...), the two places libpq reads one from a URI.
bool has_password(std::string_view uri) {
    const std::string_view rest = uri.substr(uri.find("://") + 3);
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
    const auto at = authority.rfind('@');
    if (at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos) return true;
    const auto query = rest.find('?');
    if (query == std::string_view::npos) return false;
    const std::string_view parameters = rest.substr(query + 1);
    for (std::size_t begin = 0; begin <= parameters.size();) {
        const std::size_t end = std::min(parameters.find('&', begin), parameters.size());
        if (parameters.substr(begin, end - begin).starts_with("password=")) return true;
        begin = end + 1;
    }
    return false;
}

}  // namespace

std::string library_name(const std::string& location) {
    if (!ipc::is_postgres_uri(location)) return std::filesystem::path(location).stem().string();
    const std::string rest = location.substr(location.find("://") + 3);
    const auto slash = rest.find('/');
    const std::string database = slash == std::string::npos ? "" : rest.substr(slash + 1, rest.find('?', slash) - slash - 1);
    return database.empty() ? "PostgreSQL library" : database;
}

std::optional<std::string> library_location(const std::string& text, std::string* problem) {
    const auto first = text.find_first_not_of(" \t\r\n");
    const std::string location = first == std::string::npos ? "" : text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    const auto refuse = [&](const std::string& why) -> std::optional<std::string> {
        if (problem) *problem = why;
        return std::nullopt;
    };
    if (location.empty()) return refuse("Type the path of a library file, or a postgresql:// URI.");
    if (ipc::is_postgres_uri(location) && has_password(location))
        return refuse("The URI carries a password, which Lightbox would keep in its settings: put it in ~/.pgpass "
                      "(or a PostgreSQL service file) and leave it out of the URI.");
    if (ipc::is_postgres_uri(location)) return location;
    if (location.find("://") != std::string::npos) return refuse("'" + location + "' is neither a library file nor a postgresql:// URI.");
    // The engine is another process, with a working directory of its own.
    std::error_code error;
    const auto absolute = std::filesystem::absolute(location, error);
    return error ? location : absolute.lexically_normal().string();
}

}  // namespace lbx::shell
