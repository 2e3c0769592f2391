#include "model/fixtures.hpp"

#include <lightbox/ipc/settings.hpp>

#include <cstdio>
#include <string>

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
        // A name far wider than its cell: cut to fit in the grid, whole in its tooltip.
        if (i == 1) std::snprintf(name, sizeof name, "/home/ada/Pictures/2019/holiday/IMG_0002 sunset over Brighton pier, edited.jpg");
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
    facets.groups = {{"people", 64}, {"animals", 18}, {"vehicles", 9}, {"food", 4}};
    facets.labels = {{"person", 64}, {"dog", 12}, {"umbrella", 11}, {"sports ball", 6}, {"car", 5}};
    facets.people = {{"Anna", 31}, {"Ben", 17}, {"Chloé Martin", 5}};
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

    // The analysis phase behind it (it runs when no scan does; here an earlier one, shown apart).
    ipc::JobProgress analysis;
    analysis.job_id = 8;
    analysis.kind = ipc::JobKind::analysis;
    analysis.state = ipc::JobState::running;
    analysis.done = 120;
    analysis.total = 718;
    analysis.rate = 3.9;
    analysis.eta_seconds = 153;
    analysis.sequence = 120;
    analysis.current_path = "/home/ada/Pictures/2019/holiday/IMG_0121.jpg";
    s.jobs[8] = JobView{analysis, std::nullopt};
    ipc::AnalysisReply phase;
    phase.enabled = true;
    phase.pending = 598;
    phase.job_id = 8;
    phase.stages = {"objects", "faces", "identity"};
    s.analysis = phase;

    // Persons, most faces first; their covers are drawn by the gallery (fixture_face_photo_id).
    const auto person = [](uint64_t id, std::string name, uint64_t faces, uint64_t in_photos, double x, double y, double w, double h) {
        ipc::Person p;
        p.id = id;
        p.name = std::move(name);
        p.faces = faces;
        p.photos = in_photos;
        p.cover_photo_id = fixture_face_photo_id(id);
        p.cover_x = x;
        p.cover_y = y;
        p.cover_width = w;
        p.cover_height = h;
        return p;
    };
    s.people.total = 7;
    s.people.pages[0] = {person(1, "Anna", 48, 31, 0.38, 0.22, 0.3, 0.42), person(2, "Ben", 21, 17, 0.12, 0.3, 0.2, 0.28),
                         person(7, "", 9, 9, 0.55, 0.18, 0.24, 0.34), person(3, "Chloé Martin", 5, 5, 0.4, 0.35, 0.16, 0.22),
                         person(9, "", 3, 2, 0.3, 0.25, 0.35, 0.5), person(11, "", 2, 2, 0.5, 0.4, 0.1, 0.14),
                         person(12, "", 1, 1, 0.2, 0.2, 0.4, 0.55)};

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
    // As the exif stage reports them: raw values, and how people read them where that differs.
    info.metadata = {{"Exif.Image.Make", "Canon", ""},
                     {"Exif.Image.Model", "Canon EOS R6", ""},
                     {"Exif.Photo.DateTimeOriginal", "2019:05:04 10:11:12", ""},
                     {"Exif.Photo.ExposureTime", "1/250", "1/250 s"},
                     {"Exif.Photo.FNumber", "14/5", "F2.8"},
                     {"Exif.Photo.ISOSpeedRatings", "400", ""},
                     {"Exif.Photo.Flash", "16", "No, compulsory"},
                     {"Exif.Photo.FocalLength", "35/1", "35.0 mm"},
                     {"Exif.Photo.FocalLengthIn35mmFilm", "35", "35.0 mm"},
                     {"Exif.Photo.LensModel", "RF24-105mm F4 L IS USM", ""},
                     {"Exif.GPSInfo.GPSLatitudeRef", "N", "North"},
                     {"Exif.GPSInfo.GPSLatitude", "50/1 49/1 2100/100", "50deg 49' 21\""},
                     {"Exif.CanonCs.LensType", "61182", "Canon RF 24-105mm F4L IS USM"},
                     {"Xmp.dc.subject", "beach, summer", ""}};
    info.capture.taken_at = "2019-05-04T10:11:12+01:00";
    info.capture.make = "Canon";
    info.capture.model = "Canon EOS R6";
    info.capture.lens = "RF24-105mm F4 L IS USM";
    info.capture.exposure_time = 1.0 / 250;
    info.capture.f_number = 2.8;
    info.capture.iso = 400;
    info.capture.focal_length = 35;
    info.capture.gps_lat = 50.8225;
    info.capture.gps_lon = -0.1372;
    info.tags = {{"beach", "scene", 0.92, "org.lightbox.autotag"}, {"2019", "date", 1.0, "org.lightbox.autotag"},
                 {"Brighton", "place", 1.0, "org.lightbox.autotag"}, {"favourite", "user", 1.0, "user"}};
    // Two faces (one named), three objects; boxes in fractions of the upright photo.
    const auto region = [](std::string kind, std::string label, double confidence, double x, double y, double w, double h,
                           uint64_t person_id = 0, std::string person_name = {}) {
        ipc::PhotoRegion r;
        r.source = "org.lightbox.vision";
        r.kind = std::move(kind);
        r.label = std::move(label);
        r.confidence = confidence;
        r.x = x;
        r.y = y;
        r.width = w;
        r.height = h;
        r.person_id = person_id;
        r.person_name = std::move(person_name);
        r.quality = r.kind == "face" ? 0.8 : 0;
        r.has_embedding = r.kind == "face";
        return r;
    };
    info.regions = {region("object", "person", 0.91, 0.30, 0.32, 0.14, 0.55), region("object", "person", 0.84, 0.58, 0.36, 0.13, 0.5),
                    region("object", "dog", 0.87, 0.74, 0.66, 0.16, 0.18), region("object", "umbrella", 0.64, 0.05, 0.40, 0.2, 0.3),
                    region("face", "", 0.97, 0.33, 0.34, 0.07, 0.1, 1, "Anna"), region("face", "", 0.9, 0.61, 0.38, 0.06, 0.09, 7)};
    for (uint32_t i = 0; i < info.regions.size(); ++i) info.regions[i].index = i;
    open.info = info;
    open.user_tags = {"favourite"};
    s.open_photo = open;
    return s;
}

bool is_fixture_photo(const std::string& photo_id) { return photo_id.rfind("fixture-", 0) == 0; }

std::string fixture_face_photo_id(uint64_t person_id) { return "fixture-face-" + std::to_string(person_id); }

std::string describe(const ipc::Request& request) {
    std::string text(ipc::name_of(request));
    if (const auto* r = std::get_if<ipc::RenamePerson>(&request)) text += " " + std::to_string(r->person_id) + " \"" + r->new_name + "\"";
    if (const auto* r = std::get_if<ipc::MergePersons>(&request)) text += " " + std::to_string(r->from_id) + " into " + std::to_string(r->into_id);
    if (const auto* r = std::get_if<ipc::RemoveFace>(&request)) text += " " + r->photo_id + " " + r->source + " " + std::to_string(r->index);
    if (const auto* r = std::get_if<ipc::SetAnalysisPaused>(&request)) text += r->paused ? " paused" : " resumed";
    if (const auto* r = std::get_if<ipc::Query>(&request)) text += " \"" + r->query + "\"";
    if (const auto* r = std::get_if<ipc::ListPersons>(&request)) text += " " + std::to_string(r->offset) + " " + std::to_string(r->limit);
    return text;
}

}  // namespace lbx::shell
