// The "exif" metadata stage on images made here: EXIF written with lbx::sample::with_exif into JPEG,
// PNG, TIFF, WebP and HEIC, read back through the plugin ABI and checked value by value; edge cases of
// the normalization (dates, orientation, GPS signs, text cleaning); and a negative corpus that must give
// clean errors, never a crash.
#include "sample/exif_writer.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/plugin_harness.hpp"

#include <catch2/catch.hpp>
#include <exiv2/exiv2.hpp>

#include <cstring>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using lbx::engine::Metadata;
using lbx::sample::ExifSpec;

struct Result {
    bool ok = false;
    Metadata metadata;
    std::string code;  // error code when !ok: "corrupt", "truncated", "unsupported", ...
    std::string message;
};

Result read_with(const lbx::engine::StageInstance& stage, const std::vector<uint8_t>& bytes,
                 const std::string& format) {
    Result r;
    auto status = stage.read_metadata(lbx::test::source_of(bytes, format), r.metadata);
    r.ok = status.has_value();
    if (!r.ok) {
        r.code = status.error().code;
        r.message = status.error().message;
    }
    return r;
}

Result read(const std::vector<uint8_t>& bytes, const std::string& format) {
    lbx::engine::StageInstance stage = lbx::test::make_stage("exif");
    return read_with(stage, bytes, format);
}

// Reads bytes that must succeed and returns their metadata.
Metadata read_ok(const std::vector<uint8_t>& bytes, const std::string& format) {
    Result r = read(bytes, format);
    INFO("error: " << r.code << ": " << r.message);
    REQUIRE(r.ok);
    return r.metadata;
}

std::string entry(const Metadata& m, const std::string& key) {
    const std::string* v = m.get_entry(key);
    return v ? *v : std::string("<absent>");
}

std::vector<uint8_t> jpeg(uint32_t w = 64, uint32_t h = 48, uint32_t seed = 1) {
    return lbx::sample::encode_jpeg(lbx::sample::make_scene(w, h, seed), 85);
}

ExifSpec full_spec() {
    ExifSpec s;
    s.make = "Canon";
    s.model = "Canon EOS R6";
    s.lens = "RF24-105mm F4 L IS USM";
    s.date_time_original = "2023:06:01 08:00:00";
    s.sub_sec_time_original = "25";
    s.offset_time_original = "+02:00";
    s.exposure_time = 1.0 / 250;
    s.f_number = 2.8;
    s.focal_length = 50.5;
    s.iso = 400;
    s.orientation = 1;
    s.gps_lat = 48.8584;
    s.gps_lon = 2.2945;
    s.gps_alt = 35.25;
    s.xmp_subject = "holiday, beach";
    return s;
}

// Every summary field of full_spec(), and the stored size.
void check_full_summary(const Metadata& m, double width, double height) {
    CHECK(m.get_text(LBX_FIELD_TAKEN_AT) == "2023-06-01T08:00:00.25+02:00");
    CHECK(m.get_text(LBX_FIELD_MAKE) == "Canon");
    CHECK(m.get_text(LBX_FIELD_MODEL) == "Canon EOS R6");
    CHECK(m.get_text(LBX_FIELD_LENS) == "RF24-105mm F4 L IS USM");
    CHECK(m.get_number(LBX_FIELD_EXPOSURE_TIME) == 1.0 / 250);
    CHECK(m.get_number(LBX_FIELD_F_NUMBER) == 2.8);
    CHECK(m.get_number(LBX_FIELD_FOCAL_LENGTH) == 50.5);
    CHECK(m.get_number(LBX_FIELD_ISO) == 400);
    CHECK(m.get_number(LBX_FIELD_ORIENTATION) == 1);
    REQUIRE(m.get_number(LBX_FIELD_GPS_LAT));
    REQUIRE(m.get_number(LBX_FIELD_GPS_LON));
    REQUIRE(m.get_number(LBX_FIELD_GPS_ALT));
    CHECK(*m.get_number(LBX_FIELD_GPS_LAT) == Approx(48.8584).margin(1e-9));
    CHECK(*m.get_number(LBX_FIELD_GPS_LON) == Approx(2.2945).margin(1e-9));
    CHECK(*m.get_number(LBX_FIELD_GPS_ALT) == 35.25);
    CHECK(m.get_number(LBX_FIELD_WIDTH) == width);
    CHECK(m.get_number(LBX_FIELD_HEIGHT) == height);
}

// Edits an image's metadata with Exiv2 directly, for cases the ExifSpec writer does not cover.
std::vector<uint8_t> edited(const std::vector<uint8_t>& bytes,
                            const std::function<void(Exiv2::ExifData&, Exiv2::XmpData&)>& edit) {
    auto image = Exiv2::ImageFactory::open(bytes.data(), static_cast<long>(bytes.size()));
    REQUIRE(image.get() != nullptr);
    image->readMetadata();
    edit(image->exifData(), image->xmpData());
    image->writeMetadata();
    Exiv2::BasicIo& io = image->io();
    REQUIRE(io.open() == 0);
    Exiv2::DataBuf buf = io.read(io.size());
    io.close();
    return {buf.pData_, buf.pData_ + buf.size_};
}

// Adds a maker note's bytes as they are (Exif.Photo.MakerNote), the Exif written in `order`.
std::vector<uint8_t> with_maker_note(const std::vector<uint8_t>& bytes, const std::vector<uint8_t>& note, Exiv2::ByteOrder order) {
    auto image = Exiv2::ImageFactory::open(bytes.data(), static_cast<long>(bytes.size()));
    REQUIRE(image.get() != nullptr);
    image->readMetadata();
    Exiv2::DataValue value(Exiv2::undefined);
    value.read(note.data(), static_cast<long>(note.size()), Exiv2::littleEndian);
    image->exifData()["Exif.Photo.MakerNote"] = value;
    image->setByteOrder(order);
    image->writeMetadata();
    Exiv2::BasicIo& io = image->io();
    REQUIRE(io.open() == 0);
    Exiv2::DataBuf buf = io.read(io.size());
    io.close();
    return {buf.pData_, buf.pData_ + buf.size_};
}

