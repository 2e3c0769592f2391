// The "thumbnail" stage: RGB8 pixels in, one upright JPEG per requested long edge out.
#pragma once

#include "resample.hpp"

#include <lightbox/plugin.hpp>

namespace lbx::plugins::thumbnail {

class ThumbnailStage {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_THUMBNAIL;

    // Reads "quality" (1..100, range checked by the host) and "filter"; throws
    // lbx::sdk::Error(LBX_E_INVALID_PARAM) for an unknown filter name.
    explicit ThumbnailStage(const lbx::sdk::Params& params);

    // Immutable after construction: called from several threads at once.
    lbx::sdk::Status thumbnail(const lbx::sdk::ThumbnailInput& input, lbx::sdk::ThumbnailSink& sink) const;

private:
    int quality_;
    Filter filter_;
};

}  // namespace lbx::plugins::thumbnail
