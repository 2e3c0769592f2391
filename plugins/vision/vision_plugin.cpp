// The built-in content-analysis plugin: stage "objects" (COCO objects, label and group tags) and stage
// "faces" (human faces with keypoints), neural networks run with OpenCV's DNN module. Declarations only;
// the work is in objects_stage.cpp, faces_stage.cpp and the detectors. See sdk_docs/analysis.md.
#include "faces_stage.hpp"
#include "identity_stage.hpp"
#include "models.hpp"
#include "objects_stage.hpp"

#include <lightbox/plugin.hpp>

namespace {

using lbx::plugins::vision::kConfirmingModel;
using lbx::plugins::vision::kFaceModel;
using lbx::plugins::vision::kIdentityModel;
using lbx::plugins::vision::kObjectModel;

constexpr const char* kModelsHelp =
    "the folder scripts/fetch-models.sh filled (relative to the config's folder: ../models is "
    "<build or install>/share/lightbox/models)";

const lbx_param_desc kObjectParams[] = {
    lbx::sdk::param_path("models", "../models", kModelsHelp),
    lbx::sdk::param_double("threshold", "0.35", 0.05, 0.99,
                           "the lowest confidence reported (0.3 already names a sheep on an alpine meadow)"),
    lbx::sdk::param_path("groups", "label_groups.toml", "the groups of labels (TOML; format at the top of the default file)"),
    lbx::sdk::param_bool("tiles", "true",
                         "also look at tiles across the photo's longer side at a larger scale: finds smaller "
                         "things, at three times the time for a 4:3 photo"),
    lbx::sdk::param_double("min_tag_area", "0.001", 0, 1,
                           "objects smaller than this fraction of the photo get a region but make no label or group "
                           "tag (0.001: about 28x28 pixels of a 1024x768 photo)"),
    lbx::sdk::param_bool("confirm", "true",
                         "ask a second detector (NanoDet) about the whole photo: what it sees more surely rises to "
                         "the geometric mean of the two scores (finds more at the same precision)"),
};
const lbx_model_desc kObjectModels[] = {kObjectModel, kConfirmingModel};

const lbx_param_desc kFaceParams[] = {
    lbx::sdk::param_path("models", "../models", kModelsHelp),
    // 0.35 with `confident` 0.8: 35 of 38 clear faces found, 7 % false, on the hand-labelled corpus
    // photos (bench/analysis/sweep.py; 0.6 found 31 with none false).
    lbx::sdk::param_double("threshold", "0.35", 0.05, 0.99, "the lowest face score considered"),
    lbx::sdk::param_double("confident", "0.8", 0.05, 1.0,
                           "a face scoring below this counts only inside a person found by the objects stage "
                           "(the detector also fires on some animals' faces)"),
};
const lbx_model_desc kFaceModels[] = {kFaceModel};

const lbx_param_desc kIdentityParams[] = {
    lbx::sdk::param_path("models", "../models", kModelsHelp),
    lbx::sdk::param_double("min_face_pixels", "32", 8, 10000,
                           "faces narrower than this in the analysed image get no embedding (too small to tell people apart)"),
};
const lbx_model_desc kIdentityModels[] = {kIdentityModel};

const lbx_stage_desc kObjectsStage = lbx::sdk::make_stage<lbx::plugins::vision::ObjectsStage>(
    "objects", "objects of 80 kinds (COCO) with boxes; a tag per label and per group of labels (people, animals, ...)",
    0, {}, kObjectParams, kObjectModels);

const lbx_stage_desc kFacesStage = lbx::sdk::make_stage<lbx::plugins::vision::FacesStage>(
    "faces", "human faces with boxes, six keypoints and a quality score", 0, {}, kFaceParams, kFaceModels);

const lbx_stage_desc kIdentityStage = lbx::sdk::make_stage<lbx::plugins::vision::IdentityStage>(
    "identity", "a 128-D identity embedding for each face the faces stage found (dlib ResNet), eye-aligned", 0, {},
    kIdentityParams, kIdentityModels);

}  // namespace

// 1.1.0: faces down to a score of 0.35 inside a person (was 0.6), so photos are analysed again.
// 1.2.0: objects letterboxed (not stretched) and, by default, in tiles too; specks make no tags.
// 1.3.0: object scores confirmed by NanoDet (agreement.hpp).
LBX_PLUGIN("org.lightbox.vision", "Objects and faces", "1.3.0", "MIT",
           "content analysis with neural networks (OpenCV DNN): COCO objects and their groups, human faces, face identities",
           &kObjectsStage, &kFacesStage, &kIdentityStage)
