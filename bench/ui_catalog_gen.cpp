// lightbox-bench-ui-catalog DIR COUNT: a catalog of COUNT synthetic photos for the UI benchmark
// (bench/run_ui_bench.sh). The photos' rows are written through the engine's own catalog code
// (Catalog::record), so the engine serves them like scanned ones; their thumbnails point at ~50 real
// small JPEG files written once, so the shell's grid shows real pictures without scanning 100 000 files.
// Three photos in ten carry GPS coordinates, spread up to ~50 km around one of twelve cities (the map's
// benchmark: 30 000 geotagged of 100 000). Every photo has a date taken over twenty years (the timeline).
#include "catalog/catalog.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

using namespace lbx;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: lightbox-bench-ui-catalog DIR COUNT\n");
        return 2;
    }
    const std::filesystem::path dir = std::filesystem::absolute(argv[1]);
    const long count = std::stol(argv[2]);
    std::filesystem::create_directories(dir / "thumbs");
    constexpr int kPictures = 50;
    std::vector<std::string> thumbs;
    for (int i = 0; i < kPictures; ++i) {
        const auto bytes = sample::encode_jpeg(sample::make_scene(256, 192, static_cast<uint32_t>(i + 1)), 85);
        const auto path = dir / "thumbs" / ("t" + std::to_string(i) + ".jpg");
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        thumbs.push_back(path.string());
    }
    auto catalog = engine::catalog::Catalog::open(dir / "library.lbx", engine::catalog::BatchPolicy{5000, std::chrono::seconds(60)});
    if (!catalog) {
        std::fprintf(stderr, "cannot open the catalog: %s\n", catalog.error().message.c_str());
        return 1;
    }
    const auto started = std::chrono::steady_clock::now();
    const int64_t seen_at = 1;
    for (long i = 0; i < count; ++i) {
        engine::PhotoResult r;
        char name[64], hash[40];
        std::snprintf(name, sizeof name, "/bench/photos/%03ld/IMG_%06ld.jpg", i / 1000, i);
        std::snprintf(hash, sizeof hash, "%032lx", static_cast<unsigned long>(i) * 2654435761ul + 1);
        r.path = name;
        r.hash = hash;
        r.format = "jpeg";
        r.file_size = 2'000'000;
        r.width = 4000;
        r.height = 3000;
        r.mtime_ns = 1'600'000'000'000'000'000 + i;
        {
            // Taken over twenty years, in no particular order of number (the timeline's benchmark: jump
            // to each year).
            const long day = (i * 7919) % (20 * 365);
            char taken[32];
            std::snprintf(taken, sizeof taken, "%04ld-%02ld-%02ldT%02ld:%02ld:00", 2005 + day / 365, (day % 365) / 31 % 12 + 1,
                          (day % 365) % 28 + 1, i % 24, i % 60);
            r.metadata.text[LBX_FIELD_TAKEN_AT] = taken;
        }
        if (i % 10 < 3) {
            // A city by the photo's number, and a deterministic spread around it.
            static constexpr double kCities[][2] = {{48.86, 2.35},  {51.51, -0.13}, {40.71, -74.0}, {35.68, 139.69},
                                                    {-33.87, 151.2}, {-22.9, -43.2}, {55.75, 37.62}, {28.61, 77.21},
                                                    {1.35, 103.82},  {37.77, -122.42}, {-1.29, 36.82}, {64.13, -21.9}};
            const auto& city = kCities[static_cast<std::size_t>(i / 10) % 12];
            const double a = static_cast<double>((i * 7919) % 1000) / 1000.0, b = static_cast<double>((i * 104729) % 1000) / 1000.0;
            r.metadata.numbers[LBX_FIELD_GPS_LAT] = city[0] + (a - 0.5) * 0.9;
            r.metadata.numbers[LBX_FIELD_GPS_LON] = city[1] + (b - 0.5) * 0.9;
        }
        r.thumbnails = {{256, thumbs[static_cast<std::size_t>(i % kPictures)], 256, 192}};
        if (auto ok = (*catalog)->record(r, seen_at); !ok) {
            std::fprintf(stderr, "record %ld: %s\n", i, ok.error().message.c_str());
            return 1;
        }
    }
    if (auto ok = (*catalog)->update_statistics(); !ok) {
        std::fprintf(stderr, "flush: %s\n", ok.error().message.c_str());
        return 1;
    }
    (void)(*catalog)->add_roots({"/bench/photos"}, 1);
    std::printf("%ld photos in %s (%.1f s)\n", count, (dir / "library.lbx").c_str(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return 0;
}
