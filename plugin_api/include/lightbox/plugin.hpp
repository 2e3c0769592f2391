// Lightbox plugin SDK — the header-only C++ layer over plugin_api.h.
//
// An author writes one class per stage and one LBX_PLUGIN(...) line; this header turns them into the
// plain-C descriptor the host reads. Everything here compiles into the plugin itself, so no STL type or
// exception ever crosses the boundary: the thunks below catch every exception and turn it into a status
// and a message.
//
//   class HelloTagger {
//    public:
//     static constexpr lbx_stage_kind kind = LBX_STAGE_TAG;
//     explicit HelloTagger(const lbx::sdk::Params& params);
//     lbx::sdk::Status tag(const lbx::sdk::TagInput& input, lbx::sdk::TagSink& sink) const;
//   };
//   static const lbx_param_desc kParams[] = {lbx::sdk::param_string("greeting", "hello", "the tag")};
//   static const lbx_stage_desc kStage =
//       lbx::sdk::make_stage<HelloTagger>("hello", "tags every photo", 0, {}, kParams);
//   LBX_PLUGIN("org.example.hello", "Hello tagger", "1.0.0", "MIT", "an example", &kStage)
//
// Regions (API 1.2): a tag stage reports boxes with TagSink::add_region(), sees earlier stages' regions in
// TagInput::regions and the orientation still to apply in TagInput::orientation; make_stage() takes the
// model files a stage loads (lbx_model_desc) for `plugins inspect`.
//
// Host services (API 1.1): every sink has host(), for log messages (host().info("...")), the stop
// check of long stages (host().should_stop()) and the threads hint (host().threads_hint()). A decoder
// hands the raw Exif/XMP of its container with ImageSink::add_metadata_block(); a metadata stage that
// can read such blocks adds `Status read_metadata_block(const MetadataBlock&, MetadataSink&) const`.
//
// See sdk_docs/tutorial.md for the whole walk-through.
#pragma once

#include <lightbox/plugin_api.h>

#include <cstdint>
#include <cstdio>
#include <concepts>
#include <cstddef>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lbx::sdk {

// The result of a stage call: LBX_OK, or a code and a message for the user.
struct Status {
    lbx_status code = LBX_OK;
    std::string message;

    bool ok() const { return code == LBX_OK; }
};

inline Status ok() { return {}; }
inline Status fail(lbx_status code, std::string message) { return {code, std::move(message)}; }

// Thrown by an author's constructor or stage method for a recoverable failure; the thunks turn it into
// a Status, so it never leaves the plugin.
class Error : public std::exception {
public:
    Error(lbx_status code, std::string message) : code_(code), message_(std::move(message)) {}
    lbx_status code() const { return code_; }
    const char* what() const noexcept override { return message_.c_str(); }

private:
    lbx_status code_;
    std::string message_;
};

// ---------------------------------------------------------------------------------------- descriptors

template <std::size_t N>
inline lbx_format_desc format(const char* name, const char* mime_type, const char* extensions,
                              uint32_t magic_offset, const char (&magic)[N]) {
    return {sizeof(lbx_format_desc), name,        mime_type, extensions, magic_offset,
            reinterpret_cast<const uint8_t*>(magic), static_cast<uint32_t>(N - 1)};
}

inline lbx_param_desc param(const char* name, lbx_param_type type, const char* default_value, double min,
                            double max, const char* description) {
    return {sizeof(lbx_param_desc), name, type, default_value, min, max, description};
}
inline lbx_param_desc param_bool(const char* name, const char* default_value, const char* description) {
    return param(name, LBX_PARAM_BOOL, default_value, 1, 0, description);
}
inline lbx_param_desc param_int(const char* name, const char* default_value, double min, double max,
                                const char* description) {
    return param(name, LBX_PARAM_INT, default_value, min, max, description);
}
inline lbx_param_desc param_double(const char* name, const char* default_value, double min, double max,
                                   const char* description) {
    return param(name, LBX_PARAM_DOUBLE, default_value, min, max, description);
}
inline lbx_param_desc param_string(const char* name, const char* default_value, const char* description) {
    return param(name, LBX_PARAM_STRING, default_value, 1, 0, description);
}
inline lbx_param_desc param_path(const char* name, const char* default_value, const char* description) {
    return param(name, LBX_PARAM_PATH, default_value, 1, 0, description);
}
inline lbx_param_desc param_int_list(const char* name, const char* default_value, double min, double max,
                                     const char* description) {
    return param(name, LBX_PARAM_INT_LIST, default_value, min, max, description);
}

