// The "autotag" stage through the plugin ABI, with the default rules (config/tag_rules.toml) and the
// committed gazetteer: date, season (both hemispheres), time of day, camera, shape, place and country
// from metadata; light, colour, black and white and blur from synthetic pixels; broken rules and
// gazetteer files that must fail creation with a message naming file and line; hostile metadata and
// degenerate images that must give a clean result.
#include "sample/rgb_image.hpp"
#include "support/plugin_harness.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using lbx::engine::Image;
using lbx::engine::Metadata;
using lbx::engine::Tag;
using lbx::sample::RgbImage;

const std::vector<uint8_t> kNoBytes;

Image to_image(const RgbImage& rgb, uint32_t flags = 0) {
    Image img;
    img.width = rgb.width;
    img.height = rgb.height;
    img.stride = rgb.width * 3;
    img.pixels = rgb.pixels;
    img.source_width = rgb.width;
    img.source_height = rgb.height;
    img.flags = flags;
    return img;
}

const lbx::engine::StageInstance& default_stage() {
    static const lbx::engine::StageInstance stage = lbx::test::make_stage("autotag");
    return stage;
}

std::vector<Tag> tags_with(const lbx::engine::StageInstance& stage, const Metadata& metadata, const Image* image) {
    auto tags = stage.tag(lbx::test::source_of(kNoBytes, "jpeg"), image, metadata);
    INFO("error: " << (tags ? "" : tags.error().message));
    REQUIRE(tags.has_value());
    for (const Tag& t : *tags) {
        CHECK(t.confidence >= 0.0);
        CHECK(t.confidence <= 1.0);
        CHECK(t.source == "org.lightbox.autotag");
    }
    return std::move(*tags);
}

std::vector<Tag> tags_of(const Metadata& metadata, const Image* image = nullptr) {
    return tags_with(default_stage(), metadata, image);
}

std::optional<Tag> find(const std::vector<Tag>& tags, const std::string& category, const std::string& name) {
    for (const Tag& t : tags) {
        if (t.category == category && t.name == name) return t;
    }
    return std::nullopt;
}

std::vector<std::string> names_in(const std::vector<Tag>& tags, const std::string& category) {
    std::vector<std::string> out;
    for (const Tag& t : tags) {
        if (t.category == category) out.push_back(t.name);
    }
    return out;
}

std::string describe(const std::vector<Tag>& tags) {
    std::string s;
    for (const Tag& t : tags) s += t.category + ":" + t.name + "(" + std::to_string(t.confidence) + ") ";
    return s;
}

Metadata paris_photo() {
    Metadata m;
    m.text["taken_at"] = "2023-07-14T21:30:00+02:00";
    m.text["make"] = "Canon";
    m.text["model"] = "Canon EOS R6";
    m.text["lens"] = "RF24-105mm F4 L IS USM";
    m.numbers["gps_lat"] = 48.8566;
    m.numbers["gps_lon"] = 2.3522;
    m.numbers["orientation"] = 1;
    m.numbers["width"] = 6000;
    m.numbers["height"] = 4000;
    return m;
}

Metadata sized(double width, double height, double orientation) {
    Metadata m;
    m.numbers["width"] = width;
    m.numbers["height"] = height;
    m.numbers["orientation"] = orientation;
    return m;
}

// A separable box blur over (2r+1) x (2r+1) pixels, edges clamped.
RgbImage box_blur(const RgbImage& in, int r) {
    RgbImage tmp(in.width, in.height), out(in.width, in.height);
    const int w = static_cast<int>(in.width), h = static_cast<int>(in.height);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            int sum[3] = {0, 0, 0};
            for (int k = -r; k <= r; ++k) {
                const auto c = in.at(static_cast<uint32_t>(std::clamp(x + k, 0, w - 1)), static_cast<uint32_t>(y));
                sum[0] += c.r, sum[1] += c.g, sum[2] += c.b;
            }
            const int n = 2 * r + 1;
            tmp.set(x, y, {uint8_t(sum[0] / n), uint8_t(sum[1] / n), uint8_t(sum[2] / n)});
        }
    }
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            int sum[3] = {0, 0, 0};
            for (int k = -r; k <= r; ++k) {
                const auto c = tmp.at(static_cast<uint32_t>(x), static_cast<uint32_t>(std::clamp(y + k, 0, h - 1)));
                sum[0] += c.r, sum[1] += c.g, sum[2] += c.b;
            }
            const int n = 2 * r + 1;
            out.set(x, y, {uint8_t(sum[0] / n), uint8_t(sum[1] / n), uint8_t(sum[2] / n)});
        }
    }
    return out;
}