// Adds IPTC "date created" and "time created", as news photos carry them.
std::vector<uint8_t> with_iptc_date(const std::vector<uint8_t>& bytes, const std::string& date, const std::string& time) {
    auto image = Exiv2::ImageFactory::open(bytes.data(), static_cast<long>(bytes.size()));
    REQUIRE(image.get() != nullptr);
    image->readMetadata();
    image->iptcData()["Iptc.Application2.DateCreated"] = date;
    image->iptcData()["Iptc.Application2.TimeCreated"] = time;
    image->writeMetadata();
    Exiv2::BasicIo& io = image->io();
    REQUIRE(io.open() == 0);
    Exiv2::DataBuf buf = io.read(io.size());
    io.close();
    return {buf.pData_, buf.pData_ + buf.size_};
}

uint32_t crc32(const uint8_t* data, std::size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < n; ++i) {
        c ^= data[i];
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

void put_be32(std::vector<uint8_t>& out, uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
}

// A PNG signature and a valid IHDR claiming width x height, then IEND: no pixel data at all.
std::vector<uint8_t> png_header_only(uint32_t width, uint32_t height) {
    std::vector<uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    auto chunk = [&](const char* type, const std::vector<uint8_t>& data) {
        put_be32(out, static_cast<uint32_t>(data.size()));
        std::vector<uint8_t> typed(type, type + 4);
        typed.insert(typed.end(), data.begin(), data.end());
        out.insert(out.end(), typed.begin(), typed.end());
        put_be32(out, crc32(typed.data(), typed.size()));
    };
    std::vector<uint8_t> ihdr;
    put_be32(ihdr, width);
    put_be32(ihdr, height);
    ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});
    chunk("IHDR", ihdr);
    chunk("IEND", {});
    return out;
}

bool clean_error_code(const std::string& code) {
    return code == "corrupt" || code == "truncated" || code == "unsupported" || code == "too_large";
}

}  // namespace

TEST_CASE("exif reads every summary field and raw entries of a JPEG", "[exif]") {
    std::vector<uint8_t> bytes = lbx::sample::with_exif(jpeg(64, 48), full_spec());
    Metadata m = read_ok(bytes, "jpeg");
    check_full_summary(m, 64, 48);

    // Raw entries as Exiv2 prints them.
    CHECK(entry(m, "Exif.Image.Make") == "Canon");
    CHECK(entry(m, "Exif.Image.Model") == "Canon EOS R6");
    CHECK(entry(m, "Exif.Image.Orientation") == "1");
    CHECK(entry(m, "Exif.Photo.ExposureTime") == "1/250");
    CHECK(entry(m, "Exif.Photo.FNumber") == "14/5");
    CHECK(entry(m, "Exif.Photo.FocalLength") == "101/2");
    CHECK(entry(m, "Exif.Photo.ISOSpeedRatings") == "400");
    CHECK(entry(m, "Exif.Photo.DateTimeOriginal") == "2023:06:01 08:00:00");
    CHECK(entry(m, "Exif.Photo.SubSecTimeOriginal") == "25");
    CHECK(entry(m, "Exif.Photo.OffsetTimeOriginal") == "+02:00");
    CHECK(entry(m, "Exif.Photo.LensModel") == "RF24-105mm F4 L IS USM");
    CHECK(entry(m, "Exif.GPSInfo.GPSLatitudeRef") == "N");
    CHECK(entry(m, "Exif.GPSInfo.GPSLatitude") == "48/1 51/1 756/25");  // 30.24 s
    CHECK(entry(m, "Exif.GPSInfo.GPSLongitudeRef") == "E");
    CHECK(entry(m, "Exif.GPSInfo.GPSAltitudeRef") == "0");
    CHECK(entry(m, "Exif.GPSInfo.GPSAltitude") == "141/4");
    CHECK(entry(m, "Xmp.dc.subject") == "holiday, beach");
}

TEST_CASE("exif gives the summary alone when the host keeps no raw entries (API 1.4)", "[exif]") {
    // What `run --only metadata` asks when nothing keeps the entries: the same summary, no entries and
    // no printed values, whether the stage made them or not (the host's sink drops them).
    const std::vector<uint8_t> bytes = lbx::sample::with_exif(jpeg(64, 48), full_spec());
    const lbx::engine::StageInstance stage = lbx::test::make_stage("exif");
    Metadata summary_only;
    REQUIRE(stage.read_metadata(lbx::test::source_of(bytes, "jpeg"), summary_only, {}, false));
    check_full_summary(summary_only, 64, 48);
    CHECK(summary_only.entries.empty());
    CHECK(summary_only.printed.empty());
    Metadata full;
    REQUIRE(stage.read_metadata(lbx::test::source_of(bytes, "jpeg"), full, {}, true));
    CHECK(full.text == summary_only.text);
    CHECK(full.numbers == summary_only.numbers);
    CHECK(full.entries.size() > 10);
}

