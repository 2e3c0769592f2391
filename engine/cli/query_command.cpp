// `lightbox-engine query [--catalog FILE] 'QUERY'`: the catalog's photos matching a query
// (sdk_docs/query.md), one line (or JSON object, or with --print0 a NUL-terminated path) per photo on
// stdout; facet counts with --facets; the count on stderr ("3 of 120 photos" when paged).
// Exit codes: 0 (also for no match), 2 for a bad query or a missing catalog.
#include "catalog/catalog.hpp"
#include "catalog/catalog_query.hpp"
#include "cli/commands.hpp"
#include "cli/json_output.hpp"

#include <lightbox/ipc/error_codes.hpp>
#include <lightbox/ipc/json_path.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace lbx::engine::cli {

namespace {

nlohmann::json facet_json(const std::vector<catalog::FacetCount>& counts) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : counts) out.push_back({{"value", c.value}, {"count", c.count}});
    return out;
}

}  // namespace

int query_command(const QueryCommandOptions& options) {
    const std::filesystem::path file = options.catalog.empty() ? catalog::default_catalog_file() : std::filesystem::path(options.catalog);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        std::fprintf(stderr, "lightbox-engine: no catalog at '%s' (make one with: lightbox-engine run --catalog FILE PATH...)\n",
                     file.c_str());
        return kExitUsage;
    }
    auto opened = catalog::Catalog::open_read_only(file);
    if (!opened) {
        std::fprintf(stderr, "lightbox-engine: %s\n", opened.error().message.c_str());
        return kExitUsage;
    }
    catalog::Catalog& library = **opened;
    catalog::QueryOptions query_options;
    query_options.sort = options.sort == "path" ? catalog::SortOrder::path
                         : options.sort == "added" ? catalog::SortOrder::added
                                                   : catalog::SortOrder::taken;
    query_options.descending = options.descending;
    query_options.limit = options.limit;
    query_options.offset = options.offset;

    auto rows = catalog::run_query(library, options.query, query_options);
    if (!rows) {
        std::fprintf(stderr, "lightbox-engine: %s\n", rows.error().message.c_str());
        return rows.error().code == ipc::codes::kBadQuery ? kExitUsage : kExitSomeFailed;
    }
    // A page (--limit, --offset) says how many matched in all, so a script or a person knows there is more.
    std::optional<int64_t> total;
    if (options.limit >= 0 || options.offset > 0) {
        auto counted = catalog::count_query(library, options.query);
        if (!counted) {
            std::fprintf(stderr, "lightbox-engine: %s\n", counted.error().message.c_str());
            return kExitSomeFailed;
        }
        total = *counted;
    }
    for (const catalog::PhotoRow& r : *rows) {
        if (options.print0) {
            // The path's bytes as stored, whatever they are: a path never holds a NUL, so NUL ends it.
            std::fwrite(r.path.data(), 1, r.path.size(), stdout);
            std::fputc('\0', stdout);
        } else if (options.json) {
            nlohmann::json j{{"status", r.status}};
            ipc::put_path(j, "path", r.path);
            if (!r.hash.empty()) {
                j["hash"] = r.hash;
                j["format"] = r.format;
                j["width"] = r.width;
                j["height"] = r.height;
                if (!r.taken_at.empty()) j["taken_at"] = r.taken_at;
                if (!r.camera.empty()) j["camera"] = r.camera;
                if (!r.matched.empty()) j["matched"] = r.matched;
            }
            std::cout << json_line(j) << '\n';
        } else {
            std::printf("%s  %s  %s%s%s\n", r.path.c_str(), r.taken_at.empty() ? "-" : r.taken_at.c_str(),
                        r.camera.empty() ? "-" : r.camera.c_str(), r.matched.empty() ? "" : "  matched ",
                        r.matched.c_str());
        }
    }
    if (options.facets) {
        auto facets = catalog::facets_of(library, options.query);
        if (!facets) {
            std::fprintf(stderr, "lightbox-engine: %s\n", facets.error().message.c_str());
            return kExitSomeFailed;
        }
        if (options.json) {
            std::cout << json_line(nlohmann::json{{"facets",
                                                   {{"tags", facet_json(facets->tags)},
                                                    {"cameras", facet_json(facets->cameras)},
                                                    {"years", facet_json(facets->years)},
                                                    {"months", facet_json(facets->months)},
                                                    {"places", facet_json(facets->places)},
                                                    {"groups", facet_json(facets->groups)},
                                                    {"labels", facet_json(facets->labels)},
                                                    {"people", facet_json(facets->people)}}}})
                      << '\n';
        } else {
            const std::pair<const char*, const std::vector<catalog::FacetCount>*> groups[] = {
                {"tags", &facets->tags}, {"cameras", &facets->cameras}, {"years", &facets->years}, {"months", &facets->months},
                {"places", &facets->places}, {"groups", &facets->groups}, {"labels", &facets->labels},
                {"people", &facets->people}};
            for (const auto& [name, counts] : groups) {
                std::string line;
                for (const auto& c : *counts) line += (line.empty() ? "" : ", ") + c.value + " (" + std::to_string(c.count) + ")";
                std::fprintf(stderr, "%s: %s\n", name, line.empty() ? "-" : line.c_str());
            }
        }
    }
    std::fflush(stdout);
    if (total && options.offset > 0 && !rows->empty()) {
        std::fprintf(stderr, "%zu of %lld photos (%lld to %lld)\n", rows->size(), static_cast<long long>(*total),
                     static_cast<long long>(options.offset + 1), static_cast<long long>(options.offset) + static_cast<long long>(rows->size()));
    } else if (total) {
        std::fprintf(stderr, "%zu of %lld photos\n", rows->size(), static_cast<long long>(*total));
    } else {
        std::fprintf(stderr, "%zu photos\n", rows->size());
    }
    return kExitOk;
}

}  // namespace lbx::engine::cli
