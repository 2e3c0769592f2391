#include "identity_stage.hpp"

#include "model_file.hpp"
#include "models.hpp"
#include "upright.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <string_view>

namespace lbx::plugins::vision {

namespace {

// dlib's 5-point template with 0.25 padding, as 150x150 chips: the image-left eye (the subject's right
// eye, BlazeFace keypoint 0) at (47.7, 47.1), the image-right eye at (100.3, 47.1).
constexpr int kChip = 150;
const cv::Point2d kLeftEye(47.7, 47.1);
const cv::Point2d kRightEye(100.3, 47.1);

// The similarity transform (rotation, uniform scale, shift) taking the two eyes to the template's.
cv::Mat eye_alignment(cv::Point2d left, cv::Point2d right) {
    const cv::Point2d from = right - left, to = kRightEye - kLeftEye;
    const double scale = std::hypot(to.x, to.y) / std::max(1e-6, std::hypot(from.x, from.y));
    const double angle = std::atan2(to.y, to.x) - std::atan2(from.y, from.x);
    const double a = scale * std::cos(angle), b = scale * std::sin(angle);
    cv::Mat m = (cv::Mat_<double>(2, 3) << a, -b, 0, b, a, 0);
    m.at<double>(0, 2) = kLeftEye.x - (a * left.x - b * left.y);
    m.at<double>(1, 2) = kLeftEye.y - (b * left.x + a * left.y);
    return m;
}

}  // namespace

IdentityStage::IdentityStage(const sdk::Params& params)
    : nets_(std::make_unique<NetPool>(read_verified_model(params.get_path("models"), kIdentityModel), kIdentityModel.file)),
      min_face_pixels_(params.get_double("min_face_pixels")) {}

sdk::Status IdentityStage::tag(const sdk::TagInput& input, sdk::TagSink& sink) const {
    if (!input.image || !sink.takes_regions() || input.regions.empty()) return sdk::ok();
    const sdk::Host host = sink.host();
    use_threads(host.threads_hint());
    const cv::Mat rgb = upright_rgb(*input.image, input.orientation);
    const double w = rgb.cols, h = rgb.rows;
    for (uint32_t i = 0; i < input.regions.size(); ++i) {
        const lbx_region& face = input.regions[i];
        if (face.kind == nullptr || std::string_view(face.kind) != LBX_REGION_FACE || face.point_count < 2 ||
            face.points == nullptr || face.width * w < min_face_pixels_)
            continue;
        if (host.should_stop()) return sdk::fail(LBX_E_CANCELLED, "stopped between faces");
        const cv::Point2d left(face.points[0] * w, face.points[1] * h), right(face.points[2] * w, face.points[3] * h);
        cv::Mat chip;
        cv::warpAffine(rgb, chip, eye_alignment(left, right), {kChip, kChip}, cv::INTER_LINEAR, cv::BORDER_CONSTANT);
        // The model takes RGB 0..255 and normalises inside (scripts/models/face_embedding_to_onnx.py).
        const cv::Mat blob = cv::dnn::blobFromImage(chip, 1.0, {}, cv::Scalar(), /*swapRB=*/false, /*crop=*/false, CV_32F);
        cv::Mat out;
        {
            NetPool::Lease lease = nets_->borrow();
            lease.net().setInput(blob);
            out = lease.net().forward().clone();
        }
        const std::span<const float> values(out.ptr<float>(), out.total());
        if (sdk::Status s = sink.set_embedding(i, kIdentityEmbeddingModel, values); !s.ok()) return s;
    }
    return sdk::ok();
}

}  // namespace lbx::plugins::vision
