// Reads the autotag rules (config/tag_rules.toml: its header documents the format) and applies them to
// a photo's features. Every mistake in the file is reported with its file and line when the stage is
// created, so a running pipeline never meets a bad rule.
//
// Run it with:  lightbox-engine run --only metadata,decode,tag photo.jpg
#include "tag_rules.hpp"

#include <lightbox/plugin.hpp>

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace lbx::plugins::autotag {

namespace {

using Value = std::variant<double, std::string>;

bool has_upper(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isupper(c) != 0; });
}

bool is_wildcard(const std::string& feature) {
    return feature.size() > 2 && feature.ends_with(".*");
}

std::string format_number(double v) {
    char buffer[32];
    if (std::floor(v) == v && std::abs(v) < 1e15) {
        std::snprintf(buffer, sizeof buffer, "%.0f", v);
    } else {
        std::snprintf(buffer, sizeof buffer, "%g", v);
    }
    return buffer;
}

struct Parsed {
    std::vector<Rule> rules;
    FeatureSettings settings;
};

class Parser {
public:
    explicit Parser(std::string file) : file_(std::move(file)) {}

    Parsed parse(const toml::table& root) {
        Parsed rules;
        for (const auto& [key, node] : root) {
            if (key != "rule" && key != "colour" && key != "makes") {
                throw error(&node,
                            "unknown key '" + std::string(key.str()) + "' (expected [[rule]], [[colour]] or [makes])");
            }
        }
        // Colours first: they define the colour.<name> features the rules may read.
        for_each_table(root, "colour", [&](const toml::table& t) { rules.settings.colours.push_back(colour(t)); });
        if (const toml::node* makes = root.get("makes")) {
            const toml::table* t = makes->as_table();
            if (t == nullptr) throw error(makes, "[makes] must be a table of \"MAKE\" = \"Name\"");
            for (const auto& [key, node] : *t) {
                auto name = node.value<std::string>();
                if (!name || name->empty()) throw error(&node, "makes." + std::string(key.str()) + ": expected a name");
                std::string upper_key(key.str());
                for (char& c : upper_key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                rules.settings.makes[upper_key] = *name;
            }
        }
        const std::vector<std::string> names = feature_names(rules.settings);
        known_.insert(names.begin(), names.end());
        for_each_table(root, "rule", [&](const toml::table& t) { rules.rules.push_back(rule(t)); });
        if (rules.rules.empty()) throw error(&root, "no [[rule]]: the file defines no tag");
        return rules;
    }

    sdk::Error error(const toml::node* node, const std::string& what) const {
        std::string where = file_;
        if (node != nullptr && node->source().begin.line > 0) where += ":" + std::to_string(node->source().begin.line);
        return sdk::Error(LBX_E_INVALID_PARAM, where + ": " + what);
    }

private:
    template <typename F>
    void for_each_table(const toml::table& root, const char* key, F&& f) {
        const toml::node* node = root.get(key);
        if (node == nullptr) return;
        const toml::array* array = node->as_array();
        if (array == nullptr) throw error(node, std::string(key) + " must be written [[" + key + "]]");
        for (const toml::node& item : *array) {
            const toml::table* t = item.as_table();
            if (t == nullptr) throw error(&item, std::string(key) + " must be written [[" + key + "]]");
            f(*t);
        }
    }

    void only_keys(const toml::table& t, const std::set<std::string>& allowed, const char* what) const {
        for (const auto& [key, node] : t) {
            if (!allowed.count(std::string(key.str()))) {
                throw error(&node, "unknown key '" + std::string(key.str()) + "' in " + what);
            }
        }
    }

    std::string text(const toml::table& t, const char* key, bool required) const {
        const toml::node* n = t.get(key);
        if (n == nullptr) {
            if (required) throw error(&t, std::string("missing '") + key + "'");
            return {};
        }
        auto v = n->value_exact<std::string>();
        if (!v || v->empty()) throw error(n, std::string("'") + key + "' must be a non-empty string");
        return *v;
    }

    std::optional<double> number(const toml::table& t, const char* key) const {
        const toml::node* n = t.get(key);
        if (n == nullptr) return std::nullopt;
        if (!n->is_integer() && !n->is_floating_point()) throw error(n, std::string("'") + key + "' must be a number");
        const double v = n->value<double>().value_or(0);
        if (!std::isfinite(v)) throw error(n, std::string("'") + key + "' must be finite");
        return v;
    }

    std::pair<double, double> range(const toml::table& t, const char* key, double lo, double hi) const {
        const toml::node* n = t.get(key);
        if (n == nullptr) return {lo, hi};
        const toml::array* a = n->as_array();
        if (a == nullptr || a->size() != 2 || !(*a)[0].is_number() || !(*a)[1].is_number()) {
            throw error(n, std::string("'") + key + "' must be [from, to]");
        }
        const double from = (*a)[0].value<double>().value_or(-1), to = (*a)[1].value<double>().value_or(-1);
        if (from < lo || from > hi || to < lo || to > hi) {
            throw error(
                n, std::string("'") + key + "' must lie in [" + format_number(lo) + ", " + format_number(hi) + "]");
        }
        return {from, to};
    }

    NamedColour colour(const toml::table& t) {
        only_keys(t, {"name", "hue", "saturation", "value"}, "[[colour]]");
        NamedColour c;
        c.name = text(t, "name", true);
        if (has_upper(c.name) || c.name.find_first_of(" .{}") != std::string::npos) {
            throw error(t.get("name"),
                        "colour name '" + c.name + "' must be lower-case without spaces, dots or braces");
        }
        if (!colour_names_.insert(c.name).second)
            throw error(t.get("name"), "colour '" + c.name + "' is defined twice");
        std::tie(c.range.hue_from, c.range.hue_to) = range(t, "hue", 0, 360);
        std::tie(c.range.saturation_min, c.range.saturation_max) = range(t, "saturation", 0, 1);
        std::tie(c.range.value_min, c.range.value_max) = range(t, "value", 0, 1);
        if (c.range.saturation_min >= c.range.saturation_max)
            throw error(t.get("saturation"), "empty saturation range");
        if (c.range.value_min >= c.range.value_max) throw error(t.get("value"), "empty value range");
        return c;
    }

    Value in_item(const toml::node& n) const {
        if (n.is_integer() || n.is_floating_point()) return n.value<double>().value_or(0);
        if (auto s = n.value_exact<std::string>()) return *s;
        throw error(&n, "expected a number or a string");
    }

    // Comparisons (and `in`) of a table: the rule itself, or one entry of `when`.
    Condition condition(const toml::table& t) const {
        Condition c;
        if (const toml::node* n = t.get("in")) {
            const toml::array* a = n->as_array();
            if (a == nullptr || a->empty()) throw error(n, "'in' must be a non-empty list");
            for (const toml::node& item : *a) c.in.push_back(in_item(item));
        }
        c.above = number(t, "above");
        c.at_least = number(t, "at_least");
        c.below = number(t, "below");
        c.at_most = number(t, "at_most");
        return c;
    }

    void check_feature(const toml::node* node, const std::string& feature, bool wildcard_allowed) const {
        if (is_wildcard(feature)) {
            const std::string prefix = feature.substr(0, feature.size() - 1);
            const bool any =
                std::any_of(known_.begin(), known_.end(), [&](const std::string& k) { return k.starts_with(prefix); });
            if (!wildcard_allowed) throw error(node, "a wildcard feature cannot be used here: '" + feature + "'");
            if (!any) throw error(node, "no feature matches '" + feature + "'");
            return;
        }
        if (!known_.count(feature))
            throw error(node, "unknown feature '" + feature + "' (see the list at the top of the rules file)");
    }

    void check_template(const toml::node* node, const Rule& r) const {
        std::size_t pos = 0;
        while (pos < r.tag.size()) {
            const std::size_t open = r.tag.find('{', pos);
            const std::string_view literal =
                std::string_view(r.tag).substr(pos, open == std::string::npos ? std::string::npos : open - pos);
            if (has_upper(literal) || literal.find('}') != std::string_view::npos) {
                throw error(node,
                            "tag '" + r.tag + "': text outside {value} and {name} must be lower-case, without '}'");
            }
            if (open == std::string::npos) break;
            const std::size_t close = r.tag.find('}', open);
            if (close == std::string::npos) throw error(node, "tag '" + r.tag + "': '{' without '}'");
            const std::string placeholder = r.tag.substr(open + 1, close - open - 1);
            if (placeholder != "value" && placeholder != "name") {
                throw error(node,
                            "tag '" + r.tag + "': unknown placeholder '{" + placeholder + "}' (use {value} or {name})");
            }
            if (placeholder == "name" && !is_wildcard(r.feature)) {
                throw error(node, "tag '" + r.tag + "': {name} needs a wildcard feature such as \"colour.*\"");
            }
            pos = close + 1;
        }
    }

    Rule rule(const toml::table& t) {
        only_keys(t,
                  {"category", "tag", "feature", "names", "in", "above", "at_least", "below", "at_most", "when",
                   "confidence", "certain_at", "threshold_confidence", "max_tags"},
                  "[[rule]]");
        Rule r;
        r.line = static_cast<int>(t.source().begin.line);
        r.category = text(t, "category", true);
        if (has_upper(r.category)) throw error(t.get("category"), "category '" + r.category + "' must be lower-case");
        r.feature = text(t, "feature", true);
        check_feature(t.get("feature"), r.feature, true);
        r.tag = text(t, "tag", true);
        check_template(t.get("tag"), r);
        if (const toml::node* n = t.get("names")) {
            const toml::array* a = n->as_array();
            if (a == nullptr || a->empty()) throw error(n, "'names' must be a non-empty list of strings");
            for (const toml::node& item : *a) {
                auto s = item.value_exact<std::string>();
                if (!s || s->empty() || has_upper(*s)) throw error(&item, "'names' must hold lower-case strings");
                r.names.push_back(*s);
            }
        }
        r.condition = condition(t);
        if (const toml::node* n = t.get("when")) {
            const toml::table* w = n->as_table();
            if (w == nullptr) throw error(n, "'when' must be a table: { feature = value, ... }");
            for (const auto& [key, node] : *w) {
                const std::string feature(key.str());
                check_feature(&node, feature, false);
                Condition c;
                if (const toml::table* ct = node.as_table()) {
                    only_keys(*ct, {"in", "above", "at_least", "below", "at_most"}, "'when'");
                    c = condition(*ct);
                } else if (const toml::array* a = node.as_array()) {
                    if (a->empty()) throw error(&node, "'when." + feature + "' must not be empty");
                    for (const toml::node& item : *a) c.in.push_back(in_item(item));
                } else {
                    c.in.push_back(in_item(node));
                }
                r.when.emplace_back(feature, std::move(c));
            }
        }
        r.confidence = number(t, "confidence").value_or(1.0);
        if (r.confidence < 0 || r.confidence > 1) throw error(t.get("confidence"), "'confidence' must lie in [0, 1]");
        r.threshold_confidence = number(t, "threshold_confidence").value_or(0.5);
        if (r.threshold_confidence < 0 || r.threshold_confidence > 1) {
            throw error(t.get("threshold_confidence"), "'threshold_confidence' must lie in [0, 1]");
        }
        r.certain_at = number(t, "certain_at");
        if (r.certain_at) {
            const auto threshold = r.condition.threshold();
            if (!threshold)
                throw error(t.get("certain_at"), "'certain_at' needs exactly one of above, at_least, below, at_most");
            if (*threshold == *r.certain_at) throw error(t.get("certain_at"), "'certain_at' equals the threshold");
        }
        if (const toml::node* n = t.get("max_tags")) {
            auto v = n->value_exact<int64_t>();
            if (!v || *v < 0 || *v > 1000) throw error(n, "'max_tags' must be a whole number from 0 to 1000");
            if (!is_wildcard(r.feature)) throw error(n, "'max_tags' needs a wildcard feature such as \"colour.*\"");
            r.max_tags = static_cast<int>(*v);
        }
        return r;
    }

    std::string file_;
    std::set<std::string> known_;
    std::set<std::string> colour_names_;
};

double graded(const Rule& r, double value) {
    if (!r.certain_at) return r.confidence;
    const double t = *r.condition.threshold();
    const double share = std::clamp((value - t) / (*r.certain_at - t), 0.0, 1.0);
    return r.threshold_confidence + (r.confidence - r.threshold_confidence) * share;
}

// The tag name of one match, or "" when the rule does not apply (e.g. a value outside `names`).
std::string expand(const Rule& r, const Value& value, std::string_view wildcard_name) {
    std::string value_text;
    if (!r.names.empty()) {
        const double* v = std::get_if<double>(&value);
        if (v == nullptr || std::floor(*v) != *v || *v < 1 || *v > static_cast<double>(r.names.size())) return {};
        value_text = r.names[static_cast<std::size_t>(*v) - 1];
    } else if (const double* v = std::get_if<double>(&value)) {
        value_text = format_number(*v);
    } else {
        value_text = std::get<std::string>(value);
    }
    std::string out;
    std::size_t pos = 0;
    while (pos < r.tag.size()) {
        const std::size_t open = r.tag.find('{', pos);
        out.append(r.tag, pos, open == std::string::npos ? std::string::npos : open - pos);
        if (open == std::string::npos) break;
        const std::size_t close = r.tag.find('}', open);
        out += r.tag.compare(open, close - open + 1, "{value}") == 0 ? value_text : std::string(wildcard_name);
        pos = close + 1;
    }
    return out;
}

}  // namespace

