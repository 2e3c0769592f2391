#include "model/photo_metadata.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>

namespace lbx::shell {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return s;
}

// A number with at most `decimals` decimals, without trailing zeros: 70 -> "70", 3.99 -> "4" (0) or "3.99".
std::string number_text(double v, int decimals) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
    std::string s = buffer;
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s;
}

const ipc::MetadataEntry* entry(const ipc::PhotoInfo& info, std::string_view key) {
    for (const auto& m : info.metadata)
        if (m.key == key) return &m;
    return nullptr;
}

std::string shown_value(const ipc::MetadataEntry& m) { return m.printed.empty() ? m.value : m.printed; }

std::string file_size_text(uint64_t bytes) {
    if (bytes >= 1'000'000) return number_text(static_cast<double>(bytes) / 1e6, 1) + " MB";
    if (bytes >= 1'000) return number_text(std::ceil(static_cast<double>(bytes) / 1e3), 0) + " KB";
    return std::to_string(bytes) + " bytes";
}

std::string coordinate_text(double v, char positive, char negative) {
    return number_text(std::abs(v), 5) + "° " + (v < 0 ? negative : positive);
}

// The group a metadata key belongs to: index into kGroupTitles.
constexpr std::array<const char*, 6> kGroupTitles{"EXIF", "GPS", "XMP", "IPTC", "Maker notes", "Other"};

std::size_t group_of(std::string_view key) {
    if (starts_with(key, "Xmp.")) return 2;
    if (starts_with(key, "Iptc.")) return 3;
    if (!starts_with(key, "Exif.")) return 5;
    const std::string_view rest = key.substr(5);
    const std::string_view group = rest.substr(0, rest.find('.'));
    if (group == "GPSInfo") return 1;
    // The standard IFDs (Exiv2's names); every other Exif group is a maker note's table.
    for (std::string_view standard : {"Image", "Photo", "Iop", "Thumbnail", "Image2", "Image3", "SubImage1", "SubImage2",
                                      "SubImage3", "SubImage4", "SubThumb1"}) {
        if (group == standard) return 0;
    }
    return 4;
}

// The name a row shows: the tag's words for EXIF, GPS and IPTC; the namespace too for XMP ("dc Subject")
// and the table for maker notes ("CanonCs Lens Type"), where the same name recurs.
std::string row_name(std::string_view key, std::size_t group) {
    const std::size_t last_dot = key.rfind('.');
    const std::string tag = readable_tag_name(std::string(last_dot == std::string_view::npos ? key : key.substr(last_dot + 1)));
    if (group == 2 || group == 4) {
        const std::size_t first_dot = key.find('.');
        if (first_dot != std::string_view::npos && last_dot > first_dot)
            return std::string(key.substr(first_dot + 1, last_dot - first_dot - 1)) + " " + tag;
    }
    return group == 5 ? std::string(key) : tag;
}

}  // namespace

std::string exposure_text(double seconds) {
    if (!(seconds > 0) || !std::isfinite(seconds)) return {};
    // Up to 1/4 s as a fraction of a second, the way cameras and exiftool print shutter speeds.
    if (seconds <= 0.25001) return "1/" + number_text(1.0 / seconds, 0) + " s";
    return number_text(seconds, seconds < 10 ? 1 : 0) + " s";
}

std::string f_number_text(double f) { return f > 0 && std::isfinite(f) ? "f/" + number_text(f, 1) : std::string(); }

std::string camera_text(const std::string& make, const std::string& model) {
    if (model.empty()) return make;
    if (make.empty()) return model;
    // Most models repeat the make ("Canon" + "Canon EOS 7D", "NIKON CORPORATION" + "NIKON D90"): its
    // first word said once.
    const std::string first_word = lower(make.substr(0, make.find(' ')));
    if (starts_with(lower(model), first_word)) return model;
    return make + " " + model;
}

std::string readable_tag_name(const std::string& name) {
    if (starts_with(name, "0x")) return name;  // a tag Exiv2 has no name for
    std::string out;
    const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    const auto lower_case = [](char c) { return c >= 'a' && c <= 'z'; };
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        if (i > 0) {
            const char before = name[i - 1];
            const bool next_lower = i + 1 < name.size() && lower_case(name[i + 1]);
            // "exposureTime", "ISOSpeed" (the last capital of a run starts a word), "In35mm".
            if ((upper(c) && (lower_case(before) || digit(before))) || (upper(c) && upper(before) && next_lower) ||
                (digit(c) && lower_case(before)))
                out += ' ';
        }
        out += c;
    }
    return out;
}

std::string date_time_text(const std::string& iso) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (iso.size() < 19 || std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6 || mo < 1 || mo > 12)
        return iso;
    static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char out[64];
    std::snprintf(out, sizeof out, "%d %s %04d, %02d:%02d:%02d", d, kMonths[static_cast<std::size_t>(mo - 1)], y, h, mi, s);
    std::string text = out;
    // The zone when the file has one ("+02:00" or "Z" at the end); without it the time is the camera's clock.
    std::size_t p = 19;
    if (p < iso.size() && iso[p] == '.') {
        ++p;
        while (p < iso.size() && iso[p] >= '0' && iso[p] <= '9') ++p;
    }
    const std::string zone = iso.substr(p);
    if (zone == "Z") text += " UTC";
    else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-')) text += " UTC" + zone;
    return text;
}

