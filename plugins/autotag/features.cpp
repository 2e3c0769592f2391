// Computes the features of one photo for the autotag stage: date parts from taken_at, camera and lens
// names, the upright shape, the nearest town and its country (offline gazetteer), and pixel measures
// when the pipeline decoded the photo.
//
// Run it with:  lightbox-engine run --only metadata,decode,tag photo.jpg
#include "features.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

namespace lbx::plugins::autotag {

namespace {

std::string trim(std::string s) {
    const auto not_space = [](unsigned char c) { return !std::isspace(c) && c != '\0'; };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// `text` begins with `prefix` (any case) followed by the end or a space.
bool starts_with_word(const std::string& text, const std::string& prefix) {
    if (prefix.empty() || text.size() < prefix.size()) return false;
    if (upper(text.substr(0, prefix.size())) != upper(prefix)) return false;
    return text.size() == prefix.size() || text[prefix.size()] == ' ';
}

struct DateTime {
    int year = 0, month = 0, day = 0;
    std::optional<int> hour;
};

bool digits(const std::string& s, std::size_t pos, std::size_t n, int& value) {
    if (pos + n > s.size()) return false;
    value = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
        value = value * 10 + (s[i] - '0');
    }
    return true;
}

// "2023-07-14T21:30:00+02:00" (the summary's ISO 8601) or "2023:07:14 21:30:00" (raw EXIF). The hour is
// the local time written in the photo, whatever its offset: "evening" means the photographer's evening.
std::optional<DateTime> parse_taken_at(const std::string& text) {
    DateTime t;
    if (!digits(text, 0, 4, t.year) || text.size() < 10 || (text[4] != '-' && text[4] != ':') || text[7] != text[4] ||
        !digits(text, 5, 2, t.month) || !digits(text, 8, 2, t.day)) {
        return std::nullopt;
    }
    if (t.year < 1800 || t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31) return std::nullopt;
    int hour = 0;
    if (text.size() >= 13 && (text[10] == 'T' || text[10] == ' ') && digits(text, 11, 2, hour) && hour < 24) {
        t.hour = hour;
    }
    return t;
}

void set_number(Features& f, const char* name, double value, double confidence = 1.0) {
    f[name] = Feature{value, confidence};
}

void set_text(Features& f, const char* name, std::string value, double confidence = 1.0) {
    f[name] = Feature{std::move(value), confidence};
}

void add_date(Features& f, const lbx::sdk::MetadataView& metadata) {
    const auto taken_at = metadata.text(LBX_FIELD_TAKEN_AT);
    const auto t = taken_at ? parse_taken_at(*taken_at) : std::nullopt;
    if (!t) return;
    set_number(f, "year", t->year);
    set_number(f, "month", t->month);
    set_number(f, "day", t->day);
    if (t->hour) set_number(f, "hour", *t->hour);
}

void add_camera(Features& f, const lbx::sdk::MetadataView& metadata, const FeatureSettings& settings) {
    const std::string make = trim(metadata.text(LBX_FIELD_MAKE).value_or(""));
    const std::string model = trim(metadata.text(LBX_FIELD_MODEL).value_or(""));
    if (!make.empty()) set_text(f, "make", make_name(make, settings));
    if (!make.empty() || !model.empty()) set_text(f, "camera", camera_name(make, model, settings));
    const std::string lens = trim(metadata.text(LBX_FIELD_LENS).value_or(""));
    if (!lens.empty()) set_text(f, "lens", lens);
}

// The width and height of the upright picture: the decoded image's own when the decoder already turned
// it (LBX_IMAGE_UPRIGHT), else the stored size turned by EXIF orientations 5..8.
void add_shape(Features& f, const lbx::sdk::TagInput& input) {
    double w = 0, h = 0;
    bool upright = false;
    if (input.image && input.image->width() > 0 && input.image->height() > 0) {
        w = input.image->width();
        h = input.image->height();
        upright = (input.image->raw().flags & LBX_IMAGE_UPRIGHT) != 0;
    } else {
        w = input.metadata.number(LBX_FIELD_WIDTH).value_or(0);
        h = input.metadata.number(LBX_FIELD_HEIGHT).value_or(0);
    }
    if (!(w >= 1 && h >= 1) || !std::isfinite(w) || !std::isfinite(h)) return;
    const double orientation = input.metadata.number(LBX_FIELD_ORIENTATION).value_or(1);
    if (!upright && orientation >= 5 && orientation <= 8) std::swap(w, h);
    set_number(f, "width", w);
    set_number(f, "height", h);
    set_number(f, "aspect", w / h);
    set_number(f, "long_aspect", std::max(w, h) / std::min(w, h));
}

void add_place(Features& f, const lbx::sdk::MetadataView& metadata, const FeatureSettings& settings,
               const Gazetteer& gazetteer) {
    const auto lat = metadata.number(LBX_FIELD_GPS_LAT);
    const auto lon = metadata.number(LBX_FIELD_GPS_LON);
    const bool known =
        lat && lon && std::isfinite(*lat) && std::isfinite(*lon) && std::abs(*lat) <= 90 && std::abs(*lon) <= 180;
    set_text(f, "hemisphere", !known ? "unknown" : (*lat < 0 ? "south" : "north"));
    if (!known) return;
    const auto place = gazetteer.nearest(*lat, *lon, settings.place_max_km);
    if (!place) return;
    // In the town's extent: certain; at place_max_km beyond it: half as sure for the town, three quarters
    // for the country.
    const double share = settings.place_max_km > 0 ? place->outside_km / settings.place_max_km : 0;
    set_text(f, "place", std::string(place->name), std::clamp(1.0 - 0.5 * share, 0.5, 1.0));
    set_text(f, "country", std::string(place->country), std::clamp(1.0 - 0.25 * share, 0.75, 1.0));
    set_text(f, "country_code", std::string(place->country_code), std::clamp(1.0 - 0.25 * share, 0.75, 1.0));
    set_number(f, "place_km", place->distance_km);
}

void add_pixels(Features& f, const lbx::sdk::ImageView& image, const FeatureSettings& settings) {
    if (image.width() == 0 || image.height() == 0) return;
    const PixelStats stats = measure_pixels(image);
    set_number(f, "mean_luma", stats.mean_luma);
    set_number(f, "mean_saturation", stats.mean_saturation);
    if (stats.sharpness) set_number(f, "sharpness", *stats.sharpness);
    for (const NamedColour& c : settings.colours) {
        f["colour." + c.name] = Feature{stats.fraction(c.range), 1.0};
    }
}

}  // namespace

std::string make_name(const std::string& make, const FeatureSettings& settings) {
    const std::string clean = trim(make);
    auto it = settings.makes.find(upper(clean));
    return it != settings.makes.end() ? it->second : clean;
}

std::string camera_name(const std::string& make, const std::string& model, const FeatureSettings& settings) {
    const std::string raw_make = trim(make);
    const std::string shown_make = make_name(raw_make, settings);
    std::string rest = trim(model);
    // Drop the make from the front of the model, as written or as shown ("NIKON D750" of "NIKON
    // CORPORATION" -> "D750"), then put the shown make back once.
    const std::string first_word = raw_make.substr(0, raw_make.find(' '));
    for (const std::string& prefix : {raw_make, shown_make, first_word}) {
        if (starts_with_word(rest, prefix)) {
            rest = trim(rest.substr(prefix.size()));
            break;
        }
    }
    if (shown_make.empty()) return rest;
    if (rest.empty()) return shown_make;
    return shown_make + " " + rest;
}

std::vector<std::string> feature_names(const FeatureSettings& settings) {
    std::vector<std::string> names = {
        "year",      "month",           "day",         "hour",       "make",  "camera",  "lens",         "width",
        "height",    "aspect",          "long_aspect", "hemisphere", "place", "country", "country_code", "place_km",
        "mean_luma", "mean_saturation", "sharpness"};
    for (const NamedColour& c : settings.colours) names.push_back("colour." + c.name);
    return names;
}

Features compute_features(const lbx::sdk::TagInput& input, const FeatureSettings& settings,
                          const Gazetteer& gazetteer) {
    Features f;
    add_date(f, input.metadata);
    add_camera(f, input.metadata, settings);
    add_shape(f, input);
    add_place(f, input.metadata, settings, gazetteer);
    if (input.image) add_pixels(f, *input.image, settings);
    return f;
}

}  // namespace lbx::plugins::autotag
