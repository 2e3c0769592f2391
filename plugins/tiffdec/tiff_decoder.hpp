// The "tiffdec" decode stage: the first directory of a TIFF to RGB8 with libtiff, pixels as stored.
#pragma once

#include <lightbox/plugin.hpp>

#include <cstdint>

namespace lbx::plugins::tiffdec {

class TiffDecoder {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_DECODE;

    explicit TiffDecoder(const lbx::sdk::Params& params);

    lbx::sdk::Status decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink& sink) const;

private:
    int64_t max_alloc_bytes_;
};

}  // namespace lbx::plugins::tiffdec
