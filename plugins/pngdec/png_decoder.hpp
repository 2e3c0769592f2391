// The "pngdec" decode stage: PNG bytes to RGB8 with libpng's simplified API (png_image).
#pragma once

#include <lightbox/plugin.hpp>

namespace lbx::plugins::pngdec {

class PngDecoder {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_DECODE;

    explicit PngDecoder(const lbx::sdk::Params& params);

    lbx::sdk::Status decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink& sink) const;
};

}  // namespace lbx::plugins::pngdec
