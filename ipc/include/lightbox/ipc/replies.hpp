// The closed set of replies the engine sends (sdk_docs/protocol.md, "Commands"). The message type on the
// wire is the index in `Reply`: append new replies at the end, never reorder. Every request gets exactly
// one reply: its success reply (`ReplyOf<Request>`) or an ErrorReply.
#pragma once

#include "lightbox/ipc/error.hpp"
#include "lightbox/ipc/job.hpp"
#include "lightbox/ipc/library.hpp"
#include "lightbox/ipc/person.hpp"
#include "lightbox/ipc/photo_info.hpp"
#include "lightbox/ipc/plugin_info.hpp"
#include "lightbox/ipc/requests.hpp"
#include "lightbox/ipc/similar.hpp"

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace lbx::ipc {

struct ErrorReply {
    static constexpr std::string_view name = "ErrorReply";
    Error error;

    template <class Archive>
    void serialize(Archive& ar) { ar(error); }
    friend bool operator==(const ErrorReply&, const ErrorReply&) = default;
};

struct HelloReply {
    static constexpr std::string_view name = "HelloReply";
    uint32_t protocol_version = 0;
    std::string engine_version;
    bool ready = false;  // false while plugins load: other commands get not_ready
    Capabilities capabilities;
    std::string event_endpoint;  // where to subscribe to this engine's events

    template <class Archive>
    void serialize(Archive& ar) { ar(protocol_version, engine_version, ready, capabilities, event_endpoint); }
    friend bool operator==(const HelloReply&, const HelloReply&) = default;
};

struct PluginList {
    static constexpr std::string_view name = "PluginList";
    std::vector<PluginInfo> plugins;
    std::vector<RejectedPlugin> rejected;

    template <class Archive>
    void serialize(Archive& ar) { ar(plugins, rejected); }
    friend bool operator==(const PluginList&, const PluginList&) = default;
};

struct ScanStarted {
    static constexpr std::string_view name = "ScanStarted";
    uint64_t job_id = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(job_id); }
    friend bool operator==(const ScanStarted&, const ScanStarted&) = default;
};

// Cancelling is asynchronous: `state` is the job's state when the request was handled.
struct JobCancelled {
    static constexpr std::string_view name = "JobCancelled";
    uint64_t job_id = 0;
    JobState state = JobState::running;

    template <class Archive>
    void serialize(Archive& ar) {
        ar(job_id);
        detail::wire_enum<kAllJobStates.size()>(ar, state);
    }
    friend bool operator==(const JobCancelled&, const JobCancelled&) = default;
};

struct JobStatusReply {
    static constexpr std::string_view name = "JobStatusReply";
    JobSnapshot job;

    template <class Archive>
    void serialize(Archive& ar) { ar(job); }
    friend bool operator==(const JobStatusReply&, const JobStatusReply&) = default;
};

struct JobList {
    static constexpr std::string_view name = "JobList";
    std::vector<JobSnapshot> jobs;

    template <class Archive>
    void serialize(Archive& ar) { ar(jobs); }
    friend bool operator==(const JobList&, const JobList&) = default;
};

struct PhotoReply {
    static constexpr std::string_view name = "PhotoReply";
    PhotoInfo photo;

    template <class Archive>
    void serialize(Archive& ar) { ar(photo); }
    friend bool operator==(const PhotoReply&, const PhotoReply&) = default;
};

struct ThumbnailReply {
    static constexpr std::string_view name = "ThumbnailReply";
    std::string photo_id;
    uint32_t width = 0;
    uint32_t height = 0;
    std::string mime_type;  // "image/jpeg"
    std::vector<uint8_t> bytes;

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id, width, height, mime_type, bytes); }
    friend bool operator==(const ThumbnailReply&, const ThumbnailReply&) = default;
};

struct ShutdownReply {
    static constexpr std::string_view name = "ShutdownReply";
    template <class Archive>
    void serialize(Archive&) {}
    friend bool operator==(const ShutdownReply&, const ShutdownReply&) = default;
};