TEST_CASE("exif reports how people read the values: Exiv2's interpreted printing", "[exif]") {
    ExifSpec spec = full_spec();
    spec.exposure_time = 1.0 / 125;
    spec.f_number = 11;
    spec.focal_length = 70;
    spec.iso = 100;
    std::vector<uint8_t> bytes = lbx::sample::with_exif(jpeg(64, 48), spec);
    bytes = edited(bytes, [](Exiv2::ExifData& exif, Exiv2::XmpData&) { exif["Exif.Photo.Flash"] = uint16_t{1}; });
    Metadata m = read_ok(bytes, "jpeg");
    const auto printed = [&](const std::string& key) {
        auto it = m.printed.find(key);
        return it == m.printed.end() ? std::string("<none>") : it->second;
    };
    // Raw values stay as they are; the printed ones are what exiftool shows.
    CHECK(entry(m, "Exif.Photo.FNumber") == "11/1");
    CHECK(printed("Exif.Photo.FNumber") == "F11");
    CHECK(entry(m, "Exif.Photo.ExposureTime") == "1/125");
    CHECK(printed("Exif.Photo.ExposureTime") == "1/125 s");
    CHECK(printed("Exif.Photo.FocalLength") == "70.0 mm");
    CHECK(entry(m, "Exif.Photo.Flash") == "1");
    CHECK(printed("Exif.Photo.Flash") == "Fired");
    CHECK(printed("Exif.GPSInfo.GPSLatitudeRef") == "North");
    // Nothing said twice: a value that prints as itself has no printed value.
    CHECK(printed("Exif.Image.Make") == "<none>");
    CHECK(printed("Exif.Photo.ISOSpeedRatings") == "<none>");
    // The summary, from the same file.
    CHECK(m.get_number(LBX_FIELD_EXPOSURE_TIME) == 1.0 / 125);
    CHECK(m.get_number(LBX_FIELD_F_NUMBER) == 11);
    CHECK(m.get_number(LBX_FIELD_ISO) == 100);
    CHECK(m.get_number(LBX_FIELD_FOCAL_LENGTH) == 70);
}

TEST_CASE("exif decodes a maker note that Exiv2 left as bytes, and Kodak's ISO", "[exif]") {
    // A Canon note (an IFD: LensModel as text, offsets from the TIFF's start) kept little-endian inside
    // big-endian Exif, as an editor that rewrote the Exif leaves it: Exiv2 alone reads it in the Exif's
    // byte order, finds 256 entries, and keeps the note as bytes.
    const std::string lens = "EF-S18-55mm f/3.5-5.6 IS II";
    const std::string make = "Canon";
    std::vector<uint8_t> tiff;
    const auto be16 = [&](uint32_t v) { tiff.push_back(static_cast<uint8_t>(v >> 8)); tiff.push_back(static_cast<uint8_t>(v)); };
    const auto be32 = [&](uint32_t v) { be16(v >> 16); be16(v & 0xFFFF); };
    const auto le16 = [&](uint32_t v) { tiff.push_back(static_cast<uint8_t>(v)); tiff.push_back(static_cast<uint8_t>(v >> 8)); };
    const auto le32 = [&](uint32_t v) { le16(v & 0xFFFF); le16(v >> 16); };
    const uint32_t make_at = 8 + 2 + 2 * 12 + 4, exif_ifd = make_at + 6, note_at = exif_ifd + 2 + 12 + 4;
    const uint32_t note_size = 2 + 12 + 4 + static_cast<uint32_t>(lens.size() + 1);
    tiff.insert(tiff.end(), {'M', 'M', 0, 42});
    be32(8);
    be16(2);                                                      // IFD0: Make, the Exif IFD
    be16(0x010f); be16(2); be32(static_cast<uint32_t>(make.size() + 1)); be32(make_at);
    be16(0x8769); be16(4); be32(1); be32(exif_ifd);
    be32(0);
    tiff.insert(tiff.end(), make.begin(), make.end());
    tiff.push_back(0);
    be16(1);                                                      // Exif IFD: the maker note
    be16(0x927c); be16(7); be32(note_size); be32(note_at);
    be32(0);
    le16(1);                                                      // the note, little-endian: LensModel
    le16(0x0095); le16(2); le32(static_cast<uint32_t>(lens.size() + 1)); le32(note_at + 18);
    le32(0);
    tiff.insert(tiff.end(), lens.begin(), lens.end());
    tiff.push_back(0);
    // A JPEG with that Exif: SOI, APP1 "Exif\0\0" + TIFF, then the rest of a generated JPEG.
    const std::vector<uint8_t> pixels = jpeg();
    std::vector<uint8_t> bytes = {0xFF, 0xD8, 0xFF, 0xE1};
    const std::size_t app1 = 2 + 6 + tiff.size();
    bytes.push_back(static_cast<uint8_t>(app1 >> 8));
    bytes.push_back(static_cast<uint8_t>(app1));
    bytes.insert(bytes.end(), {'E', 'x', 'i', 'f', 0, 0});
    bytes.insert(bytes.end(), tiff.begin(), tiff.end());
    bytes.insert(bytes.end(), pixels.begin() + 2, pixels.end());

    Metadata m = read_ok(bytes, "jpeg");
    CHECK(m.get_text(LBX_FIELD_LENS) == lens);
    CHECK(entry(m, "Exif.Canon.LensModel") == lens);
    CHECK(entry(m, "Exif.Photo.MakerNote") == "<absent>");  // replaced by what it holds

    // Kodak's "KDK" record: the ISO at 0x60 behind an 8-byte header, little-endian after "KDK0001".
    std::vector<uint8_t> kodak(8 + 0x62, 0);
    std::memcpy(kodak.data(), "KDK0001I", 8);
    kodak[8 + 0x60] = 200;
    ExifSpec kodak_spec;
    kodak_spec.make = "EASTMAN KODAK COMPANY";
    kodak_spec.model = "KODAK DX4330 DIGITAL CAMERA";
    std::vector<uint8_t> kodak_bytes = with_maker_note(lbx::sample::with_exif(jpeg(), kodak_spec), kodak, Exiv2::bigEndian);
    CHECK(read_ok(kodak_bytes, "jpeg").get_number(LBX_FIELD_ISO) == 200);
    // An ISO of 0 or 65535 (unknown), or a record too short, is no ISO; no note of any content crashes.
    std::vector<uint8_t> short_record(20, 0);
    std::memcpy(short_record.data(), "KDK0001I", 8);
    for (const std::vector<uint8_t>& junk : {std::vector<uint8_t>(300, 0), std::vector<uint8_t>(300, 0xFF), short_record}) {
        std::vector<uint8_t> junk_bytes = with_maker_note(lbx::sample::with_exif(jpeg(), kodak_spec), junk, Exiv2::littleEndian);
        CHECK_FALSE(read_ok(junk_bytes, "jpeg").get_number(LBX_FIELD_ISO));
    }
    for (uint8_t fill : {uint8_t{0x00}, uint8_t{0x01}, uint8_t{0x25}, uint8_t{0xFF}}) {
        ExifSpec canon;
        canon.make = "Canon";
        std::vector<uint8_t> junk(200, fill);
        CHECK(read(with_maker_note(lbx::sample::with_exif(jpeg(), canon), junk, Exiv2::bigEndian), "jpeg").ok);
    }
}

