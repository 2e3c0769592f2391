// The protocol's version and limits (sdk_docs/protocol.md, "The frame" and "Versioning").
#pragma once

#include <cstddef>
#include <cstdint>

namespace lbx::ipc {

// Bumped whenever a frame of the previous version could be misread.
// 2: FacetsReply counts months. 3: GetThumbnail of size kFullResolution (a version 2 engine would answer
// it with the largest thumbnail, and the client would take that for the original's pixels). 4: JobState
// `interrupted` (a version 3 client cannot read it). 5: content analysis: JobKind and JobState `paused`
// in progress, regions in PhotoInfo, groups/labels/people facets, GetAnalysis/SetAnalysisPaused, persons.
// 6: readable metadata and plain-word search: MetadataEntry.printed, PhotoInfo.capture, PhotoSummary.matched.
// 7: the map (GetMapClusters, MapClustersReply) and duplicates and similar photos (FindSimilar,
// SimilarGroups). 8: the library's folders (ListFolders, RemoveFolder; FolderList, FolderRemoved) and
// what the user decided about a photo (RejectTags, SetRotation; TagsRejected, RotationSet;
// PhotoInfo.rotation and rejected_tags, PhotoSummary.rotation). 9: the LibraryChanged event, and the
// user's rotation where photos are shown outside the grid (SimilarPhoto.rotation, Person.cover_rotation).
inline constexpr uint32_t kProtocolVersion = 9;

// Frames above this size are rejected by their size alone, before any byte is parsed.
inline constexpr std::size_t kMaxFrameSize = 16u * 1024u * 1024u;

}  // namespace lbx::ipc