// ------------------------------------------------------------------------------------------- wrappers

// The validated parameters handed to a stage's constructor. The host fills in defaults and checks types
// and ranges, so a declared parameter is always present with its declared type.
class Params {
public:
    explicit Params(const lbx_param_set* set) : set_(set) {}

    bool get_bool(std::string_view name) const { return find(name, LBX_PARAM_BOOL).bool_value != 0; }
    int64_t get_int(std::string_view name) const { return find(name, LBX_PARAM_INT).int_value; }
    double get_double(std::string_view name) const { return find(name, LBX_PARAM_DOUBLE).double_value; }
    std::string get_string(std::string_view name) const {
        const lbx_param_value& v = find(name, LBX_PARAM_STRING);
        return v.string_value ? v.string_value : "";
    }
    std::string get_path(std::string_view name) const {
        const lbx_param_value& v = find(name, LBX_PARAM_PATH);
        return v.string_value ? v.string_value : "";
    }
    std::vector<int64_t> get_int_list(std::string_view name) const {
        const lbx_param_value& v = find(name, LBX_PARAM_INT_LIST);
        return {v.int_list, v.int_list + v.int_list_size};
    }

private:
    const lbx_param_value& find(std::string_view name, lbx_param_type type) const {
        if (set_ != nullptr) {
            for (uint32_t i = 0; i < set_->count; ++i) {
                const lbx_param_value& v = set_->values[i];
                if (v.name != nullptr && name == v.name && v.type == type) return v;
            }
        }
        throw Error(LBX_E_INVALID_PARAM, "missing parameter '" + std::string(name) + "'");
    }

    const lbx_param_set* set_;
};

// The host services of one call (plugin API 1.1), reached through a sink's host(). Valid during the
// call only. Without services (a host or test harness that gives none) messages go to stderr, the stop
// check is always false and the threads hint 0.
class Host {
public:
    explicit Host(const lbx_host_services* services) : services_(services) {}

    // One line for the engine's log, tagged with the plugin id by the host. Prefer it to stdout/stderr.
    void log(lbx_log_level level, const std::string& message) const {
        if (LBX_HAS_FIELD(services_, lbx_host_services, log) && services_->log != nullptr) {
            services_->log(services_->host, level, message.c_str());
        } else {
            std::fprintf(stderr, "lightbox plugin: %s\n", message.c_str());
        }
    }
    void error(const std::string& message) const { log(LBX_LOG_ERROR, message); }
    void warning(const std::string& message) const { log(LBX_LOG_WARNING, message); }
    void info(const std::string& message) const { log(LBX_LOG_INFO, message); }
    void debug(const std::string& message) const { log(LBX_LOG_DEBUG, message); }

    // True when the file's work should end: return fail(LBX_E_CANCELLED, ...) soon. Poll it in long loops.
    bool should_stop() const {
        return LBX_HAS_FIELD(services_, lbx_host_services, should_stop) && services_->should_stop != nullptr &&
               services_->should_stop(services_->host) != 0;
    }
    // Threads the stage may use for this file, the calling one included; 0: the host did not say.
    uint32_t threads_hint() const {
        return LBX_HAS_FIELD(services_, lbx_host_services, threads_hint) ? services_->threads_hint : 0;
    }

private:
    const lbx_host_services* services_;
};

namespace detail {
// The services of a sink, or nullptr when the sink predates API 1.1.
template <typename Sink>
const lbx_host_services* services_of(const Sink* sink) {
    return LBX_HAS_FIELD(sink, Sink, services) ? sink->services : nullptr;
}
}  // namespace detail

