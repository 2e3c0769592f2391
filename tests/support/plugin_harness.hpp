// A stage harness (GStreamer's GstHarness idea): load the built plugins and drive one stage directly,
// without a pipeline or an engine process.
#pragma once

#include "plugins/param_values.hpp"
#include "plugins/plugin_registry.hpp"
#include "plugins/stage_instance.hpp"
#include "plugins/stage_io.hpp"
#include "sample/rgb_image.hpp"

#include <filesystem>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lbx::test {

// The plugins of this build tree, loaded once per test process. Fails the test when one was rejected.
const engine::PluginRegistry& built_plugins();

// A stage of the built plugins created with its defaults and these overrides; fails the test on error.
engine::StageInstance make_stage(std::string_view stage_id,
                                 const std::map<std::string, engine::ParamInput>& overrides = {});

// The pixels of a JPEG file as the built jpegdec stage decodes them (full size); fails the test on error.
sample::RgbImage decode_jpeg(const std::filesystem::path& file);

// A Source over bytes that the caller keeps alive.
engine::Source source_of(const std::vector<uint8_t>& bytes, std::string format, std::string path = "test-image");

}  // namespace lbx::test
