// The "autotag" stage: tags from metadata and pixels, as the rules file says (see tag_rules.hpp).
#pragma once

#include "features.hpp"
#include "gazetteer.hpp"
#include "tag_rules.hpp"

#include <lightbox/plugin.hpp>

namespace lbx::plugins::autotag {

class AutoTagger {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_TAG;

    // Loads the rules and the gazetteer once; throws lbx::sdk::Error naming the file (and line) when
    // either cannot be used. The instance is immutable afterwards and shared by every worker thread.
    explicit AutoTagger(const lbx::sdk::Params& params);

    lbx::sdk::Status tag(const lbx::sdk::TagInput& input, lbx::sdk::TagSink& sink) const;

private:
    TagRules rules_;
    FeatureSettings settings_;
    Gazetteer gazetteer_;
};

}  // namespace lbx::plugins::autotag
