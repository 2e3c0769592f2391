// The library's folders beyond adding them (catalog.cpp's add_roots and roots): how many photos each
// holds, and taking one out of the library (the shell's Library > Folders window, RemoveFolder).
//
// A root is a folder (its files are those below "root/") or one file (exactly that path), as in
// mark_missing. Files below a root are found with a range of the files' path index, [root/, root0):
// '0' is the byte after '/', and SQLite compares text bytewise, so the range holds exactly the paths
// that start with "root/", whatever their length, and none of a sibling "root 2" or "root-old".
#include "catalog/catalog.hpp"
#include "catalog/try.hpp"

#include <algorithm>
#include <set>

namespace lbx::engine::catalog {
namespace {

// "/photos/" and "/photos" are one folder (as in add_roots).
std::string without_trailing_slash(std::string root) {
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    return root;
}

// The prefix of the paths below `root` and the first text past all of them.
std::pair<std::string, std::string> range_below(const std::string& root) {
    std::string prefix = root == "/" ? root : root + "/";
    std::string end = prefix;
    end.back() = '0';
    return {std::move(prefix), std::move(end)};
}

bool is_below(const std::string& path, const std::string& root) {
    return path == root || path.rfind(range_below(root).first, 0) == 0;
}

constexpr std::string_view kBelow = "(path = ?1 OR (path >= ?2 AND path < ?3))";

}  // namespace

Expected<std::vector<RootInfo>> Catalog::root_infos() {
    LBX_TRY(flush());
    auto all = roots();
    if (!all) return unexpected(all.error());
    auto count = db_->prepare(
        "SELECT COUNT(DISTINCT hash) FROM files WHERE status = 'ok' AND hash IS NOT NULL AND hash != '' AND " +
        std::string(kBelow));
    if (!count) return unexpected(count.error());
    std::vector<RootInfo> out;
    for (const std::string& root : *all) {
        const auto [prefix, end] = range_below(root);
        count->bind({root, prefix, end});
        auto row = count->step();
        if (!row) return unexpected(row.error());
        out.push_back(RootInfo{root, *row ? count->column_int(0) : 0});
        count->reset();
    }
    return out;
}

Expected<std::optional<RootRemoval>> Catalog::remove_root(const std::string& path) {
    const std::string root = without_trailing_slash(path);
    LBX_TRY(flush());
    auto tx = Transaction::begin(*db_);
    if (!tx) return unexpected(tx.error());
    auto all = roots();
    if (!all) return unexpected(all.error());
    if (std::find(all->begin(), all->end(), root) == all->end()) return std::optional<RootRemoval>{};
    std::vector<std::string> others;
    std::copy_if(all->begin(), all->end(), std::back_inserter(others), [&](const std::string& r) { return r != root; });
    const auto kept_by_another = [&](const std::string& file) {
        return std::any_of(others.begin(), others.end(),
                           [&](const std::string& other) { return is_below(file, other); });
    };
    const auto [prefix, end] = range_below(root);

    // The files rows that go, and the photos they belong to.
    std::set<std::string> paths;
    std::set<std::string> hashes;
    {
        auto files = db_->prepare("SELECT path, hash FROM files WHERE " + std::string(kBelow));
        if (!files) return unexpected(files.error());
        files->bind({root, prefix, end});
        for (;;) {
            auto row = files->step();
            if (!row) return unexpected(row.error());
            if (!*row) break;
            std::string file = files->column_text(0);
            if (kept_by_another(file)) continue;
            if (!files->column_is_null(1) && !files->column_text(1).empty()) hashes.insert(files->column_text(1));
            paths.insert(std::move(file));
        }
    }
    // A photo stays in the library while it has a live file outside the folder (a copy elsewhere).
    std::vector<std::string> leaving;
    {
        auto live = db_->prepare("SELECT path FROM files WHERE hash = ?1 AND status = 'ok'");
        if (!live) return unexpected(live.error());
        for (const std::string& hash : hashes) {
            live->bind({hash});
            bool elsewhere = false;
            for (;;) {
                auto row = live->step();
                if (!row) return unexpected(row.error());
                if (!*row) break;
                if (!paths.count(live->column_text(0))) elsewhere = true;
            }
            if (!elsewhere) leaving.push_back(hash);
        }
    }
    // The ledger's entries below the folder go too (a folder that could not be listed has one of its own,
    // with no files row).
    std::set<std::string> failed;
    {
        auto failures = db_->prepare("SELECT path FROM failures WHERE " + std::string(kBelow));
        if (!failures) return unexpected(failures.error());
        failures->bind({root, prefix, end});
        for (;;) {
            auto row = failures->step();
            if (!row) return unexpected(row.error());
            if (!*row) break;
            std::string file = failures->column_text(0);
            if (!kept_by_another(file)) failed.insert(std::move(file));
        }
    }

    auto delete_file = db_->prepare("DELETE FROM files WHERE path = ?1");
    if (!delete_file) return unexpected(delete_file.error());
    for (const std::string& file : paths) LBX_TRY(delete_file->run({file}));
    auto delete_failure = db_->prepare("DELETE FROM failures WHERE path = ?1");
    if (!delete_failure) return unexpected(delete_failure.error());
    for (const std::string& file : failed) LBX_TRY(delete_failure->run({file}));
    std::vector<std::string> thumbnail_files;
    auto removed = delete_photos(leaving, thumbnail_files);
    if (!removed) return unexpected(removed.error());
    auto delete_root = db_->prepare("DELETE FROM roots WHERE path = ?1");
    if (!delete_root) return unexpected(delete_root.error());
    LBX_TRY(delete_root->run({root}));
    // As in remove_photos: the thumbnail files before the commit.
    for (const std::string& file : thumbnail_files) {
        std::error_code ec;
        std::filesystem::remove(file, ec);
    }
    LBX_TRY(tx->commit());
    return std::optional<RootRemoval>{RootRemoval{root, *removed, static_cast<int64_t>(paths.size())}};
}

}  // namespace lbx::engine::catalog
