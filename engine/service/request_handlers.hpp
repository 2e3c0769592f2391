// One handler per request type: each returns the request's one reply (its success reply or an
// ErrorReply). The command server sends it; handlers never touch a socket.
#pragma once

#include "service/service_state.hpp"

#include <lightbox/ipc/envelope.hpp>

namespace lbx::engine::service {

class RequestHandlers {
public:
    explicit RequestHandlers(ServiceState& state) : state_(state) {}

    ipc::Reply handle(const ipc::RequestEnvelope& request);

private:
    ipc::Reply on(const ipc::Hello& request);
    ipc::Reply on(const ipc::ListPlugins& request);
    ipc::Reply on(const ipc::StartScan& request);
    ipc::Reply on(const ipc::CancelJob& request);
    ipc::Reply on(const ipc::JobStatus& request);
    ipc::Reply on(const ipc::ListJobs& request);
    ipc::Reply on(const ipc::GetPhoto& request);
    ipc::Reply on(const ipc::GetThumbnail& request);
    ipc::Reply on(const ipc::Shutdown& request);
    ipc::Reply on(const ipc::Query& request);
    ipc::Reply on(const ipc::Facets& request);
    ipc::Reply on(const ipc::SetUserTags& request);
    ipc::Reply on(const ipc::ListFailures& request);
    ipc::Reply on(const ipc::Rescan& request);
    ipc::Reply on(const ipc::RemovePhotos& request);
    ipc::Reply on(const ipc::LibraryInfo& request);
    ipc::Reply on(const ipc::OpenLibrary& request);
    ipc::Reply on(const ipc::GetSettings& request);
    ipc::Reply on(const ipc::SetSettings& request);

    // A scan of `paths` (absolute, checked) with a pipeline name (empty: the `pipeline` setting).
    ipc::Expected<ScanRequest> scan_request_of(const std::vector<std::string>& paths, const std::string& pipeline,
                                               const std::vector<ipc::ParamOverride>& overrides) const;
    ipc::Reply start(ipc::Expected<ScanRequest> scan);
    ipc::Reply library_info();
    ipc::Reply settings_reply() const;

    ServiceState& state_;
};

// Capabilities and the plugin list as the protocol carries them, from a loaded registry.
ipc::Capabilities capabilities_of(const PluginRegistry& registry);
ipc::PluginList plugin_list_of(const PluginRegistry& registry);

}  // namespace lbx::engine::service
