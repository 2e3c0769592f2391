// People end to end with the real models (scripts/fetch-models.sh into the build tree) and a real photo
// of faces: the same person in several photos becomes one person, another person another one; names,
// merges and removed faces survive a rescan and a re-analysis (the regions rewritten); and through the
// service (`serve --analysis on`): ListPersons, RenamePerson, MergePersons, RemoveFace, GetPhoto's
// persons, person: queries, the people facet, lightbox-ctl, and clear errors for hostile input.
//
// The photos: Debian's darknet photos have no usable human face (person.jpg shows a man from behind,
// scream.jpg a painting: the faces stage finds none), so the test makes its photos from the corpus photo
// Canon_EOS_D60.jpg (kayak polo players, labelled in bench/analysis/corpus_labels.tsv): the photo
// itself, crops around its front player (mirrored, halved and brightened), a crop around the player
// behind him and one around a third player. Without ../shared/corpus it is skipped with a warning, as
// analysis_test.cpp skips its corpus case.
#include "catalog/catalog.hpp"
#include "catalog/catalog_query.hpp"
#include "catalog/people.hpp"
#include "plugins/stage_io.hpp"
#include "sample/image_encoders.hpp"
#include "sample/rgb_image.hpp"
#include "support/child_process.hpp"
#include "support/plugin_harness.hpp"
#include "support/served_engine.hpp"
#include "support/test_files.hpp"

#include <lightbox/ipc/client.hpp>
#include <lightbox/ipc/error_codes.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <thread>

using namespace lbx;
using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kModels = fs::path(LIGHTBOX_TEST_DATA_DIR) / "models";
constexpr char kVision[] = "org.lightbox.vision";

// The corpus photo, or empty (with a warning) when the corpus is absent.
fs::path face_photo() {
    INFO("the models are fetched by scripts/fetch-models.sh " << kModels.string() << " (scripts/test.sh runs it)");
    REQUIRE(fs::exists(kModels / "faces" / "face_detection_back_256x256_barracuda.onnx"));
    REQUIRE(fs::exists(kModels / "identity" / "face_embedding.onnx"));
    const fs::path corpus = test::shared_corpus_dir();
    if (corpus.empty()) return {};
    return corpus / "good" / "drewnoakes-metadata-extractor-images" / "jpg" / "Canon_EOS_D60.jpg";
}

sample::RgbImage crop(const sample::RgbImage& in, uint32_t x, uint32_t y, uint32_t w, uint32_t h) {
    sample::RgbImage out(w, h);
    for (uint32_t j = 0; j < h; ++j)
        std::copy_n(in.pixels.data() + (std::size_t(y + j) * in.width + x) * 3, std::size_t(w) * 3, out.pixels.data() + std::size_t(j) * w * 3);
    return out;
}

sample::RgbImage mirror(const sample::RgbImage& in) {
    sample::RgbImage out(in.width, in.height);
    for (uint32_t y = 0; y < in.height; ++y)
        for (uint32_t x = 0; x < in.width; ++x) out.set(in.width - 1 - x, y, in.at(x, y));
    return out;
}

// Bilinear: halving and doubling keep faces recognisable.
sample::RgbImage resize(const sample::RgbImage& in, double factor) {
    const auto w = static_cast<uint32_t>(in.width * factor), h = static_cast<uint32_t>(in.height * factor);
    sample::RgbImage out(w, h);
    for (uint32_t y = 0; y < h; ++y) {
        const double sy = std::min((y + 0.5) / factor - 0.5, in.height - 1.0);
        const auto y0 = static_cast<uint32_t>(std::max(sy, 0.0)), y1 = std::min(y0 + 1, in.height - 1);
        const double fy = std::max(sy, 0.0) - y0;
        for (uint32_t x = 0; x < w; ++x) {
            const double sx = std::min((x + 0.5) / factor - 0.5, in.width - 1.0);
            const auto x0 = static_cast<uint32_t>(std::max(sx, 0.0)), x1 = std::min(x0 + 1, in.width - 1);
            const double fx = std::max(sx, 0.0) - x0;
            auto mix = [&](auto channel) {
                const double top = channel(in.at(x0, y0)) * (1 - fx) + channel(in.at(x1, y0)) * fx;
                const double bottom = channel(in.at(x0, y1)) * (1 - fx) + channel(in.at(x1, y1)) * fx;
                return static_cast<uint8_t>(top * (1 - fy) + bottom * fy + 0.5);
            };
            out.set(x, y, {mix([](sample::Rgb c) { return c.r; }), mix([](sample::Rgb c) { return c.g; }),
                           mix([](sample::Rgb c) { return c.b; })});
        }
    }
    return out;
}

