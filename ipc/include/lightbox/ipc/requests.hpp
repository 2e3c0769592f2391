// The closed set of commands a client sends (sdk_docs/protocol.md, "Commands"). The message type on the
// wire is the index in `Request`: append new requests at the end, never reorder.
#pragma once

#include "lightbox/ipc/library.hpp"
#include "lightbox/ipc/similar.hpp"

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lbx::ipc {

struct Hello {
    static constexpr std::string_view name = "Hello";
    uint32_t client_protocol_version = 0;
    std::string client_name;  // "lightbox-ctl 0.1.0"

    template <class Archive>
    void serialize(Archive& ar) { ar(client_protocol_version, client_name); }
    friend bool operator==(const Hello&, const Hello&) = default;
};

struct ListPlugins {
    static constexpr std::string_view name = "ListPlugins";
    template <class Archive>
    void serialize(Archive&) {}
    friend bool operator==(const ListPlugins&, const ListPlugins&) = default;
};

// `stage.param = value`, as on the command line; the engine checks it against the stage's parameters.
struct ParamOverride {
    std::string key;
    std::string value;

    template <class Archive>
    void serialize(Archive& ar) { ar(key, value); }
    friend bool operator==(const ParamOverride&, const ParamOverride&) = default;
};

struct StartScan {
    static constexpr std::string_view name = "StartScan";
    std::vector<std::string> paths;
    std::string pipeline;  // a config name or path; empty: the default pipeline
    std::vector<ParamOverride> overrides;
    std::string catalog;   // empty: the default catalog

    template <class Archive>
    void serialize(Archive& ar) { ar(paths, pipeline, overrides, catalog); }
    friend bool operator==(const StartScan&, const StartScan&) = default;
};

struct CancelJob {
    static constexpr std::string_view name = "CancelJob";
    uint64_t job_id = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(job_id); }
    friend bool operator==(const CancelJob&, const CancelJob&) = default;
};

struct JobStatus {
    static constexpr std::string_view name = "JobStatus";
    uint64_t job_id = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(job_id); }
    friend bool operator==(const JobStatus&, const JobStatus&) = default;
};

struct ListJobs {
    static constexpr std::string_view name = "ListJobs";
    template <class Archive>
    void serialize(Archive&) {}
    friend bool operator==(const ListJobs&, const ListJobs&) = default;
};

struct GetPhoto {
    static constexpr std::string_view name = "GetPhoto";
    std::string photo_id;  // content hash

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id); }
    friend bool operator==(const GetPhoto&, const GetPhoto&) = default;
};

// GetThumbnail's size for the photo at its own resolution (upright, JPEG): what "zoom to 100 %" shows.
// Made on demand like an evicted thumbnail and kept in the thumbnail cache, apart from the thumbnails.
inline constexpr uint32_t kFullResolution = UINT32_MAX;

struct GetThumbnail {
    static constexpr std::string_view name = "GetThumbnail";
    std::string photo_id;
    uint32_t size = 0;  // wanted longer side; 0: the largest there is; kFullResolution: the original's

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id, size); }
    friend bool operator==(const GetThumbnail&, const GetThumbnail&) = default;
};

struct Shutdown {
    static constexpr std::string_view name = "Shutdown";
    template <class Archive>
    void serialize(Archive&) {}
    friend bool operator==(const Shutdown&, const Shutdown&) = default;
};

// Photos of the engine's library that match `query` (sdk_docs/query.md; empty: every live photo).
struct Query {
    static constexpr std::string_view name = "Query";
    std::string query;
    QuerySort sort = QuerySort::taken;
    bool descending = false;
    uint64_t offset = 0;
    uint32_t limit = 0;  // 0: the engine's page maximum (kMaxQueryPage)

    template <class Archive>
    void serialize(Archive& ar) {
        ar(query);
        detail::wire_enum<kAllQuerySorts.size()>(ar, sort);
        ar(descending, offset, limit);
    }
    friend bool operator==(const Query&, const Query&) = default;
};

// Tag, camera, year and place counts over the photos that match `query`.
struct Facets {
    static constexpr std::string_view name = "Facets";
    std::string query;
    uint32_t per_facet = 0;  // 0: 50

    template <class Archive>
    void serialize(Archive& ar) { ar(query, per_facet); }
    friend bool operator==(const Facets&, const Facets&) = default;
};

// Adds, then removes, user tags of one photo. User tags are never touched by a rescan.
struct SetUserTags {
    static constexpr std::string_view name = "SetUserTags";
    std::string photo_id;
    std::vector<std::string> add;
    std::vector<std::string> remove;

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id, add, remove); }
    friend bool operator==(const SetUserTags&, const SetUserTags&) = default;
};

