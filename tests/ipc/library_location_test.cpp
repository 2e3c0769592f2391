#include <lightbox/ipc/library_location.hpp>

#include <catch2/catch.hpp>

TEST_CASE("a library location is a PostgreSQL URI only with libpq's URI schemes", "[ipc]") {
    CHECK(lbx::ipc::is_postgres_uri("postgresql://nas/photos"));
    CHECK(lbx::ipc::is_postgres_uri("postgres:///photos?host=/run/postgresql"));
    CHECK_FALSE(lbx::ipc::is_postgres_uri("/home/ann/.local/share/lightbox/library.lbx"));
    CHECK_FALSE(lbx::ipc::is_postgres_uri("postgresql"));           // a file of that name
    CHECK_FALSE(lbx::ipc::is_postgres_uri("library/postgresql://x"));  // a relative path
    CHECK_FALSE(lbx::ipc::is_postgres_uri(""));
}
