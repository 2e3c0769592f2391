// The installed stage harness: the engine's own host code (plugin registry, parameter checks, stage
// calls) behind a header of plain C++ types, so an out-of-tree plugin's tests get exactly the engine's
// behaviour without linking the engine.
#include <lightbox/stage_harness.hpp>

#include "plugins/param_values.hpp"
#include "plugins/plugin_registry.hpp"
#include "plugins/stage_instance.hpp"

#include <string_view>

namespace lbx::harness {

namespace {

Failure failure_of(const engine::Error& error) { return Failure{error.code, error.message}; }

// A textual value ("85", "true", "256,1024") as the typed input resolve_params checks.
engine::Expected<engine::ParamInput> param_input(const lbx_param_desc& desc, const std::string& text) {
    auto value = engine::parse_param_text(desc, text, std::filesystem::current_path());
    if (!value) return engine::unexpected(value.error());
    switch (desc.type) {
        case LBX_PARAM_BOOL: return engine::ParamInput(value->bool_value);
        case LBX_PARAM_INT: return engine::ParamInput(value->int_value);
        case LBX_PARAM_DOUBLE: return engine::ParamInput(value->double_value);
        case LBX_PARAM_INT_LIST: return engine::ParamInput(value->int_list);
        case LBX_PARAM_STRING:
        case LBX_PARAM_PATH: break;
    }
    return engine::ParamInput(value->string_value);
}

engine::Metadata to_engine(const Metadata& m) {
    engine::Metadata out;
    out.entries = m.entries;
    out.text = m.text;
    out.numbers = m.numbers;
    return out;
}

Metadata from_engine(engine::Metadata m) {
    return Metadata{std::move(m.entries), std::move(m.text), std::move(m.numbers)};
}

engine::Image to_engine(const Image& image) {
    engine::Image out;
    out.width = image.width;
    out.height = image.height;
    out.stride = image.stride;
    out.pixels = image.pixels;
    out.source_width = image.source_width;
    out.source_height = image.source_height;
    out.flags = image.flags;
    return out;
}

}  // namespace

struct StageHarness::Impl {
    engine::PluginRegistry registry;  // declared first: the instance below points into it
    std::optional<engine::StageInstance> instance;
    std::vector<LogMessage> log;
    std::function<bool()> should_stop;
    engine::ProcessContext context;
    engine::DecodeLimits limits;

