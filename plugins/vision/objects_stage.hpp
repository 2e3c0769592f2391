// The "objects" stage: finds COCO objects in a photo (CenterNet) and reports each as a region (kind
// "object", its label, confidence and box), each label once as a tag (category "label") and each group
// of labels found as a tag (category "group", from the label groups file).
#pragma once

#include "label_groups.hpp"
#include "net_pool.hpp"
#include "object_detector.hpp"

#include <lightbox/plugin.hpp>

#include <memory>

namespace lbx::plugins::vision {

class ObjectsStage {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_TAG;
    explicit ObjectsStage(const sdk::Params& params);
    sdk::Status tag(const sdk::TagInput& input, sdk::TagSink& sink) const;

private:
    LabelGroups groups_;
    std::unique_ptr<NetPool> nets_;
    ObjectDetector detector_;
};

}  // namespace lbx::plugins::vision
