// The "hello-tagger" stage: tags a photo by its shape (landscape, portrait, square, panorama) and by
// whether its file name contains a word.
#pragma once

#include <lightbox/plugin.hpp>

#include <string>

namespace hello {

class HelloTagger {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_TAG;

    // Reads the parameters declared in hello_tagger_plugin.cpp. The host has already checked their types
    // and ranges; what it cannot know (a word with a '/') is refused here with LBX_E_INVALID_PARAM.
    explicit HelloTagger(const lbx::sdk::Params& params);

    // Immutable after construction: the host calls this from several threads at once.
    lbx::sdk::Status tag(const lbx::sdk::TagInput& input, lbx::sdk::TagSink& sink) const;

private:
    std::string word_;  // lower-case; empty: no file-name tag
    bool aspect_;
    double panorama_ratio_;
    double square_tolerance_;
};

}  // namespace hello
