// The "hello-tagger" stage: an example tag stage for plugin authors.
//
// Run it with:  LIGHTBOX_PLUGIN_PATH=build lightbox-engine run --config hello.toml photos/
//
// Tags, all with confidence 1:
//   - one of "panorama", "square", "landscape" or "portrait" (category "aspect"), from the shape of the
//     photo as it is shown, that is after its EXIF orientation;
//   - the configured word (category "file") when the file's name contains it, ignoring case.
// The shape comes from the decoded pixels when the pipeline has a decode stage, and otherwise from the
// metadata summary (width, height), so the stage also works in a `--only metadata,tag` run.
#include "hello_tagger.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string_view>

namespace hello {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

struct Shape {
    double width = 0;
    double height = 0;
};

// The photo's size as shown. Decoded pixels are stored pixels unless the decoder already turned them
// (LBX_IMAGE_UPRIGHT, e.g. HEIF); EXIF orientations 5..8 swap width and height.
std::optional<Shape> displayed_shape(const lbx::sdk::TagInput& input) {
    Shape shape;
    bool upright = false;
    if (input.image) {
        shape = {static_cast<double>(input.image->width()), static_cast<double>(input.image->height())};
        upright = (input.image->raw().flags & LBX_IMAGE_UPRIGHT) != 0;
    } else {
        auto width = input.metadata.number(LBX_FIELD_WIDTH);
        auto height = input.metadata.number(LBX_FIELD_HEIGHT);
        if (!width || !height) return std::nullopt;
        shape = {*width, *height};
    }
    if (shape.width <= 0 || shape.height <= 0) return std::nullopt;
    const double orientation = input.metadata.number(LBX_FIELD_ORIENTATION).value_or(1);
    if (!upright && orientation >= 5 && orientation <= 8) std::swap(shape.width, shape.height);
    return shape;
}

}  // namespace

HelloTagger::HelloTagger(const lbx::sdk::Params& params)
    : word_(lower(params.get_string("word"))),
      aspect_(params.get_bool("aspect")),
      panorama_ratio_(params.get_double("panorama_ratio")),
      square_tolerance_(params.get_double("square_tolerance")) {
    if (word_.find('/') != std::string::npos)
        throw lbx::sdk::Error(LBX_E_INVALID_PARAM, "word '" + word_ + "' contains a '/': file names never do");
}

lbx::sdk::Status HelloTagger::tag(const lbx::sdk::TagInput& input, lbx::sdk::TagSink& sink) const {
    if (aspect_) {
        if (auto shape = displayed_shape(input)) {
            const double ratio = shape->width / shape->height;
            const double long_to_short = std::max(ratio, 1.0 / ratio);
            if (long_to_short >= panorama_ratio_) sink.add("panorama", "aspect", 1.0);
            else if (std::abs(ratio - 1.0) <= square_tolerance_) sink.add("square", "aspect", 1.0);
            else sink.add(ratio > 1.0 ? "landscape" : "portrait", "aspect", 1.0);
        }
        // No size known (no decode stage, no metadata): no aspect tag. That is not an error.
    }
    if (!word_.empty()) {
        // The path is for messages and names only: never open it, the bytes are in input.source.bytes().
        std::string_view path = input.source.path();
        std::string_view name = path.substr(path.find_last_of('/') + 1);  // npos + 1 == 0: the whole path
        if (lower(name).find(word_) != std::string::npos) sink.add(word_, "file", 1.0);
    }
    return lbx::sdk::ok();
}

}  // namespace hello
