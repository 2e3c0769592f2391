// lightbox-bench-catalog: the catalog's two speed targets (bench/run_catalog_bench.sh drives it).
//   write-photos DIR N   N small real JPEGs in DIR (1000 per folder): one picture with EXIF, each copy
//                        with distinct bytes after its end-of-image marker, so every file has its own hash.
//                        The rescan of a library of unchanged photos is timed by the script.
//   queries FILE         fills FILE (when it does not exist) with --rows synthetic photos through
//                        Catalog::record (tags from a vocabulary, cameras, dates over ten years, places),
//                        then times run_query (a page of --limit) + facets_of for a tag query, a date-range
//                        query and a tag+date query, --runs times each: median and max, against 50 ms.
//                        With --sqlite3 BIN, the same SQL statements (captured with sqlite3_trace_v2,
//                        parameters expanded) run in the sqlite3 shell as the reference.
#include "catalog/catalog.hpp"
#include "catalog/catalog_query.hpp"
#include "catalog/sqlite_db.hpp"
#include "sample/exif_writer.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace lbx::engine;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

int usage() {
    std::fputs("usage: lightbox-bench-catalog write-photos DIR N\n"
               "       lightbox-bench-catalog queries FILE [--rows N] [--runs R] [--limit L] [--sqlite3 BIN]\n",
               stderr);
    return 2;
}

int write_photos(const fs::path& dir, long count) {
    lbx::sample::ExifSpec spec;
    spec.make = "SONY";
    spec.model = "ILCE-7M3";
    spec.date_time_original = "2021:06:01 08:00:00";
    const auto base = lbx::sample::with_exif(lbx::sample::encode_jpeg(lbx::sample::make_scene(160, 120, 7), 80), spec);
    for (long i = 0; i < count; ++i) {
        const fs::path folder = dir / ("d" + std::to_string(i / 1000));
        if (i % 1000 == 0) fs::create_directories(folder);
        std::ofstream out(folder / ("p" + std::to_string(i) + ".jpg"), std::ios::binary);
        out.write(reinterpret_cast<const char*>(base.data()), static_cast<std::streamsize>(base.size()));
        const std::string tail = "lightbox-bench " + std::to_string(i);  // after EOI: ignored by decoders
        out.write(tail.data(), static_cast<std::streamsize>(tail.size()));
        if (!out) {
            std::fprintf(stderr, "bench: cannot write into %s\n", folder.c_str());
            return 1;
        }
    }
    std::printf("%ld photos of %zu bytes in %s\n", count, base.size(), dir.c_str());
    return 0;
}