sample::RgbImage brighten(sample::RgbImage image, double factor) {
    for (uint8_t& v : image.pixels) v = static_cast<uint8_t>(std::min(255.0, v * factor));
    return image;
}

// The photos, by file name; "a-" ones show the front player, "b-" the one behind him, "c-" a third.
// whole.jpg shows both of the first two (the second too turned away to be grouped: quality < 0.3).
const std::vector<std::string> kAnna{"whole.jpg", "a-crop.jpg", "a-mirror.jpg", "a-small-bright.jpg"};

void write_photos(const fs::path& source, const fs::path& dir) {
    fs::create_directories(dir);
    const sample::RgbImage photo = test::decode_jpeg(source);  // 1772x1181
    REQUIRE(photo.width == 1772);
    const sample::RgbImage front = crop(photo, 150, 120, 620, 830);
    const std::map<std::string, sample::RgbImage> photos{
        {"whole.jpg", photo},
        {"a-crop.jpg", front},
        {"a-mirror.jpg", mirror(front)},
        {"a-small-bright.jpg", brighten(resize(front, 0.5), 1.25)},
        {"b-crop.jpg", resize(crop(photo, 680, 0, 400, 400), 2.0)},
        {"c-crop.jpg", resize(crop(photo, 1072, 0, 700, 500), 2.0)},
    };
    for (const auto& [name, image] : photos) test::write_file(dir / name, sample::encode_jpeg(image, 92));
}

struct Face {
    std::string hash;
    int64_t index = -1;  // among the vision plugin's regions
    double quality = 0;
};

// The best face of each photo, by file name.
std::map<std::string, Face> best_faces(engine::catalog::Catalog& catalog) {
    auto rows = engine::catalog::run_query(catalog, "");
    REQUIRE(rows);
    std::map<std::string, Face> out;
    for (const auto& row : *rows) {
        auto details = catalog.photo(row.hash);
        REQUIRE(details);
        REQUIRE(details->has_value());
        Face best{row.hash};
        int64_t index = 0;
        for (const engine::Region& g : (**details).regions) {
            if (g.source != kVision) continue;
            if (g.kind == "face" && !g.embedding.empty() && g.quality > best.quality) best = {row.hash, index, g.quality};
            ++index;
        }
        out[fs::path(row.path).filename().string()] = best;
    }
    return out;
}

// The person of a face (0: none, -1: taken out by the user).
int64_t person_of(engine::catalog::Catalog& catalog, const Face& face) {
    auto stmt = catalog.database().prepare("SELECT person_id FROM face_persons WHERE hash = ?1 AND source = ?2 AND idx = ?3");
    REQUIRE(stmt);
    auto row = stmt->bind({face.hash, std::string(kVision), face.index}).step();
    REQUIRE(row);
    if (!*row) return 0;
    return stmt->column_is_null(0) ? -1 : stmt->column_int(0);
}

std::set<std::string> names_found(const std::string& catalog, const std::string& query) {
    const test::ProcessResult r = test::run_engine({"query", "--catalog", catalog, query});
    INFO(query << ": " << r.err);
    REQUIRE(r.exit_code == 0);
    std::set<std::string> names;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) names.insert(fs::path(line.substr(0, line.find("  "))).filename().string());
    return names;
}

}  // namespace