struct QueryReply {
    static constexpr std::string_view name = "QueryReply";
    std::vector<PhotoSummary> photos;
    uint64_t total = 0;   // matches in all, whatever the page
    uint64_t offset = 0;  // of photos[0]

    template <class Archive>
    void serialize(Archive& ar) { ar(photos, total, offset); }
    friend bool operator==(const QueryReply&, const QueryReply&) = default;
};

struct FacetsReply {
    static constexpr std::string_view name = "FacetsReply";
    std::vector<FacetCount> tags;
    std::vector<FacetCount> cameras;
    std::vector<FacetCount> years;
    std::vector<FacetCount> places;
    std::vector<FacetCount> months;  // "2019-05" (protocol version 2)
    // Protocol 5: the content-analysis groups ("animals"), object labels ("dog") and named people.
    std::vector<FacetCount> groups;
    std::vector<FacetCount> labels;
    std::vector<FacetCount> people;

    template <class Archive>
    void serialize(Archive& ar) { ar(tags, cameras, years, places, months, groups, labels, people); }
    friend bool operator==(const FacetsReply&, const FacetsReply&) = default;
};

struct UserTagsReply {
    static constexpr std::string_view name = "UserTagsReply";
    std::string photo_id;
    std::vector<std::string> user_tags;  // all of them, after the change, sorted

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id, user_tags); }
    friend bool operator==(const UserTagsReply&, const UserTagsReply&) = default;
};

struct FailureList {
    static constexpr std::string_view name = "FailureList";
    std::vector<FailureEntry> failures;
    uint64_t total = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(failures, total); }
    friend bool operator==(const FailureList&, const FailureList&) = default;
};

struct PhotosRemoved {
    static constexpr std::string_view name = "PhotosRemoved";
    uint64_t removed = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(removed); }
    friend bool operator==(const PhotosRemoved&, const PhotosRemoved&) = default;
};

struct LibraryInfoReply {
    static constexpr std::string_view name = "LibraryInfoReply";
    std::string catalog;             // the catalog file this engine serves
    std::vector<std::string> roots;  // the library's folders
    uint64_t photos = 0;
    uint64_t files_failed = 0;
    uint64_t files_missing = 0;
    uint64_t thumbnail_bytes = 0;
    uint64_t thumbnail_budget_bytes = 0;

    template <class Archive>
    void serialize(Archive& ar) {
        ar(catalog, roots, photos, files_failed, files_missing, thumbnail_bytes, thumbnail_budget_bytes);
    }
    friend bool operator==(const LibraryInfoReply&, const LibraryInfoReply&) = default;
};

struct SettingsReply {
    static constexpr std::string_view name = "SettingsReply";
    std::vector<Setting> settings;  // every setting with its current value

    template <class Archive>
    void serialize(Archive& ar) { ar(settings); }
    friend bool operator==(const SettingsReply&, const SettingsReply&) = default;
};

// The analysis phase's state (GetAnalysis, SetAnalysisPaused; protocol 5).
struct AnalysisReply {
    static constexpr std::string_view name = "AnalysisReply";
    bool enabled = false;   // the engine runs analysis stages at all (`serve --analysis`, and they loaded)
    bool paused = false;    // kept across restarts of the engine
    uint64_t pending = 0;   // photos of the library still to analyse with today's analysis stages
    uint64_t job_id = 0;    // the running analysis job; 0: none
    std::vector<std::string> stages;       // the analysis stages in use ("objects", "faces", ...)
    std::vector<std::string> unavailable;  // stages left out, each with why ("faces: model ... missing")

    template <class Archive>
    void serialize(Archive& ar) { ar(enabled, paused, pending, job_id, stages, unavailable); }
    friend bool operator==(const AnalysisReply&, const AnalysisReply&) = default;
};

struct PersonList {
    static constexpr std::string_view name = "PersonList";
    std::vector<Person> persons;
    uint64_t total = 0;  // persons in the library

    template <class Archive>
    void serialize(Archive& ar) { ar(persons, total); }
    friend bool operator==(const PersonList&, const PersonList&) = default;
};