std::vector<SummaryLine> readable_summary(const ipc::PhotoInfo& info) {
    std::vector<SummaryLine> lines;
    const ipc::PhotoCapture& c = info.capture;
    if (c.taken_at) lines.push_back({"Taken", date_time_text(*c.taken_at)});
    const std::string camera = camera_text(c.make.value_or(""), c.model.value_or(""));
    if (!camera.empty()) lines.push_back({"Camera", camera});
    if (c.lens) lines.push_back({"Lens", *c.lens});

    std::vector<std::string> exposure;
    if (c.exposure_time) exposure.push_back(exposure_text(*c.exposure_time));
    if (c.f_number) exposure.push_back(f_number_text(*c.f_number));
    if (c.iso) exposure.push_back("ISO " + number_text(*c.iso, 0));
    if (c.focal_length) exposure.push_back(number_text(*c.focal_length, 1) + " mm");
    std::erase_if(exposure, [](const std::string& s) { return s.empty(); });
    if (!exposure.empty()) {
        std::string text;
        for (const auto& part : exposure) text += (text.empty() ? "" : " · ") + part;
        lines.push_back({"Exposure", text});
    }
    if (const ipc::MetadataEntry* flash = entry(info, "Exif.Photo.Flash")) lines.push_back({"Flash", shown_value(*flash)});

    if (info.width > 0 && info.height > 0) {
        const double megapixels = static_cast<double>(info.width) * info.height / 1e6;
        lines.push_back({"Size", std::to_string(info.width) + " × " + std::to_string(info.height) + " (" +
                                     number_text(megapixels, megapixels < 10 ? 1 : 0) + " MP)"});
    }
    if (info.file_size > 0) {
        std::string format = info.format;
        std::transform(format.begin(), format.end(), format.begin(), [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
        lines.push_back({"File", file_size_text(info.file_size) + (format.empty() ? "" : ", " + format)});
    }

    // The place the gazetteer named (place, then country), and the position itself.
    std::string place;
    for (const char* category : {"place", "country"}) {
        for (const auto& t : info.tags)
            if (t.category == category) place += (place.empty() ? "" : ", ") + t.name;
    }
    if (c.gps_lat && c.gps_lon) {
        const std::string position = coordinate_text(*c.gps_lat, 'N', 'S') + ", " + coordinate_text(*c.gps_lon, 'E', 'W');
        place = place.empty() ? position : place + " (" + position + ")";
    }
    if (!place.empty()) lines.push_back({"Place", place});
    return lines;
}

std::vector<MetadataGroup> metadata_groups(const std::vector<ipc::MetadataEntry>& entries) {
    std::array<std::vector<MetadataRow>, kGroupTitles.size()> rows;
    // Offsets of the IFDs that hold the other entries: bookkeeping of the file, nothing about the photo.
    static constexpr std::array<std::string_view, 4> kPointers{"Exif.Image.ExifTag", "Exif.Image.GPSTag",
                                                              "Exif.Photo.InteroperabilityTag", "Exif.Image.InteroperabilityTag"};
    for (const auto& m : entries) {
        if (std::find(kPointers.begin(), kPointers.end(), m.key) != kPointers.end()) continue;
        const std::size_t group = group_of(m.key);
        rows[group].push_back({row_name(m.key, group), shown_value(m), m.key});
    }
    std::vector<MetadataGroup> groups;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (!rows[i].empty()) groups.push_back({kGroupTitles[i], std::move(rows[i])});
    return groups;
}

std::vector<TagGroup> tag_groups(const std::vector<ipc::PhotoTag>& tags) {
    // Known kinds first, in this order, then other categories by name, the user's own last.
    const auto title_of = [](const std::string& category) -> std::string {
        if (category == "label") return "Objects";
        if (category == "group") return "Content";
        if (category == "place" || category == "country") return "Places";
        if (category == "user") return "Your tags";
        if (category.empty()) return "Tags";
        std::string t = category;
        t[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
        return t;
    };
    const auto rank_of = [](const std::string& title) {
        if (title == "Objects") return 0;
        if (title == "Content") return 1;
        if (title == "Places") return 2;
        if (title == "Your tags") return 4;
        return 3;
    };
    std::map<std::pair<int, std::string>, TagGroup> by_title;
    std::map<std::string, std::set<std::string>> sources;
    for (std::size_t i = 0; i < tags.size(); ++i) {
        const ipc::PhotoTag& t = tags[i];
        const std::string title = title_of(t.source == "user" ? std::string("user") : t.category);
        TagGroup& g = by_title[{rank_of(title), title}];
        g.title = title;
        if (t.source == "user") {
            g.items.push_back(t.name);
        } else {
            g.items.push_back(t.name + " (" + number_text(t.confidence * 100, 0) + " %)");
            sources[title].insert(t.source);
        }
        g.tags.push_back(i);
    }
    std::vector<TagGroup> out;
    for (auto& [key, g] : by_title) {
        for (const std::string& s : sources[g.title]) g.sources += (g.sources.empty() ? "" : ", ") + s;
        out.push_back(std::move(g));
    }
    return out;
}

}  // namespace lbx::shell