TEST_CASE("exif reads the same fields from PNG, TIFF and WebP", "[exif]") {
    const lbx::sample::RgbImage scene = lbx::sample::make_scene(80, 60, 7);
    SECTION("png") {
        check_full_summary(read_ok(lbx::sample::with_exif(lbx::sample::encode_png(scene), full_spec()), "png"), 80, 60);
    }
    SECTION("tiff") {
        check_full_summary(read_ok(lbx::sample::with_exif(lbx::sample::encode_tiff(scene), full_spec()), "tiff"), 80,
                           60);
    }
    SECTION("webp") {
        check_full_summary(read_ok(lbx::sample::with_exif(lbx::sample::encode_webp(scene, 80), full_spec()), "webp"),
                           80, 60);
    }
}

TEST_CASE("exif reads the EXIF item of a HEIC", "[exif]") {
    ExifSpec spec = full_spec();
    spec.orientation = 6;
    std::vector<uint8_t> block = lbx::sample::exif_tiff_block(spec);
    REQUIRE(block.size() > 8);
    CHECK(std::memcmp(block.data(), "II*\0", 4) == 0);
    // The picture is stored turned, as a camera stores it, with EXIF orientation 6. libheif writes the
    // Exif item where Exiv2 0.27 does not look (base_offset_size 4): the stage reads it itself.
    const lbx::sample::RgbImage stored = lbx::sample::store_for_orientation(lbx::sample::make_scene(64, 48, 3), 6);
    Metadata m = read_ok(lbx::sample::encode_heic(stored, 50, 1, &block), "heif");
    CHECK(m.get_text(LBX_FIELD_TAKEN_AT) == "2023-06-01T08:00:00.25+02:00");
    CHECK(m.get_text(LBX_FIELD_MAKE) == "Canon");
    CHECK(m.get_text(LBX_FIELD_MODEL) == "Canon EOS R6");
    CHECK(m.get_text(LBX_FIELD_LENS) == "RF24-105mm F4 L IS USM");
    CHECK(m.get_number(LBX_FIELD_EXPOSURE_TIME) == 1.0 / 250);
    CHECK(m.get_number(LBX_FIELD_F_NUMBER) == 2.8);
    CHECK(m.get_number(LBX_FIELD_ISO) == 400);
    CHECK(m.get_number(LBX_FIELD_ORIENTATION) == 6);
    REQUIRE(m.get_number(LBX_FIELD_GPS_LAT));
    CHECK(*m.get_number(LBX_FIELD_GPS_LAT) == Approx(48.8584).margin(1e-9));
    CHECK(m.get_number(LBX_FIELD_GPS_ALT) == 35.25);
    CHECK(entry(m, "Exif.Photo.FNumber") == "14/5");
    // The stored size (48 x 64), which is the primary item's 'ispe', not the 64 x 64 tile's.
    CHECK(m.get_number(LBX_FIELD_WIDTH) == stored.width);
    CHECK(m.get_number(LBX_FIELD_HEIGHT) == stored.height);
}

TEST_CASE("exif reads a HEIC without metadata", "[exif]") {
    Metadata m = read_ok(lbx::sample::encode_heic(lbx::sample::make_scene(40, 24, 4), 50), "heif");
    CHECK(m.text.empty());
    CHECK(m.get_number(LBX_FIELD_WIDTH) == 40);
    CHECK(m.get_number(LBX_FIELD_HEIGHT) == 24);
}

TEST_CASE("exif signs GPS south and west, and altitude below sea level", "[exif]") {
    ExifSpec spec;
    spec.gps_lat = -33.8568;
    spec.gps_lon = -70.66925;
    spec.gps_alt = -28.5;
    Metadata m = read_ok(lbx::sample::with_exif(jpeg(), spec), "jpeg");
    CHECK(entry(m, "Exif.GPSInfo.GPSLatitudeRef") == "S");
    CHECK(entry(m, "Exif.GPSInfo.GPSLongitudeRef") == "W");
    CHECK(entry(m, "Exif.GPSInfo.GPSAltitudeRef") == "1");
    REQUIRE(m.get_number(LBX_FIELD_GPS_LAT));
    REQUIRE(m.get_number(LBX_FIELD_GPS_LON));
    CHECK(*m.get_number(LBX_FIELD_GPS_LAT) == Approx(-33.8568).margin(1e-9));
    CHECK(*m.get_number(LBX_FIELD_GPS_LON) == Approx(-70.66925).margin(1e-9));
    CHECK(m.get_number(LBX_FIELD_GPS_ALT) == -28.5);

    // Mixed hemispheres, and a position without altitude.
    spec = ExifSpec{};
    spec.gps_lat = 51.5074;
    spec.gps_lon = -0.1278;
    m = read_ok(lbx::sample::with_exif(jpeg(), spec), "jpeg");
    REQUIRE(m.get_number(LBX_FIELD_GPS_LAT));
    REQUIRE(m.get_number(LBX_FIELD_GPS_LON));
    CHECK(*m.get_number(LBX_FIELD_GPS_LAT) == Approx(51.5074).margin(1e-9));
    CHECK(*m.get_number(LBX_FIELD_GPS_LON) == Approx(-0.1278).margin(1e-9));
    CHECK_FALSE(m.get_number(LBX_FIELD_GPS_ALT));
}