// Creates the stage with these overrides and returns its creation error message ("" when it succeeded).
std::string creation_error(const std::map<std::string, lbx::engine::ParamInput>& overrides) {
    const lbx::engine::LoadedStage* stage = lbx::test::built_plugins().find_stage("autotag");
    REQUIRE(stage != nullptr);
    auto params = lbx::engine::resolve_params(*stage->desc, overrides, LIGHTBOX_TEST_DATA_DIR "/config");
    REQUIRE(params.has_value());
    auto instance = lbx::engine::StageInstance::create(*stage, std::move(*params));
    return instance ? std::string() : instance.error().message;
}

std::string write_text(const lbx::test::TempDir& dir, const std::string& name, const std::string& text) {
    const auto path = dir / name;
    lbx::test::write_file(path, std::vector<uint8_t>(text.begin(), text.end()));
    return path.string();
}

const char* kMinimalRules = R"([[rule]]
category = "date"
tag = "{value}"
feature = "year"
)";

}  // namespace

TEST_CASE("autotag: the stage is declared with its parameters", "[autotag]") {
    const lbx::engine::LoadedStage* stage = lbx::test::built_plugins().find_stage("autotag");
    REQUIRE(stage != nullptr);
    CHECK(stage->plugin->id == "org.lightbox.autotag");
    CHECK(stage->desc->kind == LBX_STAGE_TAG);
    REQUIRE(stage->desc->param_count == 3);
    CHECK(std::string(stage->desc->params[0].name) == "rules");
    CHECK(stage->desc->params[0].type == LBX_PARAM_PATH);
    CHECK(std::string(stage->desc->params[1].name) == "gazetteer");
    CHECK(stage->desc->params[1].type == LBX_PARAM_PATH);
    CHECK(std::string(stage->desc->params[2].name) == "place_max_km");
    CHECK(stage->desc->params[2].type == LBX_PARAM_DOUBLE);
    CHECK(std::string(stage->desc->params[2].default_value) == "50");
}

TEST_CASE("autotag: a summer evening in Paris with a Canon EOS R6", "[autotag]") {
    const auto tags = tags_of(paris_photo());
    INFO(describe(tags));
    CHECK(find(tags, "date", "2023"));
    CHECK(find(tags, "date", "july"));
    CHECK(names_in(tags, "season") == std::vector<std::string>{"summer"});
    CHECK(names_in(tags, "time") == std::vector<std::string>{"night"});  // 21:30 local: the rules' night
    CHECK(names_in(tags, "camera") == std::vector<std::string>{"Canon EOS R6"});
    CHECK(names_in(tags, "lens") == std::vector<std::string>{"RF24-105mm F4 L IS USM"});
    CHECK(names_in(tags, "orientation") == std::vector<std::string>{"landscape"});
    const auto place = find(tags, "place", "Paris");
    REQUIRE(place);
    CHECK(place->confidence > 0.95);  // under a kilometre from the town's point
    const auto country = find(tags, "country", "France");
    REQUIRE(country);
    CHECK(country->confidence > 0.95);
    // Facts from metadata are certain.
    CHECK(find(tags, "date", "2023")->confidence == 1.0);
    CHECK(find(tags, "camera", "Canon EOS R6")->confidence == 1.0);
    // No pixels: no pixel tags.
    CHECK(names_in(tags, "light").empty());
    CHECK(names_in(tags, "colour").empty());
    CHECK(names_in(tags, "quality").empty());
    CHECK(names_in(tags, "style").empty());
}

TEST_CASE("autotag: the same July date in Sydney is winter", "[autotag]") {
    Metadata m = paris_photo();
    m.numbers["gps_lat"] = -33.8688;
    m.numbers["gps_lon"] = 151.2093;
    const auto tags = tags_of(m);
    INFO(describe(tags));
    CHECK(names_in(tags, "season") == std::vector<std::string>{"winter"});
    CHECK(find(tags, "place", "Sydney"));
    CHECK(find(tags, "country", "Australia"));

    m.text["taken_at"] = "2024-01-02T08:15:00";
    const auto january = tags_of(m);
    CHECK(names_in(january, "season") == std::vector<std::string>{"summer"});
    CHECK(names_in(january, "time") == std::vector<std::string>{"morning"});
    CHECK(find(january, "date", "january"));
}

TEST_CASE("autotag: seasons without GPS follow the northern hemisphere", "[autotag]") {
    Metadata m;
    m.text["taken_at"] = "2021-12-24T16:00:00";
    const auto tags = tags_of(m);
    INFO(describe(tags));
    CHECK(names_in(tags, "season") == std::vector<std::string>{"winter"});
    CHECK(names_in(tags, "time") == std::vector<std::string>{"afternoon"});
    CHECK(find(tags, "date", "2021"));
    CHECK(find(tags, "date", "december"));
    CHECK(names_in(tags, "place").empty());
    CHECK(names_in(tags, "country").empty());
}

