#include "support/plugin_harness.hpp"

#include "support/test_files.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

namespace lbx::test {

const engine::PluginRegistry& built_plugins() {
    static const engine::PluginRegistry* registry = [] {
        static engine::PluginRegistry r;
        r.load_directories({LIGHTBOX_TEST_PLUGIN_DIR});
        return &r;
    }();
    for (const auto& rejected : registry->rejected()) {
        FAIL("built plugin rejected: " << rejected.file << ": " << rejected.reason);
    }
    return *registry;
}

engine::StageInstance make_stage(std::string_view stage_id,
                                 const std::map<std::string, engine::ParamInput>& overrides) {
    const engine::LoadedStage* stage = built_plugins().find_stage(stage_id);
    if (stage == nullptr) FAIL("no built stage with id '" << stage_id << "'");
    auto params = engine::resolve_params(*stage->desc, overrides, LIGHTBOX_TEST_DATA_DIR "/config");
    if (!params) FAIL("parameters of '" << stage_id << "': " << params.error().message);
    auto instance = engine::StageInstance::create(*stage, std::move(*params));
    if (!instance) FAIL("cannot create stage '" << stage_id << "': " << instance.error().message);
    return std::move(*instance);
}

engine::Source source_of(const std::vector<uint8_t>& bytes, std::string format, std::string path) {
    return engine::Source{std::span<const uint8_t>(bytes.data(), bytes.size()), std::move(path), std::move(format)};
}

sample::RgbImage decode_jpeg(const std::filesystem::path& file) {
    const std::vector<uint8_t> bytes = read_file(file);
    auto image = make_stage("jpegdec").decode(source_of(bytes, "jpeg", file.string()), 0, engine::DecodeLimits{});
    INFO(file.string());
    REQUIRE(image);
    sample::RgbImage out(image->width, image->height);
    for (uint32_t y = 0; y < image->height; ++y)
        std::copy_n(image->pixels.data() + std::size_t(y) * image->stride, std::size_t(image->width) * 3,
                    out.pixels.data() + std::size_t(y) * image->width * 3);
    return out;
}

}  // namespace lbx::test
