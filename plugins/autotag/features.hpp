// The features of one photo: named facts (from its metadata) and measures (from its pixels) that the
// rules of tag_rules.hpp turn into tags. The README lists every feature with its type and meaning.
#pragma once

#include "gazetteer.hpp"
#include "pixel_stats.hpp"

#include <lightbox/plugin.hpp>

#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace lbx::plugins::autotag {

struct Feature {
    std::variant<double, std::string> value;
    double confidence = 1.0;  // 1 for facts; the place features fall with the distance to the town
};

// Keyed by feature name ("year", "camera", "colour.blue").
using Features = std::map<std::string, Feature, std::less<>>;

struct NamedColour {
    std::string name;  // the feature is "colour.<name>"
    ColourRange range;
};

// What the feature code takes from the rules file and the stage parameters.
struct FeatureSettings {
    std::vector<NamedColour> colours;
    // Upper-case camera make as written by cameras -> the name to show ("NIKON CORPORATION" -> "Nikon").
    std::map<std::string, std::string, std::less<>> makes;
    double place_max_km = 50;
};

// Every feature the code can compute, for checking rules at load time. Colour features come from
// `settings.colours`.
std::vector<std::string> feature_names(const FeatureSettings& settings);

Features compute_features(const lbx::sdk::TagInput& input, const FeatureSettings& settings, const Gazetteer& gazetteer);

// Exposed for tests of the normalisation: "Canon" + "Canon EOS R6" -> "Canon EOS R6".
std::string camera_name(const std::string& make, const std::string& model, const FeatureSettings& settings);
std::string make_name(const std::string& make, const FeatureSettings& settings);

}  // namespace lbx::plugins::autotag
