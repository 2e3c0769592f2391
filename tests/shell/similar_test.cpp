// The "Duplicates and similar" page in the reducer: listing groups page by page, what is kept by
// default, which photos "Remove others" removes and which files "Move others to trash" moves (never a
// group with nothing kept), stale replies, and files already in the trash left out.
#include "model/reducer.hpp"
#include "reducer_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace lbx;
using namespace lbx::shell;
using namespace lbx::shell::test_fixtures;

namespace {


ipc::SimilarPhoto photo(const std::string& id, std::vector<std::string> paths, uint32_t width) {
    return ipc::SimilarPhoto{id, std::move(paths), "c3a1f00e9b7d5522", 0, "jpeg", width, width * 3 / 4, width * 100ull, ""};
}

// Two groups: an original and its resized copy; one photo at two paths (exact copies).
ipc::SimilarGroups two_groups() {
    return ipc::SimilarGroups{{ipc::SimilarGroup{{photo("big", {"/p/a.jpg"}, 4000), photo("small", {"/p/a-small.jpg"}, 1000)}},
                               ipc::SimilarGroup{{photo("b", {"/p/b.jpg", "/p/copies/b.jpg"}, 2000)}}},
                              2, 8};
}

State shown_with_groups() {
    State s = connected_state();
    s = reduce(std::move(s), ShowSimilar{true});
    auto finds = commands_of<ipc::FindSimilar>(s);
    REQUIRE(finds.size() == 1);
    s.outbox.clear();
    return reduce(std::move(s), ReplyArrived{finds[0].request, finds[0].tag, ipc::Reply{two_groups()}});
}

}  // namespace

TEST_CASE("showing the page lists the groups and keeps the first path of each group's first photo", "[shell][similar]") {
    State s = connected_state();
    s = reduce(std::move(s), ShowPeople{true});
    s.outbox.clear();
    s = reduce(std::move(s), ShowSimilar{true});
    CHECK(s.similar.shown);
    CHECK_FALSE(s.people.shown);  // one page in front at a time
    auto finds = commands_of<ipc::FindSimilar>(s);
    REQUIRE(finds.size() == 1);
    const auto& find = std::get<ipc::FindSimilar>(finds[0].request);
    CHECK(find.distance == ipc::kDefaultSimilarDistance);
    CHECK(find.offset == 0);
    CHECK(find.limit == SimilarState::kPageSize);
    CHECK(s.similar.loading);

    s = shown_with_groups();
    CHECK_FALSE(s.similar.loading);
    CHECK(s.similar.total == 2u);
    REQUIRE(s.similar.groups.size() == 2);
    CHECK(s.similar.kept == std::set<std::string>{"/p/a.jpg", "/p/b.jpg"});
    CHECK(similar_summary(s.similar) == "2 groups: 3 photos, 4 files");
    CHECK(photos_to_remove(s.similar) == std::vector<std::string>{"small"});  // b keeps one of its paths
    CHECK(paths_to_trash(s.similar) == std::vector<std::string>{"/p/a-small.jpg", "/p/copies/b.jpg"});
}

TEST_CASE("remove others sends RemovePhotos for unkept photos only, and lists again after", "[shell][similar]") {
    State s = shown_with_groups();
    s = reduce(std::move(s), ToggleKeep{"/p/a-small.jpg"});  // keep both of the first group
    s = reduce(std::move(s), ToggleKeep{"/p/b.jpg"});        // keep nothing of the second: left alone
    CHECK(photos_to_remove(s.similar).empty());
    CHECK(paths_to_trash(s.similar).empty());
    s = reduce(std::move(s), RemoveOthersConfirmed{});
    CHECK(s.outbox.empty());

    s = reduce(std::move(s), ToggleKeep{"/p/a-small.jpg"});
    s = reduce(std::move(s), RemoveOthersConfirmed{});
    auto removes = commands_of<ipc::RemovePhotos>(s);
    REQUIRE(removes.size() == 1);
    CHECK(std::get<ipc::RemovePhotos>(removes[0].request).photo_ids == std::vector<std::string>{"small"});
    CHECK(remove_confirmation({"small"}) == "Remove 1 photo from the library? Its file stays on disk.");
    s.outbox.clear();
    s = reduce(std::move(s), ReplyArrived{removes[0].request, 0, ipc::Reply{ipc::PhotosRemoved{1}}});
    CHECK(s.similar.notice == "removed 1 photo from the library");
    CHECK(commands_of<ipc::FindSimilar>(s).size() == 1);  // the groups as they are now
    CHECK(s.similar.groups.empty());
}