// The photo file's bytes, shared by all stages.
class Source {
public:
    explicit Source(const lbx_source& source) : source_(source) {}
    std::span<const uint8_t> bytes() const { return {source_.data, source_.size}; }
    std::string_view path() const { return source_.path ? source_.path : ""; }
    std::string_view format() const { return source_.format ? source_.format : ""; }

private:
    const lbx_source& source_;
};

class ImageView {
public:
    explicit ImageView(const lbx_image& image) : image_(image) {}
    uint32_t width() const { return image_.width; }
    uint32_t height() const { return image_.height; }
    uint32_t stride() const { return image_.stride; }
    const uint8_t* row(uint32_t y) const { return image_.pixels + static_cast<std::size_t>(y) * image_.stride; }
    const lbx_image& raw() const { return image_; }

private:
    const lbx_image& image_;
};

class MetadataView {
public:
    explicit MetadataView(const lbx_metadata_view* view) : view_(view) {}
    std::optional<std::string> text(const char* field) const {
        if (view_ == nullptr) return std::nullopt;
        const char* v = view_->get_text(view_->host, field);
        return v ? std::optional<std::string>(v) : std::nullopt;
    }
    std::optional<double> number(const char* field) const {
        double v = 0;
        if (view_ == nullptr || view_->get_number(view_->host, field, &v) == 0) return std::nullopt;
        return v;
    }
    std::optional<std::string> entry(const char* key) const {
        if (view_ == nullptr) return std::nullopt;
        const char* v = view_->get_entry(view_->host, key);
        return v ? std::optional<std::string>(v) : std::nullopt;
    }

private:
    const lbx_metadata_view* view_;
};

struct DecodeRequest {
    Source source;
    uint32_t min_long_edge;
};

class ImageSink {
public:
    explicit ImageSink(const lbx_image_sink* sink) : sink_(sink) {}
    // Report the stored size as soon as the header is read; a non-ok result must be returned as is.
    Status set_source_size(uint32_t width, uint32_t height) const {
        lbx_error error{sizeof(lbx_error), LBX_OK, {}};
        lbx_status s = sink_->set_source_size(sink_->host, width, height, &error);
        return s == LBX_OK ? ok() : fail(s, error.message);
    }
    // A host-owned RGB8 buffer; nullptr when the host cannot provide it.
    uint8_t* allocate(uint32_t width, uint32_t height, uint32_t flags, uint32_t& stride) const {
        return sink_->allocate(sink_->host, width, height, LBX_PIXEL_RGB8, flags, &stride);
    }
    // Hands a raw Exif (LBX_METADATA_BLOCK_EXIF) or XMP (LBX_METADATA_BLOCK_XMP) block of the container to
    // the host's metadata stage (API 1.1); the host copies it. A failure only loses that block: a decoder
    // usually ignores it.
    Status add_metadata_block(const char* kind, std::span<const uint8_t> data) const {
        if (!LBX_HAS_FIELD(sink_, lbx_image_sink, add_metadata_block) || sink_->add_metadata_block == nullptr)
            return fail(LBX_E_UNSUPPORTED, "the host takes no metadata blocks (plugin API 1.0)");
        lbx_error error{sizeof(lbx_error), LBX_OK, {}};
        lbx_status s = sink_->add_metadata_block(sink_->host, kind, data.data(), data.size(), &error);
        return s == LBX_OK ? ok() : fail(s, error.message);
    }
    Host host() const { return Host(detail::services_of(sink_)); }

private:
    const lbx_image_sink* sink_;
};

class MetadataSink {
public:
    explicit MetadataSink(const lbx_metadata_sink* sink) : sink_(sink) {}
    void entry(const std::string& key, const std::string& value) const {
        sink_->add_entry(sink_->host, key.c_str(), value.c_str());
    }
    void text(const char* field, const std::string& value) const {
        sink_->set_text(sink_->host, field, value.c_str());
    }
    void number(const char* field, double value) const { sink_->set_number(sink_->host, field, value); }
    // API 1.3: how people read the value of entry `key` ("F2.8" for "14/5"). Dropped on an older host.
    void printed(const std::string& key, const std::string& value) const {
        if (LBX_HAS_FIELD(sink_, lbx_metadata_sink, set_printed) && sink_->set_printed != nullptr)
            sink_->set_printed(sink_->host, key.c_str(), value.c_str());
    }
    // API 1.4: false when the host keeps only the summary (text and number): entries and printed values
    // may be skipped. An older host's sink has no flags: it wants them.
    bool wants_entries() const {
        return !LBX_HAS_FIELD(sink_, lbx_metadata_sink, flags) || (sink_->flags & LBX_METADATA_SUMMARY_ONLY) == 0;
    }
    Host host() const { return Host(detail::services_of(sink_)); }

private:
    const lbx_metadata_sink* sink_;
};

