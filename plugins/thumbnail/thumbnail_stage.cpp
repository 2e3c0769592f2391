// The "thumbnail" stage: for each requested long edge, resize the decoded RGB8 image (never enlarging
// it), turn the result upright from the EXIF orientation, encode it as JPEG and hand it to the host.
//
// Run it with:  lightbox-engine run --only decode,thumbnail --sizes 1024,256 photo.jpg
//
// Sizes are made in the order asked (largest first): a smaller size is resized from the previous
// result when that is at least twice as large, which is faster and as sharp, and otherwise from the
// input. Orientation comes after resizing, where there are fewer pixels to move.
#include "thumbnail_stage.hpp"

#include "jpeg_encoder.hpp"
#include "orientation.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace lbx::plugins::thumbnail {

namespace {

struct Dimensions {
    uint32_t width = 0;
    uint32_t height = 0;

    uint32_t long_edge() const { return std::max(width, height); }
};

// `width` x `height` scaled so that its long edge is `size`, aspect kept (nearest pixel, at least 1),
// or unchanged when it is no larger than `size`.
Dimensions fit(uint32_t width, uint32_t height, uint32_t size) {
    const uint32_t long_edge = std::max(width, height);
    if (size >= long_edge) return {width, height};
    const auto scaled = [&](uint32_t edge) {
        const uint64_t v = (uint64_t{edge} * size * 2 + long_edge) / (uint64_t{long_edge} * 2);
        return static_cast<uint32_t>(std::max<uint64_t>(v, 1));
    };
    return width >= height ? Dimensions{size, scaled(height)} : Dimensions{scaled(width), size};
}

std::string dimensions_text(uint32_t width, uint32_t height) {
    return std::to_string(width) + "x" + std::to_string(height);
}

}  // namespace

ThumbnailStage::ThumbnailStage(const lbx::sdk::Params& params)
    : quality_(static_cast<int>(std::clamp<int64_t>(params.get_int("quality"), 1, 100))),
      filter_(Filter::lanczos3) {
    const std::string name = params.get_string("filter");
    const std::optional<Filter> filter = filter_from_name(name);
    if (!filter) {
        throw lbx::sdk::Error(LBX_E_INVALID_PARAM,
                              "unknown filter '" + name + "' (expected one of " + filter_names() + ")");
    }
    filter_ = *filter;
}

lbx::sdk::Status ThumbnailStage::thumbnail(const lbx::sdk::ThumbnailInput& input,
                                           lbx::sdk::ThumbnailSink& sink) const {
    const lbx_image& image = input.image.raw();
    if (image.format != LBX_PIXEL_RGB8) {
        return lbx::sdk::fail(LBX_E_UNSUPPORTED,
                              "pixel format " + std::to_string(image.format) + " is not RGB8");
    }
    if (image.pixels == nullptr || image.width == 0 || image.height == 0) {
        return lbx::sdk::fail(LBX_E_CORRUPT,
                              "image has no pixels (" + dimensions_text(image.width, image.height) + ")");
    }
    if (image.stride < uint64_t{image.width} * 3) {
        return lbx::sdk::fail(LBX_E_CORRUPT, "image rows are " + std::to_string(image.stride) +
                                                 " bytes apart, less than " + std::to_string(image.width) +
                                                 " RGB pixels need");
    }
    // The host passes 1..8; anything else means "no orientation known".
    const int orientation =
        input.orientation >= 1 && input.orientation <= 8 ? static_cast<int>(input.orientation) : 1;
    const RgbView source{image.pixels, image.width, image.height, image.stride};

    JpegEncoder encoder;  // per call: see jpeg_encoder.hpp
    RgbBuffer previous;   // the last resized, not yet oriented, image (empty until one is made)
    for (const uint32_t size : input.sizes) {
        if (size == 0) return lbx::sdk::fail(LBX_E_INVALID_PARAM, "thumbnail size 0 is not a valid long edge");
        const Dimensions target = fit(source.width, source.height, size);

        RgbView from = source;
        if (previous.width() != 0 &&
            uint64_t{std::max(previous.width(), previous.height())} >= uint64_t{target.long_edge()} * 2) {
            from = previous.view();
        }
        RgbBuffer resized;
        RgbView result = from;
        if (from.width != target.width || from.height != target.height) {
            resized = resize(from, target.width, target.height, filter_);
            result = resized.view();
        }
        RgbBuffer upright;
        if (orientation != 1) {
            upright = apply_orientation(result, orientation);
            result = upright.view();
        }

        std::span<const uint8_t> jpeg;
        if (lbx::sdk::Status s = encoder.encode(result, quality_, jpeg); !s.ok()) return s;
        if (lbx::sdk::Status s = sink.emit(size, result.width, result.height, "image/jpeg", jpeg); !s.ok()) return s;

        if (resized.width() != 0) previous = std::move(resized);
    }
    return lbx::sdk::ok();
}

}  // namespace lbx::plugins::thumbnail
