// `lightbox-engine query [--catalog FILE] 'QUERY'`: the catalog's photos matching a query
// (sdk_docs/query.md), one line (or photo record: --json, --format, --fields; or with --print0 a
// NUL-terminated path) per photo on stdout; facet counts with --facets (stderr, or in the json
// document); the count on stderr ("3 of 120 photos" when paged; in the json document too).
// Exit codes: 0 (also for no match), 2 for a bad query or a missing catalog.
#include "catalog/catalog.hpp"
#include "catalog/catalog_query.hpp"
#include "cli/commands.hpp"
#include "cli/photo_records.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <cstdio>
#include <unordered_map>

namespace lbx::engine::cli {

namespace {

std::vector<lbx::cli::FacetGroup> facet_groups(const catalog::Facets& facets) {
    const std::pair<const char*, const std::vector<catalog::FacetCount>*> groups[] = {
        {"tags", &facets.tags},     {"cameras", &facets.cameras}, {"years", &facets.years},   {"months", &facets.months},
        {"places", &facets.places}, {"groups", &facets.groups},   {"labels", &facets.labels}, {"people", &facets.people}};
    std::vector<lbx::cli::FacetGroup> out;
    for (const auto& [name, counts] : groups) {
        lbx::cli::FacetGroup group{name, {}};
        for (const auto& c : *counts) group.counts.emplace_back(c.value, static_cast<uint64_t>(c.count));
        out.push_back(std::move(group));
    }
    return out;
}

}  // namespace

int query_command(const QueryCommandOptions& options) {
    const std::string location = options.catalog.empty() ? catalog::default_catalog_file().string() : options.catalog;
    const std::filesystem::path file(location);
    std::error_code ec;
    if (!catalog::is_postgres_location(location) && !std::filesystem::is_regular_file(file, ec)) {
        std::fprintf(stderr, "lightbox-engine: no catalog at '%s' (make one with: lightbox-engine run --catalog FILE PATH...)\n",
                     file.c_str());
        return kExitUsage;
    }
    auto opened = catalog::Catalog::open_location_read_only(location);
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
    const std::optional<lbx::cli::OutputFormat>& format = options.output.format;
    std::optional<lbx::cli::RecordWriter> records;
    if (format) records.emplace(stdout, *format, options.output.fields);
    // The catalog's details of each photo are read only when a chosen field needs them.
    const bool details_wanted =
        options.output.fields.wants_any({"size", "exif", "tags", "regions", "people", "thumbnails", "metadata"});
    const bool persons_wanted = options.output.fields.wants_any({"regions", "people"});
    // A failed file's error is in the failures ledger, read once when a failed one is listed (failed: queries).
    std::optional<std::unordered_map<std::string, lbx::cli::RecordFailure>> errors;
    const auto error_of = [&](const std::string& path) -> Expected<std::optional<lbx::cli::RecordFailure>> {
        if (!errors) {
            auto ledger = library.failures(0, -1);
            if (!ledger) return unexpected(ledger.error());
            errors.emplace();
            for (const catalog::FailureRecord& f : *ledger)
                errors->emplace(f.path, lbx::cli::RecordFailure{f.stage, "", f.plugin, f.plugin_version, f.code, f.message});
        }
        const auto it = errors->find(path);
        return it == errors->end() ? std::nullopt : std::optional<lbx::cli::RecordFailure>(it->second);
    };
    // The details of every record from one snapshot, read under one lock.
    std::optional<catalog::ReadSnapshot> snapshot;
    if (details_wanted) {
        if (auto ok = library.flush(); !ok) {
            std::fprintf(stderr, "lightbox-engine: %s\n", ok.error().message.c_str());
            return kExitSomeFailed;
        }
        auto begun = catalog::ReadSnapshot::begin(library.database());
        if (!begun) {
            std::fprintf(stderr, "lightbox-engine: %s\n", begun.error().message.c_str());
            return kExitSomeFailed;
        }
        snapshot.emplace(std::move(*begun));
    }
    for (const catalog::PhotoRow& r : *rows) {
        if (options.print0) {
            // The path's bytes as stored, whatever they are: a path never holds a NUL, so NUL ends it.
            std::fwrite(r.path.data(), 1, r.path.size(), stdout);
            std::fputc('\0', stdout);
        } else if (records) {
            std::optional<catalog::PhotoDetails> details;
            std::vector<catalog::FacePerson> persons;
            if (details_wanted && !r.hash.empty()) {
                auto read = library.photo(r.hash);
                if (!read) {
                    std::fprintf(stderr, "lightbox-engine: %s\n", read.error().message.c_str());
                    return kExitSomeFailed;
                }
                details = std::move(*read);
                if (details && persons_wanted) {
                    auto named = catalog::persons_of_photo(library, r.hash);
                    if (!named) {
                        std::fprintf(stderr, "lightbox-engine: %s\n", named.error().message.c_str());
                        return kExitSomeFailed;
                    }
                    persons = std::move(*named);
                }
            }
            lbx::cli::PhotoRecord record = query_record(r, details ? &*details : nullptr, persons, options.output.fields.names_field("metadata"));
            if (r.status == ipc::file_state::kFailed && options.output.fields.wants_any({"error"})) {
                auto error = error_of(r.path);
                if (!error) {
                    std::fprintf(stderr, "lightbox-engine: %s\n", error.error().message.c_str());
                    return kExitSomeFailed;
                }
                record.error = std::move(*error);
            }
            records->write(record);
        } else {
            std::printf("%s  %s  %s%s%s\n", r.path.c_str(), r.taken_at.empty() ? "-" : r.taken_at.c_str(),
                        r.camera.empty() ? "-" : r.camera.c_str(), r.matched.empty() ? "" : "  matched ",
                        r.matched.c_str());
        }
    }
    lbx::cli::DocumentTail tail;
    tail.total = static_cast<uint64_t>(total.value_or(options.offset + static_cast<int64_t>(rows->size())));
    tail.offset = static_cast<uint64_t>(options.offset);
    if (options.facets) {
        auto facets = catalog::facets_of(library, options.query);
        if (!facets) {
            std::fprintf(stderr, "lightbox-engine: %s\n", facets.error().message.c_str());
            return kExitSomeFailed;
        }
        if (records) {
            tail.facets = lbx::cli::facets_json(facet_groups(*facets));
        } else {
            for (const lbx::cli::FacetGroup& group : facet_groups(*facets)) {
                std::string line;
                for (const auto& [value, count] : group.counts)
                    line += (line.empty() ? "" : ", ") + value + " (" + std::to_string(count) + ")";
                std::fprintf(stderr, "%s: %s\n", group.name.c_str(), line.empty() ? "-" : line.c_str());
            }
        }
    }
    if (records) records->finish(tail);
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
