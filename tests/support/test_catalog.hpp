// The catalog a catalog test works on, in the database the test run asks for: the catalog tests run
// twice, once on SQLite files (catalog/...) and once on PostgreSQL (catalog-pg/..., label postgres,
// run with LIGHTBOX_TEST_CATALOG=postgres; tests/CMakeLists.txt). A test names its catalog by a file
// path either way; on PostgreSQL each path stands for a database of its own on this process's test
// server (support/postgres_server.hpp), made on the first open and the same one on every later open.
// Test cases that are about SQLite files themselves are tagged [sqlite] and run only on SQLite.
#pragma once

#include "catalog/catalog.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace lbx::test {

bool catalog_tests_on_postgres();

// The location Catalog::open_location takes for `file`: the file itself, or its PostgreSQL database's URI.
std::string catalog_location(const std::filesystem::path& file);

engine::Expected<std::unique_ptr<engine::catalog::Catalog>> open_catalog(const std::filesystem::path& file,
                                                                         engine::catalog::BatchPolicy policy = {});

}  // namespace lbx::test
