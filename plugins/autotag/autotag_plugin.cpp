// The built-in tagging plugin: one stage, "autotag", that tags photos from their metadata and pixels
// with data-driven rules and an offline gazetteer. Declarations only; the work is in autotagger.cpp,
// features.cpp, pixel_stats.cpp, gazetteer.cpp and tag_rules.cpp.
#include "autotagger.hpp"

#include <lightbox/plugin.hpp>

namespace {

const lbx_param_desc kParams[] = {
    lbx::sdk::param_path("rules", "tag_rules.toml",
                         "the tag rules (TOML; the format is documented at the top of the default file)"),
    lbx::sdk::param_path("gazetteer", "../data/gazetteer.tsv.gz",
                         "the towns for the place and country tags (format of plugins/autotag/data/make_gazetteer.py)"),
    lbx::sdk::param_double("place_max_km", "50", 0, 1000,
                           "the farthest a photo's GPS position may be from a town for the place and country tags"),
};

const lbx_stage_desc kAutotagStage = lbx::sdk::make_stage<lbx::plugins::autotag::AutoTagger>(
    "autotag",
    "tags from metadata and pixels by configurable rules: date, season, time of day, camera, lens, shape, "
    "place and country (offline), light, colours, black and white, blur",
    0, {}, kParams);

}  // namespace

LBX_PLUGIN("org.lightbox.autotag", "Automatic tags", "1.0.0", "MIT",
           "rule-based tags from metadata and pixels, with an offline GeoNames gazetteer for places", &kAutotagStage)
