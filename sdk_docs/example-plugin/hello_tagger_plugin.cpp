// The hello_tagger plugin: declarations only (identity, parameters, stages). The work is in
// hello_tagger.cpp. The engine reads everything declared here before it calls any stage, and
// `lightbox-engine plugins inspect hello-tagger` shows it.
#include "hello_tagger.hpp"

#include <lightbox/plugin.hpp>

namespace {

// Typed parameters with textual defaults. The host checks config values against the type and the
// [min, max] range (ignored when min > max, as the bool and string helpers set it) before create().
const lbx_param_desc kParams[] = {
    lbx::sdk::param_string("word", "holiday",
                           "tag photos whose file name contains this word (any case); empty: off"),
    lbx::sdk::param_bool("aspect", "true", "tag the shape: landscape, portrait, square or panorama"),
    lbx::sdk::param_double("panorama_ratio", "2.0", 1.0, 10.0,
                           "long edge / short edge from which a photo is a panorama"),
    lbx::sdk::param_double("square_tolerance", "0.05", 0.0, 0.5, "width / height within 1 +- this is square"),
};

// A tag stage accepts no formats (decode and metadata stages do) and priority only matters between
// stages of one kind that accept the same format, so 0 is fine.
const lbx_stage_desc kHelloTagger = lbx::sdk::make_stage<hello::HelloTagger>(
    "hello-tagger", "tags the shape of a photo and a word in its file name (an example)", 0, {}, kParams);

}  // namespace

LBX_PLUGIN("org.example.hellotagger", "Hello tagger", "1.0.0", "MIT",
           "an example third-party plugin: shape and file-name tags", &kHelloTagger)