TEST_CASE("autotag: raw EXIF dates and dates without a time", "[autotag]") {
    Metadata m;
    m.text["taken_at"] = "2019:04:05 06:07:08";
    auto tags = tags_of(m);
    CHECK(find(tags, "date", "2019"));
    CHECK(find(tags, "date", "april"));
    CHECK(names_in(tags, "season") == std::vector<std::string>{"spring"});
    CHECK(names_in(tags, "time") == std::vector<std::string>{"morning"});

    m.text["taken_at"] = "2019-10-05";
    tags = tags_of(m);
    CHECK(find(tags, "date", "october"));
    CHECK(names_in(tags, "time").empty());
}

TEST_CASE("autotag: camera names are normalised modestly", "[autotag]") {
    struct Case {
        const char* make;
        const char* model;
        const char* camera;
    };
    const Case cases[] = {
        {"Canon", "Canon EOS R6", "Canon EOS R6"},
        {"NIKON CORPORATION", "NIKON D750", "Nikon D750"},
        {"SONY", "ILCE-7M3", "Sony ILCE-7M3"},
        {"Apple", "iPhone 12 Pro", "Apple iPhone 12 Pro"},
        {"OLYMPUS IMAGING CORP.", "E-M5", "Olympus E-M5"},
        {"  FUJIFILM ", "X-T4", "Fujifilm X-T4"},
        {"", "Mystery Cam", "Mystery Cam"},
        {"Leica Camera AG", "", "Leica"},
    };
    for (const Case& c : cases) {
        Metadata m;
        if (*c.make) m.text["make"] = c.make;
        if (*c.model) m.text["model"] = c.model;
        const auto tags = tags_of(m);
        INFO(c.make << " / " << c.model << " -> " << describe(tags));
        CHECK(names_in(tags, "camera") == std::vector<std::string>{c.camera});
    }
}

TEST_CASE("autotag: orientation classes use the upright size", "[autotag]") {
    CHECK(names_in(tags_of(sized(4000, 3000, 1)), "orientation") == std::vector<std::string>{"landscape"});
    CHECK(names_in(tags_of(sized(4000, 3000, 6)), "orientation") == std::vector<std::string>{"portrait"});
    CHECK(names_in(tags_of(sized(4000, 3000, 8)), "orientation") == std::vector<std::string>{"portrait"});
    CHECK(names_in(tags_of(sized(4000, 3000, 3)), "orientation") == std::vector<std::string>{"landscape"});
    CHECK(names_in(tags_of(sized(3000, 4000, 1)), "orientation") == std::vector<std::string>{"portrait"});
    CHECK(names_in(tags_of(sized(6000, 2000, 1)), "orientation") == std::vector<std::string>{"panorama"});
    CHECK(names_in(tags_of(sized(6000, 2000, 6)), "orientation") == std::vector<std::string>{"panorama"});
    CHECK(names_in(tags_of(sized(3000, 3000, 1)), "orientation") == std::vector<std::string>{"square"});
    CHECK(names_in(tags_of(sized(3100, 3000, 6)), "orientation") == std::vector<std::string>{"square"});  // within 5%
    CHECK(names_in(tags_of(sized(3200, 3000, 1)), "orientation") == std::vector<std::string>{"landscape"});
}

TEST_CASE("autotag: a decoded image's own size, turned unless the decoder already did", "[autotag]") {
    const RgbImage stored = lbx::sample::make_scene(160, 120, 1);  // stored landscape, displayed portrait
    Metadata m = sized(4000, 3000, 6);
    const Image turned_later = to_image(stored);
    CHECK(names_in(tags_of(m, &turned_later), "orientation") == std::vector<std::string>{"portrait"});

    // A HEIF decoder hands over upright pixels: the image's own aspect wins over the EXIF orientation.
    const Image upright = to_image(lbx::sample::make_scene(160, 120, 1), LBX_IMAGE_UPRIGHT);
    CHECK(names_in(tags_of(m, &upright), "orientation") == std::vector<std::string>{"landscape"});
}

TEST_CASE("autotag: dark and bright pictures", "[autotag]") {
    const Image dark = to_image(lbx::sample::make_solid(320, 240, {20, 20, 24}));
    auto tags = tags_of(Metadata{}, &dark);
    INFO(describe(tags));
    REQUIRE(find(tags, "light", "dark"));
    CHECK(find(tags, "light", "dark")->confidence == Approx(1.0));  // luma 0.08: past certain_at 0.10
    CHECK(find(tags, "colour", "black"));
    CHECK_FALSE(find(tags, "light", "bright"));

    const Image dim = to_image(lbx::sample::make_solid(320, 240, {55, 55, 55}));  // luma 0.216
    tags = tags_of(Metadata{}, &dim);
    REQUIRE(find(tags, "light", "dark"));
    CHECK(find(tags, "light", "dark")->confidence > 0.5);
    CHECK(find(tags, "light", "dark")->confidence < 0.7);  // graded: close to the 0.25 threshold

    const Image bright = to_image(lbx::sample::make_solid(320, 240, {250, 250, 245}));
    tags = tags_of(Metadata{}, &bright);
    CHECK(find(tags, "light", "bright"));
    CHECK(find(tags, "colour", "white"));
    CHECK_FALSE(find(tags, "light", "dark"));

    const Image mid = to_image(lbx::sample::make_scene(320, 240, 3));
    tags = tags_of(Metadata{}, &mid);
    CHECK(names_in(tags, "light").empty());
}

