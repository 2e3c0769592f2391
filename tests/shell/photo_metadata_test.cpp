// The photo view's metadata panel as data (shell/model/photo_metadata.hpp): the readable summary, the
// grouped table with printed values and readable names, and tags grouped by kind with their source once.
#include "model/photo_metadata.hpp"

#include <catch2/catch.hpp>

using namespace lbx;
using namespace lbx::shell;

namespace {

std::string line(const std::vector<SummaryLine>& lines, const std::string& label) {
    for (const auto& l : lines)
        if (l.label == label) return l.text;
    return "<none>";
}

ipc::PhotoInfo canon_photo() {
    ipc::PhotoInfo info;
    info.id = "h1";
    info.path = "/photos/IMG_0001.jpg";
    info.format = "jpeg";
    info.file_size = 2'460'000;
    info.width = 5472;
    info.height = 3648;
    info.capture.taken_at = "2023-06-01T08:00:00.25+02:00";
    info.capture.make = "Canon";
    info.capture.model = "Canon EOS 7D";
    info.capture.lens = "EF70-200mm f/4L USM";
    info.capture.exposure_time = 1.0 / 125;
    info.capture.f_number = 11;
    info.capture.iso = 100;
    info.capture.focal_length = 70;
    info.capture.gps_lat = 48.858222;
    info.capture.gps_lon = -2.2945;
    info.metadata = {{"Exif.Image.ExifTag", "82", ""},
                     {"Exif.Image.Make", "Canon", ""},
                     {"Exif.Photo.ExposureTime", "1/125", "1/125 s"},
                     {"Exif.Photo.FNumber", "11/1", "F11"},
                     {"Exif.Photo.Flash", "1", "Fired"},
                     {"Exif.Photo.FocalLengthIn35mmFilm", "112", "112.0 mm"},
                     {"Exif.GPSInfo.GPSLatitudeRef", "N", "North"},
                     {"Exif.CanonCs.LensType", "137", "Canon EF 70-200mm f/4L USM"},
                     {"Iptc.Application2.Keywords", "tower", ""},
                     {"Xmp.dc.subject", "tower", ""},
                     {"exif.odd", "x", ""}};
    info.tags = {{"dog", "label", 0.87, "org.lightbox.vision"},
                 {"animals", "group", 0.87, "org.lightbox.vision"},
                 {"Paris", "place", 1.0, "org.lightbox.autotag"},
                 {"France", "country", 1.0, "org.lightbox.autotag"},
                 {"sunny", "scene", 0.6, "org.example.weather"},
                 {"holiday", "user", 1.0, "user"}};
    return info;
}

}  // namespace

TEST_CASE("the readable summary of a photo with known EXIF", "[shell][metadata]") {
    const auto lines = readable_summary(canon_photo());
    CHECK(line(lines, "Taken") == "1 Jun 2023, 08:00:00 UTC+02:00");
    CHECK(line(lines, "Camera") == "Canon EOS 7D");  // the make not doubled
    CHECK(line(lines, "Lens") == "EF70-200mm f/4L USM");
    CHECK(line(lines, "Exposure") == "1/125 s · f/11 · ISO 100 · 70 mm");
    CHECK(line(lines, "Flash") == "Fired");
    CHECK(line(lines, "Size") == "5472 × 3648 (20 MP)");
    CHECK(line(lines, "File") == "2.5 MB, JPEG");
    CHECK(line(lines, "Place") == "Paris, France (48.85822° N, 2.2945° W)");
    // In this order.
    std::vector<std::string> labels;
    for (const auto& l : lines) labels.push_back(l.label);
    CHECK(labels == std::vector<std::string>{"Taken", "Camera", "Lens", "Exposure", "Flash", "Size", "File", "Place"});
}

TEST_CASE("a summary says only what the photo has", "[shell][metadata]") {
    ipc::PhotoInfo bare;
    bare.format = "png";
    bare.file_size = 900;
    bare.width = 640;
    bare.height = 480;
    const auto lines = readable_summary(bare);
    REQUIRE(lines.size() == 2);
    CHECK(line(lines, "Size") == "640 × 480 (0.3 MP)");
    CHECK(line(lines, "File") == "900 bytes, PNG");

    ipc::PhotoInfo partial;
    partial.capture.iso = 3200;
    partial.capture.taken_at = "2019-05-04T10:11:12";  // no zone: the camera's clock, said as it is
    partial.capture.model = "iPhone 8";
    const auto some = readable_summary(partial);
    CHECK(line(some, "Exposure") == "ISO 3200");
    CHECK(line(some, "Taken") == "4 May 2019, 10:11:12");
    CHECK(line(some, "Camera") == "iPhone 8");
    CHECK(line(some, "Flash") == "<none>");
}

