#include "plugins/plugin_description.hpp"

#include "plugins/plugin_registry.hpp"

#include <cstdio>

namespace lbx::engine {

namespace {

std::string text(const char* s) { return s != nullptr ? s : ""; }

// The stage functions of a described plugin. The supervisor only plans with its stages; a call here is
// a host bug, answered with an error instead of a jump through a null pointer.
lbx_status not_here(lbx_error* error) {
    if (error != nullptr) {
        error->code = LBX_E_INTERNAL;
        std::snprintf(error->message, sizeof error->message, "%s",
                      "this stage was described by a worker and runs in worker processes only");
    }
    return LBX_E_INTERNAL;
}
lbx_status decode_elsewhere(void*, const lbx_decode_request*, const lbx_image_sink*, lbx_error* e) { return not_here(e); }
lbx_status read_elsewhere(void*, const lbx_source*, const lbx_metadata_sink*, lbx_error* e) { return not_here(e); }
lbx_status tag_elsewhere(void*, const lbx_tag_input*, const lbx_tag_sink*, lbx_error* e) { return not_here(e); }
lbx_status thumbnail_elsewhere(void*, const lbx_thumbnail_input*, const lbx_thumbnail_sink*, lbx_error* e) { return not_here(e); }
lbx_status read_block_elsewhere(void*, const lbx_metadata_block*, const lbx_metadata_sink*, lbx_error* e) { return not_here(e); }

}  // namespace

PluginDescription describe(const LoadedPlugin& plugin) {
    PluginDescription d;
    d.file = plugin.file.string();
    d.api_major = plugin.api_major;
    d.api_minor = plugin.api_minor;
    d.id = plugin.id;
    d.name = plugin.name;
    d.version = plugin.version;
    d.license = plugin.license;
    d.description = plugin.description;
    for (const LoadedStage& stage : plugin.stages) {
        const lbx_stage_desc& s = *stage.desc;
        StageDescription sd;
        sd.id = stage.id;
        sd.kind = static_cast<int32_t>(stage.kind);
        sd.description = text(s.description);
        sd.priority = s.priority;
        // Fields after 1.0 are read only when the plugin's descriptor has them (LBX_HAS_FIELD).
        sd.reads_metadata_blocks = LBX_HAS_FIELD(&s, lbx_stage_desc, read_metadata_block) && s.read_metadata_block != nullptr;
        for (uint32_t i = 0; i < s.format_count; ++i) {
            const lbx_format_desc& f = s.formats[i];
            sd.formats.push_back(FormatDescription{text(f.name), text(f.mime_type), text(f.extensions), f.magic_offset,
                                                   std::vector<uint8_t>(f.magic, f.magic + f.magic_size)});
        }
        for (uint32_t i = 0; i < s.param_count; ++i) {
            const lbx_param_desc& p = s.params[i];
            sd.params.push_back(ParamDescription{text(p.name), static_cast<int32_t>(p.type), text(p.default_value), p.min, p.max,
                                                 text(p.description)});
        }
        for (const lbx_model_desc* m : stage_models(stage)) {
            sd.models.push_back(ModelDescription{text(m->name), text(m->file), text(m->source), text(m->license),
                                                 m->sha256 != nullptr ? std::optional<std::string>(m->sha256) : std::nullopt});
        }
        d.stages.push_back(std::move(sd));
    }
    return d;
}

std::unique_ptr<DescribedPlugin> DescribedPlugin::make(PluginDescription description) {
    return std::unique_ptr<DescribedPlugin>(new DescribedPlugin(std::move(description)));
}

DescribedPlugin::DescribedPlugin(PluginDescription description) : description_(std::move(description)) {
    // Every vector is sized before a pointer into it is taken: nothing below reallocates afterwards.
    const auto& stages = description_.stages;
    arrays_.resize(stages.size());
    stages_.resize(stages.size());
    for (std::size_t i = 0; i < stages.size(); ++i) {
        const StageDescription& sd = stages[i];
        StageArrays& a = arrays_[i];
        for (const FormatDescription& f : sd.formats)
            a.formats.push_back(lbx_format_desc{sizeof(lbx_format_desc), f.name.c_str(), f.mime_type.c_str(), f.extensions.c_str(),
                                                f.magic_offset, f.magic.data(), static_cast<uint32_t>(f.magic.size())});
        for (const ParamDescription& p : sd.params)
            a.params.push_back(lbx_param_desc{sizeof(lbx_param_desc), p.name.c_str(), static_cast<lbx_param_type>(p.type),
                                              p.default_value.c_str(), p.min, p.max, p.description.c_str()});
        for (const ModelDescription& m : sd.models)
            a.models.push_back(lbx_model_desc{sizeof(lbx_model_desc), m.name.c_str(), m.file.c_str(), m.source.c_str(),
                                              m.license.c_str(), m.sha256 ? m.sha256->c_str() : nullptr});

        lbx_stage_desc& s = stages_[i];
        s.struct_size = sizeof(lbx_stage_desc);
        s.id = sd.id.c_str();
        s.kind = static_cast<lbx_stage_kind>(sd.kind);
        s.description = sd.description.c_str();
        s.priority = sd.priority;
        s.formats = a.formats.empty() ? nullptr : a.formats.data();
        s.format_count = static_cast<uint32_t>(a.formats.size());
        s.params = a.params.empty() ? nullptr : a.params.data();
        s.param_count = static_cast<uint32_t>(a.params.size());
        s.models = a.models.empty() ? nullptr : a.models.data();
        s.model_count = static_cast<uint32_t>(a.models.size());
        // No create(): a plan's stages are never created. The kind's own function is a stub, so the
        // descriptor passes the same checks as the plugin's own.
        switch (s.kind) {
            case LBX_STAGE_DECODE: s.decode = decode_elsewhere; break;
            case LBX_STAGE_METADATA: s.read_metadata = read_elsewhere; break;
            case LBX_STAGE_TAG: s.tag = tag_elsewhere; break;
            case LBX_STAGE_THUMBNAIL: s.thumbnail = thumbnail_elsewhere; break;
        }
        if (sd.reads_metadata_blocks) s.read_metadata_block = read_block_elsewhere;
    }
    for (const lbx_stage_desc& s : stages_) stage_pointers_.push_back(&s);

    plugin_.struct_size = sizeof(lbx_plugin_desc);
    plugin_.api_major = description_.api_major;
    plugin_.api_minor = description_.api_minor;
    plugin_.id = description_.id.c_str();
    plugin_.name = description_.name.c_str();
    plugin_.version = description_.version.c_str();
    plugin_.license = description_.license.c_str();
    plugin_.description = description_.description.c_str();
    plugin_.stages = stage_pointers_.empty() ? nullptr : stage_pointers_.data();
    plugin_.stage_count = static_cast<uint32_t>(stage_pointers_.size());
}

}  // namespace lbx::engine
