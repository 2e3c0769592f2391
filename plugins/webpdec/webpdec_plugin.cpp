// The built-in WebP decoder plugin: one stage, "webpdec", decoding with libwebp.
// Declarations only; the work is in webp_decoder.cpp.
#include "webp_decoder.hpp"

#include <lightbox/plugin.hpp>

namespace {

const lbx_format_desc kFormats[] = {
    lbx::sdk::format("webp", "image/webp", "webp", 8, "WEBP"),
};

const lbx_stage_desc kWebpStage = lbx::sdk::make_stage<lbx::plugins::webpdec::WebpDecoder>(
    "webpdec", "decodes WebP (lossy, lossless, alpha; the first frame of an animation) with libwebp", 100, kFormats,
    {});

}  // namespace

LBX_PLUGIN("org.lightbox.webpdec", "WebP decoder", "1.0.0", "MIT",
           "decodes WebP images to RGB with libwebp, scaled while decoding, alpha flattened over white", &kWebpStage)
