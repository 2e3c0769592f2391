#include "plugins/stage_instance.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <new>
#include <sstream>
#include <string_view>

namespace lbx::engine {

namespace {

lbx_error empty_error() {
    lbx_error e{};
    e.struct_size = sizeof(lbx_error);
    return e;
}

void set_error(lbx_error* error, lbx_status code, const std::string& message) {
    if (error == nullptr) return;
    error->code = code;
    std::strncpy(error->message, message.c_str(), LBX_ERROR_MESSAGE_MAX - 1);
    error->message[LBX_ERROR_MESSAGE_MAX - 1] = '\0';
}

std::string megapixels(uint64_t pixels) {
    std::ostringstream s;
    s.precision(pixels >= 10'000'000 ? 0 : 1);
    s << std::fixed << static_cast<double>(pixels) / 1e6;
    return s.str();
}

// ------------------------------------------------------------------ host services (plugin API 1.1)
// The host side of lbx_host_services for one call: the stage (to tag messages) and the caller's context.
struct ServicesHost {
    const LoadedStage* stage;
    const ProcessContext* context;
};

const char* level_name(int level) {
    switch (level) {
        case LBX_LOG_ERROR: return "error";
        case LBX_LOG_WARNING: return "warning";
        case LBX_LOG_INFO: return "info";
        default: return "debug";
    }
}

// Messages are one line: a plugin's newlines would forge log lines; very long ones are cut.
constexpr std::size_t kMaxLogMessage = 2000;

void services_log(void* host, lbx_log_level level, const char* message) noexcept {
    if (message == nullptr) return;
    const auto* h = static_cast<const ServicesHost*>(host);
    try {
        std::string line(message, strnlen(message, kMaxLogMessage));
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        std::replace_if(line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
        const int lvl = level >= LBX_LOG_ERROR && level <= LBX_LOG_DEBUG ? level : LBX_LOG_DEBUG;
        if (h->context->log) {
            h->context->log(*h->stage, lvl, line);
        } else if (lvl != LBX_LOG_DEBUG) {
            // No log given (a CLI run, a test): one write per line, so lines from threads do not mix.
            // Debug lines are dropped here: one per file would bury a long run's output.
            const std::string out = "[" + h->stage->plugin->id + "] " + level_name(lvl) + ": " + line + "\n";
            std::fwrite(out.data(), 1, out.size(), stderr);
        }
    } catch (...) {
        // A message is not worth failing the file for.
    }
}

int32_t services_should_stop(void* host) noexcept {
    const auto* h = static_cast<const ServicesHost*>(host);
    try {
        return h->context->should_stop && h->context->should_stop() ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

// The services of one call; `host` must outlive the call.
lbx_host_services make_services(const ServicesHost& host) {
    return lbx_host_services{sizeof(lbx_host_services), const_cast<ServicesHost*>(&host), &services_log,
                             &services_should_stop, host.context->threads_hint};
}

// ------------------------------------------------------------------------------ decode: image sink
struct DecodeHost {
    const DecodeLimits* limits;
    Image image;
    bool source_size_set = false;
    bool allocated = false;
    std::string failure;  // set when the host refused a request
};

lbx_status sink_add_metadata_block(void* host, const char* kind, const uint8_t* data, size_t size,
                                   lbx_error* error) noexcept {
    auto* h = static_cast<DecodeHost*>(host);
    if (kind == nullptr || (std::string_view(kind) != LBX_METADATA_BLOCK_EXIF &&
                            std::string_view(kind) != LBX_METADATA_BLOCK_XMP)) {
        set_error(error, LBX_E_INVALID_PARAM,
                  std::string("unknown metadata block kind '") + (kind ? kind : "(null)") + "' (expected exif or xmp)");
        return LBX_E_INVALID_PARAM;
    }
    if (data == nullptr || size == 0) {
        set_error(error, LBX_E_INVALID_PARAM, std::string("empty ") + kind + " block");
        return LBX_E_INVALID_PARAM;
    }
    if (size > kMaxMetadataBlockBytes || h->image.metadata_blocks.size() >= kMaxMetadataBlocks) {
        set_error(error, LBX_E_TOO_LARGE,
                  std::string(kind) + " block of " + std::to_string(size) + " bytes refused (at most " +
                      std::to_string(kMaxMetadataBlocks) + " blocks of " + std::to_string(kMaxMetadataBlockBytes) +
                      " bytes)");
        return LBX_E_TOO_LARGE;
    }
    try {
        h->image.metadata_blocks.push_back(MetadataBlock{kind, {data, data + size}});
    } catch (const std::bad_alloc&) {
        set_error(error, LBX_E_NO_MEMORY, "out of memory");
        return LBX_E_NO_MEMORY;
    }
    return LBX_OK;
}

lbx_status sink_set_source_size(void* host, uint32_t width, uint32_t height, lbx_error* error) noexcept {
    auto* h = static_cast<DecodeHost*>(host);
    const uint64_t pixels = uint64_t(width) * height;
    if (width == 0 || height == 0) {
        set_error(error, LBX_E_CORRUPT, "image has no pixels (" + std::to_string(width) + "x" + std::to_string(height) + ")");
        return LBX_E_CORRUPT;
    }
    if (pixels > h->limits->max_pixels) {
        set_error(error, LBX_E_TOO_LARGE,
                  "image is " + std::to_string(width) + "x" + std::to_string(height) + " (" + megapixels(pixels) +
                      " MP), over the limit of " + megapixels(h->limits->max_pixels) + " MP");
        return LBX_E_TOO_LARGE;
    }
    h->image.source_width = width;
    h->image.source_height = height;
    h->source_size_set = true;
    return LBX_OK;
}

uint8_t* sink_allocate(void* host, uint32_t width, uint32_t height, lbx_pixel_format format, uint32_t flags,
                       uint32_t* stride) noexcept {
    auto* h = static_cast<DecodeHost*>(host);
    if (h->allocated || format != LBX_PIXEL_RGB8 || width == 0 || height == 0 || stride == nullptr) {
        h->failure = "decoder asked for an invalid output buffer";
        return nullptr;
    }
    if (uint64_t(width) * height > h->limits->max_pixels) {
        h->failure = "decoder asked for " + std::to_string(width) + "x" + std::to_string(height) +
                     " pixels, over the limit of " + megapixels(h->limits->max_pixels) + " MP";
        return nullptr;
    }
    try {
        h->image.pixels.resize(std::size_t(width) * height * 3);
    } catch (const std::bad_alloc&) {
        h->failure = "out of memory for a " + std::to_string(width) + "x" + std::to_string(height) + " image";
        return nullptr;
    }
    h->image.width = width;
    h->image.height = height;
    h->image.stride = width * 3;
    h->image.flags = flags;
    h->allocated = true;
    *stride = h->image.stride;
    return h->image.pixels.data();
}

// ------------------------------------------------------------------------- metadata: sink and view
void meta_add_entry(void* host, const char* key, const char* value) noexcept {
    if (key == nullptr || value == nullptr) return;
    try {
        static_cast<Metadata*>(host)->entries.emplace_back(key, value);
    } catch (...) {
    }
}

void meta_set_printed(void* host, const char* key, const char* printed) noexcept {
    if (key == nullptr || printed == nullptr) return;
    try {
        static_cast<Metadata*>(host)->printed[key] = printed;
    } catch (...) {
    }
}

// The sink of a run that keeps only the summary: what a stage adds anyway goes nowhere.
void meta_drop_entry(void*, const char*, const char*) noexcept {}

void meta_set_text(void* host, const char* field, const char* value) noexcept {
    if (field == nullptr || value == nullptr) return;
    try {
        static_cast<Metadata*>(host)->text[field] = value;
    } catch (...) {
    }
}

void meta_set_number(void* host, const char* field, double value) noexcept {
    if (field == nullptr || !std::isfinite(value)) return;
    try {
        static_cast<Metadata*>(host)->numbers[field] = value;
    } catch (...) {
    }
}

lbx_metadata_sink make_metadata_sink(Metadata& metadata, const lbx_host_services& services, bool entries_wanted) {
    lbx_metadata_sink sink{sizeof(lbx_metadata_sink), &metadata, &meta_add_entry, &meta_set_text, &meta_set_number,
                           &services, &meta_set_printed, 0};
    if (!entries_wanted) {
        sink.add_entry = &meta_drop_entry;
        sink.set_printed = &meta_drop_entry;
        sink.flags = LBX_METADATA_SUMMARY_ONLY;
    }
    return sink;
}

const char* view_get_text(void* host, const char* field) noexcept {
    if (field == nullptr) return nullptr;
    const auto* m = static_cast<const Metadata*>(host);
    auto it = m->text.find(field);
    return it == m->text.end() ? nullptr : it->second.c_str();
}

int32_t view_get_number(void* host, const char* field, double* value) noexcept {
    if (field == nullptr || value == nullptr) return 0;
    const auto* m = static_cast<const Metadata*>(host);
    auto it = m->numbers.find(field);
    if (it == m->numbers.end()) return 0;
    *value = it->second;
    return 1;
}

const char* view_get_entry(void* host, const char* key) noexcept {
    if (key == nullptr) return nullptr;
    for (const auto& [k, v] : static_cast<const Metadata*>(host)->entries)
        if (k == key) return v.c_str();
    return nullptr;
}

lbx_metadata_view make_view(const Metadata& metadata) {
    return lbx_metadata_view{sizeof(lbx_metadata_view), const_cast<Metadata*>(&metadata), &view_get_text,
                             &view_get_number, &view_get_entry};
}

lbx_source make_source(const Source& source) {
    return lbx_source{sizeof(lbx_source), source.bytes.data(), source.bytes.size(), source.path.c_str(),
                      source.format.c_str()};
}

// ------------------------------------------------------------------------------------ tag: sink
struct TagHost {
    std::vector<Tag> tags;
    std::string source;
    std::size_t earlier_regions = 0;  // regions of earlier stages (the input view)
    std::vector<Region> regions;      // found by this call
    // Embeddings set on earlier regions, applied after the call: the stage may still be reading the
    // input view that points into those regions.
    std::vector<std::pair<uint32_t, std::pair<std::string, std::vector<float>>>> embeddings;
};

void tag_add(void* host, const char* name, const char* category, double confidence) noexcept {
    if (name == nullptr || name[0] == '\0') return;
    try {
        auto* h = static_cast<TagHost*>(host);
        if (!std::isfinite(confidence)) confidence = 0;
        h->tags.push_back(Tag{name, category ? category : "", std::clamp(confidence, 0.0, 1.0), h->source});
    } catch (...) {
    }
}

constexpr std::size_t kMaxRegionText = 128;

// A lower-case word of at most kMaxRegionText bytes: kinds and model names are keys, not prose.
bool is_region_key(const char* text) {
    if (text == nullptr || text[0] == '\0') return false;
    const std::size_t n = strnlen(text, kMaxRegionText + 1);
    if (n > kMaxRegionText) return false;
    return std::all_of(text, text + n, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    });
}

bool finite_all(const float* values, std::size_t count) {
    return std::all_of(values, values + count, [](float v) { return std::isfinite(v); });
}

lbx_status refuse(lbx_error* error, lbx_status code, const std::string& message) {
    set_error(error, code, message);
    return code;
}

lbx_status check_embedding(const char* model, const float* values, uint32_t count, lbx_error* error) {
    if (!is_region_key(model))
        return refuse(error, LBX_E_INVALID_PARAM, "an embedding needs a model name (lower-case, at most 128 characters)");
    if (values == nullptr || count == 0) return refuse(error, LBX_E_INVALID_PARAM, "empty embedding");
    if (count > LBX_MAX_EMBEDDING_SIZE)
        return refuse(error, LBX_E_TOO_LARGE, "embedding of " + std::to_string(count) + " values (at most " +
                                                  std::to_string(LBX_MAX_EMBEDDING_SIZE) + ")");
    if (!finite_all(values, count)) return refuse(error, LBX_E_INVALID_PARAM, "embedding holds a NaN or infinite value");
    return LBX_OK;
}

lbx_status tag_add_region(void* host, const lbx_region* region, lbx_error* error) noexcept {
    auto* h = static_cast<TagHost*>(host);
    if (region == nullptr || !LBX_HAS_FIELD(region, lbx_region, embedding_model))
        return refuse(error, LBX_E_INVALID_PARAM, "region struct too small");
    if (!is_region_key(region->kind))
        return refuse(error, LBX_E_INVALID_PARAM, "a region needs a kind (lower-case, at most 128 characters)");
    if (h->earlier_regions + h->regions.size() >= LBX_MAX_REGIONS)
        return refuse(error, LBX_E_TOO_LARGE, "more than " + std::to_string(LBX_MAX_REGIONS) + " regions in one file");
    const double box[] = {region->x, region->y, region->width, region->height};
    constexpr double kSlack = 1e-3;  // rounding of a box that touches the edge
    if (!std::all_of(std::begin(box), std::end(box), [](double v) { return std::isfinite(v); }) || region->x < -kSlack ||
        region->y < -kSlack || region->width <= 0 || region->height <= 0 || region->x + region->width > 1 + kSlack ||
        region->y + region->height > 1 + kSlack)
        return refuse(error, LBX_E_INVALID_PARAM, "region box outside the image (fractions in [0, 1], width and height above 0)");
    if (region->point_count > LBX_MAX_REGION_POINTS)
        return refuse(error, LBX_E_TOO_LARGE, std::to_string(region->point_count) + " keypoints (at most " +
                                                  std::to_string(LBX_MAX_REGION_POINTS) + ")");
    if (region->point_count > 0 && (region->points == nullptr || !finite_all(region->points, 2u * region->point_count)))
        return refuse(error, LBX_E_INVALID_PARAM, "keypoints missing or not finite");
    if (region->embedding != nullptr || region->embedding_size != 0) {
        if (lbx_status s = check_embedding(region->embedding_model, region->embedding, region->embedding_size, error); s != LBX_OK)
            return s;
    }
    try {
        Region r;
        r.kind = region->kind;
        if (region->label != nullptr) r.label.assign(region->label, strnlen(region->label, kMaxRegionText));
        r.confidence = std::isfinite(region->confidence) ? std::clamp(region->confidence, 0.0, 1.0) : 0.0;
        r.x = std::clamp(region->x, 0.0, 1.0);
        r.y = std::clamp(region->y, 0.0, 1.0);
        r.width = std::min(region->width, 1.0 - r.x);
        r.height = std::min(region->height, 1.0 - r.y);
        r.points.reserve(2u * region->point_count);
        for (uint32_t i = 0; i < 2u * region->point_count; ++i) r.points.push_back(std::clamp(region->points[i], 0.0f, 1.0f));
        r.quality = std::isfinite(region->quality) ? std::clamp(region->quality, 0.0, 1.0) : 0.0;
        if (region->embedding != nullptr && region->embedding_size > 0) {
            r.embedding.assign(region->embedding, region->embedding + region->embedding_size);
            r.embedding_model = region->embedding_model;
        }
        r.source = h->source;
        h->regions.push_back(std::move(r));
    } catch (const std::bad_alloc&) {
        return refuse(error, LBX_E_NO_MEMORY, "out of memory");
    }
    return LBX_OK;
}

lbx_status tag_set_embedding(void* host, uint32_t region_index, const char* model, const float* values, uint32_t count,
                             lbx_error* error) noexcept {
    auto* h = static_cast<TagHost*>(host);
    if (region_index >= h->earlier_regions)
        return refuse(error, LBX_E_INVALID_PARAM, "no region " + std::to_string(region_index) + " in the input (it has " +
                                                      std::to_string(h->earlier_regions) + ")");
    if (lbx_status s = check_embedding(model, values, count, error); s != LBX_OK) return s;
    try {
        h->embeddings.push_back({region_index, {model, std::vector<float>(values, values + count)}});
    } catch (const std::bad_alloc&) {
        return refuse(error, LBX_E_NO_MEMORY, "out of memory");
    }
    return LBX_OK;
}

lbx_region region_view(const Region& r) {
    lbx_region v{};
    v.struct_size = sizeof(lbx_region);
    v.kind = r.kind.c_str();
    v.label = r.label.c_str();
    v.confidence = r.confidence;
    v.x = r.x;
    v.y = r.y;
    v.width = r.width;
    v.height = r.height;
    v.points = r.points.empty() ? nullptr : r.points.data();
    v.point_count = static_cast<uint32_t>(r.points.size() / 2);
    v.quality = r.quality;
    v.embedding = r.embedding.empty() ? nullptr : r.embedding.data();
    v.embedding_size = static_cast<uint32_t>(r.embedding.size());
    v.embedding_model = r.embedding_model.empty() ? nullptr : r.embedding_model.c_str();
    v.source = r.source.c_str();
    return v;
}

// ------------------------------------------------------------------------------ thumbnail: sink
lbx_status thumb_emit(void* host, uint32_t size, uint32_t width, uint32_t height, const char* mime_type,
                      const uint8_t* data, size_t data_size, lbx_error* error) noexcept {
    if (data == nullptr || data_size == 0 || width == 0 || height == 0) {
        set_error(error, LBX_E_INVALID_PARAM, "empty thumbnail");
        return LBX_E_INVALID_PARAM;
    }
    try {
        static_cast<std::vector<EncodedThumbnail>*>(host)->push_back(
            EncodedThumbnail{size, width, height, mime_type ? mime_type : "image/jpeg", {data, data + data_size}});
    } catch (const std::bad_alloc&) {
        set_error(error, LBX_E_NO_MEMORY, "out of memory");
        return LBX_E_NO_MEMORY;
    }
    return LBX_OK;
}

}  // namespace

StageInstance::StageInstance(const LoadedStage& stage, void* instance, std::vector<ParamValue> params)
    : stage_(&stage), instance_(instance), params_(std::move(params)) {}

StageInstance::StageInstance(StageInstance&& other) noexcept
    : stage_(other.stage_), instance_(std::exchange(other.instance_, nullptr)), params_(std::move(other.params_)) {}

StageInstance& StageInstance::operator=(StageInstance&& other) noexcept {
    if (this != &other) {
        if (instance_ && stage_->desc->destroy) stage_->desc->destroy(instance_);
        stage_ = other.stage_;
        instance_ = std::exchange(other.instance_, nullptr);
        params_ = std::move(other.params_);
    }
    return *this;
}

StageInstance::~StageInstance() {
    if (instance_ && stage_->desc->destroy) stage_->desc->destroy(instance_);
}

Expected<StageInstance> StageInstance::create(const LoadedStage& stage, std::vector<ParamValue> params) {
    std::vector<lbx_param_value> values;
    values.reserve(params.size());
    for (const ParamValue& p : params) {
        lbx_param_value v{};
        v.struct_size = sizeof(lbx_param_value);
        v.name = p.name.c_str();
        v.type = p.type;
        v.bool_value = p.bool_value ? 1 : 0;
        v.int_value = p.int_value;
        v.double_value = p.double_value;
        v.string_value = p.string_value.c_str();
        v.int_list = p.int_list.data();
        v.int_list_size = static_cast<uint32_t>(p.int_list.size());
        values.push_back(v);
    }
    lbx_param_set set{sizeof(lbx_param_set), values.data(), static_cast<uint32_t>(values.size())};
    void* instance = nullptr;
    if (stage.desc->create != nullptr) {
        lbx_error error = empty_error();
        lbx_status s = stage.desc->create(&set, &instance, &error);
        if (s != LBX_OK) {
            std::string msg = error.message[0] ? error.message : std::string("failed with code ") + status_code_name(s);
            return unexpected(make_error("plugin", status_code_name(s),
                                         "stage '" + stage.id + "' of plugin '" + stage.plugin->id + "': " + msg));
        }
    }
    return StageInstance(stage, instance, std::move(params));
}

StageInstance StageInstance::plan(const LoadedStage& stage, std::vector<ParamValue> params) {
    return StageInstance(stage, nullptr, std::move(params));
}

Error StageInstance::stage_error(const lbx_error& error, int32_t status) const {
    std::string message = error.message[0] ? std::string(error.message) : std::string("failed with code ") + status_code_name(status);
    return make_error(stage_kind_name(stage_->kind), status_code_name(status), std::move(message),
                      "stage " + stage_->id + " of plugin " + stage_->plugin->id + " " + stage_->plugin->version);
}

Expected<Image> StageInstance::decode(const Source& source, uint32_t min_long_edge, const DecodeLimits& limits,
                                      const ProcessContext& context) const {
    DecodeHost host{&limits, {}, false, false, {}};
    const ServicesHost services_host{stage_, &context};
    const lbx_host_services services = make_services(services_host);
    lbx_image_sink sink{sizeof(lbx_image_sink), &host,     &sink_set_source_size, &sink_allocate,
                        &services,              &sink_add_metadata_block};
    lbx_decode_request request{sizeof(lbx_decode_request), make_source(source), min_long_edge};
    lbx_error error = empty_error();
    lbx_status s = stage_->desc->decode(instance_, &request, &sink, &error);
    if (s != LBX_OK) {
        if (!host.failure.empty() && error.message[0] == '\0') set_error(&error, s, host.failure);
        return unexpected(stage_error(error, s));
    }
    if (!host.allocated) {
        set_error(&error, LBX_E_INTERNAL, host.failure.empty() ? "decoder returned no pixels" : host.failure);
        return unexpected(stage_error(error, LBX_E_INTERNAL));
    }
    if (!host.source_size_set) {
        host.image.source_width = host.image.width;
        host.image.source_height = host.image.height;
    }
    return std::move(host.image);
}

Expected<void> StageInstance::read_metadata(const Source& source, Metadata& metadata, const ProcessContext& context,
                                            bool entries_wanted) const {
    const ServicesHost services_host{stage_, &context};
    const lbx_host_services services = make_services(services_host);
    const lbx_metadata_sink sink = make_metadata_sink(metadata, services, entries_wanted);
    lbx_source src = make_source(source);
    lbx_error error = empty_error();
    lbx_status s = stage_->desc->read_metadata(instance_, &src, &sink, &error);
    if (s != LBX_OK) return unexpected(stage_error(error, s));
    return {};
}

bool StageInstance::reads_metadata_blocks() const {
    // A descriptor built against API 1.0 ends before read_metadata_block: never read past its size.
    return stage_->kind == LBX_STAGE_METADATA && LBX_HAS_FIELD(stage_->desc, lbx_stage_desc, read_metadata_block) &&
           stage_->desc->read_metadata_block != nullptr;
}

Expected<void> StageInstance::read_metadata_block(const Source& source, const MetadataBlock& block, Metadata& metadata,
                                                  const ProcessContext& context, bool entries_wanted) const {
    if (!reads_metadata_blocks()) {
        return unexpected(make_error(stage_kind_name(stage_->kind), status_code_name(LBX_E_UNSUPPORTED),
                                     "stage '" + stage_->id + "' reads no metadata blocks",
                                     "file " + source.path));
    }
    const ServicesHost services_host{stage_, &context};
    const lbx_host_services services = make_services(services_host);
    const lbx_metadata_sink sink = make_metadata_sink(metadata, services, entries_wanted);
    const lbx_metadata_block b{sizeof(lbx_metadata_block), block.kind.c_str(), block.data.data(), block.data.size()};
    lbx_error error = empty_error();
    lbx_status s = stage_->desc->read_metadata_block(instance_, &b, &sink, &error);
    if (s != LBX_OK) return unexpected(stage_error(error, s));
    return {};
}

Expected<std::vector<Tag>> StageInstance::tag(const Source& source, const Image* image, const Metadata& metadata,
                                              const ProcessContext& context, uint32_t orientation,
                                              std::vector<Region>* regions) const {
    TagHost host{{}, stage_->plugin->id, regions ? regions->size() : 0, {}, {}};
    const ServicesHost services_host{stage_, &context};
    const lbx_host_services services = make_services(services_host);
    lbx_tag_sink sink{sizeof(lbx_tag_sink), &host, &tag_add, &services, &tag_add_region, &tag_set_embedding};
    lbx_source src = make_source(source);
    lbx_metadata_view view = make_view(metadata);
    lbx_image img{};
    if (image != nullptr) img = image->view();
    std::vector<lbx_region> earlier;
    if (regions != nullptr) {
        earlier.reserve(regions->size());
        for (const Region& r : *regions) earlier.push_back(region_view(r));
    }
    lbx_tag_input input{sizeof(lbx_tag_input), &src, image ? &img : nullptr, &view,
                        orientation >= 1 && orientation <= 8 ? orientation : 1, earlier.empty() ? nullptr : earlier.data(),
                        static_cast<uint32_t>(earlier.size())};
    lbx_error error = empty_error();
    lbx_status s = stage_->desc->tag(instance_, &input, &sink, &error);
    if (s != LBX_OK) return unexpected(stage_error(error, s));
    if (regions != nullptr) {
        for (auto& [index, embedding] : host.embeddings) {
            (*regions)[index].embedding_model = std::move(embedding.first);
            (*regions)[index].embedding = std::move(embedding.second);
        }
        regions->insert(regions->end(), std::make_move_iterator(host.regions.begin()),
                        std::make_move_iterator(host.regions.end()));
    }
    return std::move(host.tags);
}

Expected<std::vector<EncodedThumbnail>> StageInstance::thumbnail(const Source& source, const Image& image,
                                                                 const Metadata& metadata, uint32_t orientation,
                                                                 std::span<const uint32_t> sizes,
                                                                 const ProcessContext& context) const {
    std::vector<EncodedThumbnail> out;
    const ServicesHost services_host{stage_, &context};
    const lbx_host_services services = make_services(services_host);
    lbx_thumbnail_sink sink{sizeof(lbx_thumbnail_sink), &out, &thumb_emit, &services};
    lbx_source src = make_source(source);
    lbx_metadata_view view = make_view(metadata);
    lbx_image img = image.view();
    lbx_thumbnail_input input{sizeof(lbx_thumbnail_input), &src, &img, &view,
                              orientation >= 1 && orientation <= 8 ? orientation : 1, sizes.data(),
                              static_cast<uint32_t>(sizes.size())};
    lbx_error error = empty_error();
    lbx_status s = stage_->desc->thumbnail(instance_, &input, &sink, &error);
    if (s != LBX_OK) return unexpected(stage_error(error, s));
    return out;
}

}  // namespace lbx::engine