// Synthetic photos: what a scan would have stored, without reading any file.
void fill(catalog::Catalog& library, long rows) {
    static const char* vocabulary[] = {"beach", "sea", "sky", "sunset", "mountain", "snow", "forest", "lake", "city", "night",
                                       "street", "people", "portrait", "dog", "cat", "food", "flower", "garden", "car",
                                       "train", "bridge", "river", "desert", "party", "concert", "museum", "church",
                                       "market", "boat", "bird", "winter", "summer", "autumn", "spring", "indoor",
                                       "outdoor", "blurry", "dark", "bright", "green"};
    static const char* cameras[][2] = {{"SONY", "ILCE-7M3"}, {"Canon", "Canon EOS R6"}, {"Google", "Pixel 7"},
                                       {"Apple", "iPhone 13"}, {"NIKON CORPORATION", "NIKON Z 6"}, {"FUJIFILM", "X-T4"},
                                       {"Apple", "iPhone 8"}, {"samsung", "SM-G991B"}};
    static const char* places[][2] = {{"Paris", "France"}, {"Bern", "Switzerland"}, {"Tokyo", "Japan"},
                                      {"London", "United Kingdom"}, {"Sydney", "Australia"}, {"New York", "United States"}};
    std::mt19937 rng(42);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const int64_t scan = catalog::now_us();
    for (long i = 0; i < rows; ++i) {
        PhotoResult r;
        r.path = "/library/" + std::to_string(2015 + i % 10) + "/d" + std::to_string(i / 1000) + "/IMG_" + std::to_string(i) + ".jpg";
        r.hash = "bench" + std::to_string(i);
        r.format = "jpeg";
        r.file_size = 3'000'000 + pick(2'000'000);
        r.mtime_ns = 1;
        r.width = 6000;
        r.height = 4000;
        const auto& camera = cameras[pick(std::size(cameras))];
        char taken[32];
        std::snprintf(taken, sizeof taken, "%04zu-%02zu-%02zuT%02zu:%02zu:00", 2015 + pick(10), 1 + pick(12), 1 + pick(28),
                      pick(24), pick(60));
        r.metadata.text[LBX_FIELD_TAKEN_AT] = taken;
        r.metadata.text[LBX_FIELD_MAKE] = camera[0];
        r.metadata.text[LBX_FIELD_MODEL] = camera[1];
        r.metadata.numbers[LBX_FIELD_ISO] = static_cast<double>(100 << pick(6));
        r.metadata.entries = {{"Exif.Image.Make", camera[0]}, {"Exif.Image.Model", camera[1]}, {"Exif.Photo.DateTimeOriginal", taken}};
        const std::string source = "org.lightbox.autotag";
        r.tags.push_back({std::string(camera[0]) + " " + camera[1], "camera", 1.0, source});
        r.tags.push_back({std::string(taken).substr(0, 4), "date", 1.0, source});
        const std::size_t scene_tags = 2 + pick(4);
        for (std::size_t t = 0; t < scene_tags; ++t) r.tags.push_back({vocabulary[pick(std::size(vocabulary))], "scene", 0.8, source});
        if (pick(10) < 3) {  // three in ten have GPS, hence a place
            const auto& place = places[pick(std::size(places))];
            r.metadata.numbers[LBX_FIELD_GPS_LAT] = 45.0;
            r.metadata.numbers[LBX_FIELD_GPS_LON] = 7.0;
            r.tags.push_back({place[0], "place", 1.0, source});
            r.tags.push_back({place[1], "country", 1.0, source});
        }
        if (auto ok = library.record(r, scan); !ok) {
            std::fprintf(stderr, "bench: %s\n", ok.error().message.c_str());
            std::exit(1);
        }
    }
    if (auto ok = library.update_statistics(); !ok) {  // what a scan does at its end
        std::fprintf(stderr, "bench: %s\n", ok.error().message.c_str());
        std::exit(1);
    }
}

struct Timing {
    double median = 0, max = 0;
};

Timing summarize(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.back()};
}

// The statements SQLite runs, with their parameters written in (sqlite3_expanded_sql).
int capture(unsigned, void* context, void* statement, void*) {
    auto* out = static_cast<std::vector<std::string>*>(context);
    if (char* sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(statement))) {
        out->push_back(sql);
        sqlite3_free(sql);
    }
    return 0;
}

// Runs `statements` `runs` times in the sqlite3 shell; returns each run's total (the shell's timer,
// whole milliseconds at best).
std::vector<double> sqlite3_shell_times(const std::string& shell, const fs::path& file, const std::vector<std::string>& statements, int runs) {
    const fs::path script = fs::temp_directory_path() / ("lightbox-bench-" + std::to_string(getpid()) + ".sql");
    {
        std::ofstream out(script);
        out << ".timer on\n.output /dev/null\n";
        for (int i = 0; i < runs; ++i)
            for (const std::string& s : statements) out << s << ";\n";
    }
    const std::string command = shell + " -readonly '" + file.string() + "' < '" + script.string() + "'";
    std::vector<double> per_statement;
    if (FILE* pipe = popen(command.c_str(), "r")) {
        char line[512];
        while (std::fgets(line, sizeof line, pipe)) {
            double real = 0;
            if (std::sscanf(line, "Run Time: real %lf", &real) == 1) per_statement.push_back(real * 1000.0);
        }
        pclose(pipe);
    }
    fs::remove(script);
    std::vector<double> totals;
    for (std::size_t i = 0; i + statements.size() <= per_statement.size(); i += statements.size()) {
        double sum = 0;
        for (std::size_t j = 0; j < statements.size(); ++j) sum += per_statement[i + j];
        totals.push_back(sum);
    }
    return totals;
}

