// lightbox-bench-map CATALOG: the engine's side of the Map page, GetMapClusters's catalog work
// (catalog/map_clusters.cpp) over a catalog made by lightbox-bench-ui-catalog (100 000 photos, 30 000
// geotagged): the whole world at zoom 2, each zoom step into Paris down to zoom 12, and a query with a
// within: term. Prints the median of 5 runs of each, in ms.
#include "catalog/catalog.hpp"
#include "catalog/catalog_query.hpp"
#include "catalog/map_clusters.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

using namespace lbx::engine::catalog;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: lightbox-bench-map CATALOG\n");
        return 2;
    }
    auto catalog = Catalog::open(argv[1]);
    if (!catalog) {
        std::fprintf(stderr, "cannot open the catalog: %s\n", catalog.error().message.c_str());
        return 1;
    }
    (void)warm_up(**catalog);
    const auto median_ms = [&](const GeoBox& box, int zoom, int64_t* clusters, int64_t* photos) {
        std::vector<double> times;
        for (int run = 0; run < 5; ++run) {
            const auto started = std::chrono::steady_clock::now();
            auto found = map_clusters(**catalog, "", box, zoom, 5000);
            times.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
            if (!found) {
                std::fprintf(stderr, "map_clusters: %s\n", found.error().message.c_str());
                return -1.0;
            }
            *clusters = static_cast<int64_t>(found->clusters.size());
            *photos = found->photos;
        }
        std::sort(times.begin(), times.end());
        return times[2];
    };
    int64_t clusters = 0, photos = 0;
    double worst = 0;
    for (int zoom = 2; zoom <= 12; ++zoom) {
        // The view of a 1024x512 window centred on Paris at this zoom, one cell around it.
        const double half_lon = 512.0 / (256.0 * (1 << zoom) / 360.0) + 360.0 / (1 << (zoom + 2));
        const double half_lat = half_lon / 2;
        const GeoBox box{std::max(-90.0, 48.86 - half_lat), std::max(-180.0, 2.35 - half_lon),
                         std::min(90.0, 48.86 + half_lat), std::min(180.0, 2.35 + half_lon)};
        const double ms = median_ms(box, zoom, &clusters, &photos);
        if (ms < 0) return 1;
        worst = std::max(worst, ms);
        std::printf("zoom %2d: %4lld clusters, %6lld photos in view: %.1f ms\n", zoom, static_cast<long long>(clusters),
                    static_cast<long long>(photos), ms);
    }
    const auto started = std::chrono::steady_clock::now();
    auto count = count_query(**catalog, "within:48,1,50,4");
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    std::printf("query within:48,1,50,4: %lld photos, %.1f ms\n", count ? static_cast<long long>(*count) : -1LL, ms);
    std::printf("map_clusters_max_ms %.1f\n", worst);
    return 0;
}
