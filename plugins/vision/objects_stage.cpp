#include "objects_stage.hpp"

#include "agreement.hpp"
#include "model_file.hpp"
#include "models.hpp"
#include "upright.hpp"

#include <algorithm>
#include <map>

namespace lbx::plugins::vision {

namespace {

// The lowest CenterNet score worth keeping: with a second opinion, one that can still reach `threshold`.
float detection_floor(float threshold, bool confirm) { return confirm ? threshold * threshold : threshold; }

}  // namespace

ObjectsStage::ObjectsStage(const sdk::Params& params)
    : groups_(LabelGroups::load(params.get_path("groups"))),
      threshold_(static_cast<float>(params.get_double("threshold"))),
      nets_(std::make_unique<NetPool>(read_verified_model(params.get_path("models"), kObjectModel), kObjectModel.file)),
      detector_(*nets_, detection_floor(threshold_, params.get_bool("confirm")), params.get_bool("tiles")),
      min_tag_area_(params.get_double("min_tag_area")) {
    if (!params.get_bool("confirm")) return;
    confirming_nets_ = std::make_unique<NetPool>(read_verified_model(params.get_path("models"), kConfirmingModel),
                                                 kConfirmingModel.file);
    confirming_.emplace(*confirming_nets_, detection_floor(threshold_, true));
}

sdk::Status ObjectsStage::tag(const sdk::TagInput& input, sdk::TagSink& sink) const {
    if (!input.image) return sdk::ok();  // a pipeline without a decode stage: nothing to look at
    const sdk::Host host = sink.host();
    if (host.should_stop()) return sdk::fail(LBX_E_CANCELLED, "stopped before object detection");
    use_threads(host.threads_hint());
    const cv::Mat rgb = upright_rgb(*input.image, input.orientation);
    std::optional<std::vector<Detection>> detected = detector_.detect(rgb, [&] { return host.should_stop(); });
    if (!detected) return sdk::fail(LBX_E_CANCELLED, "stopped during object detection");
    if (confirming_ && !detected->empty()) {  // it only confirms: with nothing found, nothing to ask
        if (host.should_stop()) return sdk::fail(LBX_E_CANCELLED, "stopped during object detection");
        detected = confirmed(std::move(*detected), confirming_->detect(rgb), threshold_);
    }
    const std::vector<Detection>& found = *detected;

    std::map<std::string, double> labels, groups;  // best confidence of each
    const double w = rgb.cols, h = rgb.rows;
    for (const Detection& d : found) {
        const std::string label(coco_label(d.label));
        if (d.box.area() >= min_tag_area_ * w * h) {
            labels[label] = std::max(labels[label], double(d.score));
            for (const std::string& group : groups_.groups_of(label)) groups[group] = std::max(groups[group], double(d.score));
        }
        if (!sink.takes_regions()) continue;  // a host before API 1.2 keeps the tags only
        sdk::Region region;
        region.kind = LBX_REGION_OBJECT;
        region.label = label;
        region.confidence = d.score;
        region.x = d.box.x / w;
        region.y = d.box.y / h;
        region.width = d.box.width / w;
        region.height = d.box.height / h;
        if (sdk::Status s = sink.add_region(region); !s.ok()) return s;
    }
    for (const auto& [label, confidence] : labels) sink.add(label, "label", confidence);
    for (const auto& [group, confidence] : groups) sink.add(group, "group", confidence);
    return sdk::ok();
}

}  // namespace lbx::plugins::vision