// The failures ledger, most recently seen first.
struct ListFailures {
    static constexpr std::string_view name = "ListFailures";
    uint64_t offset = 0;
    uint32_t limit = 0;  // 0: the engine's page maximum

    template <class Archive>
    void serialize(Archive& ar) { ar(offset, limit); }
    friend bool operator==(const ListFailures&, const ListFailures&) = default;
};

// Scans every folder of the library again (unchanged files are not read).
struct Rescan {
    static constexpr std::string_view name = "Rescan";
    bool retry_failed = false;

    template <class Archive>
    void serialize(Archive& ar) { ar(retry_failed); }
    friend bool operator==(const Rescan&, const Rescan&) = default;
};

// Removes photos from the library (their rows and thumbnails), never the files on disk.
struct RemovePhotos {
    static constexpr std::string_view name = "RemovePhotos";
    std::vector<std::string> photo_ids;

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_ids); }
    friend bool operator==(const RemovePhotos&, const RemovePhotos&) = default;
};

struct LibraryInfo {
    static constexpr std::string_view name = "LibraryInfo";
    template <class Archive>
    void serialize(Archive&) {}
    friend bool operator==(const LibraryInfo&, const LibraryInfo&) = default;
};

// Makes the engine serve another catalog file (created when missing); busy while a job runs.
struct OpenLibrary {
    static constexpr std::string_view name = "OpenLibrary";
    std::string catalog;  // an absolute path, or a postgresql:// URI (sdk_docs/postgres.md)

    template <class Archive>
    void serialize(Archive& ar) { ar(catalog); }
    friend bool operator==(const OpenLibrary&, const OpenLibrary&) = default;
};

struct GetSettings {
    static constexpr std::string_view name = "GetSettings";
    template <class Archive>
    void serialize(Archive&) {}
    friend bool operator==(const GetSettings&, const GetSettings&) = default;
};

// Changes engine settings (all or none); they apply to the jobs started after the reply.
struct SetSettings {
    static constexpr std::string_view name = "SetSettings";
    std::vector<Setting> settings;

    template <class Archive>
    void serialize(Archive& ar) { ar(settings); }
    friend bool operator==(const SetSettings&, const SetSettings&) = default;
};

// The analysis phase (protocol 5): its state, and pausing or resuming it. Paused stays paused across
// restarts of the engine; resuming goes on with the photos not analysed yet.
struct GetAnalysis {
    static constexpr std::string_view name = "GetAnalysis";
    template <class Archive>
    void serialize(Archive&) {}
    friend bool operator==(const GetAnalysis&, const GetAnalysis&) = default;
};

struct SetAnalysisPaused {
    static constexpr std::string_view name = "SetAnalysisPaused";
    bool paused = true;

    template <class Archive>
    void serialize(Archive& ar) { ar(paused); }
    friend bool operator==(const SetAnalysisPaused&, const SetAnalysisPaused&) = default;
};

// People (protocol 5). Persons are listed most faces first, then by id.
// The most persons one PersonList carries (about 150 bytes each: far below the frame limit).
inline constexpr uint64_t kMaxListLimit = 10'000;
struct ListPersons {
    static constexpr std::string_view name = "ListPersons";
    uint64_t offset = 0;
    uint64_t limit = 200;  // 0 or more than kMaxListLimit: kMaxListLimit

    template <class Archive>
    void serialize(Archive& ar) { ar(offset, limit); }
    friend bool operator==(const ListPersons&, const ListPersons&) = default;
};

// Names a person (an empty name makes it unnamed again). Names are kept across rescans.
struct RenamePerson {
    static constexpr std::string_view name = "RenamePerson";
    uint64_t person_id = 0;
    std::string new_name;

    template <class Archive>
    void serialize(Archive& ar) { ar(person_id, new_name); }
    friend bool operator==(const RenamePerson&, const RenamePerson&) = default;
};

// Moves every face of `from_id` to `into_id` and deletes `from_id`; `into_id` keeps its name (or takes
// from_id's when it had none).
struct MergePersons {
    static constexpr std::string_view name = "MergePersons";
    uint64_t from_id = 0;
    uint64_t into_id = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(from_id, into_id); }
    friend bool operator==(const MergePersons&, const MergePersons&) = default;
};

// Takes one face (a region of a photo: PhotoRegion's source and index) out of its person: "this is not
// them". The face is never put back into a person by the engine; a person left without faces is deleted.
struct RemoveFace {
    static constexpr std::string_view name = "RemoveFace";
    std::string photo_id;
    std::string source;
    uint32_t index = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id, source, index); }
    friend bool operator==(const RemoveFace&, const RemoveFace&) = default;
};

