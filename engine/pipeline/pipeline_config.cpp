#include "pipeline/pipeline_config.hpp"

#include "plugins/plugin_registry.hpp"

#include <lightbox/ipc/error_codes.hpp>
#include <lightbox/ipc/settings.hpp>

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string_view>
#include <set>
#include <sstream>

namespace lbx::engine {

namespace {

class ConfigParser {
public:
    explicit ConfigParser(std::filesystem::path file) : file_(std::move(file)) {}

    Unexpected error(const toml::node* node, const std::string& key, const std::string& what) const {
        std::ostringstream s;
        s << file_.string();
        if (node != nullptr && node->source().begin.line > 0) s << ":" << node->source().begin.line;
        s << ": " << key << ": " << what;
        return unexpected(make_error("config", "invalid_config", s.str()));
    }

    std::string where(const toml::node& node) const {
        return file_.filename().string() + ":" + std::to_string(node.source().begin.line);
    }

    Expected<uint64_t> positive_int(const toml::table& t, const char* name, const std::string& key) const {
        const toml::node* n = t.get(name);
        auto v = n ? n->value<int64_t>() : std::nullopt;
        if (!v || *v <= 0) return error(n, key + "." + name, "expected a positive integer");
        return static_cast<uint64_t>(*v);
    }

    Expected<ParamInput> param_input(const toml::node& node, const std::string& key) const {
        if (auto b = node.value_exact<bool>()) return ParamInput(*b);
        if (auto i = node.value_exact<int64_t>()) return ParamInput(*i);
        if (auto d = node.value_exact<double>()) return ParamInput(*d);
        if (auto s = node.value_exact<std::string>()) return ParamInput(*s);
        if (const toml::array* a = node.as_array()) {
            std::vector<int64_t> list;
            for (const toml::node& item : *a) {
                auto i = item.value_exact<int64_t>();
                if (!i) return error(&item, key, "lists may only hold integers");
                list.push_back(*i);
            }
            return ParamInput(std::move(list));
        }
        return error(&node, key, "unsupported value type");
    }

