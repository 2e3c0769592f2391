// The "Duplicates and similar" page's decisions, apart from wx: which files the user keeps, what
// "Remove others from library" and "Move others to trash" would do, and the words the confirmation
// asks with. A group where nothing is kept is left alone by both: removing every copy of a picture
// is never one click away.
#pragma once

#include <lightbox/ipc/similar.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lbx::shell {

// FindSimilar's groups as the page shows them, a page of groups at a time, and the paths kept.
struct SimilarState {
    static constexpr uint32_t kPageSize = 100;  // groups per FindSimilar
    bool shown = false;                          // the page is in front of the grid
    uint32_t distance = ipc::kDefaultSimilarDistance;
    uint64_t generation = 0;                     // bumped by each fresh listing; older replies are dropped
    std::optional<uint64_t> total;               // groups in all; unknown until the first page arrives
    std::vector<ipc::SimilarGroup> groups;       // the pages loaded, in order
    bool loading = false;                        // a page asked for and not answered yet
    std::set<std::string> kept;                  // paths ticked "keep"
    // Paths moved to the trash by this shell: the catalog lists them until a rescan sees them gone (a
    // photo with a path left is not removed), so the page leaves them out of what it shows.
    std::set<std::string> trashed;
    std::optional<std::string> error;            // the last FindSimilar or trash failure
    std::string notice;                          // what the last removal or move to the trash did
};

// What is kept when a group arrives: the first path of its first photo (the engine sorts the photo most
// worth keeping first: most pixels, then most bytes).
std::set<std::string> default_kept(const std::vector<ipc::SimilarGroup>& groups);

// Photos of groups with something kept whose paths are all unticked: RemovePhotos takes photos, not
// paths, so a photo stays in the library while any of its paths is kept.
std::vector<std::string> photos_to_remove(const SimilarState& similar);

// Paths not kept, of groups with something kept: what "Move others to trash" moves.
std::vector<std::string> paths_to_trash(const SimilarState& similar);

// After files went to the trash: the photos that have no path left outside it (the library forgets
// them; a photo with a path left stays, and the next rescan marks the trashed path missing).
std::vector<std::string> photos_all_trashed(const SimilarState& similar, const std::set<std::string>& trashed);

// The confirmations: "Remove 3 photos from the library? Their files stay on disk." and
// "Move 4 files to the trash?\n/p/a.jpg\n..." (at most 10 paths listed, then "and 2 more").
std::string remove_confirmation(const std::vector<std::string>& photo_ids);
std::string trash_confirmation(const std::vector<std::string>& paths);

// The groups as FindSimilar gave them, less the paths in `trashed`: photos left without a path go, and
// groups left with a single file.
std::vector<ipc::SimilarGroup> without_trashed(std::vector<ipc::SimilarGroup> groups, const std::set<std::string>& trashed);

// "2 groups: 5 photos, 6 files" for the page's header.
std::string similar_summary(const SimilarState& similar);

// The choices of how alike photos must be (the page's "Show" list), loosest last: a name and the most
// bits their perceptual hashes may differ. Resaved, resized and re-encoded copies are 0-2 bits apart;
// different photos of one scene 10 and more (sdk_docs/query.md, "similar:").
struct SimilarityLevel {
    const char* name;
    uint32_t distance;
};
const std::vector<SimilarityLevel>& similarity_levels();
// The level shown for a distance: the first that allows at least that many bits.
std::size_t similarity_level_of(uint32_t distance);

}  // namespace lbx::shell