// The person after the change: renamed, merged into, or the one a face was taken from (faces 0: it was
// deleted with its last face).
struct PersonReply {
    static constexpr std::string_view name = "PersonReply";
    Person person;

    template <class Archive>
    void serialize(Archive& ar) { ar(person); }
    friend bool operator==(const PersonReply&, const PersonReply&) = default;
};

// One cluster of the map: the mean position of its photos, how many, the smallest box around them (what
// a click on it filters the grid to: a `within:` term) and one of its photos (for a preview).
struct MapCluster {
    double lat = 0, lon = 0;
    uint64_t count = 0;
    double south = 0, west = 0, north = 0, east = 0;
    std::string sample_photo_id;

    template <class Archive>
    void serialize(Archive& ar) { ar(lat, lon, count, south, west, north, east, sample_photo_id); }
    friend bool operator==(const MapCluster&, const MapCluster&) = default;
};

struct MapClustersReply {
    static constexpr std::string_view name = "MapClustersReply";
    std::vector<MapCluster> clusters;  // most photos first
    uint64_t photos = 0;               // the geotagged matches inside the box, those of dropped clusters too
    bool truncated = false;            // more clusters than the limit: the smallest were left out

    template <class Archive>
    void serialize(Archive& ar) { ar(clusters, photos, truncated); }
    friend bool operator==(const MapClustersReply&, const MapClustersReply&) = default;
};

struct SimilarGroups {
    static constexpr std::string_view name = "SimilarGroups";
    std::vector<SimilarGroup> groups;
    uint64_t total = 0;     // groups in all, over every page
    uint32_t distance = 0;  // the distance they were grouped with

    template <class Archive>
    void serialize(Archive& ar) { ar(groups, total, distance); }
    friend bool operator==(const SimilarGroups&, const SimilarGroups&) = default;
};

// ListFolders: every folder of the library, by path.
struct FolderList {
    static constexpr std::string_view name = "FolderList";
    std::vector<LibraryFolder> folders;

    template <class Archive>
    void serialize(Archive& ar) { ar(folders); }
    friend bool operator==(const FolderList&, const FolderList&) = default;
};

// RemoveFolder: the folder as the library held it, the photos that left the library with it and the
// file rows below it that were dropped (those of photos kept for a live file elsewhere included).
struct FolderRemoved {
    static constexpr std::string_view name = "FolderRemoved";
    std::string path;
    uint64_t photos_removed = 0;
    uint64_t files_removed = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(path, photos_removed, files_removed); }
    friend bool operator==(const FolderRemoved&, const FolderRemoved&) = default;
};

// RejectTags's answer: how many auto tags the photo lost (one name may come from several stages), and
// every tag now rejected for it, sorted.
struct TagsRejected {
    static constexpr std::string_view name = "TagsRejected";
    std::string photo_id;
    uint64_t removed = 0;
    std::vector<std::string> rejected;

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id, removed, rejected); }
    friend bool operator==(const TagsRejected&, const TagsRejected&) = default;
};

// SetRotation's answer: the rotation the library now keeps for the photo.
struct RotationSet {
    static constexpr std::string_view name = "RotationSet";
    std::string photo_id;
    uint32_t quarter_turns = 0;

    template <class Archive>
    void serialize(Archive& ar) { ar(photo_id, quarter_turns); }
    friend bool operator==(const RotationSet&, const RotationSet&) = default;
};

using Reply = std::variant<ErrorReply, HelloReply, PluginList, ScanStarted, JobCancelled, JobStatusReply,
                           JobList, PhotoReply, ThumbnailReply, ShutdownReply, QueryReply, FacetsReply,
                           UserTagsReply, FailureList, PhotosRemoved, LibraryInfoReply, SettingsReply,
                           AnalysisReply, PersonList, PersonReply, MapClustersReply, SimilarGroups,
                           FolderList, FolderRemoved, TagsRejected, RotationSet>;

inline std::string_view name_of(const Reply& reply) {
    return std::visit([](const auto& r) -> std::string_view { return r.name; }, reply);
}

