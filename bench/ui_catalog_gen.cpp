// lightbox-bench-ui-catalog DIR COUNT: a catalog of COUNT synthetic photos for the UI benchmark
// (bench/run_ui_bench.sh). The photos' rows are written through the engine's own catalog code
// (Catalog::record), so the engine serves them like scanned ones; their thumbnails point at ~50 real
// small JPEG files written once, so the shell's grid shows real pictures without scanning 100 000 files.
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