TEST_CASE("autotag: a grayscale picture is black and white, a coloured one is not", "[autotag]") {
    RgbImage gray(300, 200);
    for (uint32_t y = 0; y < gray.height; ++y) {
        for (uint32_t x = 0; x < gray.width; ++x) {
            const auto v = static_cast<uint8_t>(30 + (x * 200) / gray.width);
            gray.set(x, y, {v, v, v});
        }
    }
    const Image gray_image = to_image(gray);
    auto tags = tags_of(Metadata{}, &gray_image);
    INFO(describe(tags));
    REQUIRE(find(tags, "style", "black and white"));
    CHECK(find(tags, "style", "black and white")->confidence == Approx(1.0));
    for (const std::string& colour : names_in(tags, "colour")) {
        CHECK((colour == "gray" || colour == "white" || colour == "black"));
    }

    const Image scene = to_image(lbx::sample::make_scene(300, 200, 2));
    tags = tags_of(Metadata{}, &scene);
    CHECK(names_in(tags, "style").empty());
}

TEST_CASE("autotag: dominant colours", "[autotag]") {
    // Mostly blue, with a red band over a fifth of the picture.
    RgbImage mostly_blue = lbx::sample::make_solid(400, 300, {30, 60, 200});
    mostly_blue.fill_rect(0, 240, 400, 60, {220, 30, 30});
    const Image blue_image = to_image(mostly_blue);
    auto tags = tags_of(Metadata{}, &blue_image);
    INFO(describe(tags));
    CHECK(names_in(tags, "colour") == std::vector<std::string>{"blue"});  // red covers only 20%
    CHECK(find(tags, "colour", "blue")->confidence > 0.9);                // 80% of the pixels

    const Image green = to_image(lbx::sample::make_solid(200, 200, {40, 170, 60}));
    CHECK(names_in(tags_of(Metadata{}, &green), "colour") == std::vector<std::string>{"green"});
    const Image red = to_image(lbx::sample::make_solid(200, 200, {200, 20, 30}));
    CHECK(names_in(tags_of(Metadata{}, &red), "colour") == std::vector<std::string>{"red"});
    const Image yellow = to_image(lbx::sample::make_solid(200, 200, {230, 210, 40}));
    CHECK(names_in(tags_of(Metadata{}, &yellow), "colour") == std::vector<std::string>{"yellow"});
    const Image brown = to_image(lbx::sample::make_solid(200, 200, {110, 70, 30}));
    CHECK(names_in(tags_of(Metadata{}, &brown), "colour") == std::vector<std::string>{"brown"});

    // The sample scene: blue sky over green ground, the larger share first.
    const Image scene = to_image(lbx::sample::make_scene(400, 300, 4));
    tags = tags_of(Metadata{}, &scene);
    auto colours = names_in(tags, "colour");
    std::sort(colours.begin(), colours.end());
    CHECK(colours == std::vector<std::string>{"blue", "green"});
}

TEST_CASE("autotag: a textured scene is sharp, a box-blurred copy is blurry", "[autotag]") {
    for (uint32_t width : {640u, 2000u}) {
        const RgbImage scene = lbx::sample::make_scene(width, width * 3 / 4, 7);
        const Image sharp = to_image(scene);
        auto tags = tags_of(Metadata{}, &sharp);
        INFO(width << ": " << describe(tags));
        CHECK(names_in(tags, "quality").empty());

        const Image blurred = to_image(box_blur(scene, static_cast<int>(width / 160)));  // 9x9 at 640, 25x25 at 2000
        tags = tags_of(Metadata{}, &blurred);
        INFO(width << " blurred: " << describe(tags));
        REQUIRE(find(tags, "quality", "blurry"));
        CHECK(find(tags, "quality", "blurry")->confidence > 0.5);
        // Blur does not change what the picture is.
        CHECK(find(tags, "colour", "blue"));
    }
    // Exposure does not count: the same scene eight times darker is as sharp.
    RgbImage night = lbx::sample::make_scene(640, 480, 7);
    for (auto& v : night.pixels) v = static_cast<uint8_t>(v / 8);
    const Image night_image = to_image(night);
    auto night_tags = tags_of(Metadata{}, &night_image);
    INFO(describe(night_tags));
    CHECK(find(night_tags, "light", "dark"));
    CHECK(names_in(night_tags, "quality").empty());
    // A flat picture has no detail at all: it measures as blurry.
    const Image flat = to_image(lbx::sample::make_solid(200, 150, {128, 128, 128}));
    CHECK(find(tags_of(Metadata{}, &flat), "quality", "blurry"));
}

