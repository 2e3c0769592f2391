// `lightbox-engine catalog migrate [--catalog FILE] --to postgresql://...`: an SQLite library copied into
// a PostgreSQL database (an empty one, whose tables are created), all of it in one transaction, with each
// table's row count checked (catalog/catalog_copy.hpp). The source is never written, except that an
// older SQLite library is brought to the current schema first, as any engine that opens it does.
// Exit codes: 0 copied, 2 a catalog cannot be opened, 3 the copy failed (the target is left as it was).
#include "catalog/catalog.hpp"
#include "catalog/catalog_copy.hpp"
#include "cli/commands.hpp"

#include <cstdio>
#include <filesystem>
#include <string>

namespace lbx::engine::cli {

int catalog_migrate_command(const CatalogMigrateOptions& options) {
    const std::string source = options.catalog.empty() ? catalog::default_catalog_file().string() : options.catalog;
    std::error_code ec;
    if (!catalog::is_postgres_location(source) && !std::filesystem::is_regular_file(source, ec)) {
        std::fprintf(stderr, "lightbox-engine: catalog migrate: no catalog at '%s'\n", source.c_str());
        return kExitUsage;
    }
    if (options.to == source) {
        std::fprintf(stderr, "lightbox-engine: catalog migrate: --to names the library copied\n");
        return kExitUsage;
    }
    auto from = catalog::Catalog::open_location(source);
    if (!from) {
        std::fprintf(stderr, "lightbox-engine: catalog migrate: %s\n", from.error().message.c_str());
        return kExitUsage;
    }
    auto to = catalog::Catalog::open_location(options.to);
    if (!to) {
        std::fprintf(stderr, "lightbox-engine: catalog migrate: %s\n", to.error().message.c_str());
        return kExitUsage;
    }
    auto copied = catalog::copy_library((*from)->database(), (*to)->database());
    if (!copied) {
        std::fprintf(stderr, "lightbox-engine: catalog migrate: %s\n", copied.error().message.c_str());
        return kExitNotStored;
    }
    std::string counts;
    for (const catalog::CopiedTable& table : *copied)
        counts += (counts.empty() ? "" : ", ") + std::to_string(table.rows) + " " + table.table;
    std::fprintf(stderr, "lightbox-engine: catalog migrate: copied %s into %s (counts checked: %s)\n",
                 catalog::location_label(source).c_str(), catalog::location_label(options.to).c_str(), counts.c_str());
    return kExitOk;
}

}  // namespace lbx::engine::cli