    Expected<PipelineConfig> parse(const toml::table& root) const {
        PipelineConfig config;
        config.file = file_;
        config.base_dir = file_.has_parent_path() ? file_.parent_path() : std::filesystem::path(".");
        static const std::set<std::string> top_keys{"limits", "thumbnails", "stage"};
        for (const auto& [k, v] : root) {
            if (!top_keys.count(std::string(k.str())))
                return error(&v, std::string(k.str()), "unknown key (expected limits, thumbnails or stage)");
        }
        if (const toml::node* n = root.get("limits")) {
            const toml::table* limits = n->as_table();
            if (!limits) return error(n, "limits", "expected a table");
            for (const auto& [k, v] : *limits) {
                std::string key(k.str());
                if (key == "max_megapixels") {
                    auto mp = positive_int(*limits, "max_megapixels", "limits");
                    if (!mp) return unexpected(mp.error());
                    config.max_pixels = *mp * 1'000'000;
                } else if (key == "max_file_megabytes") {
                    auto mb = positive_int(*limits, "max_file_megabytes", "limits");
                    if (!mb) return unexpected(mb.error());
                    config.max_file_bytes = *mb * 1024 * 1024;
                } else {
                    return error(&v, "limits." + key, "unknown key (expected max_megapixels or max_file_megabytes)");
                }
            }
        }
        if (const toml::node* n = root.get("thumbnails")) {
            const toml::table* thumbs = n->as_table();
            if (!thumbs) return error(n, "thumbnails", "expected a table");
            for (const auto& [k, v] : *thumbs) {
                std::string key(k.str());
                if (key == "sizes") {
                    const toml::array* a = v.as_array();
                    if (!a || a->empty()) return error(&v, "thumbnails.sizes", "expected a non-empty list of sizes");
                    config.thumbnail_sizes.clear();
                    for (const toml::node& item : *a) {
                        auto i = item.value_exact<int64_t>();
                        if (!i || !ipc::settings::is_thumbnail_size(*i))
                            return error(&item, "thumbnails.sizes", "sizes must be integers in " + ipc::settings::thumbnail_size_range());
                        config.thumbnail_sizes.push_back(static_cast<uint32_t>(*i));
                    }
                } else if (key == "directory") {
                    auto s = v.value_exact<std::string>();
                    if (!s || s->empty()) return error(&v, "thumbnails.directory", "expected a path");
                    std::filesystem::path p(*s);
                    config.thumbnail_dir = p.is_relative() ? config.base_dir / p : p;
                } else if (key == "cache_budget_mb") {
                    // Up to 16 TiB, so that the byte count cannot overflow.
                    constexpr uint64_t kMaxMegabytes = uint64_t(16) * 1024 * 1024;
                    auto mb = positive_int(*thumbs, "cache_budget_mb", "thumbnails");
                    if (!mb) return unexpected(mb.error());
                    if (*mb > kMaxMegabytes)
                        return error(&v, "thumbnails.cache_budget_mb", "at most " + std::to_string(kMaxMegabytes) + " (16 TiB)");
                    config.thumbnail_budget_bytes = *mb * 1024 * 1024;
                } else {
                    return error(&v, "thumbnails." + key, "unknown key (expected sizes, directory or cache_budget_mb)");
                }
            }
        }
        const toml::node* stages_node = root.get("stage");
        const toml::array* stages = stages_node ? stages_node->as_array() : nullptr;
        if (!stages || stages->empty()) return error(stages_node, "stage", "a pipeline needs at least one [[stage]]");
        for (std::size_t i = 0; i < stages->size(); ++i) {
            const toml::node& node = (*stages)[i];
            const std::string key = "stage[" + std::to_string(i + 1) + "]";
            const toml::table* t = node.as_table();
            if (!t) return error(&node, key, "expected a table ([[stage]])");
            StageConfig stage;
            stage.where = where(node);
            for (const auto& [k, v] : *t) {
                std::string name(k.str());
                if (name == "kind") {
                    auto s = v.value_exact<std::string>();
                    auto kind = s ? stage_kind_from_name(*s) : std::nullopt;
                    if (!kind) return error(&v, key + ".kind", "unknown kind (expected metadata, decode, tag or thumbnail)");
                    stage.kind = *kind;
                } else if (name == "use") {
                    auto s = v.value_exact<std::string>();
                    if (!s || s->empty()) return error(&v, key + ".use", "expected a stage id");
                    stage.use = *s;
                } else if (name == "params") {
                    const toml::table* params = v.as_table();
                    if (!params) return error(&v, key + ".params", "expected a table");
                    for (const auto& [pk, pv] : *params) {
                        auto input = param_input(pv, key + ".params." + std::string(pk.str()));
                        if (!input) return unexpected(input.error());
                        stage.params.emplace(std::string(pk.str()), std::move(*input));
                    }
                } else if (name == "phase") {
                    auto p = v.value_exact<std::string>();
                    if (!p || (*p != "browse" && *p != "analysis"))
                        return error(&v, key + ".phase", "expected \"browse\" or \"analysis\"");
                    stage.analysis = *p == "analysis";
                } else if (name == "optional") {
                    auto b = v.value_exact<bool>();
                    if (!b) return error(&v, key + ".optional", "expected true or false");
                    stage.optional = *b;
                } else {
                    return error(&v, key + "." + name, "unknown key (expected kind, use, phase, optional or params)");
                }
            }
            if (stage.kind == lbx_stage_kind{}) return error(&node, key + ".kind", "missing");
            if ((stage.kind == LBX_STAGE_TAG || stage.kind == LBX_STAGE_THUMBNAIL) && stage.use.empty())
                return error(&node, key + ".use", "a " + std::string(stage_kind_name(stage.kind)) + " stage needs 'use = \"<stage id>\"'");
            config.stages.push_back(std::move(stage));
        }
        // Thumbnails need pixels: a decode stage must come first.
        bool decoded = false;
        for (std::size_t i = 0; i < config.stages.size(); ++i) {
            const StageConfig& s = config.stages[i];
            if (s.kind == LBX_STAGE_DECODE) {
                if (decoded) return error(&(*stages)[i], "stage[" + std::to_string(i + 1) + "]", "only one decode stage is allowed");
                decoded = true;
            }
            if (s.kind == LBX_STAGE_THUMBNAIL && !decoded)
                return error(&(*stages)[i], "stage[" + std::to_string(i + 1) + "]", "a thumbnail stage needs a decode stage before it");
        }
        return config;
    }

private:
    std::filesystem::path file_;
};

}  // namespace

Expected<PipelineConfig> parse_pipeline_config(const std::string& text, const std::filesystem::path& file) {
    // Debian's toml++ is built with exceptions: a syntax error is thrown, and caught right here.
    try {
        toml::table root = toml::parse(text, file.string());
        return ConfigParser(file).parse(root);
    } catch (const toml::parse_error& e) {
        return unexpected(make_error("config", "syntax", file.string() + ":" + std::to_string(e.source().begin.line) +
                                                             ": " + std::string(e.description())));
    }
}

Expected<PipelineConfig> load_pipeline_config(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return unexpected(make_error("config", ipc::codes::kNotFound, "cannot read config '" + file.string() + "'"));
    std::ostringstream text;
    text << in.rdbuf();
    return parse_pipeline_config(text.str(), file);
}

Expected<void> restrict_to_kinds(PipelineConfig& config, const std::vector<std::string>& kinds) {
    std::set<lbx_stage_kind> keep;
    std::set<std::string> keep_ids;
    for (const auto& name : kinds) {
        if (auto kind = stage_kind_from_name(name)) {
            keep.insert(*kind);
            continue;
        }
        const bool configured = std::any_of(config.stages.begin(), config.stages.end(),
                                            [&](const StageConfig& s) { return s.use == name; });
        if (!configured)
            return unexpected(make_error("usage", "invalid_kind", "'" + name + "' is neither a stage kind (metadata, decode, tag, "
                                                                           "thumbnail) nor a stage of the pipeline"));
        keep_ids.insert(name);
    }
    auto kept = [&](const StageConfig& s) { return keep.count(s.kind) || keep_ids.count(s.use); };
    const bool decodes = std::any_of(config.stages.begin(), config.stages.end(),
                                     [&](const StageConfig& s) { return s.kind == LBX_STAGE_DECODE && kept(s); });
    if (keep.count(LBX_STAGE_THUMBNAIL) && !decodes)
        return unexpected(make_error("usage", "invalid_kind", "'thumbnail' needs 'decode' too (--only decode,thumbnail)"));
    std::erase_if(config.stages, [&](const StageConfig& s) { return !kept(s); });
    if (config.stages.empty())
        return unexpected(make_error("usage", "invalid_kind", "the config has no stage of the kinds asked for"));
    return {};
}

void drop_analysis_stages(PipelineConfig& config) {
    std::erase_if(config.stages, [](const StageConfig& s) { return s.analysis; });
}

void keep_analysis_phase(PipelineConfig& config) {
    std::vector<uint32_t>& sizes = config.thumbnail_sizes;
    if (!sizes.empty()) std::erase(sizes, *std::min_element(sizes.begin(), sizes.end()));
    const bool previews = !sizes.empty();
    std::erase_if(config.stages, [&](const StageConfig& s) {
        return !(s.analysis || s.kind == LBX_STAGE_METADATA || s.kind == LBX_STAGE_DECODE ||
                 (previews && s.kind == LBX_STAGE_THUMBNAIL));
    });
}

void keep_grid_thumbnails(PipelineConfig& config) {
    std::vector<uint32_t>& sizes = config.thumbnail_sizes;
    if (sizes.size() > 1) sizes = {*std::min_element(sizes.begin(), sizes.end())};
}

std::optional<bool> analysis_default() {
    const char* value = std::getenv("LIGHTBOX_ANALYSIS");
    if (value == nullptr || *value == '\0' || std::string_view(value) == "on") return true;
    if (std::string_view(value) == "off") return false;
    return std::nullopt;
}

}  // namespace lbx::engine
