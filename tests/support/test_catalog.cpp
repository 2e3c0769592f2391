#include "support/test_catalog.hpp"

#include "support/postgres_server.hpp"

#include <cstdlib>
#include <map>
#include <stdexcept>

namespace lbx::test {

bool catalog_tests_on_postgres() {
    const char* backend = std::getenv("LIGHTBOX_TEST_CATALOG");
    return backend != nullptr && std::string(backend) == "postgres";
}

std::string catalog_location(const std::filesystem::path& file) {
    if (!catalog_tests_on_postgres()) return file.string();
    // Test code: one map per test process, from the paths tests named to the databases made for them.
    static std::map<std::string, std::string> databases;
    auto found = databases.find(file.string());
    if (found != databases.end()) return found->second;
    PostgresServer* server = PostgresServer::shared();
    // These tests exist to run on PostgreSQL: without a server they fail, they never pass on SQLite.
    if (server == nullptr) throw std::runtime_error(postgres_unavailable_reason());
    return databases.emplace(file.string(), server->create_database()).first->second;
}

engine::Expected<std::unique_ptr<engine::catalog::Catalog>> open_catalog(const std::filesystem::path& file,
                                                                         engine::catalog::BatchPolicy policy) {
    return engine::catalog::Catalog::open_location(catalog_location(file), policy);
}

}  // namespace lbx::test
