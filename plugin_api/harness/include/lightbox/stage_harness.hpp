// Lightbox stage harness — drive one stage of a plugin library from a test, with no engine and no
// pipeline (GStreamer's GstHarness idea). Installed with the plugin SDK as lightbox::stage_harness:
//
//   find_package(LightboxPluginSDK 1.1 REQUIRED)
//   target_link_libraries(my_test PRIVATE lightbox::stage_harness)
//
//   auto stage = lbx::harness::StageHarness::open("build/libppmdec.so", "ppmdec", {{"max_side", "4096"}});
//   if (!stage) { puts(stage.failure().message.c_str()); return 1; }
//   auto image = stage->decode(bytes);          // lbx::harness::Result<Image>
//   if (image) check(image->width == 3 && image->pixel(0, 0)[0] == 255);
//
// It uses the engine's own host code (the same checks, limits and error texts), so a stage that passes
// here behaves the same in lightbox-engine. Plain C++ types only; any test framework will do. Errors are
// values: every call returns a Result holding the value or a Failure. Calls on one StageHarness are not
// thread-safe (it records the log); make one per thread.
#pragma once

#include <lightbox/plugin_api.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace lbx::harness {

// Why a call failed: the status name ("corrupt", "truncated", "too_large", "cancelled", ...) and the
// message the stage (or the host's check) gave.
struct Failure {
    std::string code;
    std::string message;
};

template <typename T>
class Result {
public:
    Result(T value) : value_(std::move(value)) {}
    Result(Failure failure) : failure_(std::move(failure)) {}

    explicit operator bool() const { return value_.has_value(); }
    T& operator*() { return *value_; }
    const T& operator*() const { return *value_; }
    T* operator->() { return &*value_; }
    const T* operator->() const { return &*value_; }
    const Failure& failure() const { return failure_; }

private:
    std::optional<T> value_;
    Failure failure_;
};

struct MetadataBlock {
    std::string kind;  // LBX_METADATA_BLOCK_EXIF or LBX_METADATA_BLOCK_XMP
    std::vector<uint8_t> data;
};

// What a decoder gave: RGB8 rows of `stride` bytes, the stored size it reported and its blocks.
struct Image {
    uint32_t width = 0;
    uint32_t height = 0;
    uint32_t stride = 0;
    uint32_t source_width = 0;
    uint32_t source_height = 0;
    uint32_t flags = 0;  // LBX_IMAGE_*
    std::vector<uint8_t> pixels;
    std::vector<MetadataBlock> metadata_blocks;

    // The 3 bytes of pixel (x, y).
    const uint8_t* pixel(uint32_t x, uint32_t y) const { return pixels.data() + std::size_t(y) * stride + std::size_t(x) * 3; }
};

struct Metadata {
    std::vector<std::pair<std::string, std::string>> entries;  // raw, in the order reported
    std::map<std::string, std::string> text;                   // LBX_FIELD_* text fields
    std::map<std::string, double> numbers;                     // LBX_FIELD_* number fields
};

struct Tag {
    std::string name;
    std::string category;
    double confidence = 1;
};

struct Thumbnail {
    uint32_t size = 0;  // long edge asked for
    uint32_t width = 0;
    uint32_t height = 0;
    std::string mime_type;
    std::vector<uint8_t> data;
};

// A message the stage sent through the host services' log.
struct LogMessage {
    lbx_log_level level;
    std::string text;
};

class StageHarness {
public:
    // Loads the plugin library (checked like the engine does; it stays loaded for the process) and creates
    // its stage `stage_id` with the declared defaults, overridden by `params` given as text the way
    // `plugins inspect` shows defaults ("85", "true", "256,1024"); path values are relative to the
    // current directory. Fails with code "rejected", "unknown_stage" or the parameter check's code.
    static Result<StageHarness> open(const std::filesystem::path& plugin_file, const std::string& stage_id,
                                     const std::map<std::string, std::string>& params = {});

    StageHarness(StageHarness&&) noexcept;
    StageHarness& operator=(StageHarness&&) noexcept;
    ~StageHarness();

    // The host services the next calls see (plugin API 1.1). Defaults: threads hint 0, never stop.
    void set_threads_hint(uint32_t threads);
    void set_should_stop(std::function<bool()> should_stop);
    // The engine's pixel limit for decoders (set_source_size refuses above it). Default 250 MP.
    void set_max_pixels(uint64_t max_pixels);
    // Every message the stage logged so far, oldest first.
    const std::vector<LogMessage>& log() const;

    // The calls, one per stage kind. `format` is the sniffed format name the stage sees; empty: the
    // first format the stage declares.
    Result<Image> decode(std::span<const uint8_t> bytes, uint32_t min_long_edge = 0, const std::string& format = {});
    Result<Metadata> read_metadata(std::span<const uint8_t> bytes, const std::string& format = {});
    Result<Metadata> read_metadata_block(const std::string& kind, std::span<const uint8_t> data);
    Result<std::vector<Tag>> tag(std::span<const uint8_t> bytes, const Image* image, const Metadata& metadata);
    Result<std::vector<Thumbnail>> thumbnail(std::span<const uint8_t> bytes, const Image& image,
                                             const Metadata& metadata, uint32_t orientation,
                                             std::vector<uint32_t> sizes);

private:
    struct Impl;
    explicit StageHarness(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace lbx::harness