TEST_CASE("autotag: no image gives metadata tags only, and nothing gives nothing", "[autotag]") {
    auto tags = tags_of(paris_photo(), nullptr);
    for (const Tag& t : tags) {
        INFO(t.category << ":" << t.name);
        CHECK((t.category == "date" || t.category == "season" || t.category == "time" || t.category == "camera" ||
               t.category == "lens" || t.category == "orientation" || t.category == "place" ||
               t.category == "country"));
    }
    CHECK(tags.size() == 9);

    tags = tags_of(Metadata{}, nullptr);
    CHECK(tags.empty());
}

TEST_CASE("autotag: tag names are lower-case except proper names", "[autotag]") {
    const Image scene = to_image(lbx::sample::make_scene(320, 240, 5));
    const auto tags = tags_of(paris_photo(), &scene);
    INFO(describe(tags));
    for (const Tag& t : tags) {
        CHECK(t.category == [&] {
            std::string lower = t.category;
            for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return lower;
        }());
        if (t.category == "camera" || t.category == "lens" || t.category == "place" || t.category == "country")
            continue;
        CHECK(std::none_of(t.name.begin(), t.name.end(), [](unsigned char c) { return std::isupper(c) != 0; }));
    }
}

TEST_CASE("autotag: places far from any town, and hostile metadata", "[autotag]") {
    Metadata ocean;
    ocean.numbers["gps_lat"] = -40.0;
    ocean.numbers["gps_lon"] = -120.0;  // the South Pacific
    ocean.text["taken_at"] = "2022-01-10T12:00:00";
    auto tags = tags_of(ocean);
    INFO(describe(tags));
    CHECK(names_in(tags, "place").empty());
    CHECK(names_in(tags, "season") == std::vector<std::string>{"summer"});  // south, by latitude alone

    // A smaller radius keeps out a town 20 km away; the default radius takes it with less confidence.
    Metadata near_versailles;
    // ~20 km south-west of Paris; at least 0.5 km from every point of the gazetteer's 0.01-degree grid.
    near_versailles.numbers["gps_lat"] = 48.7049;
    near_versailles.numbers["gps_lon"] = 2.0051;
    const auto near_tags = tags_of(near_versailles);
    INFO(describe(near_tags));
    REQUIRE(names_in(near_tags, "place").size() == 1);
    const auto tight = lbx::test::make_stage("autotag", {{"place_max_km", 0.5}});
    CHECK(names_in(tags_with(tight, near_versailles, nullptr), "place").empty());

    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    for (const double bad : {nan, inf, -inf, 91.0, -1e300}) {
        Metadata m;
        m.numbers["gps_lat"] = bad;
        m.numbers["gps_lon"] = bad;
        m.numbers["orientation"] = bad;
        tags = tags_of(m);
        INFO(bad << ": " << describe(tags));
        CHECK(tags.empty());
    }
    for (const double bad_size : {nan, inf, 0.0, -5.0, 0.5}) {
        Metadata m = sized(bad_size, 3000, 6);
        tags = tags_of(m);
        INFO(bad_size << ": " << describe(tags));
        CHECK(tags.empty());
    }
    for (const char* date : {"", "garbage", "0000:00:00 00:00:00", "2023-13-01T10:00:00", "2023-02-00", "20",
                             "2023-07-14T25:00:00", "2023-07-14T2"}) {
        Metadata m;
        m.text["taken_at"] = date;
        tags = tags_of(m);
        INFO("'" << date << "': " << describe(tags));
        if (std::string(date).starts_with("2023-07-14")) {
            CHECK(names_in(tags, "time").empty());  // a date without a usable hour
            CHECK(find(tags, "date", "july"));
        } else {
            CHECK(tags.empty());
        }
    }
    Metadata long_text;
    long_text.text["make"] = std::string(10000, 'x');
    long_text.text["model"] = std::string(3, '\0') + "EOS";
    CHECK(names_in(tags_of(long_text), "camera").size() == 1);
}