TEST_CASE("the same face in several photos is one person, and names, merges and removals survive rescans", "[analysis][people]") {
    const fs::path source = face_photo();
    if (source.empty()) {
        WARN("../shared/corpus is absent: the real-face people check is skipped (darknet's photos show no usable face)");
        return;
    }
    test::TempDir dir;
    write_photos(source, dir / "photos");
    const std::string library = (dir / "library.lbx").string();
    const auto run = [&] {
        const test::ProcessResult r = test::run_engine({"run", "--no-progress", "--analysis", "on", "--sizes", "256", "--thumbs",
                                                        (dir / "thumbs").string(), "--catalog", library, (dir / "photos").string()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return r.err;
    };
    CHECK(run().find("faces grouped") != std::string::npos);

    int64_t anna = 0, bea = 0, carl = 0;
    std::map<std::string, Face> faces;
    {
        auto opened = engine::catalog::Catalog::open(library);
        REQUIRE(opened);
        engine::catalog::Catalog& catalog = **opened;
        faces = best_faces(catalog);
        for (const auto& [name, face] : faces) {
            INFO(name << " face " << face.index << " quality " << face.quality);
            CHECK(face.quality >= engine::catalog::kMinFaceQuality);
        }
        anna = person_of(catalog, faces["whole.jpg"]);
        CHECK(anna > 0);
        for (const std::string& name : kAnna) {
            INFO(name);
            CHECK(person_of(catalog, faces[name]) == anna);
        }
        bea = person_of(catalog, faces["b-crop.jpg"]);
        carl = person_of(catalog, faces["c-crop.jpg"]);
        CHECK(bea > 0);
        CHECK(carl > 0);
        CHECK(bea != anna);
        CHECK(carl != anna);
        CHECK(carl != bea);
        auto list = engine::catalog::list_persons(catalog, 0, -1);
        REQUIRE(list);
        REQUIRE_FALSE(list->empty());
        CHECK(list->front().id == anna);  // most faces first
        CHECK(list->front().faces == 4);

        // The user names two, says the third is the second, and that one face is not Anna.
        REQUIRE(engine::catalog::rename_person(catalog, anna, "Anna"));
        REQUIRE(engine::catalog::rename_person(catalog, bea, "Bea"));
        REQUIRE(engine::catalog::merge_persons(catalog, carl, bea));
        REQUIRE(engine::catalog::remove_face(catalog, faces["a-small-bright.jpg"].hash, kVision, faces["a-small-bright.jpg"].index));
    }
    const std::set<std::string> annas{"whole.jpg", "a-crop.jpg", "a-mirror.jpg"};
    const std::set<std::string> beas{"b-crop.jpg", "c-crop.jpg"};
    CHECK(names_found(library, "person:anna") == annas);
    CHECK(names_found(library, "person:\"BEA\"") == beas);
    CHECK(names_found(library, "person:#" + std::to_string(anna)) == annas);
    {  // The photo record names them: "people", and "person" on the face (sdk_docs/run-json.md).
        const test::ProcessResult r =
            test::run_engine({"query", "--catalog", library, "--fields", "path,people,regions", "person:anna OR person:bea"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        std::map<std::string, json> records;
        std::istringstream lines(r.out);
        for (std::string line; std::getline(lines, line);) {
            const json record = json::parse(line);
            records[fs::path(record.at("path").get<std::string>()).filename().string()] = record;
        }
        REQUIRE(records.size() == annas.size() + beas.size());
        for (const auto& [name, record] : records) {
            INFO(name);
            const std::string person = annas.count(name) ? "Anna" : "Bea";
            CHECK(std::count(record.at("people").begin(), record.at("people").end(), json(person)) == 1);
            CHECK(std::any_of(record.at("regions").begin(), record.at("regions").end(),
                              [&](const json& g) { return g.at("kind") == "face" && g.value("person", "") == person; }));
        }
    }

    const auto check_kept = [&](const std::string& when) {
        INFO(when);
        auto opened = engine::catalog::Catalog::open(library);
        REQUIRE(opened);
        engine::catalog::Catalog& catalog = **opened;
        const auto now = best_faces(catalog);
        for (const std::string& name : annas) CHECK(person_of(catalog, now.at(name)) == anna);
        CHECK(person_of(catalog, now.at("a-small-bright.jpg")) == -1);
        CHECK(person_of(catalog, now.at("b-crop.jpg")) == bea);
        CHECK(person_of(catalog, now.at("c-crop.jpg")) == bea);
        auto list = engine::catalog::list_persons(catalog, 0, -1);
        REQUIRE(list);
        std::map<std::string, int64_t> faces_by_name;
        for (const auto& p : *list)
            if (!p.name.empty()) faces_by_name[p.name] += p.faces;
        CHECK(faces_by_name == std::map<std::string, int64_t>{{"Anna", 3}, {"Bea", 2}});
        CHECK(names_found(library, "person:anna") == annas);
        CHECK(names_found(library, "bea") == beas);
    };

    // A rescan that reads nothing (the files are unchanged).
    run();
    check_kept("after a rescan");

    // A newer vision plugin: the ledger says every photo was analysed by another version, so the next run
    // analyses them again and rewrites their regions.
    {
        auto opened = engine::catalog::Catalog::open(library);
        REQUIRE(opened);
        REQUIRE((*opened)->database().exec("UPDATE analyses SET plugin_version = '0.0.1' WHERE plugin = 'org.lightbox.vision'"));
        REQUIRE((*opened)->database().exec("UPDATE regions SET confidence = -1"));  // to see the rows rewritten
    }
    const std::string again = run();
    CHECK(again.find("analysing 6 photos") != std::string::npos);
    {
        auto opened = engine::catalog::Catalog::open(library);
        REQUIRE(opened);
        CHECK((*opened)->database().query_int("SELECT count(*) FROM regions WHERE confidence < 0").value() == 0);
        CHECK((*opened)->database().query_int("SELECT count(*) FROM analyses WHERE plugin_version = '0.0.1'").value() == 0);
    }
    check_kept("after a re-analysis");
}

namespace {

// Until the analysis phase is over: an analysis job completed, none running, nothing left to analyse.
void wait_for_analysis(ipc::Client& client) {
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    for (;;) {
        auto analysis = client.call(ipc::GetAnalysis{});
        REQUIRE(analysis);
        REQUIRE(analysis->enabled);
        auto jobs = client.call(ipc::ListJobs{});
        REQUIRE(jobs);
        bool running = false, analysed = false;
        for (const auto& job : jobs->jobs) {
            running = running || !ipc::is_final(job.progress.state);
            analysed = analysed || (job.progress.kind == ipc::JobKind::analysis && job.progress.state == ipc::JobState::completed);
        }
        if (analysed && !running && analysis->pending == 0) return;
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(50ms);  // polling interval
    }
}

ipc::Error error_of(const ipc::Expected<ipc::PersonReply>& reply) {
    REQUIRE_FALSE(reply);
    return reply.error();
}

}  // namespace

TEST_CASE("the service groups faces as it analyses, and persons are listed, named, merged and corrected", "[analysis][people][service]") {
    const fs::path source = face_photo();
    if (source.empty()) {
        WARN("../shared/corpus is absent: the real-face people check of the service is skipped");
        return;
    }
    test::TempDir dir;
    write_photos(source, dir / "photos");
    test::ServedEngine engine({"--catalog", (dir / "library.lbx").string(), "--analysis", "on", "--jobs", "2"});
    zmq::context_t context;
    ipc::Client client(context, engine.client_options(10s));
    auto started = client.call(ipc::StartScan{{(dir / "photos").string()}, "", {}, ""});
    REQUIRE(started);
    wait_for_analysis(client);

    auto list = client.call(ipc::ListPersons{0, 0});
    REQUIRE(list);
    REQUIRE(list->total >= 3);
    REQUIRE(list->persons.size() == list->total);
    const ipc::Person first = list->persons.front();
    CHECK(first.faces == 4);  // the front player, in four photos
    CHECK(first.photos == 4);
    CHECK(first.name.empty());
    CHECK_FALSE(first.cover_photo_id.empty());
    CHECK(first.cover_width > 0);
    auto paged = client.call(ipc::ListPersons{1, 1});
    REQUIRE(paged);
    REQUIRE(paged->persons.size() == 1);
    CHECK(paged->persons.front() == list->persons[1]);
    CHECK(paged->total == list->total);
    CHECK(client.call(ipc::ListPersons{1'000'000, 10}).value().persons.empty());

    auto renamed = client.call(ipc::RenamePerson{first.id, "  Anna  "});
    REQUIRE(renamed);
    CHECK(renamed->person.name == "Anna");
    CHECK(renamed->person.faces == 4);

    // GetPhoto names the person of the cover face.
    auto photo = client.call(ipc::GetPhoto{first.cover_photo_id});
    REQUIRE(photo);
    bool named = false;
    for (const auto& g : photo->photo.regions)
        if (g.kind == "face" && g.person_id == first.id) named = g.person_name == "Anna";
    CHECK(named);

    auto found = client.call(ipc::Query{"person:\"anna\"", ipc::QuerySort::path, false, 0, 0});
    REQUIRE(found);
    CHECK(found->total == 4);
    CHECK(client.call(ipc::Query{"anna", ipc::QuerySort::path, false, 0, 0}).value().total == 4);
    auto facets = client.call(ipc::Facets{"", 0});
    REQUIRE(facets);
    REQUIRE(facets->people.size() == 1);
    CHECK(facets->people.front().value == "Anna");
    CHECK(facets->people.front().count == 4);

    // Merge the next two persons; take one of Anna's faces out.
    const ipc::Person second = list->persons[1], third = list->persons[2];
    auto merged = client.call(ipc::MergePersons{third.id, second.id});
    REQUIRE(merged);
    CHECK(merged->person.id == second.id);
    CHECK(merged->person.faces == second.faces + third.faces);
    CHECK(client.call(ipc::ListPersons{0, 0}).value().total == list->total - 1);
    uint32_t index = 0;
    for (const auto& g : photo->photo.regions)
        if (g.person_id == first.id) index = g.index;
    auto removed = client.call(ipc::RemoveFace{first.cover_photo_id, kVision, index});
    REQUIRE(removed);
    CHECK(removed->person.id == first.id);
    CHECK(removed->person.faces == 3);
    CHECK(client.call(ipc::Query{"person:anna", ipc::QuerySort::path, false, 0, 0}).value().total == 3);
    auto after = client.call(ipc::GetPhoto{first.cover_photo_id});
    REQUIRE(after);
    for (const auto& g : after->photo.regions)
        if (g.index == index && g.source == kVision) CHECK(g.person_id == 0);

    // Hostile or mistaken requests: clear errors, and the engine answers on.
    auto check = [](const ipc::Error& e, ipc::Status status, const std::string& code) {
        INFO(e.message);
        CHECK(e.status == status);
        CHECK(e.code == code);
        CHECK(e.message.size() < 300);
    };
    check(error_of(client.call(ipc::RenamePerson{987654, "Nobody"})), ipc::Status::not_found, ipc::codes::kNoSuchPerson);
    check(error_of(client.call(ipc::RenamePerson{UINT64_MAX, "Nobody"})), ipc::Status::not_found, ipc::codes::kNoSuchPerson);
    check(error_of(client.call(ipc::RenamePerson{first.id, std::string(1'000'000, 'x')})), ipc::Status::bad_request, ipc::codes::kBadName);
    check(error_of(client.call(ipc::RenamePerson{first.id, "Anna\n; DROP TABLE persons"})), ipc::Status::bad_request, ipc::codes::kBadName);
    check(error_of(client.call(ipc::MergePersons{first.id, first.id})), ipc::Status::bad_request, ipc::codes::kSamePerson);
    check(error_of(client.call(ipc::MergePersons{third.id, second.id})), ipc::Status::not_found, ipc::codes::kNoSuchPerson);
    check(error_of(client.call(ipc::MergePersons{first.id, 0})), ipc::Status::not_found, ipc::codes::kNoSuchPerson);
    check(error_of(client.call(ipc::RemoveFace{first.cover_photo_id, kVision, index})), ipc::Status::not_found, ipc::codes::kNoPerson);
    check(error_of(client.call(ipc::RemoveFace{std::string(100'000, 'f'), kVision, 0})), ipc::Status::not_found, ipc::codes::kNoSuchFace);
    check(error_of(client.call(ipc::RemoveFace{first.cover_photo_id, kVision, 4'000'000'000u})), ipc::Status::not_found,
          ipc::codes::kNoSuchFace);
    CHECK(client.call(ipc::RenamePerson{first.id, "Anna"}).value().person.name == "Anna");  // still there, still answering

    // lightbox-ctl speaks the same.
    const test::ProcessResult listed = test::run_ctl({"--endpoint", engine.command_endpoint(), "--json", "persons", "--limit", "1"});
    INFO(listed.err);
    REQUIRE(listed.exit_code == 0);
    const json persons = json::parse(listed.out);
    REQUIRE(persons.at("persons").size() == 1);
    CHECK(persons.at("persons")[0].at("name") == "Anna");
    const test::ProcessResult ctl_rename =
        test::run_ctl({"--endpoint", engine.command_endpoint(), "person-rename", std::to_string(second.id), "Bea"});
    CHECK(ctl_rename.exit_code == 0);
    CHECK(ctl_rename.out.find("Bea") != std::string::npos);
    // The photo record of lightbox-ctl query names the people (GetPhoto per photo for "people").
    const test::ProcessResult ctl_people =
        test::run_ctl({"--endpoint", engine.command_endpoint(), "query", "--fields", "hash,people", "person:bea"});
    INFO(ctl_people.err);
    REQUIRE(ctl_people.exit_code == 0);
    std::istringstream people_lines(ctl_people.out);
    int with_bea = 0;
    for (std::string line; std::getline(people_lines, line);) {
        const json people = json::parse(line).at("people");
        with_bea += std::count(people.begin(), people.end(), json("Bea")) == 1;
    }
    CHECK(with_bea >= 1);
    const test::ProcessResult ctl_merge =
        test::run_ctl({"--endpoint", engine.command_endpoint(), "person-merge", std::to_string(second.id), std::to_string(second.id)});
    CHECK(ctl_merge.exit_code == 1);
    CHECK(ctl_merge.err.find("itself") != std::string::npos);
    const test::ProcessResult ctl_remove =
        test::run_ctl({"--endpoint", engine.command_endpoint(), "face-remove", first.cover_photo_id, kVision, "99"});
    CHECK(ctl_remove.exit_code == 1);
    CHECK(ctl_remove.err.find("no face 99") != std::string::npos);
}
