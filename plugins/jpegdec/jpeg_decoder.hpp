// The "jpegdec" decode stage: JPEG bytes to RGB8 with TurboJPEG, at the smallest DCT scaling factor
// whose long edge still covers the size the host asked for.
#pragma once

#include <lightbox/plugin.hpp>

namespace lbx::plugins::jpegdec {

class JpegDecoder {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_DECODE;

    explicit JpegDecoder(const lbx::sdk::Params& params);

    lbx::sdk::Status decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink& sink) const;

private:
    bool fast_dct_;
    bool dc_only_;
};

}  // namespace lbx::plugins::jpegdec