TEST_CASE("summary pieces are printed the way cameras and exiftool print them", "[shell][metadata]") {
    CHECK(exposure_text(1.0 / 125) == "1/125 s");
    CHECK(exposure_text(1.0 / 4000) == "1/4000 s");
    CHECK(exposure_text(0.25) == "1/4 s");
    CHECK(exposure_text(0.5) == "0.5 s");
    CHECK(exposure_text(2) == "2 s");
    CHECK(exposure_text(30) == "30 s");
    CHECK(exposure_text(0).empty());
    CHECK(f_number_text(2.8) == "f/2.8");
    CHECK(f_number_text(11) == "f/11");
    CHECK(f_number_text(1.75) == "f/1.8");
    CHECK(camera_text("Apple", "iPhone 8") == "Apple iPhone 8");
    CHECK(camera_text("NIKON CORPORATION", "NIKON D90") == "NIKON D90");
    CHECK(camera_text("Canon", "Canon EOS 7D") == "Canon EOS 7D");
    CHECK(camera_text("", "X100F") == "X100F");
    CHECK(camera_text("FUJIFILM", "") == "FUJIFILM");
    CHECK(date_time_text("2023-06-01T08:00:00Z") == "1 Jun 2023, 08:00:00 UTC");
    CHECK(date_time_text("2020-05-04T18:39:11.644-04:00") == "4 May 2020, 18:39:11 UTC-04:00");
    CHECK(date_time_text("garbage") == "garbage");  // bad input is shown, never a crash
    CHECK(readable_tag_name("FocalLengthIn35mmFilm") == "Focal Length In 35mm Film");
    CHECK(readable_tag_name("ISOSpeedRatings") == "ISO Speed Ratings");
    CHECK(readable_tag_name("FNumber") == "F Number");
    CHECK(readable_tag_name("GPSVersionID") == "GPS Version ID");
    CHECK(readable_tag_name("0x0010") == "0x0010");
    CHECK(readable_tag_name("").empty());
}

TEST_CASE("the full table is grouped by source, with printed values and whole names", "[shell][metadata]") {
    const auto groups = metadata_groups(canon_photo().metadata);
    std::vector<std::string> titles;
    for (const auto& g : groups) titles.push_back(g.title);
    CHECK(titles == std::vector<std::string>{"EXIF", "GPS", "XMP", "IPTC", "Maker notes", "Other"});
    const auto& exif = groups[0].rows;
    REQUIRE(exif.size() == 5);
    CHECK(exif[0].name == "Make");  // the Exif IFD's offset before it is left out
    CHECK(exif[0].value == "Canon");  // no printed value: the raw one
    CHECK(exif[1].name == "Exposure Time");
    CHECK(exif[1].value == "1/125 s");
    CHECK(exif[2].name == "F Number");
    CHECK(exif[2].value == "F11");
    CHECK(exif[3].value == "Fired");
    CHECK(exif[4].name == "Focal Length In 35mm Film");
    CHECK(exif[4].key == "Exif.Photo.FocalLengthIn35mmFilm");
    CHECK(groups[1].rows[0].name == "GPS Latitude Ref");
    CHECK(groups[2].rows[0].name == "dc subject");
    CHECK(groups[3].rows[0].name == "Keywords");
    CHECK(groups[4].rows[0].name == "CanonCs Lens Type");
    CHECK(groups[4].rows[0].value == "Canon EF 70-200mm f/4L USM");
    CHECK(groups[5].rows[0].name == "exif.odd");  // a key of no known source: shown whole
    CHECK(metadata_groups({}).empty());
}

TEST_CASE("tags are grouped by kind with their source said once", "[shell][metadata]") {
    const auto info = canon_photo();
    const auto groups = tag_groups(info.tags);
    REQUIRE(groups.size() == 5);
    CHECK(groups[0].title == "Objects");
    CHECK(groups[0].sources == "org.lightbox.vision");
    CHECK(groups[0].items == std::vector<std::string>{"dog (87 %)"});
    CHECK(groups[1].title == "Content");
    CHECK(groups[2].title == "Places");
    CHECK(groups[2].sources == "org.lightbox.autotag");
    CHECK(groups[2].items == std::vector<std::string>{"Paris (100 %)", "France (100 %)"});
    CHECK(groups[3].title == "Scene");
    CHECK(groups[4].title == "Your tags");
    CHECK(groups[4].sources.empty());
    CHECK(groups[4].items == std::vector<std::string>{"holiday"});
    CHECK(groups[4].tags == std::vector<std::size_t>{5});  // back to PhotoInfo::tags, for Remove
}
