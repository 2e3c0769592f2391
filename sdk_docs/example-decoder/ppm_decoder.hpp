// The "example-ppm" decode stage: binary PPM (P6) to RGB8. See ppm_decoder.cpp.
#pragma once

#include <lightbox/plugin.hpp>

#include <cstdint>

namespace ppm {

class PpmDecoder {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_DECODE;

    explicit PpmDecoder(const lbx::sdk::Params& params);

    lbx::sdk::Status decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink& sink) const;

private:
    uint32_t max_side_;
};

}  // namespace ppm