// ok for every typed reply, the error's status for an ErrorReply.
inline Status status_of(const Reply& reply) {
    if (const auto* e = std::get_if<ErrorReply>(&reply)) return e->error.status;
    return Status::ok;
}

// The success reply of each request: the one place that pairs them. The client's typed calls
// (`call(StartScan{}) -> Expected<ScanStarted>`) and the engine's handlers (`on(const StartScan&) ->
// Expected<ReplyOf<StartScan>>`) both use it, so the two sides cannot disagree.
template <class Req> struct ReplyOfT;
template <> struct ReplyOfT<Hello> { using type = HelloReply; };
template <> struct ReplyOfT<ListPlugins> { using type = PluginList; };
template <> struct ReplyOfT<StartScan> { using type = ScanStarted; };
template <> struct ReplyOfT<CancelJob> { using type = JobCancelled; };
template <> struct ReplyOfT<JobStatus> { using type = JobStatusReply; };
template <> struct ReplyOfT<ListJobs> { using type = JobList; };
template <> struct ReplyOfT<GetPhoto> { using type = PhotoReply; };
template <> struct ReplyOfT<GetThumbnail> { using type = ThumbnailReply; };
template <> struct ReplyOfT<Shutdown> { using type = ShutdownReply; };
template <> struct ReplyOfT<Query> { using type = QueryReply; };
template <> struct ReplyOfT<Facets> { using type = FacetsReply; };
template <> struct ReplyOfT<SetUserTags> { using type = UserTagsReply; };
template <> struct ReplyOfT<ListFailures> { using type = FailureList; };
template <> struct ReplyOfT<Rescan> { using type = ScanStarted; };
template <> struct ReplyOfT<RemovePhotos> { using type = PhotosRemoved; };
template <> struct ReplyOfT<LibraryInfo> { using type = LibraryInfoReply; };
template <> struct ReplyOfT<OpenLibrary> { using type = LibraryInfoReply; };
template <> struct ReplyOfT<GetSettings> { using type = SettingsReply; };
template <> struct ReplyOfT<SetSettings> { using type = SettingsReply; };
template <> struct ReplyOfT<GetAnalysis> { using type = AnalysisReply; };
template <> struct ReplyOfT<SetAnalysisPaused> { using type = AnalysisReply; };
template <> struct ReplyOfT<ListPersons> { using type = PersonList; };
template <> struct ReplyOfT<RenamePerson> { using type = PersonReply; };
template <> struct ReplyOfT<MergePersons> { using type = PersonReply; };
template <> struct ReplyOfT<RemoveFace> { using type = PersonReply; };
template <> struct ReplyOfT<GetMapClusters> { using type = MapClustersReply; };
template <> struct ReplyOfT<FindSimilar> { using type = SimilarGroups; };
template <> struct ReplyOfT<ListFolders> { using type = FolderList; };
template <> struct ReplyOfT<RemoveFolder> { using type = FolderRemoved; };
template <> struct ReplyOfT<RejectTags> { using type = TagsRejected; };
template <> struct ReplyOfT<SetRotation> { using type = RotationSet; };
template <class Req> using ReplyOf = typename ReplyOfT<Req>::type;

namespace detail {
template <class T, class Variant> struct is_alternative_of;
template <class T, class... Ts>
struct is_alternative_of<T, std::variant<Ts...>> : std::bool_constant<(std::is_same_v<T, Ts> || ...)> {};
template <class Requests> struct every_request_has_a_reply;
template <class... Reqs>
struct every_request_has_a_reply<std::variant<Reqs...>>
    : std::bool_constant<(is_alternative_of<ReplyOf<Reqs>, Reply>::value && ...)> {};
}  // namespace detail

// A request appended to `Request` without its ReplyOfT above does not compile ("incomplete type
// ReplyOfT<...>"), nor does one paired with a type that is not in `Reply`.
static_assert(detail::every_request_has_a_reply<Request>::value, "every request's ReplyOf is one of Reply's alternatives");

}  // namespace lbx::ipc
