// The built-in thumbnail plugin: one stage, "thumbnail", resizing decoded pixels (lanczos3 by default),
// turning them upright and encoding JPEG with TurboJPEG. Declarations only; the work is in
// thumbnail_stage.cpp, resample.cpp, orientation.cpp and jpeg_encoder.cpp.
#include "thumbnail_stage.hpp"

#include <lightbox/plugin.hpp>

namespace {

const lbx_param_desc kParams[] = {
    lbx::sdk::param_int("quality", "85", 1, 100, "JPEG quality of the thumbnails (1..100)"),
    lbx::sdk::param_string("filter", "lanczos3",
                           "resampling filter: lanczos3 (sharpest), catrom (sharp, less ringing) or "
                           "triangle (softest, fastest)"),
};

const lbx_stage_desc kThumbnailStage = lbx::sdk::make_stage<lbx::plugins::thumbnail::ThumbnailStage>(
    "thumbnail", "antialiased resize (lanczos3), EXIF orientation applied, JPEG 4:2:0 output", 100, {}, kParams);

}  // namespace

LBX_PLUGIN("org.lightbox.thumbnail", "Thumbnails", "1.0.0", "MIT",
           "upright JPEG thumbnails at each requested long edge, resized with a fixed-point lanczos3 filter",
           &kThumbnailStage)
