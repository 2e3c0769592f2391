#include "model/similar.hpp"

#include <algorithm>

namespace lbx::shell {
namespace {

bool group_keeps_something(const ipc::SimilarGroup& group, const std::set<std::string>& kept) {
    for (const ipc::SimilarPhoto& p : group.photos)
        for (const std::string& path : p.paths)
            if (kept.count(path)) return true;
    return false;
}

std::string count_of(std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

}  // namespace

std::set<std::string> default_kept(const std::vector<ipc::SimilarGroup>& groups) {
    std::set<std::string> kept;
    for (const ipc::SimilarGroup& g : groups)
        if (!g.photos.empty() && !g.photos.front().paths.empty()) kept.insert(g.photos.front().paths.front());
    return kept;
}

std::vector<std::string> photos_to_remove(const SimilarState& similar) {
    std::vector<std::string> out;
    for (const ipc::SimilarGroup& g : similar.groups) {
        if (!group_keeps_something(g, similar.kept)) continue;
        for (const ipc::SimilarPhoto& p : g.photos) {
            const bool any_kept = std::any_of(p.paths.begin(), p.paths.end(), [&](const std::string& path) { return similar.kept.count(path) > 0; });
            if (!any_kept) out.push_back(p.photo_id);
        }
    }
    return out;
}

std::vector<std::string> paths_to_trash(const SimilarState& similar) {
    std::vector<std::string> out;
    for (const ipc::SimilarGroup& g : similar.groups) {
        if (!group_keeps_something(g, similar.kept)) continue;
        for (const ipc::SimilarPhoto& p : g.photos)
            for (const std::string& path : p.paths)
                if (!similar.kept.count(path)) out.push_back(path);
    }
    return out;
}

std::vector<std::string> photos_all_trashed(const SimilarState& similar, const std::set<std::string>& trashed) {
    std::vector<std::string> out;
    for (const ipc::SimilarGroup& g : similar.groups)
        for (const ipc::SimilarPhoto& p : g.photos) {
            const bool all = !p.paths.empty() &&
                             std::all_of(p.paths.begin(), p.paths.end(), [&](const std::string& path) { return trashed.count(path) > 0; });
            if (all) out.push_back(p.photo_id);
        }
    return out;
}

std::string remove_confirmation(const std::vector<std::string>& photo_ids) {
    return "Remove " + count_of(photo_ids.size(), "photo", "photos") + " from the library? " +
           (photo_ids.size() == 1 ? "Its file stays" : "Their files stay") + " on disk.";
}

std::string trash_confirmation(const std::vector<std::string>& paths) {
    constexpr std::size_t kListed = 10;
    std::string text = "Move " + count_of(paths.size(), "file", "files") + " to the trash?";
    for (std::size_t i = 0; i < paths.size() && i < kListed; ++i) text += "\n" + paths[i];
    if (paths.size() > kListed) text += "\nand " + std::to_string(paths.size() - kListed) + " more";
    return text;
}

std::vector<ipc::SimilarGroup> without_trashed(std::vector<ipc::SimilarGroup> groups, const std::set<std::string>& trashed) {
    if (trashed.empty()) return groups;
    std::vector<ipc::SimilarGroup> out;
    for (ipc::SimilarGroup& g : groups) {
        std::size_t files = 0;
        for (ipc::SimilarPhoto& p : g.photos) {
            std::erase_if(p.paths, [&](const std::string& path) { return trashed.count(path) > 0; });
            files += p.paths.size();
        }
        std::erase_if(g.photos, [](const ipc::SimilarPhoto& p) { return p.paths.empty(); });
        if (files > 1) out.push_back(std::move(g));
    }
    return out;
}

std::string similar_summary(const SimilarState& similar) {
    std::size_t photos = 0, files = 0;
    for (const ipc::SimilarGroup& g : similar.groups) {
        photos += g.photos.size();
        for (const ipc::SimilarPhoto& p : g.photos) files += p.paths.size();
    }
    const uint64_t groups = similar.total.value_or(similar.groups.size());
    std::string text = count_of(groups, "group", "groups");
    if (similar.groups.size() < groups) text += " (" + std::to_string(similar.groups.size()) + " shown)";
    return text + ": " + count_of(photos, "photo", "photos") + ", " + count_of(files, "file", "files");
}

const std::vector<SimilarityLevel>& similarity_levels() {
    static const std::vector<SimilarityLevel> levels{{"Exact copies", 0},
                                                     {"Near-identical", 4},
                                                     {"Similar", ipc::kDefaultSimilarDistance},
                                                     {"Loosely similar", 14}};
    return levels;
}

std::size_t similarity_level_of(uint32_t distance) {
    const auto& levels = similarity_levels();
    for (std::size_t i = 0; i < levels.size(); ++i) {
        if (levels[i].distance >= distance) return i;
    }
    return levels.size() - 1;
}

}  // namespace lbx::shell
