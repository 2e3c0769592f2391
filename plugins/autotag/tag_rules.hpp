// The tag rules of the autotag stage: a TOML file (config/tag_rules.toml documents the format) that says
// which tags exist, their names, categories and thresholds, as conditions on the features of
// features.hpp. Parsed once; applying the rules to a photo's features is a pure function.
#pragma once

#include "features.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lbx::plugins::autotag {

// Conditions on one feature's value; an empty condition holds for any value.
struct Condition {
    std::vector<std::variant<double, std::string>> in;
    std::optional<double> above, at_least, below, at_most;

    bool holds(const std::variant<double, std::string>& value) const;
    // The single comparison bound, when the condition has exactly one (for graded confidence).
    std::optional<double> threshold() const;
};

struct Rule {
    std::string category;
    std::string tag;      // template: literal text, "{value}", "{name}"
    std::string feature;  // a feature name, or a prefix ending in ".*"
    std::vector<std::string> names;
    Condition condition;
    std::vector<std::pair<std::string, Condition>> when;
    double confidence = 1.0;
    std::optional<double> certain_at;
    double threshold_confidence = 0.5;
    int max_tags = 0;  // 0: no limit
    int line = 0;      // in the rules file, for messages
};

struct TagOut {
    std::string name;
    std::string category;
    double confidence = 1.0;
};

class TagRules {
public:
    // Reads and checks a rules file. Throws lbx::sdk::Error naming "<file>:<line>": LBX_E_IO when it
    // cannot be read, LBX_E_INVALID_PARAM when its TOML or a rule is malformed.
    static TagRules load(const std::filesystem::path& file);
    static TagRules parse(const std::string& text, const std::string& file_name);

    const std::vector<Rule>& rules() const { return rules_; }
    // The colours and camera makes of the file (place_max_km at its default: the stage sets its own).
    const FeatureSettings& settings() const { return settings_; }

    // The tags of a photo with these features, in rule order, one per (category, name) with the
    // highest confidence.
    std::vector<TagOut> apply(const Features& features) const;

private:
    std::vector<Rule> rules_;
    FeatureSettings settings_;
};

}  // namespace lbx::plugins::autotag
