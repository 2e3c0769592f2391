#include "support/plugin_harness.hpp"

#include <catch2/catch.hpp>

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

}  // namespace lbx::test
