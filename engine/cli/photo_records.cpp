#include "cli/photo_records.hpp"

#include <lightbox/ipc/error_codes.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>

namespace lbx::engine::cli {

using lbx::cli::PhotoRecord;
using lbx::cli::RecordExif;
using lbx::cli::RecordFailure;
using lbx::cli::RecordRegion;
using lbx::cli::RecordTag;
using lbx::cli::RecordThumbnail;

// The record names the EXIF summary's fields as the plugin API does; a rename on either side shows here.
static_assert(std::string_view(LBX_FIELD_TAKEN_AT) == "taken_at" && std::string_view(LBX_FIELD_GPS_LAT) == "gps_lat" &&
              std::string_view(LBX_FIELD_GPS_LON) == "gps_lon" && std::string_view(LBX_FIELD_F_NUMBER) == "f_number" &&
              std::string_view(LBX_FIELD_EXPOSURE_TIME) == "exposure_time" && std::string_view(LBX_FIELD_ISO) == "iso");

namespace {

RecordRegion record_region(const Region& g) {
    RecordRegion r;
    r.kind = g.kind;
    r.label = g.label;
    r.confidence = g.confidence;
    r.x = g.x;
    r.y = g.y;
    r.width = g.width;
    r.height = g.height;
    r.points = g.points;
    r.quality = g.quality;
    r.embedding_model = g.embedding_model;
    r.embedding = g.embedding;
    r.source = g.source;
    return r;
}

std::vector<RecordThumbnail> record_thumbnails(const std::vector<StoredThumbnail>& thumbnails) {
    std::vector<RecordThumbnail> out;
    for (const StoredThumbnail& t : thumbnails) out.push_back({t.size, t.width, t.height, t.path});
    return out;
}

}  // namespace

RecordFailure record_failure(const StageFailure& f) {
    return {f.stage, f.stage_id, f.plugin, f.plugin_version, f.code, f.message};
}

RecordExif record_exif(const Metadata& m) {
    RecordExif exif;
    for (const char* field : {LBX_FIELD_TAKEN_AT, LBX_FIELD_MAKE, LBX_FIELD_MODEL, LBX_FIELD_LENS})
        if (auto v = m.get_text(field)) exif.text[field] = *v;
    for (const char* field : {LBX_FIELD_EXPOSURE_TIME, LBX_FIELD_F_NUMBER, LBX_FIELD_FOCAL_LENGTH, LBX_FIELD_GPS_LAT,
                              LBX_FIELD_GPS_LON, LBX_FIELD_GPS_ALT})
        if (auto v = m.get_number(field)) exif.numbers[field] = *v;
    for (const char* field : {LBX_FIELD_ISO, LBX_FIELD_ORIENTATION, LBX_FIELD_WIDTH, LBX_FIELD_HEIGHT})
        if (auto v = m.get_number(field)) exif.counts[field] = static_cast<int64_t>(std::llround(*v));
    return exif;
}

PhotoRecord photo_record(const PhotoResult& r, bool with_metadata) {
    PhotoRecord record;
    record.path = r.path;
    record.status = r.ok() ? ipc::file_state::kOk : ipc::file_state::kFailed;
    if (r.failure) record.error = record_failure(*r.failure);
    for (const StageFailure& w : r.warnings) record.warnings.push_back(record_failure(w));
    record.format = r.format;
    if (r.file_size) record.size = r.file_size;
    record.width = r.width;
    record.height = r.height;
    record.hash = r.hash;
    record.exif = record_exif(r.metadata);
    record.tags.emplace();
    for (const Tag& t : r.tags) record.tags->push_back({t.name, t.category, t.confidence, t.source});
    record.regions.emplace();
    for (const Region& g : r.regions) record.regions->push_back(record_region(g));
    record.people.emplace();
    record.thumbnails = record_thumbnails(r.thumbnails);
    if (with_metadata) {
        record.metadata.emplace();
        for (const auto& [key, value] : r.metadata.entries) {
            const auto printed = r.metadata.printed.find(key);
            record.metadata->push_back({key, value, printed == r.metadata.printed.end() ? std::string() : printed->second});
        }
    }
    if (r.perceptual_hash) {
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(*r.perceptual_hash));
        record.phash = hex;
    }
    if (!r.analysed.empty()) {
        record.analysed.emplace();
        for (const AnalysisMark& m : r.analysed) record.analysed->push_back({m.stage_id, m.plugin, m.plugin_version, m.error});
    }
    record.seconds = r.seconds;
    return record;
}

PhotoRecord unchanged_record(const PhotoResult& r) {
    PhotoRecord record;
    record.path = r.path;
    record.size = r.file_size;
    if (r.failure) {  // failed in an earlier scan and not changed since: still failed
        record.status = ipc::file_state::kFailed;
        record.unchanged = true;
        record.error = record_failure(*r.failure);
    } else {
        record.status = "unchanged";
        record.hash = r.hash;
    }
    return record;
}

PhotoRecord query_record(const catalog::PhotoRow& row, const catalog::PhotoDetails* details,
                         const std::vector<catalog::FacePerson>& persons, bool with_metadata) {
    PhotoRecord record;
    record.path = row.path;
    record.status = row.status;
    record.hash = row.hash;
    record.format = row.format;
    record.width = row.width;
    record.height = row.height;
    record.matched = row.matched;
    if (!details) return record;
    const catalog::PhotoDetails& d = *details;
    record.size = d.file_size;
    RecordExif exif;
    exif.text = d.summary_text;
    for (const auto& [field, value] : d.summary_numbers) {
        if (field == LBX_FIELD_ISO)
            exif.counts[field] = static_cast<int64_t>(std::llround(value));
        else
            exif.numbers[field] = value;
    }
    record.exif = std::move(exif);
    record.tags.emplace();
    for (const Tag& t : d.auto_tags) record.tags->push_back({t.name, t.category, t.confidence, t.source});
    for (const std::string& t : d.user_tags) record.tags->push_back({t, "user", 1.0, "user"});
    // The catalog lists regions by source, then index: (source, index) names a face's person.
    record.regions.emplace();
    std::map<std::string, int64_t> next_index;
    for (const Region& g : d.regions) {
        RecordRegion region = record_region(g);
        const int64_t index = next_index[g.source]++;
        for (const catalog::FacePerson& p : persons)
            if (p.source == g.source && p.index == index) region.person = p.name;
        record.regions->push_back(std::move(region));
    }
    record.people = lbx::cli::people_of(*record.regions);
    record.thumbnails = record_thumbnails(d.thumbnails);
    if (with_metadata) {
        record.metadata.emplace();
        for (const catalog::StoredEntry& e : d.metadata) record.metadata->push_back({e.key, e.value, e.printed});
    }
    return record;
}

}  // namespace lbx::engine::cli
