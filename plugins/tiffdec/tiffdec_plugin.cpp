// The built-in TIFF decoder plugin: one stage, "tiffdec", decoding with libtiff.
// Declarations only; the work is in tiff_decoder.cpp.
#include "tiff_decoder.hpp"

#include <lightbox/plugin.hpp>

namespace {

const lbx_format_desc kFormats[] = {
    lbx::sdk::format("tiff", "image/tiff", "tif,tiff", 0, "II*\0"),
    lbx::sdk::format("tiff", "image/tiff", "tif,tiff", 0, "MM\0*"),
    lbx::sdk::format("tiff", "image/tiff", "tif,tiff,btf", 0, "II+\0"),  // BigTIFF
    lbx::sdk::format("tiff", "image/tiff", "tif,tiff,btf", 0, "MM\0+"),
};

const lbx_param_desc kParams[] = {
    lbx::sdk::param_int("max_alloc_mb", "1024", 16, 65536,
                        "largest single buffer libtiff may allocate while reading one file, in MiB"),
};

// Priority 50: a plugin with a better TIFF reader (e.g. for camera raw) can take over by declaring more.
const lbx_stage_desc kTiffStage = lbx::sdk::make_stage<lbx::plugins::tiffdec::TiffDecoder>(
    "tiffdec", "decodes the first image of a TIFF (strips or tiles, any bit depth, palette, YCbCr, CMYK) with libtiff",
    50, kFormats, kParams);

}  // namespace

LBX_PLUGIN("org.lightbox.tiffdec", "TIFF decoder", "1.0.0", "MIT",
           "decodes the first directory of TIFF files to RGB with libtiff's RGBA interface, in stored orientation",
           &kTiffStage)