TEST_CASE("exif drops malformed GPS", "[exif]") {
    ExifSpec spec;
    spec.gps_lat = 10;
    spec.gps_lon = 20;
    const std::vector<uint8_t> base = lbx::sample::with_exif(jpeg(), spec);
    SECTION("zero denominator") {
        auto bytes = edited(base, [](Exiv2::ExifData& exif, Exiv2::XmpData&) {
            Exiv2::URationalValue v;
            v.value_ = {{10, 1}, {5, 0}, {0, 1}};
            exif["Exif.GPSInfo.GPSLatitude"].setValue(&v);
        });
        Metadata m = read_ok(bytes, "jpeg");
        CHECK_FALSE(m.get_number(LBX_FIELD_GPS_LAT));
        CHECK_FALSE(m.get_number(LBX_FIELD_GPS_LON));  // never half a position
    }
    SECTION("latitude over 90 degrees") {
        auto bytes = edited(base, [](Exiv2::ExifData& exif, Exiv2::XmpData&) {
            Exiv2::URationalValue v;
            v.value_ = {{120, 1}, {0, 1}, {0, 1}};
            exif["Exif.GPSInfo.GPSLatitude"].setValue(&v);
        });
        CHECK_FALSE(read_ok(bytes, "jpeg").get_number(LBX_FIELD_GPS_LAT));
    }
    SECTION("bad reference letter") {
        auto bytes = edited(base, [](Exiv2::ExifData& exif, Exiv2::XmpData&) {
            exif["Exif.GPSInfo.GPSLongitudeRef"] = std::string("X");
        });
        CHECK_FALSE(read_ok(bytes, "jpeg").get_number(LBX_FIELD_GPS_LON));
    }
    SECTION("no reference at all") {
        auto bytes = edited(base, [](Exiv2::ExifData& exif, Exiv2::XmpData&) {
            exif.erase(exif.findKey(Exiv2::ExifKey("Exif.GPSInfo.GPSLatitudeRef")));
        });
        CHECK_FALSE(read_ok(bytes, "jpeg").get_number(LBX_FIELD_GPS_LAT));
    }
}

TEST_CASE("exif reports all eight orientations and drops invalid ones", "[exif]") {
    const std::vector<uint8_t> stored = jpeg(40, 30);  // the stored size never changes with orientation
    for (int o = 1; o <= 8; ++o) {
        ExifSpec spec;
        spec.orientation = o;
        Metadata m = read_ok(lbx::sample::with_exif(stored, spec), "jpeg");
        INFO("orientation " << o);
        CHECK(m.get_number(LBX_FIELD_ORIENTATION) == o);
        CHECK(m.get_number(LBX_FIELD_WIDTH) == 40);
        CHECK(m.get_number(LBX_FIELD_HEIGHT) == 30);
    }
    for (int o : {0, 9, 65535}) {
        ExifSpec spec;
        spec.orientation = o;
        Metadata m = read_ok(lbx::sample::with_exif(stored, spec), "jpeg");
        INFO("orientation " << o);
        CHECK_FALSE(m.get_number(LBX_FIELD_ORIENTATION));
        CHECK(entry(m, "Exif.Image.Orientation") == std::to_string(o));  // the raw value is still reported
    }
}

TEST_CASE("exif formats taken_at as ISO 8601 and drops invalid dates", "[exif]") {
    struct Case {
        std::string date;
        std::optional<std::string> sub_seconds, offset;
        std::optional<std::string> expected;
    };
    const Case cases[] = {
        {"2023:06:01 08:00:00", {}, {}, "2023-06-01T08:00:00"},
        {"2023:06:01 08:00:00", "25", {}, "2023-06-01T08:00:00.25"},
        {"2023:06:01 08:00:00", "000123", "-05:30", "2023-06-01T08:00:00.000123-05:30"},
        {"2023:06:01 08:00:00", "7 ", "+00:00", "2023-06-01T08:00:00.7+00:00"},
        {"2023:06:01 08:00:00", "  ", "   :  ", "2023-06-01T08:00:00"},  // blank sub-seconds and offset
        {"2023:06:01 08:00:00", {}, "+25:00", "2023-06-01T08:00:00"},      // impossible offset
        {"2024:02:29 23:59:59", {}, {}, "2024-02-29T23:59:59"},            // leap day
        {"2023:02:29 10:00:00", {}, {}, std::nullopt},                     // no such day
        {"2023:13:01 08:00:00", {}, {}, std::nullopt},
        {"2023:06:01 24:00:00", {}, {}, std::nullopt},
        {"2023:06:01 08:60:00", {}, {}, std::nullopt},
        {"0000:00:00 00:00:00", {}, {}, std::nullopt},
        {"    :  :     :  :  ", {}, {}, std::nullopt},
        {"", {}, {}, std::nullopt},
        {"yesterday", {}, {}, std::nullopt},
    };
    for (const Case& c : cases) {
        ExifSpec spec;
        spec.date_time_original = c.date;
        spec.sub_sec_time_original = c.sub_seconds;
        spec.offset_time_original = c.offset;
        Metadata m = read_ok(lbx::sample::with_exif(jpeg(), spec), "jpeg");
        INFO("date '" << c.date << "'");
        CHECK(m.get_text(LBX_FIELD_TAKEN_AT) == c.expected);
    }
}

