#include "ctl_records.hpp"

#include <cmath>

namespace lbx::ctl {

namespace {

template <class T>
void put(std::map<std::string, T>& into, const char* name, const std::optional<T>& value) {
    if (value) into[name] = *value;
}

cli::RecordExif exif_of(const ipc::PhotoCapture& c) {
    cli::RecordExif exif;
    put(exif.text, "taken_at", c.taken_at);
    put(exif.text, "make", c.make);
    put(exif.text, "model", c.model);
    put(exif.text, "lens", c.lens);
    put(exif.numbers, "exposure_time", c.exposure_time);
    put(exif.numbers, "f_number", c.f_number);
    put(exif.numbers, "focal_length", c.focal_length);
    put(exif.numbers, "gps_lat", c.gps_lat);
    put(exif.numbers, "gps_lon", c.gps_lon);
    if (c.iso) exif.counts["iso"] = static_cast<int64_t>(std::llround(*c.iso));  // a count: 200, not 200.0
    return exif;
}

}  // namespace

cli::PhotoRecord query_record(const ipc::PhotoSummary& s, const ipc::PhotoInfo* details, bool with_metadata) {
    cli::PhotoRecord record;
    record.path = s.path;
    record.status = s.status;
    record.hash = s.id;
    record.format = s.format;
    record.width = s.width;
    record.height = s.height;
    record.matched = s.matched;
    if (!details) return record;
    const ipc::PhotoInfo& d = *details;
    record.size = d.file_size;
    record.exif = exif_of(d.capture);
    record.tags.emplace();
    for (const ipc::PhotoTag& t : d.tags) record.tags->push_back({t.name, t.category, t.confidence, t.source});
    // The protocol holds no keypoints or embeddings (only whether a face has one): those fields stay out.
    record.regions.emplace();
    for (const ipc::PhotoRegion& g : d.regions) {
        cli::RecordRegion region;
        region.kind = g.kind;
        region.label = g.label;
        region.confidence = g.confidence;
        region.x = g.x;
        region.y = g.y;
        region.width = g.width;
        region.height = g.height;
        region.quality = g.quality;
        region.source = g.source;
        region.person = g.person_name;
        record.regions->push_back(std::move(region));
    }
    record.people = cli::people_of(*record.regions);
    record.thumbnails.emplace();
    for (const ipc::ThumbnailRef& t : d.thumbnails) record.thumbnails->push_back({t.size, t.width, t.height, t.path});
    if (with_metadata) {
        record.metadata.emplace();
        for (const ipc::MetadataEntry& e : d.metadata) record.metadata->push_back({e.key, e.value, e.printed});
    }
    return record;
}

}  // namespace lbx::ctl