// The map (protocol 7): the photos of `query` with GPS coordinates inside a box, as clusters of a grid
// whose cells are 360 / 2^(zoom + 2) degrees square (four round the world at zoom 0; 64 pixels on a map
// drawn 256 * 2^zoom pixels wide). Degrees; west > east crosses the 180th meridian.
inline constexpr uint32_t kMaxMapZoom = 24;
inline constexpr uint32_t kMaxMapClusters = 5'000;
struct GetMapClusters {
    static constexpr std::string_view name = "GetMapClusters";
    std::string query;
    double south = -90, west = -180, north = 90, east = 180;
    uint32_t zoom = 0;   // 0..kMaxMapZoom
    uint32_t limit = 0;  // the most clusters, the largest kept; 0 or more than kMaxMapClusters: kMaxMapClusters

    template <class Archive>
    void serialize(Archive& ar) { ar(query, south, west, north, east, zoom, limit); }
    friend bool operator==(const GetMapClusters&, const GetMapClusters&) = default;
};

// Duplicates and similar photos, in groups (similar.hpp), a page of groups at a time: exact copies (one
// photo at several paths) and photos whose perceptual hashes are at most `distance` bits apart.
struct FindSimilar {
    static constexpr std::string_view name = "FindSimilar";
    uint32_t distance = kDefaultSimilarDistance;  // 0..kMaxSimilarDistance
    uint64_t offset = 0;                          // in groups
    uint32_t limit = 0;                           // groups; 0: the engine's page maximum (kMaxSimilarPage)

    template <class Archive>
    void serialize(Archive& ar) { ar(distance, offset, limit); }
    friend bool operator==(const FindSimilar&, const FindSimilar&) = default;
};

// The library's folders (protocol 8), each with its live photos: the shell's Library > Folders window.
struct ListFolders {
    static constexpr std::string_view name = "ListFolders";
    template <class Archive>
    void serialize(Archive&) {}
    friend bool operator==(const ListFolders&, const ListFolders&) = default;
};

// Takes one folder out of the library (protocol 8): it leaves the folders a rescan walks, and the photos
// whose live files are all below it leave the library (their rows, tags and thumbnails, as RemovePhotos),
// never the disk. Files below another folder of the library stay; so do photos with a live file elsewhere
// (their paths below the folder go).
struct RemoveFolder {
    static constexpr std::string_view name = "RemoveFolder";
    std::string path;  // absolute: one of LibraryInfo's roots

    template <class Archive>
    void serialize(Archive& ar) { ar(path); }
    friend bool operator==(const RemoveFolder&, const RemoveFolder&) = default;
};

// Protocol 8. Turns down auto tags of one photo ("this is not a dog"): they are taken from it and never
// added to it again by a rescan or by analysis. `restore` forgets earlier rejections: such a tag comes
// back when a stage next writes it (the file changed, a newer plugin analyses it). Names: as SetUserTags's,
// compared without case.
struct RejectTags {
    static constexpr std::string_view name = "RejectTags";
    std::string photo_id;
    std::vector<std::string> reject;
    std::vector<std::string> restore;

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id, reject, restore); }
    friend bool operator==(const RejectTags&, const RejectTags&) = default;
};

// Protocol 8. The user's rotation of a photo, in clockwise quarter turns (0..3) on top of its EXIF
// orientation; absolute, so that sending it twice is harmless. Kept in the library (never written to the
// file) and across rescans; clients turn what they draw (PhotoInfo::rotation, PhotoSummary::rotation).
inline constexpr uint32_t kMaxQuarterTurns = 3;
struct SetRotation {
    static constexpr std::string_view name = "SetRotation";
    std::string photo_id;
    uint32_t quarter_turns = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id, quarter_turns); }
    friend bool operator==(const SetRotation&, const SetRotation&) = default;
};

using Request = std::variant<Hello, ListPlugins, StartScan, CancelJob, JobStatus, ListJobs, GetPhoto,
                             GetThumbnail, Shutdown, Query, Facets, SetUserTags, ListFailures, Rescan,
                             RemovePhotos, LibraryInfo, OpenLibrary, GetSettings, SetSettings, GetAnalysis,
                             SetAnalysisPaused, ListPersons, RenamePerson, MergePersons, RemoveFace,
                             GetMapClusters, FindSimilar, ListFolders, RemoveFolder, RejectTags, SetRotation>;

inline std::string_view name_of(const Request& request) {
    return std::visit([](const auto& r) -> std::string_view { return r.name; }, request);
}

}  // namespace lbx::ipc
