// The built-in HEIF/AVIF decoder plugin: one stage, "heifdec", decoding with libheif.
// Declarations only; the work is in heif_decoder.cpp.
#include "heif_decoder.hpp"

#include <lightbox/plugin.hpp>

namespace {

using lbx::sdk::format;

// ISO-BMFF brands libheif reads: "ftyp<brand>" at offset 4.
const lbx_format_desc kFormats[] = {
    format("heif", "image/heic", "heic,heif,hif", 4, "ftypheic"),
    format("heif", "image/heic", "heic,heif,hif", 4, "ftypheix"),
    format("heif", "image/heic-sequence", "heic,heif,hif", 4, "ftyphevc"),
    format("heif", "image/heic-sequence", "heic,heif,hif", 4, "ftyphevx"),
    format("heif", "image/heic", "heic,heif,hif", 4, "ftypheim"),
    format("heif", "image/heic", "heic,heif,hif", 4, "ftypheis"),
    format("heif", "image/heif", "heic,heif,hif", 4, "ftypmif1"),
    format("heif", "image/heif-sequence", "heic,heif,hif", 4, "ftypmsf1"),
    format("avif", "image/avif", "avif", 4, "ftypavif"),
    format("avif", "image/avif-sequence", "avif", 4, "ftypavis"),
};

const lbx_param_desc kParams[] = {
    lbx::sdk::param_int("tile_threads", "0", 0, 64,
                        "libheif threads for the tiles of one grid image (iPhone photos are 512x512 tiles); 0 "
                        "decodes them in the calling thread. The engine already decodes several photos at once"),
    lbx::sdk::param_int("max_side", "65535", 1024, 1048576,
                        "libheif's own safety limit: files with an image wider or taller than this are refused"),
};

const lbx_stage_desc kHeifStage = lbx::sdk::make_stage<lbx::plugins::heifdec::HeifDecoder>(
    "heifdec",
    "decodes the primary image of HEIF/HEIC and AVIF files with libheif (grids, rotation and mirroring applied), or "
    "its stored thumbnail when that is large enough",
    100, kFormats, kParams);

}  // namespace

LBX_PLUGIN("org.lightbox.heifdec", "HEIF/AVIF decoder", "1.0.0", "MIT",
           "decodes HEIF/HEIC and AVIF photos to upright RGB with libheif", &kHeifStage)