// A raw metadata block a decoder handed over (API 1.1): kind is LBX_METADATA_BLOCK_EXIF or _XMP.
struct MetadataBlock {
    std::string_view kind;
    std::span<const uint8_t> data;
};

struct TagInput {
    Source source;
    std::optional<ImageView> image;
    MetadataView metadata;
    // API 1.2: the EXIF orientation (1..8) still to apply to `image` to show it upright (1 from older
    // hosts), and the regions earlier stages found in this file (empty from older hosts).
    uint32_t orientation = 1;
    std::span<const lbx_region> regions;
};

// A region to report (API 1.2): a box in fractions of the upright image, see lbx_region.
struct Region {
    std::string kind = LBX_REGION_OBJECT;
    std::string label;
    double confidence = 0;
    double x = 0, y = 0, width = 0, height = 0;
    std::vector<float> points;  // (x, y) pairs
    double quality = 0;
    std::vector<float> embedding;
    std::string embedding_model;
};

class TagSink {
public:
    explicit TagSink(const lbx_tag_sink* sink) : sink_(sink) {}
    void add(const std::string& name, const std::string& category, double confidence) const {
        sink_->add_tag(sink_->host, name.c_str(), category.c_str(), confidence);
    }
    // False on a host older than API 1.2: there is nowhere to put regions.
    bool takes_regions() const { return LBX_HAS_FIELD(sink_, lbx_tag_sink, set_embedding) && sink_->add_region != nullptr; }
    Status add_region(const Region& region) const {
        if (!takes_regions()) return fail(LBX_E_UNSUPPORTED, "the host takes no regions (plugin API before 1.2)");
        lbx_region r{};
        r.struct_size = sizeof(lbx_region);
        r.kind = region.kind.c_str();
        r.label = region.label.c_str();
        r.confidence = region.confidence;
        r.x = region.x;
        r.y = region.y;
        r.width = region.width;
        r.height = region.height;
        r.points = region.points.empty() ? nullptr : region.points.data();
        r.point_count = static_cast<uint32_t>(region.points.size() / 2);
        r.quality = region.quality;
        r.embedding = region.embedding.empty() ? nullptr : region.embedding.data();
        r.embedding_size = static_cast<uint32_t>(region.embedding.size());
        r.embedding_model = region.embedding_model.empty() ? nullptr : region.embedding_model.c_str();
        lbx_error error{sizeof(lbx_error), LBX_OK, {}};
        lbx_status s = sink_->add_region(sink_->host, &r, &error);
        return s == LBX_OK ? ok() : fail(s, error.message);
    }
    // Attaches an embedding to TagInput::regions[index], a region an earlier stage found.
    Status set_embedding(uint32_t index, const std::string& model, std::span<const float> values) const {
        if (!takes_regions()) return fail(LBX_E_UNSUPPORTED, "the host takes no regions (plugin API before 1.2)");
        lbx_error error{sizeof(lbx_error), LBX_OK, {}};
        lbx_status s = sink_->set_embedding(sink_->host, index, model.c_str(), values.data(),
                                            static_cast<uint32_t>(values.size()), &error);
        return s == LBX_OK ? ok() : fail(s, error.message);
    }
    Host host() const { return Host(detail::services_of(sink_)); }

private:
    const lbx_tag_sink* sink_;
};

struct ThumbnailInput {
    Source source;
    ImageView image;
    MetadataView metadata;
    uint32_t orientation;
    std::span<const uint32_t> sizes;
};