bool Condition::holds(const Value& value) const {
    if (!in.empty() && std::find(in.begin(), in.end(), value) == in.end()) return false;
    if (!above && !at_least && !below && !at_most) return true;
    const double* v = std::get_if<double>(&value);
    if (v == nullptr) return false;
    return (!above || *v > *above) && (!at_least || *v >= *at_least) && (!below || *v < *below) &&
           (!at_most || *v <= *at_most);
}

std::optional<double> Condition::threshold() const {
    const int count =
        int(above.has_value()) + int(at_least.has_value()) + int(below.has_value()) + int(at_most.has_value());
    if (count != 1) return std::nullopt;
    return above ? above : at_least ? at_least : below ? below : at_most;
}

TagRules TagRules::parse(const std::string& text, const std::string& file_name) {
    // Debian's toml++ is built with exceptions: a syntax error is thrown, and turned into ours here.
    toml::table root;
    try {
        root = toml::parse(text, file_name);
    } catch (const toml::parse_error& e) {
        throw sdk::Error(LBX_E_INVALID_PARAM,
                         file_name + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
    }
    Parsed parsed = Parser(file_name).parse(root);
    TagRules rules;
    rules.rules_ = std::move(parsed.rules);
    rules.settings_ = std::move(parsed.settings);
    return rules;
}

TagRules TagRules::load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw sdk::Error(LBX_E_IO, "cannot read tag rules '" + file.string() + "'");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw sdk::Error(LBX_E_IO, "cannot read tag rules '" + file.string() + "'");
    return parse(text.str(), file.string());
}