TEST_CASE("autotag: degenerate images", "[autotag]") {
    const Image one = to_image(lbx::sample::make_solid(1, 1, {200, 30, 30}));
    auto tags = tags_of(Metadata{}, &one);
    INFO(describe(tags));
    CHECK(find(tags, "colour", "red"));
    CHECK(names_in(tags, "quality").empty());  // too small to measure sharpness
    CHECK(names_in(tags, "orientation") == std::vector<std::string>{"square"});

    const Image line = to_image(lbx::sample::make_scene(2000, 1, 1));
    tags = tags_of(Metadata{}, &line);
    CHECK(names_in(tags, "orientation") == std::vector<std::string>{"panorama"});

    Image empty;  // 0x0 with no pixels
    tags = tags_of(Metadata{}, &empty);
    CHECK(tags.empty());

    // Rows padded beyond width * 3.
    RgbImage rgb = lbx::sample::make_solid(33, 17, {30, 60, 200});
    Image padded;
    padded.width = 33;
    padded.height = 17;
    padded.stride = 33 * 3 + 5;
    padded.pixels.assign(std::size_t(padded.stride) * 17, 0xFF);
    for (uint32_t y = 0; y < 17; ++y) std::copy_n(&rgb.pixels[y * 99], 99, &padded.pixels[y * padded.stride]);
    tags = tags_of(Metadata{}, &padded);
    CHECK(names_in(tags, "colour") == std::vector<std::string>{"blue"});
}

TEST_CASE("autotag: a bad rules file fails creation naming the file and line", "[autotag]") {
    lbx::test::TempDir dir;
    struct Case {
        const char* name;
        std::string text;
        const char* line;  // ":<line>:" expected in the message
        const char* what;
    };
    const std::vector<Case> cases = {
        {"syntax.toml", "[[rule]]\ncategory = \"date\"\ntag = \"{value}\nfeature = \"year\"\n", ":3:", ""},
        {"unknown_feature.toml",
         std::string(kMinimalRules) + "\n[[rule]]\ncategory = \"x\"\ntag = \"y\"\nfeature = \"altitude\"\n",
         ":9:", "unknown feature 'altitude'"},
        {"upper_tag.toml", "[[rule]]\ncategory = \"light\"\ntag = \"Dark\"\nfeature = \"mean_luma\"\nbelow = 0.2\n",
         ":3:", "lower-case"},
        {"unknown_key.toml",
         "[[rule]]\ncategory = \"light\"\ntag = \"dark\"\nfeature = \"mean_luma\"\nbelow = 0.2\nbellow = 3\n",
         ":6:", "unknown key 'bellow'"},
        {"missing_category.toml", "\n\n[[rule]]\ntag = \"dark\"\nfeature = \"mean_luma\"\n",
         ":3:", "missing 'category'"},
        {"bad_number.toml",
         "[[rule]]\ncategory = \"light\"\ntag = \"dark\"\nfeature = \"mean_luma\"\nbelow = \"low\"\n",
         ":5:", "must be a number"},
        {"bad_placeholder.toml", "[[rule]]\ncategory = \"date\"\ntag = \"{year}\"\nfeature = \"year\"\n",
         ":3:", "unknown placeholder"},
        {"graded_twice.toml",
         "[[rule]]\ncategory = \"light\"\ntag = \"mid\"\nfeature = \"mean_luma\"\nabove = 0.2\nbelow = 0.8\ncertain_at "
         "= 0.5\n",
         ":7:", "exactly one"},
        {"bad_colour.toml", std::string(kMinimalRules) + "[[colour]]\nname = \"teal\"\nhue = [170, 400]\n",
         ":7:", "hue"},
        {"no_rules.toml", "# nothing here\n", "", "no [[rule]]"},
    };
    for (const Case& c : cases) {
        const std::string path = write_text(dir, c.name, c.text);
        const std::string message = creation_error({{"rules", path}});
        INFO(c.name << ": " << message);
        CHECK_FALSE(message.empty());
        CHECK(message.find(path + c.line) != std::string::npos);
        CHECK(message.find(c.what) != std::string::npos);
    }

    const std::string missing = (dir / "absent.toml").string();
    const std::string message = creation_error({{"rules", missing}});
    INFO(message);
    CHECK(message.find("cannot read tag rules '" + missing + "'") != std::string::npos);
}

TEST_CASE("autotag: custom rules change names and thresholds without code", "[autotag]") {
    lbx::test::TempDir dir;
    const std::string path = write_text(dir, "mine.toml", R"(
[[rule]]
category = "light"
tag = "gloomy"
feature = "mean_luma"
below = 0.5

[[rule]]
category = "date"
tag = "shot in {value}"
feature = "year"
when = { month = { at_least = 6 } }

[[rule]]
category = "colour"
tag = "mostly {name}"
feature = "colour.*"
at_least = 0.5
max_tags = 1

[[colour]]
name = "sky"
hue = [195, 255]
saturation = [0.2, 1.0]
)");
    const auto stage = lbx::test::make_stage("autotag", {{"rules", path}});
    const Image blue = to_image(lbx::sample::make_solid(64, 48, {30, 60, 120}));
    Metadata m;
    m.text["taken_at"] = "2020-08-01T10:00:00";
    auto tags = tags_with(stage, m, &blue);
    INFO(describe(tags));
    CHECK(find(tags, "light", "gloomy"));
    CHECK(find(tags, "date", "shot in 2020"));
    CHECK(find(tags, "colour", "mostly sky"));
    CHECK(tags.size() == 3);

    m.text["taken_at"] = "2020-03-01T10:00:00";
    tags = tags_with(stage, m, nullptr);
    CHECK(tags.empty());
}

