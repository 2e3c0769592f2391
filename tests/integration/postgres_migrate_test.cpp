// `lightbox-engine catalog migrate --to postgresql://...` on a real library and a real PostgreSQL 15
// (support/postgres_server.hpp): the copy lists the same photos as the original, keeps what the user did
// (tags, turned-down tags, rotation) and reports the counts it checked; into a library that is not empty
// it refuses and writes nothing.
#include "catalog/catalog.hpp"
#include "support/child_process.hpp"
#include "support/postgres_server.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

using lbx::test::PostgresServer;
using lbx::test::run_engine;
namespace catalog = lbx::engine::catalog;

namespace {

std::string listing(const std::string& library) {
    auto q = run_engine({"query", "--catalog", library, "--sort", "path", "--format", "jsonl"});
    INFO(q.err);
    REQUIRE(q.exit_code == 0);
    return q.out;
}

}  // namespace

TEST_CASE("catalog migrate copies an SQLite library with the user's edits into PostgreSQL and checks the counts",
          "[postgres]") {
    LBX_POSTGRES_SERVER_OR_SKIP(server);
    lbx::test::TempDir dir;
    const std::string photos = (dir / "photos").string(), library = (dir / "library.lbx").string();
    REQUIRE(run_engine({"sample", photos}).exit_code == 0);
    auto scanned = run_engine({"run", "--no-progress", "--analysis", "off", "--thumbs", (dir / "thumbs").string(),
                               "--catalog", library, photos});
    INFO(scanned.err);
    REQUIRE(scanned.exit_code <= 1);
    std::string edited;
    {
        auto opened = catalog::Catalog::open(library);
        REQUIRE(opened);
        auto hash = (*opened)->database().query_int("SELECT count(*) FROM photos");
        REQUIRE(hash.value() >= 10);
        auto first = (*opened)->database().prepare("SELECT hash FROM photos ORDER BY hash LIMIT 1");
        REQUIRE(first);
        REQUIRE(first->step().value());
        edited = first->column_text(0);
        first->reset();
        REQUIRE((*opened)->add_user_tag(edited, "grandma"));
        REQUIRE((*opened)->set_rotation(edited, 3).value());
        REQUIRE((*opened)->add_roots({photos}, 1));
    }

    const std::string uri = server->create_database();
    auto migrated = run_engine({"catalog", "migrate", "--catalog", library, "--to", uri});
    INFO(migrated.err);
    REQUIRE(migrated.exit_code == 0);
    CHECK(migrated.err.find("counts checked: ") != std::string::npos);
    CHECK(migrated.err.find("postgresql://") == std::string::npos);  // the library is named, not its URI
    CHECK(listing(uri) == listing(library));

    auto copy = catalog::Catalog::open_location(uri);
    REQUIRE(copy);
    auto details = (*copy)->photo(edited);
    REQUIRE(details);
    REQUIRE(*details);
    CHECK((*details)->user_tags == std::vector<std::string>{"grandma"});
    CHECK((*details)->rotation == 3);
    CHECK((*copy)->roots().value() == std::vector<std::string>{photos});
    auto original = catalog::Catalog::open(library);
    REQUIRE(original);
    CHECK((*copy)->stats().value().photos == (*original)->stats().value().photos);
    CHECK((*copy)->stats().value().files_ok == (*original)->stats().value().files_ok);
    // A job started in the copy gets an id after the copied ones.
    const int64_t last_job = (*original)->database().query_int("SELECT max(id) FROM jobs").value();
    CHECK((*copy)->begin_job({photos}, 2).value() > last_job);

    // Into a library that holds photos: refused, nothing written.
    auto again = run_engine({"catalog", "migrate", "--catalog", library, "--to", uri});
    CHECK(again.exit_code == 3);
    CHECK(again.err.find("already holds") != std::string::npos);
    CHECK(listing(uri) == listing(library));
    // A target that cannot be reached: a usage error naming it.
    auto nowhere = run_engine({"catalog", "migrate", "--catalog", library, "--to", "postgresql:///none?host=/nonexistent"});
    CHECK(nowhere.exit_code == 2);
    CHECK(nowhere.err.find("cannot connect") != std::string::npos);
}
