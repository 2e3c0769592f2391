#include "faces_stage.hpp"

#include "model_file.hpp"
#include "models.hpp"
#include "object_detector.hpp"
#include "upright.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace lbx::plugins::vision {

namespace {

constexpr float kFullQualityPixels = 64.f;

// True when more than half of the face lies inside a person box found by an earlier stage. Both are in
// fractions of the upright image.
bool inside_person(const cv::Rect2f& face, std::span<const lbx_region> regions) {
    return std::any_of(regions.begin(), regions.end(), [&](const lbx_region& r) {
        if (r.kind == nullptr || std::string_view(r.kind) != LBX_REGION_OBJECT || r.label == nullptr ||
            std::string_view(r.label) != coco_label(kCocoPerson))
            return false;
        const cv::Rect2f person(static_cast<float>(r.x), static_cast<float>(r.y), static_cast<float>(r.width),
                                static_cast<float>(r.height));
        return (person & face).area() > 0.5f * face.area();
    });
}

}  // namespace

double face_quality(const Detection& face) {
    const double size = std::clamp(std::min(face.box.width, face.box.height) / kFullQualityPixels, 0.f, 1.f);
    double frontal = 0.5;  // unknown without keypoints
    if (face.points.size() >= 3) {
        const cv::Point2f& left = face.points[0];
        const cv::Point2f& right = face.points[1];
        const cv::Point2f& nose = face.points[2];
        const double eyes = std::hypot(right.x - left.x, right.y - left.y);
        if (eyes > 0) frontal = 1.0 - std::clamp(std::abs(nose.x - (left.x + right.x) / 2) / eyes, 0.0, 1.0);
    }
    return std::clamp(double(face.score) * size * frontal, 0.0, 1.0);
}

FacesStage::FacesStage(const sdk::Params& params)
    : nets_(std::make_unique<NetPool>(read_verified_model(params.get_path("models"), kFaceModel), kFaceModel.file)),
      detector_(*nets_, static_cast<float>(params.get_double("threshold"))),
      confident_(params.get_double("confident")) {}

sdk::Status FacesStage::tag(const sdk::TagInput& input, sdk::TagSink& sink) const {
    if (!input.image || !sink.takes_regions()) return sdk::ok();  // nothing to look at, or nowhere to put faces
    const sdk::Host host = sink.host();
    if (host.should_stop()) return sdk::fail(LBX_E_CANCELLED, "stopped before face detection");
    use_threads(host.threads_hint());
    const cv::Mat rgb = upright_rgb(*input.image, input.orientation);
    const float w = static_cast<float>(rgb.cols), h = static_cast<float>(rgb.rows);
    for (const Detection& d : detector_.detect(rgb)) {
        const cv::Rect2f box(d.box.x / w, d.box.y / h, d.box.width / w, d.box.height / h);
        if (d.score < confident_ && !inside_person(box, input.regions)) continue;  // likely a pet's face
        sdk::Region region;
        region.kind = LBX_REGION_FACE;
        region.confidence = d.score;
        region.x = box.x;
        region.y = box.y;
        region.width = box.width;
        region.height = box.height;
        for (const cv::Point2f& p : d.points) {
            region.points.push_back(std::clamp(p.x / w, 0.f, 1.f));
            region.points.push_back(std::clamp(p.y / h, 0.f, 1.f));
        }
        region.quality = face_quality(d);
        if (sdk::Status s = sink.add_region(region); !s.ok()) return s;
    }
    return sdk::ok();
}

}  // namespace lbx::plugins::vision