TEST_CASE("exif falls back to other dates when DateTimeOriginal is missing or invalid", "[exif]") {
    ExifSpec spec;
    spec.date_time_original = "0000:00:00 00:00:00";
    const std::vector<uint8_t> base = lbx::sample::with_exif(jpeg(), spec);
    SECTION("DateTimeDigitized") {
        auto bytes = edited(base, [](Exiv2::ExifData& exif, Exiv2::XmpData&) {
            exif["Exif.Photo.DateTimeDigitized"] = std::string("2020:01:02 03:04:05");
            exif["Exif.Photo.SubSecTimeDigitized"] = std::string("5");
            exif["Exif.Image.DateTime"] = std::string("2022:01:01 00:00:00");
        });
        CHECK(read_ok(bytes, "jpeg").get_text(LBX_FIELD_TAKEN_AT) == "2020-01-02T03:04:05.5");
    }
    SECTION("Image.DateTime") {
        auto bytes = edited(base, [](Exiv2::ExifData& exif, Exiv2::XmpData&) {
            exif["Exif.Image.DateTime"] = std::string("2022:01:01 10:11:12");
        });
        CHECK(read_ok(bytes, "jpeg").get_text(LBX_FIELD_TAKEN_AT) == "2022-01-01T10:11:12");
    }
    SECTION("XMP exif:DateTimeOriginal wins over digitization and change times") {
        auto bytes = edited(base, [](Exiv2::ExifData& exif, Exiv2::XmpData& xmp) {
            exif["Exif.Image.DateTime"] = std::string("2022:01:01 10:11:12");
            xmp["Xmp.exif.DateTimeOriginal"] = std::string("2021-03-04T05:06:07.5+01:00");
            xmp["Xmp.xmp.CreateDate"] = std::string("2021-03-04T09:09:09Z");
        });
        CHECK(read_ok(bytes, "jpeg").get_text(LBX_FIELD_TAKEN_AT) == "2021-03-04T05:06:07.5+01:00");
    }
    SECTION("IPTC date and time created") {
        auto bytes = with_iptc_date(base, "2005-09-29", "16:51:00");
        Metadata m = read_ok(bytes, "jpeg");
        CHECK(m.get_text(LBX_FIELD_TAKEN_AT) == "2005-09-29T16:51:00");
        CHECK(entry(m, "Iptc.Application2.DateCreated") == "2005-09-29");
    }
    SECTION("XMP xmp:CreateDate, UTC") {
        auto bytes = edited(base, [](Exiv2::ExifData&, Exiv2::XmpData& xmp) {
            xmp["Xmp.xmp.CreateDate"] = std::string("2021-03-04T09:09Z");
        });
        CHECK(read_ok(bytes, "jpeg").get_text(LBX_FIELD_TAKEN_AT) == "2021-03-04T09:09:00+00:00");
    }
}

TEST_CASE("exif takes the EXIF 2.3 sensitivity when ISOSpeedRatings is saturated", "[exif]") {
    ExifSpec spec;
    spec.iso = 65535;
    auto bytes = edited(lbx::sample::with_exif(jpeg(), spec), [](Exiv2::ExifData& exif, Exiv2::XmpData&) {
        exif["Exif.Photo.SensitivityType"] = uint16_t{3};
        Exiv2::ULongValue v;
        v.value_.push_back(204800);
        exif["Exif.Photo.ISOSpeed"].setValue(&v);
    });
    Metadata m = read_ok(bytes, "jpeg");
    CHECK(m.get_number(LBX_FIELD_ISO) == 204800);
    CHECK(entry(m, "Exif.Photo.ISOSpeedRatings") == "65535");
}

TEST_CASE("exif reads XMP camera, exposure and GPS when EXIF has none", "[exif]") {
    auto bytes = edited(jpeg(), [](Exiv2::ExifData&, Exiv2::XmpData& xmp) {
        xmp["Xmp.tiff.Make"] = std::string("FUJIFILM");
        xmp["Xmp.tiff.Model"] = std::string("X-T4");
        xmp["Xmp.tiff.Orientation"] = std::string("8");
        xmp["Xmp.exif.ExposureTime"] = std::string("1/60");
        xmp["Xmp.exif.FNumber"] = std::string("56/10");
        xmp["Xmp.exif.FocalLength"] = std::string("230/10");
        xmp["Xmp.exif.GPSLatitude"] = std::string("48,51.504N");
        xmp["Xmp.exif.GPSLongitude"] = std::string("2,17,40.2W");
        xmp["Xmp.exif.GPSAltitude"] = std::string("1234/10");
        xmp["Xmp.exif.GPSAltitudeRef"] = std::string("1");
        xmp["Xmp.aux.Lens"] = std::string("XF18-55mmF2.8-4 R LM OIS");
    });
    Metadata m = read_ok(bytes, "jpeg");
    CHECK(m.get_text(LBX_FIELD_MAKE) == "FUJIFILM");
    CHECK(m.get_text(LBX_FIELD_MODEL) == "X-T4");
    CHECK(m.get_text(LBX_FIELD_LENS) == "XF18-55mmF2.8-4 R LM OIS");
    CHECK(m.get_number(LBX_FIELD_ORIENTATION) == 8);
    CHECK(m.get_number(LBX_FIELD_EXPOSURE_TIME) == 1.0 / 60);
    CHECK(m.get_number(LBX_FIELD_F_NUMBER) == 5.6);
    CHECK(m.get_number(LBX_FIELD_FOCAL_LENGTH) == 23);
    REQUIRE(m.get_number(LBX_FIELD_GPS_LAT));
    REQUIRE(m.get_number(LBX_FIELD_GPS_LON));
    CHECK(*m.get_number(LBX_FIELD_GPS_LAT) == Approx(48.8584).margin(1e-9));
    CHECK(*m.get_number(LBX_FIELD_GPS_LON) == Approx(-(2 + 17 / 60.0 + 40.2 / 3600)).margin(1e-9));
    CHECK(m.get_number(LBX_FIELD_GPS_ALT) == -123.4);
    CHECK(entry(m, "Xmp.tiff.Make") == "FUJIFILM");
}

