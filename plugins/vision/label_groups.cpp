#include "label_groups.hpp"

#include "object_detector.hpp"

#include <lightbox/plugin.hpp>

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace lbx::plugins::vision {

namespace {

bool is_known_label(const std::string& label) {
    for (int i = 0; i < kCocoClasses; ++i)
        if (coco_label(i) == label) return true;
    return false;
}

[[noreturn]] void fail_at(const std::string& file, const toml::node* node, const std::string& message) {
    const std::string line = node != nullptr ? std::to_string(node->source().begin.line) : "?";
    throw sdk::Error(LBX_E_INVALID_PARAM, file + ":" + line + ": " + message);
}

}  // namespace

LabelGroups LabelGroups::parse(const std::string& text, const std::string& file_name) {
    toml::table root;
    try {
        root = toml::parse(text, file_name);
    } catch (const toml::parse_error& e) {
        throw sdk::Error(LBX_E_INVALID_PARAM,
                         file_name + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
    }
    for (const auto& [key, value] : root)
        if (key.str() != "group") fail_at(file_name, &value, "unknown key '" + std::string(key.str()) + "' (expected [[group]])");
    const toml::array* groups = root["group"].as_array();
    if (groups == nullptr || groups->empty()) fail_at(file_name, root.get("group"), "no [[group]] defined");

    LabelGroups out;
    std::set<std::string> names;
    for (const toml::node& node : *groups) {
        const toml::table* group = node.as_table();
        if (group == nullptr) fail_at(file_name, &node, "a group must be a table ([[group]])");
        for (const auto& [key, value] : *group)
            if (key.str() != "name" && key.str() != "labels")
                fail_at(file_name, &value, "unknown key '" + std::string(key.str()) + "' in a group (expected name, labels)");
        const auto name = (*group)["name"].value<std::string>();
        if (!name || name->empty()) fail_at(file_name, &node, "a group needs a name");
        if (std::any_of(name->begin(), name->end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
            fail_at(file_name, group->get("name"), "group name '" + *name + "' must be lower-case");
        if (!names.insert(*name).second) fail_at(file_name, group->get("name"), "group '" + *name + "' defined twice");
        const toml::array* labels = (*group)["labels"].as_array();
        if (labels == nullptr || labels->empty()) fail_at(file_name, &node, "group '" + *name + "' needs a list of labels");
        for (const toml::node& item : *labels) {
            const auto label = item.value<std::string>();
            if (!label) fail_at(file_name, &item, "labels must be strings");
            if (!is_known_label(*label))
                fail_at(file_name, &item, "unknown label '" + *label + "' in group '" + *name +
                                              "' (the objects stage knows the 80 COCO labels: person, bicycle, car, ...)");
            out.by_label_[*label].push_back(*name);
        }
    }
    out.group_count_ = names.size();
    return out;
}

LabelGroups LabelGroups::load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw sdk::Error(LBX_E_IO, "cannot read label groups '" + file.string() + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), file.string());
}

const std::vector<std::string>& LabelGroups::groups_of(const std::string& label) const {
    static const std::vector<std::string> kNone;
    auto it = by_label_.find(label);
    return it == by_label_.end() ? kNone : it->second;
}

}  // namespace lbx::plugins::vision
