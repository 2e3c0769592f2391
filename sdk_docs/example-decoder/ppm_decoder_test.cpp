// Tests of the example-ppm stage with the SDK's stage harness (lightbox::stage_harness): no engine, no
// pipeline, the engine's own host checks. Plain main(), no test framework: any will do.
//
//   ctest --test-dir build     (or: build/ppm_decoder_test build/libppm_decoder.so)
#include <lightbox/stage_harness.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
    if (!ok) {
        std::fprintf(stderr, "FAILED: %s\n", what.c_str());
        ++failures;
    }
}

std::vector<uint8_t> ppm(const std::string& header, const std::vector<uint8_t>& raster) {
    std::vector<uint8_t> out(header.begin(), header.end());
    out.insert(out.end(), raster.begin(), raster.end());
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s PLUGIN_FILE\n", argv[0]);
        return 2;
    }
    auto stage = lbx::harness::StageHarness::open(argv[1], "example-ppm");
    if (!stage) {
        std::fprintf(stderr, "cannot open the stage: %s\n", stage.failure().message.c_str());
        return 1;
    }

    // 3x2, 8 bits: red, green, blue / white, black, grey; a comment in the header.
    const auto small = ppm("P6\n# made by a test\n3 2\n255\n",
                           {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128});
    auto image = stage->decode(small);
    check(bool(image), "decodes a 3x2 image: " + image.failure().message);
    if (image) {
        check(image->width == 3 && image->height == 2, "size 3x2");
        check(image->source_width == 3 && image->source_height == 2, "stored size 3x2");
        check(image->pixel(0, 0)[0] == 255 && image->pixel(0, 0)[1] == 0, "red at (0,0)");
        check(image->pixel(2, 0)[2] == 255 && image->pixel(2, 0)[0] == 0, "blue at (2,0)");
        check(image->pixel(2, 1)[1] == 128, "grey at (2,1)");
    }
    check(!stage->log().empty() && stage->log().back().level == LBX_LOG_DEBUG, "one debug line in the log");

    // 16 bits per sample, maxval 1000: 1000 is white, 500 mid grey.
    const auto deep = ppm("P6 1 1 1000\n", {0x03, 0xE8, 0x01, 0xF4, 0x00, 0x00});
    auto deep_image = stage->decode(deep);
    check(deep_image && deep_image->pixel(0, 0)[0] == 255 && deep_image->pixel(0, 0)[1] == 128 &&
              deep_image->pixel(0, 0)[2] == 0,
          "16-bit samples scaled to 8 bits");

    // Decode at the size asked: 8x4 with min_long_edge 4 gives every second pixel, 4x2.
    std::vector<uint8_t> raster(8 * 4 * 3, 7);
    auto reduced = stage->decode(ppm("P6\n8 4\n255\n", raster), 4);
    check(reduced && reduced->width == 4 && reduced->height == 2 && reduced->source_width == 8,
          "reduced to 4x2 for min_long_edge 4");

    // The negative corpus: each a clean status, no crash.
    auto code_of = [&](const std::vector<uint8_t>& bytes) {
        auto r = stage->decode(bytes);
        return r ? std::string("ok") : r.failure().code;
    };
    check(code_of({}) == "unsupported", "zero bytes");
    check(code_of(ppm("P5\n1 1\n255\n", {0})) == "unsupported", "greyscale P5 is not ours");
    check(code_of(ppm("P6\n3 2", {})) == "truncated", "header cut short");
    check(code_of(std::vector<uint8_t>(small.begin(), small.end() - 4)) == "truncated", "raster cut short");
    check(code_of(ppm("P6\n0 5\n255\n", {})) == "corrupt", "zero width");
    check(code_of(ppm("P6\n3 2\n70000\n", {})) == "corrupt", "maxval over 65535");
    check(code_of(ppm("P6\nx 2\n255\n", {})) == "corrupt", "letters in the header");
    // 60000x60000 claims 3.6 GP: refused by the host's pixel limit before any allocation.
    check(code_of(ppm("P6\n60000 60000\n255\n", {1, 2, 3})) == "too_large", "huge dimensions");

    // The stop check (plugin API 1.1): a stopped job ends the decode with "cancelled".
    stage->set_should_stop([] { return true; });
    check(code_of(small) == "cancelled", "stops when asked");

    if (failures == 0) std::puts("ok: example-ppm passes its harness tests");
    return failures == 0 ? 0 : 1;
}
