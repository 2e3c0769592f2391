// `lightbox-engine catalog import [--catalog FILE] RESULTS.jsonl...`: the photo records of `run --json`
// (a shard's output from another machine, say) stored in a catalog as a scan would store them.
#include "catalog/catalog.hpp"
#include "cli/commands.hpp"
#include "cli/record_import.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <istream>
#include <string>

namespace lbx::engine::cli {

namespace {

struct ImportCounts {
    int64_t files = 0;
    int64_t photos = 0;
    int64_t failed = 0;
    int64_t skipped = 0;
    int64_t malformed = 0;
    int64_t unreadable = 0;  // input files that could not be read
    int64_t records() const { return photos + failed + skipped; }
};

void report(const char* format, const std::string& a, const std::string& b = {}, const std::string& c = {}) {
    std::fprintf(stderr, format, a.c_str(), b.c_str(), c.c_str());
}

// Imports one input's lines. False when the catalog could not store them (stderr says why).
bool import_stream(std::istream& in, const std::string& name, catalog::Catalog& library, int64_t seen_at, ImportCounts& counts,
                   std::chrono::steady_clock::time_point& last_progress) {
    std::string line;
    int64_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        ImportedRecord record = imported_record(line);
        if (const auto* bad = std::get_if<MalformedRecord>(&record)) {
            ++counts.malformed;
            std::fprintf(stderr, "lightbox-engine: catalog import: %s:%lld: not a photo record: %s\n", name.c_str(),
                         static_cast<long long>(number), bad->reason.c_str());
            continue;
        }
        if (const auto* skipped = std::get_if<SkippedRecord>(&record)) {
            ++counts.skipped;
            std::fprintf(stderr, "lightbox-engine: catalog import: %s:%lld: skipped %s: %s\n", name.c_str(),
                         static_cast<long long>(number), skipped->path.c_str(), skipped->reason.c_str());
            continue;
        }
        PhotoResult& result = std::get<PhotoResult>(record);
        // The catalog stores absolute paths (as `run --catalog` does); `run --json` prints them as given.
        // A relative one is taken from this folder: import from the folder the run ran in, or run with
        // absolute paths.
        if (!std::filesystem::path(result.path).is_absolute())
            result.path = std::filesystem::absolute(result.path).lexically_normal().string();
        ++(result.ok() ? counts.photos : counts.failed);
        if (auto stored = library.record(result, seen_at); !stored) {
            report("lightbox-engine: cannot store records in the catalog: %s; stopping\n", stored.error().message);
            return false;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now - last_progress >= std::chrono::seconds(5)) {
            last_progress = now;
            std::fprintf(stderr, "progress: %lld records, %lld photos, %lld failed, %lld skipped\n",
                         static_cast<long long>(counts.records()), static_cast<long long>(counts.photos),
                         static_cast<long long>(counts.failed), static_cast<long long>(counts.skipped));
        }
    }
    if (in.bad()) {
        ++counts.unreadable;
        report("lightbox-engine: catalog import: cannot read '%s' to the end\n", name);
    }
    return true;
}

}  // namespace

int catalog_import_command(const CatalogImportOptions& options) {
    const std::string location = options.catalog.empty() ? catalog::default_catalog_file().string() : options.catalog;
    auto opened = catalog::Catalog::open_location(location);
    if (!opened) {
        report("lightbox-engine: catalog import: %s\n", opened.error().message);
        return kExitUsage;
    }
    catalog::Catalog& library = **opened;
    const int64_t seen_at = catalog::now_us();
    ImportCounts counts;
    auto last_progress = std::chrono::steady_clock::now();
    bool stored = true;
    for (const std::string& input : options.files) {
        if (input == "-") {
            ++counts.files;
            stored = import_stream(std::cin, "<stdin>", library, seen_at, counts, last_progress);
        } else {
            std::ifstream in(input, std::ios::binary);
            if (!in) {
                ++counts.unreadable;
                std::error_code ec;
                report("lightbox-engine: catalog import: cannot open '%s': %s\n", input,
                       std::filesystem::exists(input, ec) ? "not readable" : "no such file");
                continue;
            }
            ++counts.files;
            stored = import_stream(in, input, library, seen_at, counts, last_progress);
        }
        if (!stored) break;
    }
    if (stored) {
        if (auto flushed = library.flush(); !flushed) {
            report("lightbox-engine: cannot store records in the catalog: %s\n", flushed.error().message);
            stored = false;
        }
    }
    if (!stored) {
        // Records of the batch in flight were not written: an import of the same files later does them.
        library.drop_pending();
        return kExitNotStored;
    }
    if (counts.photos > 0) {
        if (auto updated = library.update_statistics(); !updated)
            report("lightbox-engine: catalog import: warning: %s\n", updated.error().message);
    }
    std::fprintf(stderr, "imported %lld records from %lld %s: %lld photos, %lld failed, %lld skipped",
                 static_cast<long long>(counts.records()), static_cast<long long>(counts.files), counts.files == 1 ? "file" : "files",
                 static_cast<long long>(counts.photos), static_cast<long long>(counts.failed),
                 static_cast<long long>(counts.skipped));
    if (counts.malformed > 0)
        std::fprintf(stderr, "; %lld malformed lines not imported", static_cast<long long>(counts.malformed));
    if (counts.unreadable > 0)
        std::fprintf(stderr, "; %lld %s not read", static_cast<long long>(counts.unreadable),
                     counts.unreadable == 1 ? "file" : "files");
    std::fputc('\n', stderr);
    return counts.malformed > 0 || counts.unreadable > 0 ? kExitSomeFailed : kExitOk;
}

}  // namespace lbx::engine::cli
