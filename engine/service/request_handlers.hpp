// One handler per request type: each returns the request's success reply (`ReplyOf<Req>`, checked at
// compile time) or an error, which handle() turns into the one reply the command server sends. Handlers
// never touch a socket.
#pragma once

#include "catalog/similar_groups.hpp"
#include "service/service_state.hpp"

#include <lightbox/ipc/envelope.hpp>

namespace lbx::engine::service {

class RequestHandlers {
public:
    explicit RequestHandlers(ServiceState& state) : state_(state) {}

    ipc::Reply handle(const ipc::RequestEnvelope& request);

private:
    // What the handler of `Req` returns: its success reply, or the error the client gets instead.
    template <class Req>
    using Result = ipc::Expected<ipc::ReplyOf<Req>>;

    Result<ipc::Hello> on(const ipc::Hello& request);
    Result<ipc::ListPlugins> on(const ipc::ListPlugins& request);
    Result<ipc::StartScan> on(const ipc::StartScan& request);
    Result<ipc::CancelJob> on(const ipc::CancelJob& request);
    Result<ipc::JobStatus> on(const ipc::JobStatus& request);
    Result<ipc::ListJobs> on(const ipc::ListJobs& request);
    Result<ipc::GetPhoto> on(const ipc::GetPhoto& request);
    Result<ipc::GetThumbnail> on(const ipc::GetThumbnail& request);
    Result<ipc::Shutdown> on(const ipc::Shutdown& request);
    Result<ipc::Query> on(const ipc::Query& request);
    Result<ipc::Facets> on(const ipc::Facets& request);
    Result<ipc::SetUserTags> on(const ipc::SetUserTags& request);
    Result<ipc::ListFailures> on(const ipc::ListFailures& request);
    Result<ipc::Rescan> on(const ipc::Rescan& request);
    Result<ipc::RemovePhotos> on(const ipc::RemovePhotos& request);
    Result<ipc::LibraryInfo> on(const ipc::LibraryInfo& request);
    Result<ipc::OpenLibrary> on(const ipc::OpenLibrary& request);
    Result<ipc::GetSettings> on(const ipc::GetSettings& request);
    Result<ipc::SetSettings> on(const ipc::SetSettings& request);
    Result<ipc::GetMapClusters> on(const ipc::GetMapClusters& request);
    Result<ipc::RejectTags> on(const ipc::RejectTags& request);
    Result<ipc::SetRotation> on(const ipc::SetRotation& request);
    // analysis_handlers.cpp
    Result<ipc::GetAnalysis> on(const ipc::GetAnalysis& request);
    Result<ipc::SetAnalysisPaused> on(const ipc::SetAnalysisPaused& request);
    // people_handlers.cpp
    Result<ipc::ListPersons> on(const ipc::ListPersons& request);
    Result<ipc::RenamePerson> on(const ipc::RenamePerson& request);
    Result<ipc::MergePersons> on(const ipc::MergePersons& request);
    Result<ipc::RemoveFace> on(const ipc::RemoveFace& request);
    // similar_handlers.cpp
    Result<ipc::FindSimilar> on(const ipc::FindSimilar& request);
    // folder_handlers.cpp
    Result<ipc::ListFolders> on(const ipc::ListFolders& request);
    Result<ipc::RemoveFolder> on(const ipc::RemoveFolder& request);

    // A scan of `paths` (absolute, checked) with a pipeline name (empty: the `pipeline` setting).
    ipc::Expected<ScanRequest> scan_request_of(const std::vector<std::string>& paths, const std::string& pipeline,
                                               const std::vector<ipc::ParamOverride>& overrides) const;
    ipc::Expected<ipc::ScanStarted> start(ipc::Expected<ScanRequest> scan);
    ipc::Expected<ipc::LibraryInfoReply> library_info();
    ipc::SettingsReply settings_reply() const;
    // Publishes LibraryChanged (topic library/changed) after a change a client asked for outside any job,
    // so that every other client showing the library reads it again.
    void announce(const char* change, std::vector<std::string> photo_ids = {}, std::string folder = {});

    ServiceState& state_;

    // The last FindSimilar grouping and what it was made from: the pages after the first reuse it while
    // the catalog is unchanged (grouping 100 000 photos takes 1-1.5 s on the command thread).
    struct SimilarCache {
        std::filesystem::path catalog_file;
        catalog::ChangeStamp stamp;
        uint32_t distance = 0;
        catalog::GroupIndex index;
    };
    std::optional<SimilarCache> similar_cache_;
};

// Capabilities and the plugin list as the protocol carries them, from a loaded registry.
ipc::Capabilities capabilities_of(const PluginRegistry& registry);
ipc::PluginList plugin_list_of(const PluginRegistry& registry);

}  // namespace lbx::engine::service
