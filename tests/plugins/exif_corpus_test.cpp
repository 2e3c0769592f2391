// The "exif" stage against third-party files (../shared/corpus, see its README.md): the summary of every
// good/ file of a declared format is compared with exiftool's ground truth (truth/summary.tsv), field by
// field, and every bad/ file of a declared format must give a result or a clean error, never a crash.
// Skipped, with a message, when the corpus is absent.
#include "support/plugin_harness.hpp"
#include "support/test_files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using lbx::engine::Metadata;

// The formats the exif stage declares, sniffed here the way the pipeline sniffs them.
std::optional<std::string> sniff(const std::vector<uint8_t>& b) {
    auto at = [&](std::size_t offset, const char* magic, std::size_t n) {
        return b.size() >= offset + n && std::memcmp(b.data() + offset, magic, n) == 0;
    };
    if (at(0, "\xFF\xD8\xFF", 3)) return "jpeg";
    if (at(0, "\x89PNG\r\n\x1A\n", 8)) return "png";
    if (at(0, "II*\0", 4) || at(0, "MM\0*", 4)) return "tiff";
    if (at(8, "WEBP", 4)) return "webp";
    for (const char* brand : {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"}) {
        if (at(4, "ftyp", 4) && at(8, brand, 4)) return "heif";
    }
    for (const char* brand : {"avif", "avis"}) {
        if (at(4, "ftyp", 4) && at(8, brand, 4)) return "avif";
    }
    return std::nullopt;
}

std::vector<std::map<std::string, std::string>> read_tsv(const fs::path& path) {
    std::ifstream in(path);
    std::vector<std::map<std::string, std::string>> rows;
    std::string line;
    std::vector<std::string> header;
    auto split = [](const std::string& s) {
        std::vector<std::string> cells;
        std::stringstream ss(s);
        std::string cell;
        while (std::getline(ss, cell, '\t')) cells.push_back(cell);
        if (!s.empty() && s.back() == '\t') cells.emplace_back();
        return cells;
    };
    if (!std::getline(in, line)) return rows;
    header = split(line);
    while (std::getline(in, line)) {
        std::vector<std::string> cells = split(line);
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size(); ++i) row[header[i]] = i < cells.size() ? cells[i] : "";
        rows.push_back(std::move(row));
    }
    return rows;
}

// The numbers of an exiftool value: "200", "0.01666666667", or a list such as Nikon's ISO "0 200".
std::vector<double> numbers_of(const std::string& s) {
    std::vector<double> out;
    std::istringstream in(s);
    double v = 0;
    while (in >> v) out.push_back(v);
    return out;
}

// exiftool "2015:10:11 14:41:44" (or an XMP "2015-10-11T14:41:44...") -> "2015-10-11T14:41:44"; nothing
// for the zero and blank dates the stage leaves out by design.
std::optional<std::string> truth_date(const std::string& s) {
    if (s.size() < 19) return std::nullopt;
    std::string d = s.substr(0, 19);
    d[4] = '-';
    d[7] = '-';
    d[10] = 'T';
    if (d.compare(0, 4, "0000") == 0 || d[0] == ' ') return std::nullopt;
    return d;
}

// exiftool's Composite:SubSecDateTimeOriginal "2020:05:04 18:39:11.644-04:00" in the stage's ISO form.
std::optional<std::string> truth_full_date(const nlohmann::json& entry) {
    auto it = entry.find("Composite:SubSecDateTimeOriginal");
    if (it == entry.end() || !it->is_string()) return std::nullopt;
    std::string d = it->get<std::string>();
    if (d.size() < 19) return std::nullopt;
    d[4] = '-';
    d[7] = '-';
    d[10] = 'T';
    return d;
}

// exiftool.json (one object per good/ file, keyed "Group:Tag"), by SourceFile.
std::map<std::string, nlohmann::json> read_exiftool_json(const fs::path& path) {
    std::map<std::string, nlohmann::json> by_file;
    std::ifstream in(path);
    if (!in) return by_file;
    nlohmann::json all = nlohmann::json::parse(in, nullptr, false);
    if (!all.is_array()) return by_file;
    for (auto& entry : all) {
        if (!entry.is_object() || !entry.contains("SourceFile") || !entry["SourceFile"].is_string()) continue;
        std::string name = entry["SourceFile"].get<std::string>();
        by_file[name] = std::move(entry);
    }
    return by_file;
}

