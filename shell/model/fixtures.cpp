#include "model/fixtures.hpp"

#include <lightbox/ipc/settings.hpp>

#include <cstdio>

namespace lbx::shell {

State fixture_state(uint64_t photos) {
    State s;
    s.engine.status = EngineStatus::connected;
    s.engine.version = "0.1.0";
    s.engine.pid = 4242;
    ipc::LibraryInfoReply library;
    library.catalog = "/home/ada/.local/share/lightbox/library.lbx";
    library.roots = {"/home/ada/Pictures"};
    library.photos = photos;
    library.files_failed = 2;
    library.thumbnail_bytes = 48u << 20;
    library.thumbnail_budget_bytes = 2048ull << 20;
    s.library = library;

    s.results.generation = 1;
    s.results.total = photos;
    const char* cameras[] = {"Canon EOS R6", "FUJIFILM X-T4", "Google Pixel 7"};
    for (uint64_t i = 0; i < photos; ++i) {
        char name[96], taken[32];
        std::snprintf(name, sizeof name, "/home/ada/Pictures/2019/holiday/IMG_%04llu.jpg", static_cast<unsigned long long>(i + 1));
        std::snprintf(taken, sizeof taken, "2019-05-%02lluT10:11:12", static_cast<unsigned long long>(1 + i % 28));
        ipc::PhotoSummary p{"fixture-" + std::to_string(i), name, "jpeg", 4000, 3000, taken, cameras[i % 3], "ok"};
        s.results.pages[i / ResultPages::kPageSize].push_back(std::move(p));
    }
    s.focused = photos > 3 ? 3 : 0;
    s.query.text = "beach year:2019";

    ipc::FacetsReply facets;
    facets.tags = {{"beach", 120}, {"sunset", 48}, {"people", 31}, {"landscape", 22}, {"black and white", 7}};
    facets.cameras = {{"Canon EOS R6", 80}, {"FUJIFILM X-T4", 60}, {"Google Pixel 7", 40}};
    facets.years = {{"2019", 120}, {"2018", 40}, {"2017", 20}};
    facets.months = {{"2019-07", 70}, {"2019-08", 50}};
    facets.places = {{"Brighton", 70}, {"Lisbon", 50}, {"Portugal", 50}};
    s.facets = facets;

    ipc::JobProgress job;
    job.job_id = 7;
    job.state = ipc::JobState::running;
    job.done = 4120;
    job.total = 10300;
    job.failed = 2;
    job.current_path = "/home/ada/Pictures/2020/IMG_4121.jpg";
    job.rate = 85.5;
    job.eta_seconds = 72;
    job.sequence = 40;
    s.jobs[7] = JobView{job, std::nullopt};

    s.failures = {
        {"/home/ada/Pictures/broken.jpg", "decode", "org.lightbox.jpegdec", "1.0.0", "truncated", "truncated at byte 40960 of 81920", 0, 0},
        {"/home/ada/Pictures/odd.heic", "decode", "org.lightbox.heifdec", "1.0.0", "unsupported", "unsupported HEIF brand 'avis'", 0, 0},
    };
    s.failures_total = 2;

    ipc::PluginList plugins;
    plugins.plugins = {
        {"org.lightbox.jpegdec", "JPEG decoder", "1.0.0", "MIT", "/usr/lib/lightbox/plugins/jpegdec.so", {{"jpegdec", "decode"}}, {"jpeg"}},
        {"org.lightbox.exif", "EXIF reader", "1.0.0", "MIT", "/usr/lib/lightbox/plugins/exif.so", {{"exif", "metadata"}}, {}},
        {"org.lightbox.thumbnail", "Thumbnails", "1.0.0", "MIT", "/usr/lib/lightbox/plugins/thumbnail.so", {{"thumbnail", "thumbnail"}}, {}},
    };
    plugins.rejected = {{"/home/ada/.local/share/lightbox/plugins/old.so", "plugin API 0.9 is older than the host's 1.x"}};
    s.plugins = plugins;

    namespace keys = ipc::settings;
    s.settings = {{keys::kWorkers, "2"},
                  {keys::kPipeline, keys::kDefaultPipeline},
                  {keys::kThumbnailSizes, keys::sizes_text(keys::kDefaultThumbnailSizes)},
                  {keys::kCacheBudgetMb, std::to_string(keys::kDefaultCacheBudgetMb)}};

    OpenPhoto open;
    open.index = 3;
    open.id = "fixture-3";
    ipc::PhotoInfo info;
    info.id = open.id;
    info.path = s.results.pages[0][3].path;
    info.format = "jpeg";
    info.file_size = 6'123'456;
    info.width = 4000;
    info.height = 3000;
    info.metadata = {{"exif.make", "Canon"}, {"exif.model", "EOS R6"}, {"exif.taken_at", "2019-05-04T10:11:12"},
                     {"exif.iso", "400"}, {"exif.f_number", "2.8"}, {"exif.exposure_time", "1/250"},
                     {"exif.focal_length", "35"}, {"exif.gps", "50.8225, -0.1372"}};
    info.tags = {{"beach", "scene", 0.92, "org.lightbox.autotag"}, {"2019", "date", 1.0, "org.lightbox.autotag"},
                 {"Brighton", "place", 1.0, "org.lightbox.autotag"}, {"favourite", "user", 1.0, "user"}};
    open.info = info;
    open.user_tags = {"favourite"};
    s.open_photo = open;
    return s;
}

bool is_fixture_photo(const std::string& photo_id) { return photo_id.rfind("fixture-", 0) == 0; }

}  // namespace lbx::shell