TEST_CASE("exif cleans camera names", "[exif]") {
    ExifSpec spec;
    spec.make = "  NIKON CORPORATION   ";
    spec.model = std::string("NIKON D750\0\0\0", 13);
    spec.lens = "   ";  // blank: no lens
    Metadata m = read_ok(lbx::sample::with_exif(jpeg(), spec), "jpeg");
    CHECK(m.get_text(LBX_FIELD_MAKE) == "NIKON CORPORATION");
    CHECK(m.get_text(LBX_FIELD_MODEL) == "NIKON D750");
    CHECK_FALSE(m.get_text(LBX_FIELD_LENS));

    // A Latin-1 byte becomes UTF-8; text is never invalid UTF-8.
    spec.make = std::string("Caf\xE9");
    spec.model = std::string("Ger\xC3\xA4t");  // already UTF-8: kept
    m = read_ok(lbx::sample::with_exif(jpeg(), spec), "jpeg");
    CHECK(m.get_text(LBX_FIELD_MAKE) == "Caf\xC3\xA9");
    CHECK(m.get_text(LBX_FIELD_MODEL) == "Ger\xC3\xA4t");
    CHECK(entry(m, "Exif.Image.Make") == "Caf\xC3\xA9");
}

TEST_CASE("exif skips binary blobs and caps long values", "[exif]") {
    ExifSpec spec;
    spec.make = std::string(3000, 'A');
    auto bytes = edited(lbx::sample::with_exif(jpeg(), spec), [](Exiv2::ExifData& exif, Exiv2::XmpData&) {
        Exiv2::DataValue blob(Exiv2::undefined);
        blob.read(std::vector<Exiv2::byte>(200, 0x42).data(), 200, Exiv2::littleEndian);
        exif.add(Exiv2::ExifKey("Exif.Image.0xc7aa"), &blob);
        Exiv2::DataValue small(Exiv2::undefined);
        small.read("48 50 51 50");
        exif.add(Exiv2::ExifKey("Exif.Photo.ExifVersion"), &small);
    });
    SECTION("defaults") {
        Metadata m = read_ok(bytes, "jpeg");
        CHECK(m.get_entry("Exif.Image.0xc7aa") == nullptr);
        CHECK(entry(m, "Exif.Photo.ExifVersion") == "48 50 51 50");
        CHECK(entry(m, "Exif.Image.Make") == std::string(1024, 'A'));
        CHECK(m.get_text(LBX_FIELD_MAKE) == std::string(1024, 'A'));
    }
    SECTION("max_value_length") {
        lbx::engine::StageInstance stage = lbx::test::make_stage("exif", {{"max_value_length", int64_t{100}}});
        Result r = read_with(stage, bytes, "jpeg");
        REQUIRE(r.ok);
        CHECK(entry(r.metadata, "Exif.Image.Make") == std::string(100, 'A'));
    }
    SECTION("raw_entries off keeps the summary only") {
        lbx::engine::StageInstance stage = lbx::test::make_stage("exif", {{"raw_entries", false}});
        Result r = read_with(stage, bytes, "jpeg");
        REQUIRE(r.ok);
        CHECK(r.metadata.entries.empty());
        CHECK(r.metadata.get_text(LBX_FIELD_MAKE) == std::string(1024, 'A'));
    }
}

TEST_CASE("exif on a JPEG without metadata reports its size only", "[exif]") {
    Metadata m = read_ok(jpeg(33, 17), "jpeg");
    CHECK(m.entries.empty());
    CHECK(m.text.empty());
    CHECK(m.numbers.size() == 2);
    CHECK(m.get_number(LBX_FIELD_WIDTH) == 33);
    CHECK(m.get_number(LBX_FIELD_HEIGHT) == 17);
}

TEST_CASE("exif survives garbage EXIF segments", "[exif]") {
    const std::vector<uint8_t> base = jpeg(32, 24);
    for (uint32_t seed = 0; seed < 24; ++seed) {
        std::vector<uint8_t> bytes = lbx::sample::with_garbage_exif(base, seed);
        Result r = read(bytes, "jpeg");
        INFO("seed " << seed << " (" << (seed % 2 ? "valid header, offsets outside" : "random body") << "): "
                     << r.code << " " << r.message);
        if (r.ok) {
            CHECK(r.metadata.text.empty());
            CHECK(r.metadata.numbers.size() == 2);
            CHECK(r.metadata.get_number(LBX_FIELD_WIDTH) == 32);
            CHECK(r.metadata.get_number(LBX_FIELD_HEIGHT) == 24);
        } else {
            CHECK(clean_error_code(r.code));
            CHECK_FALSE(r.message.empty());
        }
    }
}

