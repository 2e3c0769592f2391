// The "heifdec" decode stage: the primary image of a HEIF/HEIC or AVIF file to upright RGB8 with libheif.
#pragma once

#include <lightbox/plugin.hpp>

namespace lbx::plugins::heifdec {

class HeifDecoder {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_DECODE;

    // Calls heif_init() once per process (never undone: plugins are never unloaded).
    explicit HeifDecoder(const lbx::sdk::Params& params);

    lbx::sdk::Status decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink& sink) const;

private:
    int tile_threads_;
    int max_side_;
};

}  // namespace lbx::plugins::heifdec
