// The "objects" stage: finds COCO objects in a photo (CenterNet, its scores confirmed by NanoDet unless
// `confirm` is off: agreement.hpp) and reports each as a region (kind "object", its label, confidence and
// box), each label once as a tag (category "label") and each group of labels found as a tag (category
// "group", from the label groups file). Only objects covering at least `min_tag_area` of the photo make
// tags: a speck is kept as a region, but is not what the photo shows.
#pragma once

#include "label_groups.hpp"
#include "nanodet_detector.hpp"
#include "net_pool.hpp"
#include "object_detector.hpp"

#include <lightbox/plugin.hpp>

#include <memory>
#include <optional>

namespace lbx::plugins::vision {

class ObjectsStage {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_TAG;
    explicit ObjectsStage(const sdk::Params& params);
    sdk::Status tag(const sdk::TagInput& input, sdk::TagSink& sink) const;

private:
    LabelGroups groups_;
    float threshold_;
    std::unique_ptr<NetPool> nets_;
    ObjectDetector detector_;
    std::unique_ptr<NetPool> confirming_nets_;  // null when `confirm` is off
    std::optional<NanoDetDetector> confirming_;
    double min_tag_area_;  // fraction of the photo
};

}  // namespace lbx::plugins::vision