TEST_CASE("exif gives clean errors on a negative corpus", "[exif]") {
    const std::vector<uint8_t> good = lbx::sample::with_exif(jpeg(64, 48), full_spec());

    SECTION("zero bytes") {
        Result r = read({}, "jpeg");
        CHECK_FALSE(r.ok);
        CHECK(r.code == "truncated");
    }
    SECTION("wrong magic") {
        std::vector<uint8_t> gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0};
        Result r = read(gif, "jpeg");
        CHECK_FALSE(r.ok);
        CHECK(r.code == "unsupported");
        CHECK(r.message.find("47 49 46 38") != std::string::npos);
    }
    SECTION("random garbage") {
        std::mt19937 rng(42);
        std::vector<uint8_t> junk(4096);
        for (auto& b : junk) b = static_cast<uint8_t>(rng());
        Result r = read(junk, "jpeg");
        CHECK_FALSE(r.ok);
        CHECK(r.code == "unsupported");
    }
    SECTION("a JPEG magic followed by garbage") {
        std::mt19937 rng(7);
        for (int i = 0; i < 16; ++i) {
            std::vector<uint8_t> junk(512 + static_cast<std::size_t>(i) * 97);
            for (auto& b : junk) b = static_cast<uint8_t>(rng());
            junk[0] = 0xFF;
            junk[1] = 0xD8;
            junk[2] = 0xFF;
            Result r = read(junk, "jpeg");
            INFO(r.code << " " << r.message);
            CHECK((r.ok || clean_error_code(r.code)));
        }
    }
    SECTION("truncated inside the EXIF segment") {
        for (std::size_t cut : {3u, 4u, 6u, 12u, 40u, 200u}) {
            std::vector<uint8_t> part(good.begin(), good.begin() + static_cast<long>(cut));
            Result r = read(part, "jpeg");
            INFO("cut at " << cut << ": " << r.code << " " << r.message);
            CHECK_FALSE(r.ok);
            CHECK(clean_error_code(r.code));
        }
    }
    SECTION("truncated in the scan: the metadata is all there") {
        std::vector<uint8_t> part(good.begin(), good.end() - static_cast<long>(good.size() / 4));
        Result r = read(part, "jpeg");
        INFO(r.code << " " << r.message);
        if (r.ok) {
            CHECK(r.metadata.get_text(LBX_FIELD_MAKE) == "Canon");
        } else {
            CHECK(clean_error_code(r.code));
        }
    }
    SECTION("every prefix of a WebP, PNG and TIFF with EXIF") {
        const lbx::sample::RgbImage scene = lbx::sample::make_scene(24, 16, 5);
        const std::pair<const char*, std::vector<uint8_t>> files[] = {
            {"webp", lbx::sample::with_exif(lbx::sample::encode_webp(scene, 80), full_spec())},
            {"png", lbx::sample::with_exif(lbx::sample::encode_png(scene), full_spec())},
            {"tiff", lbx::sample::with_exif(lbx::sample::encode_tiff(scene), full_spec())},
        };
        for (const auto& [format, bytes] : files) {
            for (std::size_t cut = 1; cut < bytes.size(); cut += 1 + cut / 8) {
                std::vector<uint8_t> part(bytes.begin(), bytes.begin() + static_cast<long>(cut));
                Result r = read(part, format);
                INFO(format << " cut at " << cut << " of " << bytes.size() << ": " << r.code << " " << r.message);
                CHECK((r.ok || clean_error_code(r.code)));
            }
        }
    }
    SECTION("a header claiming 100000x100000 pixels") {
        // A metadata stage allocates no pixels: it reports the claimed size.
        Result r = read(png_header_only(100000, 100000), "png");
        INFO(r.code << " " << r.message);
        REQUIRE(r.ok);
        CHECK(r.metadata.get_number(LBX_FIELD_WIDTH) == 100000);
        CHECK(r.metadata.get_number(LBX_FIELD_HEIGHT) == 100000);
    }
    SECTION("an ISO-BMFF of another brand is never handed to Exiv2") {
        std::vector<uint8_t> mov = {0, 0, 0, 0x14, 'f', 't', 'y', 'p', 'q', 't', ' ', ' ', 0, 0, 0, 0, 'q', 't', ' ', ' '};
        Result r = read(mov, "heif");
        CHECK_FALSE(r.ok);
        CHECK(r.code == "unsupported");
    }
    SECTION("a bare HEIF ftyp box") {
        std::vector<uint8_t> heif = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0,
                                     'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'};
        Result r = read(heif, "heif");
        INFO(r.code << " " << r.message);
        if (r.ok) {
            CHECK(r.metadata.text.empty());
        } else {
            CHECK(clean_error_code(r.code));
        }
    }
}

TEST_CASE("exif is safe on several threads with one instance", "[exif]") {
    const lbx::engine::StageInstance stage = lbx::test::make_stage("exif");
    const lbx::sample::RgbImage scene = lbx::sample::make_scene(48, 32, 9);
    const std::vector<std::pair<std::string, std::vector<uint8_t>>> files = {
        {"jpeg", lbx::sample::with_exif(lbx::sample::encode_jpeg(scene, 80), full_spec())},
        {"png", lbx::sample::with_exif(lbx::sample::encode_png(scene), full_spec())},
        {"webp", lbx::sample::with_exif(lbx::sample::encode_webp(scene, 80), full_spec())},
        {"jpeg", lbx::sample::with_garbage_exif(lbx::sample::encode_jpeg(scene, 80), 3)},
    };
    std::vector<Result> expected;
    for (const auto& [format, bytes] : files) expected.push_back(read_with(stage, bytes, format));

    constexpr int kThreads = 4;
    constexpr int kRounds = 40;
    std::vector<int> mismatches(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRounds; ++i) {
                std::size_t k = static_cast<std::size_t>(t + i) % files.size();
                Result r = read_with(stage, files[k].second, files[k].first);
                const Result& e = expected[k];
                if (r.ok != e.ok || r.code != e.code || r.metadata.entries != e.metadata.entries ||
                    r.metadata.text != e.metadata.text || r.metadata.numbers != e.metadata.numbers)
                    ++mismatches[static_cast<std::size_t>(t)];
            }
        });
    }
    for (auto& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) CHECK(mismatches[static_cast<std::size_t>(t)] == 0);
    CHECK(expected[0].ok);
    CHECK(expected[0].metadata.get_entry("Xmp.dc.subject") != nullptr);
}