// FILE may be a PostgreSQL URI (bench/run_postgres_bench.sh): filled when it holds no photos, timed against
// its own target (200 ms over 1 000 000 photos), with no sqlite3 shell beside it.
int queries(const std::string& file, long rows, int runs, int64_t limit, const std::string& shell) {
    const bool on_server = catalog::is_postgres_location(file);
    const double target_ms = on_server ? 200.0 : 50.0;
    bool empty = !fs::exists(file);
    if (on_server) {
        auto probe = catalog::Catalog::open_location(file);
        if (!probe) {
            std::fprintf(stderr, "bench: %s\n", probe.error().message.c_str());
            return 1;
        }
        empty = (*probe)->stats().value().photos == 0;
    }
    if (empty) {
        auto created = catalog::Catalog::open_location(file);
        if (!created) {
            std::fprintf(stderr, "bench: %s\n", created.error().message.c_str());
            return 1;
        }
        const auto start = Clock::now();
        fill(**created, rows);
        std::printf("inserted %ld photos through Catalog::record in %.1f s (%.0f photos/s)\n", rows, ms_since(start) / 1000,
                    rows / (ms_since(start) / 1000));
    }
    auto opened = catalog::Catalog::open_location(file);
    if (!opened) {
        std::fprintf(stderr, "bench: %s\n", opened.error().message.c_str());
        return 1;
    }
    catalog::Catalog& library = **opened;
    const long photos = static_cast<long>(library.stats().value().photos);
    if (on_server) {
        (void)library.update_statistics();  // as a scan leaves it
        std::printf("catalog: %s, %ld photos\n", catalog::location_label(file).c_str(), photos);
    } else {
        std::printf("catalog: %s, %ld photos, %.1f MB\n", file.c_str(), photos, fs::file_size(file) / 1e6);
    }
    catalog::QueryOptions options;
    options.limit = limit;
    {
        const auto start = Clock::now();
        (void)catalog::facets_of(library, "").value();
        std::printf("facet index built in %.0f ms (as the service does when it opens the library)\n", ms_since(start));
    }
    std::printf("\n| query | answered by | matches | run_query median / max (ms) | facets_of median / max (ms) | both: median / max (ms) | "
                "sqlite3 shell, same SQL: median / max (ms) | < %.0f ms | page 2 (ms) | page 3 on (ms) |\n"
                "|---|---|---|---|---|---|---|---|---|---|\n",
                target_ms);
    bool all_met = true;
    // The empty query (every photo: what the shell opens a library with) is shown for reference; the
    // target is for tag and date queries. Each query is timed as the engine answers it (from the facet
    // index in memory, indexed_query.hpp) and through SQL alone, for comparison.
    std::vector<std::pair<std::string, bool>> timed;  // query, from the index
    for (const bool from_index : {true, false})
        for (const char* query : {"tag:beach", "date:2019-03..2019-08", "tag:beach year:2019", ""}) timed.emplace_back(query, from_index);
    for (const auto& [query, from_index] : timed) {
        library.set_queries_from_index(from_index);
        const int64_t matches = catalog::count_query(library, query).value();
        (void)catalog::facets_of(library, query).value();  // builds the in-memory facet index: not part of each query
        std::vector<std::string> statements;
        auto* sqlite = dynamic_cast<catalog::SqliteDatabase*>(&library.database());
        if (sqlite) sqlite3_trace_v2(sqlite->handle(), SQLITE_TRACE_STMT, capture, &statements);
        library.forget_last_matches();
        (void)catalog::run_query(library, query, options).value();  // warm up, and capture the SQL
        (void)catalog::facets_of(library, query).value();
        if (sqlite) sqlite3_trace_v2(sqlite->handle(), 0, nullptr, nullptr);
        std::vector<double> query_ms, facet_ms, both_ms;
        std::vector<double> second_page_ms, next_page_ms;
        for (int i = 0; i < runs; ++i) {
            library.forget_last_matches();  // each run matches afresh, as a new query does
            const auto start = Clock::now();
            auto found = catalog::run_query(library, query, options);
            const double q = ms_since(start);
            const auto facet_start = Clock::now();
            auto facets = catalog::facets_of(library, query);
            const double f = ms_since(facet_start);
            if (!found || !facets) {
                std::fprintf(stderr, "bench: %s\n", (!found ? found.error() : facets.error()).message.c_str());
                return 1;
            }
            // The shell scrolling on: page 2 lists every match once, the pages after it are slices.
            catalog::QueryOptions next = options;
            next.offset = options.limit;
            const auto second_start = Clock::now();
            (void)catalog::run_query(library, query, next).value();
            second_page_ms.push_back(ms_since(second_start));
            next.offset = 2 * options.limit;
            const auto third_start = Clock::now();
            (void)catalog::run_query(library, query, next).value();
            next_page_ms.push_back(ms_since(third_start));
            query_ms.push_back(q);
            facet_ms.push_back(f);
            both_ms.push_back(q + f);
        }
        const Timing q = summarize(query_ms), f = summarize(facet_ms), b = summarize(both_ms), p2 = summarize(second_page_ms),
                     n = summarize(next_page_ms);
        std::string reference = "-";
        if (!shell.empty() && !on_server) {
            auto times = sqlite3_shell_times(shell, file, statements, runs);
            if (!times.empty()) {
                const Timing s = summarize(times);
                char text[64];
                std::snprintf(text, sizeof text, "%.0f / %.0f", s.median, s.max);
                reference = text;
            }
        }
        const bool targeted = !query.empty() && from_index;
        const bool met = b.median < target_ms;
        if (targeted) all_met = all_met && met;
        const bool indexed = catalog::answered_from_index(library, query).value();
        std::printf("| `%s` | %s | %lld | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %s | %s | %.1f / %.1f | %.2f / %.2f |\n", query.c_str(),
                    indexed ? "memory" : "SQL", static_cast<long long>(matches), q.median, q.max, f.median, f.max, b.median, b.max, reference.c_str(),
                    !targeted ? (query.empty() ? "(no target)" : "(for comparison)") : met ? "met" : "NOT met", p2.median, p2.max, n.median, n.max);
    }
    std::printf("\n(%d runs each; run_query asks for %s, sorted by date, matching afresh each run; facets_of counts over "
                "every match; page 2 lists every match of the query once, page 3 and on are slices of that list)\n",
                runs,
                limit < 0 ? "every match" : ("the first " + std::to_string(limit)).c_str());
    std::printf("query target (< %.0f ms median, run_query + facets_of): %s\n", target_ms, all_met ? "met" : "NOT met");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) return usage();
    const std::string mode = argv[1];
    if (mode == "write-photos" && argc == 4) return write_photos(argv[2], std::atol(argv[3]));
    if (mode != "queries") return usage();
    long rows = 100'000;
    int runs = 20;
    int64_t limit = 200;
    std::string shell;
    for (int i = 3; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--rows") rows = std::atol(argv[i + 1]);
        else if (flag == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--limit") limit = std::atoll(argv[i + 1]);
        else if (flag == "--sqlite3") shell = argv[i + 1];
        else return usage();
    }
    if ((argc - 3) % 2 != 0) return usage();
    return queries(argv[2], rows, runs, limit, shell);
}
