// Groups of object labels ("animals" = bird, cat, dog, ...): data, read from a TOML file
// (config/label_groups.toml documents the format), so the six groups of taggr, or any others, are
// changed without rebuilding. Parsed once; mapping labels to groups is a lookup.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace lbx::plugins::vision {

class LabelGroups {
public:
    // Throws lbx::sdk::Error with the file, the line and what is wrong.
    static LabelGroups load(const std::filesystem::path& file);
    static LabelGroups parse(const std::string& text, const std::string& file_name);

    // The groups a label belongs to (usually one; none for most labels).
    const std::vector<std::string>& groups_of(const std::string& label) const;
    std::size_t size() const { return group_count_; }

private:
    std::map<std::string, std::vector<std::string>> by_label_;
    std::size_t group_count_ = 0;
};

}  // namespace lbx::plugins::vision