class ThumbnailSink {
public:
    explicit ThumbnailSink(const lbx_thumbnail_sink* sink) : sink_(sink) {}
    Status emit(uint32_t size, uint32_t width, uint32_t height, const char* mime_type,
                std::span<const uint8_t> data) const {
        lbx_error error{sizeof(lbx_error), LBX_OK, {}};
        lbx_status s =
            sink_->emit(sink_->host, size, width, height, mime_type, data.data(), data.size(), &error);
        return s == LBX_OK ? ok() : fail(s, error.message);
    }
    Host host() const { return Host(detail::services_of(sink_)); }

private:
    const lbx_thumbnail_sink* sink_;
};

// --------------------------------------------------------------------------------------------- thunks

namespace detail {

inline lbx_status report(lbx_error* error, lbx_status code, const char* message) {
    if (error != nullptr) {
        error->code = code;
        std::strncpy(error->message, message, LBX_ERROR_MESSAGE_MAX - 1);
        error->message[LBX_ERROR_MESSAGE_MAX - 1] = '\0';
    }
    return code;
}

// Runs `body` and converts any escaping exception into a status: nothing is thrown across the C ABI.
template <typename Body>
lbx_status guarded(lbx_error* error, Body&& body) noexcept {
    try {
        Status s = body();
        return s.ok() ? LBX_OK : report(error, s.code == LBX_OK ? LBX_E_INTERNAL : s.code, s.message.c_str());
    } catch (const Error& e) {
        return report(error, e.code(), e.what());
    } catch (const std::bad_alloc&) {
        return report(error, LBX_E_NO_MEMORY, "out of memory");
    } catch (const std::exception& e) {
        return report(error, LBX_E_INTERNAL, e.what());
    } catch (...) {
        return report(error, LBX_E_INTERNAL, "unknown exception in plugin");
    }
}

template <typename T>
lbx_status create(const lbx_param_set* params, void** instance, lbx_error* error) {
    return guarded(error, [&] {
        *instance = std::make_unique<T>(Params(params)).release();
        return ok();
    });
}

template <typename T>
void destroy(void* instance) {
    std::unique_ptr<T> owned(static_cast<T*>(instance));
}

template <typename T>
lbx_status decode(void* instance, const lbx_decode_request* request, const lbx_image_sink* sink,
                  lbx_error* error) {
    return guarded(error, [&] {
        ImageSink image_sink(sink);
        return static_cast<const T*>(instance)->decode(DecodeRequest{Source(request->source), request->min_long_edge},
                                                        image_sink);
    });
}

template <typename T>
lbx_status read_metadata(void* instance, const lbx_source* source, const lbx_metadata_sink* sink,
                         lbx_error* error) {
    return guarded(error, [&] {
        MetadataSink metadata_sink(sink);
        return static_cast<const T*>(instance)->read_metadata(Source(*source), metadata_sink);
    });
}

template <typename T>
lbx_status read_metadata_block(void* instance, const lbx_metadata_block* block, const lbx_metadata_sink* sink,
                               lbx_error* error) {
    return guarded(error, [&] {
        MetadataSink metadata_sink(sink);
        MetadataBlock b{block->kind ? block->kind : "", std::span<const uint8_t>(block->data, block->size)};
        return static_cast<const T*>(instance)->read_metadata_block(b, metadata_sink);
    });
}

// A metadata stage class that can read raw blocks (optional, API 1.1).
template <typename T>
concept ReadsMetadataBlocks = requires(const T& stage, const MetadataBlock& block, MetadataSink& sink) {
    { stage.read_metadata_block(block, sink) } -> std::same_as<Status>;
};

template <typename T>
lbx_status tag(void* instance, const lbx_tag_input* input, const lbx_tag_sink* sink, lbx_error* error) {
    return guarded(error, [&] {
        TagSink tag_sink(sink);
        std::optional<ImageView> image;
        if (input->image != nullptr) image.emplace(*input->image);
        TagInput in{Source(*input->source), image, MetadataView(input->metadata)};
        if (LBX_HAS_FIELD(input, lbx_tag_input, region_count)) {
            if (input->orientation >= 1 && input->orientation <= 8) in.orientation = input->orientation;
            if (input->regions != nullptr) in.regions = std::span<const lbx_region>(input->regions, input->region_count);
        }
        return static_cast<const T*>(instance)->tag(in, tag_sink);
    });
}

template <typename T>
lbx_status thumbnail(void* instance, const lbx_thumbnail_input* input, const lbx_thumbnail_sink* sink,
                     lbx_error* error) {
    return guarded(error, [&] {
        ThumbnailSink thumbnail_sink(sink);
        ThumbnailInput in{Source(*input->source), ImageView(*input->image), MetadataView(input->metadata),
                          input->orientation, std::span<const uint32_t>(input->sizes, input->size_count)};
        return static_cast<const T*>(instance)->thumbnail(in, thumbnail_sink);
    });
}

}  // namespace detail

