// The "autotag" stage: computes a photo's features (features.hpp: date, camera, shape, nearest town,
// brightness, colours, sharpness) and turns them into tags with the rules of config/tag_rules.toml.
// Works with metadata only, with pixels only, or with both; a photo with neither gets no tag.
//
// Run it with:  lightbox-engine run --only metadata,decode,tag photo.jpg
#include "autotagger.hpp"

namespace lbx::plugins::autotag {

AutoTagger::AutoTagger(const lbx::sdk::Params& params)
    : rules_(TagRules::load(params.get_path("rules"))),
      settings_(rules_.settings()),
      gazetteer_(Gazetteer::load(params.get_path("gazetteer"))) {
    settings_.place_max_km = params.get_double("place_max_km");
}

lbx::sdk::Status AutoTagger::tag(const lbx::sdk::TagInput& input, lbx::sdk::TagSink& sink) const {
    const Features features = compute_features(input, settings_, gazetteer_);
    for (const TagOut& t : rules_.apply(features)) sink.add(t.name, t.category, t.confidence);
    return lbx::sdk::ok();
}

}  // namespace lbx::plugins::autotag
