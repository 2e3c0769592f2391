// The "faces" stage: finds human faces (BlazeFace) and reports each as a region (kind "face") with its
// six keypoints and a quality score. BlazeFace also fires on some animal faces, so a face counts only
// when its score is high or a person found by an earlier stage (the "objects" stage) contains it.
#pragma once

#include "face_detector.hpp"
#include "net_pool.hpp"

#include <lightbox/plugin.hpp>

#include <memory>

namespace lbx::plugins::vision {

class FacesStage {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_TAG;
    explicit FacesStage(const sdk::Params& params);
    sdk::Status tag(const sdk::TagInput& input, sdk::TagSink& sink) const;

private:
    std::unique_ptr<NetPool> nets_;
    FaceDetector detector_;
    double confident_;  // a face at or above it needs no person around it
};

// How usable a face is for recognising the person, in [0, 1]: the detector's score, times how large it is
// (full marks from 64 pixels across in the analysed image), times how frontal (the nose between the eyes).
double face_quality(const Detection& face);

}  // namespace lbx::plugins::vision