// Per-field tally: how often exiftool has a value, how often the stage agrees, and a few examples.
struct Tally {
    int compared = 0;
    int agreed = 0;
    int missing = 0;  // exiftool has it, the stage does not
    std::vector<std::string> examples;

    double rate() const { return compared == 0 ? 1.0 : static_cast<double>(agreed) / compared; }
};

class Comparison {
public:
    void text(const std::string& field, const std::string& file, std::optional<std::string> truth,
              std::optional<std::string> ours) {
        if (!truth || truth->empty()) return;
        record(field, file, *truth, ours, ours && *ours == *truth);
    }
    // Agreement when the stage's value is within tolerance of one of exiftool's numbers. With
    // `positive_only`, an exiftool value of 0 (ISO 0, FocalLength 0, Orientation 0, a JPEG height of 0
    // before its DNL marker) is no value: the stage leaves such fields out by design.
    void number(const std::string& field, const std::string& file, const std::string& truth_text,
                std::optional<double> ours, double rel_tol, double abs_tol, bool positive_only = true) {
        std::vector<double> truth = numbers_of(truth_text);
        if (positive_only) std::erase_if(truth, [](double v) { return v <= 0; });
        if (truth.empty()) return;
        bool ok = false;
        for (double t : truth) ok = ok || (ours && std::abs(*ours - t) <= std::max(abs_tol, rel_tol * std::abs(t)));
        std::optional<std::string> shown;
        if (ours) shown = std::to_string(*ours);
        record(field, file, truth_text, shown, ok);
    }
    const std::map<std::string, Tally>& tallies() const { return tallies_; }

private:
    void record(const std::string& field, const std::string& file, const std::string& truth,
                const std::optional<std::string>& ours, bool ok) {
        Tally& t = tallies_[field];
        ++t.compared;
        if (ok) {
            ++t.agreed;
            return;
        }
        if (!ours) ++t.missing;
        if (t.examples.size() < 5)
            t.examples.push_back(file + ": exiftool '" + truth + "', exif stage '" + (ours ? *ours : "<absent>") + "'");
    }

    std::map<std::string, Tally> tallies_;
};

std::string relative_name(const fs::path& p, const fs::path& base) { return fs::relative(p, base).generic_string(); }

}  // namespace