TEST_CASE("files moved to the trash: photos with no path left are removed, trashed paths never shown again", "[shell][similar]") {
    State s = shown_with_groups();
    const std::vector<std::string> trash = paths_to_trash(s.similar);
    CHECK(trash_confirmation(trash) == "Move 2 files to the trash?\n/p/a-small.jpg\n/p/copies/b.jpg");
    s = reduce(std::move(s), FilesTrashed{trash, {}});
    CHECK(s.similar.notice == "moved 2 files to the trash");
    auto removes = commands_of<ipc::RemovePhotos>(s);
    REQUIRE(removes.size() == 1);
    // b still has /p/b.jpg: it stays in the library; small has nothing left.
    CHECK(std::get<ipc::RemovePhotos>(removes[0].request).photo_ids == std::vector<std::string>{"small"});
    s.outbox.clear();
    s = reduce(std::move(s), ReplyArrived{removes[0].request, 0, ipc::Reply{ipc::PhotosRemoved{1}}});
    CHECK(s.similar.notice == "moved 2 files to the trash, removed 1 photo from the library");
    // The engine still lists b at both paths until a rescan: the trashed one is left out, and with a
    // single file left the group goes.
    auto finds = commands_of<ipc::FindSimilar>(s);
    REQUIRE(finds.size() == 1);
    ipc::SimilarGroups after{{ipc::SimilarGroup{{photo("b", {"/p/b.jpg", "/p/copies/b.jpg"}, 2000)}}}, 1, 8};
    s = reduce(std::move(s), ReplyArrived{finds[0].request, finds[0].tag, ipc::Reply{after}});
    CHECK(s.similar.groups.empty());
    CHECK(s.similar.total == 0u);
}

TEST_CASE("a failed trash move is shown, and replies of an older listing are dropped", "[shell][similar]") {
    State s = shown_with_groups();
    s = reduce(std::move(s), FilesTrashed{{}, {"cannot move '/p/a-small.jpg' to the trash: Permission denied"}});
    CHECK(s.similar.error == "cannot move '/p/a-small.jpg' to the trash: Permission denied");
    CHECK(s.last_error == *s.similar.error);

    s.outbox.clear();
    s = reduce(std::move(s), SimilarDistanceChanged{4});
    auto first = commands_of<ipc::FindSimilar>(s);
    REQUIRE(first.size() == 1);
    CHECK(std::get<ipc::FindSimilar>(first[0].request).distance == 4);
    s = reduce(std::move(s), SimilarDistanceChanged{99});  // clamped to the most the engine takes
    CHECK(s.similar.distance == ipc::kMaxSimilarDistance);
    // The distance-4 listing's answer comes after the listing was restarted: dropped.
    s = reduce(std::move(s), ReplyArrived{first[0].request, first[0].tag, ipc::Reply{two_groups()}});
    CHECK(s.similar.groups.empty());
    CHECK(s.similar.loading);
}

TEST_CASE("more groups are asked for while there are more, one page at a time", "[shell][similar]") {
    State s = connected_state();
    s = reduce(std::move(s), ShowSimilar{true});
    auto finds = commands_of<ipc::FindSimilar>(s);
    s.outbox.clear();
    ipc::SimilarGroups page = two_groups();
    page.total = 3;
    s = reduce(std::move(s), ReplyArrived{finds[0].request, finds[0].tag, ipc::Reply{page}});
    s = reduce(std::move(s), SimilarMoreNeeded{});
    s = reduce(std::move(s), SimilarMoreNeeded{});  // one in flight already
    auto more = commands_of<ipc::FindSimilar>(s);
    REQUIRE(more.size() == 1);
    CHECK(std::get<ipc::FindSimilar>(more[0].request).offset == 2);
}

TEST_CASE("the Show list sets how alike photos must be: a new listing at that distance", "[shell][similar]") {
    // The default is one of the levels, and each distance shows as the tightest level that allows it.
    CHECK(similarity_levels()[similarity_level_of(ipc::kDefaultSimilarDistance)].distance == ipc::kDefaultSimilarDistance);
    CHECK(similarity_level_of(0) == 0);
    CHECK(similarity_level_of(3) == 1);
    CHECK(similarity_level_of(ipc::kMaxSimilarDistance) == similarity_levels().size() - 1);
    for (const SimilarityLevel& level : similarity_levels()) CHECK(level.distance <= ipc::kMaxSimilarDistance);

    State s = shown_with_groups();
    s = reduce(std::move(s), SimilarDistanceChanged{similarity_levels()[0].distance});  // exact copies only
    auto finds = commands_of<ipc::FindSimilar>(s);
    REQUIRE(finds.size() == 1);
    CHECK(std::get<ipc::FindSimilar>(finds[0].request).distance == 0);
    CHECK(std::get<ipc::FindSimilar>(finds[0].request).offset == 0);
    CHECK(s.similar.distance == 0);
    s.outbox.clear();
    // The same level again asks nothing.
    s = reduce(std::move(s), SimilarDistanceChanged{0});
    CHECK(commands_of<ipc::FindSimilar>(s).empty());
}
