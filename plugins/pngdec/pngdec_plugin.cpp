// The built-in PNG decoder plugin: one stage, "pngdec", decoding with libpng.
// Declarations only; the work is in png_decoder.cpp.
#include "png_decoder.hpp"

#include <lightbox/plugin.hpp>

namespace {

const lbx_format_desc kFormats[] = {
    lbx::sdk::format("png", "image/png", "png", 0, "\x89PNG\r\n\x1A\n"),
};

const lbx_stage_desc kPngStage = lbx::sdk::make_stage<lbx::plugins::pngdec::PngDecoder>(
    "pngdec", "decodes PNG (every colour type and bit depth, interlaced) with libpng, alpha flattened over white",
    100, kFormats, {});

}  // namespace

LBX_PLUGIN("org.lightbox.pngdec", "PNG decoder", "1.0.0", "MIT",
           "decodes PNG images to RGB with libpng's simplified API, flattening transparency over white", &kPngStage)
