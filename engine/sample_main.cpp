// lightbox-engine-sample: writes generated photos for `lightbox-engine sample` and `lightbox-engine plugins
// check`, which start it (engine/cli/sample_program.hpp):
//
//   lightbox-engine-sample set DIR                                  the sample photo set; prints each file
//   lightbox-engine-sample check-inputs DIR images                  odd images for tag and thumbnail stages
//   lightbox-engine-sample check-inputs DIR format NAME OFFSET HEX  hostile files for one format's readers
//
// check-inputs writes DIR/input-1, input-2... and DIR/inputs.tsv, one line per file: its name, a tab, what
// it is. Why a program of its own: the encoders need libheif (with its HEVC and AV1 codecs), Exiv2, libpng,
// libtiff and libwebp, whose loading and static initialisers took 5 of the 10 ms every lightbox-engine start
// cost (a metadata-only run of 1,000 photos takes about 80 ms); only these two commands need them.
// Exit status: 0 written, 1 a file could not be encoded or written, 2 a wrong command line.
#include "sample/check_inputs.hpp"
#include "sample/sample_set.hpp"

#include <charconv>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2;

int usage(const char* problem) {
    std::fprintf(stderr,
                 "lightbox-engine-sample: %s\n"
                 "usage: lightbox-engine-sample set DIR\n"
                 "       lightbox-engine-sample check-inputs DIR images\n"
                 "       lightbox-engine-sample check-inputs DIR format NAME MAGIC_OFFSET MAGIC_HEX\n"
                 "(started by lightbox-engine sample and lightbox-engine plugins check)\n",
                 problem);
    return kExitUsage;
}

bool parse_hex(std::string_view text, std::vector<uint8_t>& out) {
    if (text.size() % 2 != 0) return false;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        uint8_t byte = 0;
        const auto [end, error] = std::from_chars(text.data() + i, text.data() + i + 2, byte, 16);
        if (error != std::errc() || end != text.data() + i + 2) return false;
        out.push_back(byte);
    }
    return true;
}

void write_inputs(const std::filesystem::path& dir, const std::vector<lbx::sample::CheckInput>& inputs) {
    std::filesystem::create_directories(dir);
    std::ofstream index(dir / "inputs.tsv", std::ios::binary);
    int n = 0;
    for (const lbx::sample::CheckInput& in : inputs) {
        const std::string file = "input-" + std::to_string(++n);
        std::ofstream out(dir / file, std::ios::binary);
        out.write(reinterpret_cast<const char*>(in.bytes.data()), static_cast<std::streamsize>(in.bytes.size()));
        if (!out.flush()) throw std::runtime_error("cannot write " + (dir / file).string());
        index << file << '\t' << in.name << '\n';
    }
    if (!index.flush()) throw std::runtime_error("cannot write " + (dir / "inputs.tsv").string());
}

int write_set(const std::string& dir) {
    try {
        const auto files = lbx::sample::write_sample_set(dir);
        for (const auto& f : files) std::printf("%s\n", f.c_str());
        std::fprintf(stderr, "wrote %zu sample photos to %s\n", files.size(), dir.c_str());
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lightbox-engine: cannot write the sample set to '%s': %s\n", dir.c_str(), e.what());
        return kExitFailed;
    }
}

int write_check_inputs(int argc, char** argv) {
    if (argc < 4) return usage("check-inputs needs a folder and 'images' or 'format'");
    const std::string dir = argv[2], what = argv[3];
    std::vector<lbx::sample::CheckInput> inputs;
    try {
        if (what == "images" && argc == 4) {
            inputs = lbx::sample::image_inputs();
        } else if (what == "format" && argc == 7) {
            lbx::sample::FormatSignature format{argv[4], 0, {}};
            const std::string_view offset = argv[5];
            const auto [end, error] = std::from_chars(offset.data(), offset.data() + offset.size(), format.magic_offset);
            if (error != std::errc() || end != offset.data() + offset.size()) return usage("MAGIC_OFFSET is not a number");
            if (!parse_hex(argv[6], format.magic)) return usage("MAGIC_HEX is not an even number of hex digits");
            inputs = lbx::sample::inputs_for_format(format);
        } else {
            return usage("check-inputs takes 'images', or 'format' with NAME MAGIC_OFFSET MAGIC_HEX");
        }
        write_inputs(dir, inputs);
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lightbox-engine-sample: cannot write check inputs to '%s': %s\n", dir.c_str(), e.what());
        return kExitFailed;
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::string_view command = argc > 1 ? argv[1] : "";
    if (command == "set") return argc == 3 ? write_set(argv[2]) : usage("set takes one folder");
    if (command == "check-inputs") return write_check_inputs(argc, argv);
    return usage("the first argument must be 'set' or 'check-inputs'");
}
