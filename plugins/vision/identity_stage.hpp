// The "identity" stage: describes each face an earlier stage found (the "faces" stage) by dlib's 128-D
// ResNet embedding, so that faces of the same person can be grouped: Euclidean distance about 0.5-0.55
// separates people. Each face is aligned on its eyes to dlib's 150x150 template first.
#pragma once

#include "net_pool.hpp"

#include <lightbox/plugin.hpp>

#include <memory>

namespace lbx::plugins::vision {

// The embedding space's name on regions (lbx_region.embedding_model): only equal names are compared.
inline constexpr const char* kIdentityEmbeddingModel = "dlib-resnet-128";

class IdentityStage {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_TAG;
    explicit IdentityStage(const sdk::Params& params);
    sdk::Status tag(const sdk::TagInput& input, sdk::TagSink& sink) const;

private:
    std::unique_ptr<NetPool> nets_;
    double min_face_pixels_;  // faces narrower than this in the analysed image get no embedding
};

}  // namespace lbx::plugins::vision