    engine::Source source(std::span<const uint8_t> bytes, const std::string& format) const {
        std::string f = format;
        const lbx_stage_desc& desc = *instance->stage().desc;
        if (f.empty() && desc.format_count > 0) f = desc.formats[0].name;
        return engine::Source{bytes, "harness-input", f};
    }
};

StageHarness::StageHarness(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StageHarness::StageHarness(StageHarness&&) noexcept = default;
StageHarness& StageHarness::operator=(StageHarness&&) noexcept = default;
StageHarness::~StageHarness() = default;

Result<StageHarness> StageHarness::open(const std::filesystem::path& plugin_file, const std::string& stage_id,
                                        const std::map<std::string, std::string>& params) {
    auto impl = std::make_unique<Impl>();
    auto plugin = impl->registry.load_file(plugin_file);
    if (!plugin) return Failure{"rejected", plugin.error().message};
    const engine::LoadedStage* stage = impl->registry.find_stage(stage_id);
    if (stage == nullptr) {
        std::string known;
        for (const engine::LoadedStage& s : (*plugin)->stages) known += (known.empty() ? "" : ", ") + s.id;
        return Failure{"unknown_stage", "plugin '" + (*plugin)->id + "' has no stage '" + stage_id + "' (it has " +
                                            (known.empty() ? "none" : known) + ")"};
    }
    std::map<std::string, engine::ParamInput> overrides;
    for (const auto& [name, text] : params) {
        const lbx_param_desc* desc = nullptr;
        for (uint32_t i = 0; i < stage->desc->param_count; ++i)
            if (name == stage->desc->params[i].name) desc = &stage->desc->params[i];
        if (desc == nullptr) return Failure{"invalid_param", "stage '" + stage_id + "' has no parameter '" + name + "'"};
        auto input = param_input(*desc, text);
        if (!input) return failure_of(input.error());
        overrides.emplace(name, std::move(*input));
    }
    auto values = engine::resolve_params(*stage->desc, overrides, std::filesystem::current_path());
    if (!values) return failure_of(values.error());
    auto instance = engine::StageInstance::create(*stage, std::move(*values));
    if (!instance) return failure_of(instance.error());
    impl->instance.emplace(std::move(*instance));
    Impl* raw = impl.get();  // the context's callbacks point at the Impl, which never moves
    raw->context.log = [raw](const engine::LoadedStage&, int level, std::string_view message) {
        raw->log.push_back(LogMessage{static_cast<lbx_log_level>(level), std::string(message)});
    };
    raw->context.should_stop = [raw] { return raw->should_stop && raw->should_stop(); };
    return StageHarness(std::move(impl));
}

void StageHarness::set_threads_hint(uint32_t threads) { impl_->context.threads_hint = threads; }
void StageHarness::set_should_stop(std::function<bool()> should_stop) { impl_->should_stop = std::move(should_stop); }
void StageHarness::set_max_pixels(uint64_t max_pixels) { impl_->limits.max_pixels = max_pixels; }
const std::vector<LogMessage>& StageHarness::log() const { return impl_->log; }

Result<Image> StageHarness::decode(std::span<const uint8_t> bytes, uint32_t min_long_edge, const std::string& format) {
    if (impl_->instance->stage().kind != LBX_STAGE_DECODE) return Failure{"unsupported", "not a decode stage"};
    auto decoded = impl_->instance->decode(impl_->source(bytes, format), min_long_edge, impl_->limits, impl_->context);
    if (!decoded) return failure_of(decoded.error());
    Image out{decoded->width, decoded->height, decoded->stride, decoded->source_width, decoded->source_height,
              decoded->flags, std::move(decoded->pixels), {}};
    for (engine::MetadataBlock& b : decoded->metadata_blocks)
        out.metadata_blocks.push_back(MetadataBlock{std::move(b.kind), std::move(b.data)});
    return out;
}

Result<Metadata> StageHarness::read_metadata(std::span<const uint8_t> bytes, const std::string& format) {
    if (impl_->instance->stage().kind != LBX_STAGE_METADATA) return Failure{"unsupported", "not a metadata stage"};
    engine::Metadata m;
    auto ok = impl_->instance->read_metadata(impl_->source(bytes, format), m, impl_->context);
    if (!ok) return failure_of(ok.error());
    return from_engine(std::move(m));
}

Result<Metadata> StageHarness::read_metadata_block(const std::string& kind, std::span<const uint8_t> data) {
    engine::Metadata m;
    const engine::MetadataBlock block{kind, {data.begin(), data.end()}};
    auto ok = impl_->instance->read_metadata_block(impl_->source({}, {}), block, m, impl_->context);
    if (!ok) return failure_of(ok.error());
    return from_engine(std::move(m));
}

Result<std::vector<Tag>> StageHarness::tag(std::span<const uint8_t> bytes, const Image* image, const Metadata& metadata) {
    if (impl_->instance->stage().kind != LBX_STAGE_TAG) return Failure{"unsupported", "not a tag stage"};
    std::optional<engine::Image> img;
    if (image != nullptr) img = to_engine(*image);
    auto tags = impl_->instance->tag(impl_->source(bytes, {}), img ? &*img : nullptr, to_engine(metadata), impl_->context);
    if (!tags) return failure_of(tags.error());
    std::vector<Tag> out;
    for (const engine::Tag& t : *tags) out.push_back(Tag{t.name, t.category, t.confidence});
    return out;
}

Result<std::vector<Thumbnail>> StageHarness::thumbnail(std::span<const uint8_t> bytes, const Image& image,
                                                       const Metadata& metadata, uint32_t orientation,
                                                       std::vector<uint32_t> sizes) {
    if (impl_->instance->stage().kind != LBX_STAGE_THUMBNAIL) return Failure{"unsupported", "not a thumbnail stage"};
    auto thumbs = impl_->instance->thumbnail(impl_->source(bytes, {}), to_engine(image), to_engine(metadata),
                                             orientation, sizes, impl_->context);
    if (!thumbs) return failure_of(thumbs.error());
    std::vector<Thumbnail> out;
    for (engine::EncodedThumbnail& t : *thumbs)
        out.push_back(Thumbnail{t.size, t.width, t.height, std::move(t.mime_type), std::move(t.data)});
    return out;
}

}  // namespace lbx::harness