TEST_CASE("autotag: a missing or malformed gazetteer fails creation", "[autotag]") {
    lbx::test::TempDir dir;
    const std::string missing = (dir / "none.tsv.gz").string();
    std::string message = creation_error({{"gazetteer", missing}});
    INFO(message);
    CHECK(message.find("cannot open gazetteer '" + missing + "'") != std::string::npos);

    const std::string plain = write_text(dir, "plain.tsv", "48.85\t2.35\tFR\tParis\n");
    message = creation_error({{"gazetteer", plain}});
    CHECK(message.find(plain + ":1: not a Lightbox gazetteer") != std::string::npos);

    const std::string bad_row = write_text(
        dir, "bad_row.tsv", "# Lightbox gazetteer, format 1\nC\tFR\tFrance\n@FR\n4885\t235\tParis\nnot a row\n");
    message = creation_error({{"gazetteer", bad_row}});
    CHECK(message.find(bad_row + ":5: expected") != std::string::npos);

    const std::string no_country = write_text(dir, "no_country.tsv", "# Lightbox gazetteer, format 1\n@FR\n1\t2\tX\n");
    message = creation_error({{"gazetteer", no_country}});
    CHECK(message.find(no_country + ":2: country 'FR' has no 'C' line") != std::string::npos);

    const std::string far =
        write_text(dir, "far.tsv", "# Lightbox gazetteer, format 1\nC\tFR\tFrance\n@FR\n9000\t0\tA\n1\t0\tB\n");
    message = creation_error({{"gazetteer", far}});
    CHECK(message.find(far + ":5: coordinates") != std::string::npos);

    const std::string empty = write_text(dir, "empty.tsv", "");
    CHECK_FALSE(creation_error({{"gazetteer", empty}}).empty());

    std::vector<uint8_t> garbage(4096);
    for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<uint8_t>((i * 2654435761u) >> 13);
    garbage[0] = 0x1f, garbage[1] = 0x8b;  // a gzip magic over garbage
    lbx::test::write_file(dir / "garbage.gz", garbage);
    CHECK_FALSE(creation_error({{"gazetteer", (dir / "garbage.gz").string()}}).empty());

    // A tiny valid gazetteer works, uncompressed too.
    const std::string tiny =
        write_text(dir, "tiny.tsv",
                   "# Lightbox gazetteer, format 1\nC\tFR\tFrance\nC\tNZ\tNew Zealand\n@FR\n4885\t235\tParis\n"
                   "@NZ\n-4129\t17478\tWellington\n");
    const auto stage = lbx::test::make_stage("autotag", {{"gazetteer", tiny}});
    Metadata m;
    m.numbers["gps_lat"] = -41.3;
    m.numbers["gps_lon"] = 174.78;
    const auto tags = tags_with(stage, m, nullptr);
    CHECK(find(tags, "place", "Wellington"));
    CHECK(find(tags, "country", "New Zealand"));
}

TEST_CASE("autotag: places across the antimeridian and near the poles", "[autotag]") {
    lbx::test::TempDir dir;
    const std::string path =
        write_text(dir, "edge.tsv",
                   "# Lightbox gazetteer, format 1\nC\tFJ\tFiji\nC\tAQ\tAntarctica\n@FJ\n-1700\t17995\tEast\n"
                   "@AQ\n-8990\t0\tPole\n");
    const auto stage = lbx::test::make_stage("autotag", {{"gazetteer", path}});
    Metadata m;
    m.numbers["gps_lat"] = -17.0;
    m.numbers["gps_lon"] = -179.9;  // 0.15 degree east of 179.95, across the line: ~16 km
    CHECK(find(tags_with(stage, m, nullptr), "place", "East"));
    m.numbers["gps_lat"] = -89.8;
    m.numbers["gps_lon"] = 135.0;
    CHECK(find(tags_with(stage, m, nullptr), "place", "Pole"));
}

