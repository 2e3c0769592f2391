// The ppm_decoder plugin: declarations only (identity, formats, parameters, stages). The work is in
// ppm_decoder.cpp. `lightbox-engine plugins inspect example-ppm` shows what is declared here.
#include "ppm_decoder.hpp"

#include <lightbox/plugin.hpp>

namespace {

// Binary PPM starts with "P6" and one whitespace character; the usual writers put a newline or a
// space there. One lbx_format_desc per signature; the engine sniffs content, extensions are informative.
const lbx_format_desc kFormats[] = {
    lbx::sdk::format("ppm", "image/x-portable-pixmap", "ppm,pnm", 0, "P6\n"),
    lbx::sdk::format("ppm", "image/x-portable-pixmap", "ppm,pnm", 0, "P6 "),
};

const lbx_param_desc kParams[] = {
    lbx::sdk::param_int("max_side", "65535", 1, 65535, "refuse images wider or taller than this"),
};

// No built-in stage decodes PPM, so priority 0 is enough: it only orders stages accepting one format.
const lbx_stage_desc kPpmDecoder = lbx::sdk::make_stage<ppm::PpmDecoder>(
    "example-ppm", "decodes binary PPM (P6) images, 8 and 16 bits per sample (an example)", 0, kFormats, kParams);

}  // namespace

LBX_PLUGIN("org.example.ppmdecoder", "PPM decoder", "1.0.0", "MIT",
           "an example third-party decoder: binary PPM (P6)", &kPpmDecoder)