// Builds the C descriptor of stage class T. T declares `static constexpr lbx_stage_kind kind`, a
// constructor taking `const Params&`, and the const method matching its kind:
//   decode(const DecodeRequest&, ImageSink&), read_metadata(const Source&, MetadataSink&),
//   tag(const TagInput&, TagSink&) or thumbnail(const ThumbnailInput&, ThumbnailSink&), each returning Status.
// A metadata stage may also declare read_metadata_block(const MetadataBlock&, MetadataSink&) (API 1.1).
// `formats` and `params` must be arrays with static storage: the descriptor points into them.
template <typename T>
lbx_stage_desc make_stage(const char* id, const char* description, int32_t priority,
                          std::span<const lbx_format_desc> formats, std::span<const lbx_param_desc> params,
                          std::span<const lbx_model_desc> models = {}) {
    lbx_stage_desc d{};
    d.struct_size = sizeof(lbx_stage_desc);
    d.id = id;
    d.kind = T::kind;
    d.description = description;
    d.priority = priority;
    d.formats = formats.empty() ? nullptr : formats.data();
    d.format_count = static_cast<uint32_t>(formats.size());
    d.params = params.empty() ? nullptr : params.data();
    d.param_count = static_cast<uint32_t>(params.size());
    d.models = models.empty() ? nullptr : models.data();
    d.model_count = static_cast<uint32_t>(models.size());
    d.create = &detail::create<T>;
    d.destroy = &detail::destroy<T>;
    if constexpr (T::kind == LBX_STAGE_DECODE) d.decode = &detail::decode<T>;
    if constexpr (T::kind == LBX_STAGE_METADATA) d.read_metadata = &detail::read_metadata<T>;
    if constexpr (T::kind == LBX_STAGE_METADATA && detail::ReadsMetadataBlocks<T>)
        d.read_metadata_block = &detail::read_metadata_block<T>;
    if constexpr (T::kind == LBX_STAGE_TAG) d.tag = &detail::tag<T>;
    if constexpr (T::kind == LBX_STAGE_THUMBNAIL) d.thumbnail = &detail::thumbnail<T>;
    return d;
}

}  // namespace lbx::sdk

// Declares the plugin: its identity and its stages (pointers to lbx_stage_desc objects with static
// storage). Use it exactly once per plugin library, in <name>_plugin.cpp.
#define LBX_PLUGIN(ID, NAME, VERSION, LICENSE, DESCRIPTION, ...)                                          \
    extern "C" LBX_EXPORT const lbx_plugin_desc* LBX_PLUGIN_ENTRY(void) {                                 \
        static const lbx_stage_desc* const stages[] = {__VA_ARGS__};                                      \
        static const lbx_plugin_desc desc = {sizeof(lbx_plugin_desc),                                     \
                                             LBX_PLUGIN_API_VERSION_MAJOR,                                \
                                             LBX_PLUGIN_API_VERSION_MINOR,                                \
                                             ID,                                                          \
                                             NAME,                                                        \
                                             VERSION,                                                     \
                                             LICENSE,                                                     \
                                             DESCRIPTION,                                                 \
                                             stages,                                                      \
                                             static_cast<uint32_t>(sizeof(stages) / sizeof(stages[0]))}; \
        return &desc;                                                                                     \
    }
