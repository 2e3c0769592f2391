// Reads a model file a stage needs and checks it against the checksum the stage was built for, so that a
// missing, truncated or different model is one clear error when the stage is created (named file,
// expected checksum, how to fetch it), never a wrong answer later.
#pragma once

#include <lightbox/plugin_api.h>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace lbx::plugins::vision {

// The bytes of `dir / model.file`; throws lbx::sdk::Error (LBX_E_IO) when the folder or file is missing,
// unreadable, or its SHA-256 differs from model.sha256.
std::vector<uint8_t> read_verified_model(const std::filesystem::path& dir, const lbx_model_desc& model);

}  // namespace lbx::plugins::vision
