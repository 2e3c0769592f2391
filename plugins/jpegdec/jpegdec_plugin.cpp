// The built-in JPEG decoder plugin: one stage, "jpegdec", decoding with TurboJPEG.
// Declarations only; the work is in jpeg_decoder.cpp.
#include "jpeg_decoder.hpp"

#include <lightbox/plugin.hpp>

namespace {

const lbx_format_desc kFormats[] = {
    lbx::sdk::format("jpeg", "image/jpeg", "jpg,jpeg,jpe,jfif", 0, "\xFF\xD8\xFF"),
};

const lbx_param_desc kParams[] = {
    lbx::sdk::param_bool("fast_dct", "true",
                         "use the fast integer DCT (a little less accurate, noticeably faster; thumbnails are "
                         "resampled afterwards anyway)"),
    lbx::sdk::param_bool("dc_only", "true",
                         "at 1/8 scale, decode baseline JPEGs from their DC coefficients alone: the same pixels as "
                         "TurboJPEG with a fraction of its Huffman decoding; false: always TurboJPEG"),
};

const lbx_stage_desc kJpegStage = lbx::sdk::make_stage<lbx::plugins::jpegdec::JpegDecoder>(
    "jpegdec", "decodes JPEG (baseline, progressive, grayscale, CMYK/YCCK) with TurboJPEG, DCT-scaled to the size asked",
    100, kFormats, kParams);

}  // namespace

LBX_PLUGIN("org.lightbox.jpegdec", "JPEG decoder", "1.0.0", "MIT",
           "decodes JPEG photos to RGB with TurboJPEG (libjpeg-turbo), scaling down by 1/2..1/8 while decoding",
           &kJpegStage)