TEST_CASE("autotag: the grid lookup finds what a brute-force search finds", "[autotag]") {
    // 3000 towns spread over the globe (denser at the poles than an even spread), one in five of them
    // big enough to have an extent; 400 photos anywhere.
    std::mt19937 random(12345);
    std::uniform_int_distribution<int> lat_cents(-9000, 9000), lon_cents(-18000, 18000), size_of(0, 19);
    const double extent_km[8] = {0, 0, 0, 0, 2, 4, 8, 15};
    struct Town {
        int lat, lon, size;
        std::string name;
    };
    std::vector<Town> towns;
    std::string text = "# Lightbox gazetteer, format 1\nC\tZZ\tZedland\n@ZZ\n";
    int plat = 0, plon = 0;
    for (int i = 0; i < 3000; ++i) {
        const int size = size_of(random);
        Town t{lat_cents(random), lon_cents(random), size < 4 ? size + 4 : 0, "T" + std::to_string(i)};
        text += std::to_string(t.lat - plat) + "\t" + std::to_string(t.lon - plon) + "\t" + t.name +
                (t.size ? "\t" + std::to_string(t.size) : std::string()) + "\n";
        plat = t.lat, plon = t.lon;
        towns.push_back(std::move(t));
    }
    lbx::test::TempDir dir;
    const std::string path = write_text(dir, "random.tsv", text);

    auto km = [](double lat1, double lon1, double lat2, double lon2) {
        const double r = 3.14159265358979323846 / 180;
        const double h = std::pow(std::sin((lat2 - lat1) * r / 2), 2) +
                         std::cos(lat1 * r) * std::cos(lat2 * r) * std::pow(std::sin((lon2 - lon1) * r / 2), 2);
        return 2 * 6371.0088 * std::asin(std::sqrt(std::min(1.0, h)));
    };
    std::uniform_real_distribution<double> any_lat(-90, 90), any_lon(-180, 180);
    for (const double max_km : {20.0, 400.0, 1000.0}) {
        const auto stage = lbx::test::make_stage("autotag", {{"gazetteer", path}, {"place_max_km", max_km}});
        int found = 0;
        for (int i = 0; i < 400; ++i) {
            const double lat = any_lat(random), lon = any_lon(random);
            Metadata m;
            m.numbers["gps_lat"] = lat;
            m.numbers["gps_lon"] = lon;
            const Town* best = nullptr;
            double best_outside = max_km, best_km = 0;
            for (const Town& t : towns) {
                const double d = km(lat, lon, t.lat / 100.0, t.lon / 100.0);
                const double outside = std::max(0.0, d - extent_km[t.size]);
                if (best == nullptr
                        ? outside <= best_outside
                        : outside < best_outside || (outside == best_outside &&
                                                     (t.size > best->size || (t.size == best->size && d < best_km)))) {
                    best = &t, best_outside = outside, best_km = d;
                }
            }
            const auto places = names_in(tags_with(stage, m, nullptr), "place");
            INFO(max_km << " km, photo at " << lat << ", " << lon << ": expected '" << (best ? best->name : "")
                        << "' at " << best_km << " km");
            if (best == nullptr) {
                CHECK(places.empty());
            } else {
                ++found;
                CHECK(places == std::vector<std::string>{best->name});
            }
        }
        CHECK(found > 0);
    }
}

TEST_CASE("autotag: a big town's extent wins over a nearer suburb's point", "[autotag]") {
    struct Case {
        double lat, lon;
        const char* place;
        const char* country;
    };
    const Case cases[] = {
        {48.8584, 2.2945, "Paris", "France"},   // the Eiffel Tower: a suburb's point is nearer
        {35.6762, 139.6503, "Tokyo", "Japan"},  // western Tokyo, among ward and district points
        {40.7128, -74.0060, "New York City", "United States"},
        {51.5074, -0.1278, "London", "United Kingdom"},
        {46.9480, 7.4474, "Bern", "Switzerland"},
        {-33.8568, 151.2153, "Sydney", "Australia"},  // the Opera House
        {48.8049, 2.1204, "Versailles", "France"},    // a town of its own 17 km from Paris
    };
    for (const Case& c : cases) {
        Metadata m;
        m.numbers["gps_lat"] = c.lat;
        m.numbers["gps_lon"] = c.lon;
        const auto tags = tags_of(m);
        INFO(c.lat << ", " << c.lon << ": " << describe(tags));
        CHECK(names_in(tags, "place") == std::vector<std::string>{c.place});
        CHECK(names_in(tags, "country") == std::vector<std::string>{c.country});
        CHECK(find(tags, "place", c.place)->confidence == 1.0);  // inside the town's extent
    }
}

TEST_CASE("autotag: one instance tags from several threads at once", "[autotag]") {
    const Image scene = to_image(lbx::sample::make_scene(640, 480, 9));
    const Metadata m = paris_photo();
    const auto expected = tags_of(m, &scene);
    std::vector<std::vector<Tag>> results(4);
    {
        std::vector<std::thread> threads;
        for (auto& r : results) {
            threads.emplace_back([&] {
                for (int i = 0; i < 20; ++i) {
                    auto t = default_stage().tag(lbx::test::source_of(kNoBytes, "jpeg"), &scene, m);
                    if (t) r = std::move(*t);
                }
            });
        }
        for (auto& t : threads) t.join();
    }
    for (const auto& r : results) {
        REQUIRE(r.size() == expected.size());
        for (std::size_t i = 0; i < r.size(); ++i) {
            CHECK(r[i].name == expected[i].name);
            CHECK(r[i].confidence == expected[i].confidence);
        }
    }
}
