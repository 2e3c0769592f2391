// The "webpdec" decode stage: WebP bytes to RGB8 with libwebp (libwebpdemux for animations).
#pragma once

#include <lightbox/plugin.hpp>

namespace lbx::plugins::webpdec {

class WebpDecoder {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_DECODE;

    explicit WebpDecoder(const lbx::sdk::Params& params);

    lbx::sdk::Status decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink& sink) const;
};

}  // namespace lbx::plugins::webpdec