std::vector<TagOut> TagRules::apply(const Features& features) const {
    std::vector<TagOut> out;
    auto add = [&](std::string name, const std::string& category, double confidence) {
        if (name.empty()) return;
        for (TagOut& t : out) {
            if (t.name == name && t.category == category) {
                t.confidence = std::max(t.confidence, confidence);
                return;
            }
        }
        out.push_back({std::move(name), category, confidence});
    };

    struct Match {
        std::string name;
        double value;  // for max_tags: the highest values win
        double confidence;
    };
    for (const Rule& r : rules_) {
        const bool when_holds = std::all_of(r.when.begin(), r.when.end(), [&](const auto& w) {
            auto it = features.find(w.first);
            return it != features.end() && w.second.holds(it->second.value);
        });
        if (!when_holds) continue;

        std::vector<Match> matches;
        auto consider = [&](const Feature& f, std::string_view wildcard_name) {
            if (!r.condition.holds(f.value)) return;
            const double* number = std::get_if<double>(&f.value);
            const double confidence = std::clamp((number ? graded(r, *number) : r.confidence) * f.confidence, 0.0, 1.0);
            matches.push_back({expand(r, f.value, wildcard_name), number ? *number : 0.0, confidence});
        };
        if (is_wildcard(r.feature)) {
            const std::string prefix = r.feature.substr(0, r.feature.size() - 1);
            for (auto it = features.lower_bound(prefix); it != features.end() && it->first.starts_with(prefix); ++it) {
                consider(it->second, std::string_view(it->first).substr(prefix.size()));
            }
            std::stable_sort(matches.begin(), matches.end(),
                             [](const Match& a, const Match& b) { return a.value > b.value; });
            if (r.max_tags > 0 && matches.size() > static_cast<std::size_t>(r.max_tags)) matches.resize(r.max_tags);
        } else if (auto it = features.find(r.feature); it != features.end()) {
            consider(it->second, {});
        }
        for (Match& m : matches) add(std::move(m.name), r.category, m.confidence);
    }
    return out;
}

}  // namespace lbx::plugins::autotag