TEST_CASE("exif agrees with exiftool on the corpus", "[exif][corpus]") {
    const fs::path corpus = lbx::test::shared_corpus_dir();
    if (corpus.empty()) {
        WARN("corpus not found beside the checkout (../shared/corpus): skipped");
        return;
    }
    const fs::path truth_file = corpus / "truth" / "summary.tsv";
    if (!fs::exists(truth_file)) {
        WARN("no " << truth_file << ": skipped");
        return;
    }
    const std::map<std::string, nlohmann::json> exiftool = read_exiftool_json(corpus / "truth" / "exiftool.json");
    const lbx::engine::StageInstance stage = lbx::test::make_stage("exif");
    Comparison cmp;
    int read_ok = 0;
    int not_declared = 0;
    std::vector<std::string> failures;
    const auto start = std::chrono::steady_clock::now();

    for (const auto& row : read_tsv(truth_file)) {
        const fs::path file = corpus / row.at("path");
        if (!fs::exists(file)) continue;
        const std::vector<uint8_t> bytes = lbx::test::read_file(file);
        const std::optional<std::string> format = sniff(bytes);
        if (!format) {  // BigTIFF, MP4-branded HEIF (avci, j2ki, vvic, mif3 ...): not declared
            ++not_declared;
            continue;
        }
        Metadata m;
        auto status = stage.read_metadata(lbx::test::source_of(bytes, *format, file.string()), m);
        const std::string name = row.at("path");
        if (!status) {
            failures.push_back(name + ": " + status.error().code + ": " + status.error().message);
            continue;
        }
        ++read_ok;
        cmp.text("taken_at", name, truth_date(row.at("DateTimeOriginal")),
                 m.get_text(LBX_FIELD_TAKEN_AT) ? std::optional<std::string>(m.get_text(LBX_FIELD_TAKEN_AT)->substr(0, 19))
                                                : std::nullopt);
        if (auto json = exiftool.find(name); json != exiftool.end()) {
            // The whole date with sub-seconds and offset, and the signed altitude (metres).
            cmp.text("taken_at+subsec+offset", name, truth_full_date(json->second), m.get_text(LBX_FIELD_TAKEN_AT));
            auto alt = json->second.find("Composite:GPSAltitude");
            if (alt != json->second.end() && alt->is_number()) {
                cmp.number("gps_alt", name, std::to_string(alt->get<double>()), m.get_number(LBX_FIELD_GPS_ALT), 0,
                           1e-3, false);
            }
        }
        cmp.text("make", name, row.at("Make"), m.get_text(LBX_FIELD_MAKE));
        cmp.text("model", name, row.at("Model"), m.get_text(LBX_FIELD_MODEL));
        cmp.text("lens", name, row.at("LensModel"), m.get_text(LBX_FIELD_LENS));
        cmp.number("iso", name, row.at("ISO"), m.get_number(LBX_FIELD_ISO), 0, 0.5);
        cmp.number("f_number", name, row.at("FNumber"), m.get_number(LBX_FIELD_F_NUMBER), 1e-6, 0);
        cmp.number("exposure_time", name, row.at("ExposureTime"), m.get_number(LBX_FIELD_EXPOSURE_TIME), 1e-6, 0);
        cmp.number("focal_length", name, row.at("FocalLength"), m.get_number(LBX_FIELD_FOCAL_LENGTH), 1e-6, 0);
        cmp.number("orientation", name, row.at("orientation"), m.get_number(LBX_FIELD_ORIENTATION), 0, 0);
        cmp.number("gps_lat", name, row.at("GPSLatitude"), m.get_number(LBX_FIELD_GPS_LAT), 0, 1e-4, false);
        cmp.number("gps_lon", name, row.at("GPSLongitude"), m.get_number(LBX_FIELD_GPS_LON), 0, 1e-4, false);
        cmp.number("width", name, row.at("width"), m.get_number(LBX_FIELD_WIDTH), 0, 0);
        cmp.number("height", name, row.at("height"), m.get_number(LBX_FIELD_HEIGHT), 0, 0);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::ostringstream report;
    report << "exif vs exiftool: " << read_ok << " files read, " << failures.size() << " failed, " << not_declared
           << " not of a declared format, " << seconds << " s\n";
    for (const auto& f : failures) report << "  failed: " << f << "\n";
    for (const auto& [field, t] : cmp.tallies()) {
        report << "  " << field << ": " << t.agreed << "/" << t.compared << " agree (" << t.rate() * 100 << "%), "
               << t.missing << " absent here\n";
        for (const auto& e : t.examples) report << "      " << e << "\n";
    }
    WARN(report.str());

    // No good/ file may fail. (Exiv2 0.27.6 gives up on the Samsung S24 FE HEIC over its ICC profile;
    // the stage then reads its Exif item itself.)
    INFO("failed: " << failures.size() << (failures.empty() ? "" : ", first: " + failures.front()));
    CHECK(failures.empty());

    // Minimum agreement per field, over the files where exiftool has a value. What is left is what
    // Exiv2 0.27 does not read at all (measured: 701 files read, 17 of undeclared formats skipped):
    //   taken_at 204/209: FLIR and Reconyx APP segments, a Canon CIFF JPEG (sony-powershota5.jpg) and
    //     Olympus "PictureInfo" text (olympus-d320l.jpg); the same two files miss make, model,
    //     exposure, f-number and focal length.
    //   iso 172/175: a Kodak ProBack (its ISO is in a Kodak IFD Exiv2 does not read), a Kodak DC240
    //     whose ISO is exiftool's "65535" (unknown: left out by design) and a Canon IXUS 40 note whose
    //     shot-info array Exiv2 decodes at other offsets than exiftool. Kodak's binary notes and notes in
    //     the other byte order than their Exif are read since maker_note.cpp (168/175 before).
    //   orientation 282/284: two files with Orientation only in IFD1 (the thumbnail) or IFD2+ (later
    //     pages), which say nothing about the main image.
    //   width/height 699/701: beach.jpg (height 0 until its DNL marker: left out) and an msf1 sequence
    //     without 'meta' (its size is in the track header).
    //   lens 29/29: the two maker notes Exiv2 did not decode (little-endian Canon and Olympus notes in
    //     big-endian Exif, one of them moved) are decoded again by maker_note.cpp (27/29 before).
    // GPS and the full date with sub-seconds and offset agree everywhere.
    const std::map<std::string, double> required = {
        {"taken_at", 0.97},      {"taken_at+subsec+offset", 1.0}, {"make", 0.99},      {"model", 0.99},
        {"lens", 0.97},          {"iso", 0.97},                   {"f_number", 0.99},  {"exposure_time", 0.99},
        {"focal_length", 0.99},  {"orientation", 0.98},           {"gps_lat", 1.0},    {"gps_lon", 1.0},
        {"gps_alt", 1.0},        {"width", 0.99},                 {"height", 0.99},
    };
    for (const auto& [field, minimum] : required) {
        auto it = cmp.tallies().find(field);
        REQUIRE(it != cmp.tallies().end());
        INFO(field << ": " << it->second.agreed << "/" << it->second.compared);
        CHECK(it->second.rate() >= minimum);
    }
    CHECK(read_ok >= 700);
}

TEST_CASE("exif never crashes on the corpus's bad files", "[exif][corpus]") {
    const fs::path corpus = lbx::test::shared_corpus_dir();
    if (corpus.empty() || !fs::is_directory(corpus / "bad")) {
        WARN("corpus not found beside the checkout (../shared/corpus): skipped");
        return;
    }
    // The README lists these as crashing or hanging the system Exiv2 0.27.6. They are QuickTime files
    // ("ftypqt  ") that the stage never hands to Exiv2 anyway; they are skipped so that a regression in
    // the sniffing cannot take the test run down with them.
    const std::set<std::string> exiv2_killers = {"issue_2376_poc.mp4", "issue_2383_poc.mp4", "issue_2393_poc.mp4",
                                                 "issue_ghsa_crmj_qh74_2r36_poc.mov"};
    const lbx::engine::StageInstance stage = lbx::test::make_stage("exif");
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(corpus / "bad")) {
        if (e.is_regular_file() && !exiv2_killers.count(e.path().filename().string())) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());

    std::map<std::string, int> outcomes;  // "jpeg ok", "png corrupt", ...
    std::vector<std::string> unclean;
    std::vector<std::string> slow;
    for (const fs::path& file : files) {
        const std::vector<uint8_t> bytes = lbx::test::read_file(file);
        const std::optional<std::string> format = sniff(bytes);
        if (!format) continue;
        Metadata m;
        const auto start = std::chrono::steady_clock::now();
        auto status = stage.read_metadata(lbx::test::source_of(bytes, *format, file.string()), m);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (seconds > 2) slow.push_back(relative_name(file, corpus) + " (" + std::to_string(seconds) + " s)");
        const std::string code = status ? "ok" : status.error().code;
        ++outcomes[*format + " " + code];
        if (!status && (status.error().message.empty() || code == "internal" || code == "unknown"))
            unclean.push_back(relative_name(file, corpus) + ": " + code + ": " + status.error().message);
    }
    std::ostringstream report;
    report << "exif on corpus/bad:";
    for (const auto& [k, n] : outcomes) report << " " << k << "=" << n;
    WARN(report.str());
    INFO("unclean errors: " << unclean.size() << (unclean.empty() ? "" : ", first: " + unclean.front()));
    CHECK(unclean.empty());
    INFO("slow files: " << slow.size() << (slow.empty() ? "" : ", first: " + slow.front()));
    CHECK(slow.empty());
}
