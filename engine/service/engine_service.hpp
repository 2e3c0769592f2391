// `lightbox-engine serve`: the engine as a service (sdk_docs/protocol.md). One command thread owns both
// sockets: it answers requests (ROUTER), publishes events (XPUB) posted by job threads, and sends a
// heartbeat about once a second. Plugins load on a thread of their own while the command socket already
// answers (`not_ready`). Shutdown (request or signal): jobs are cancelled, their in-flight files finished,
// their final events published, then the sockets are closed with linger 0.
#pragma once

#include "service/endpoint_lock.hpp"
#include "service/request_handlers.hpp"
#include "service/service_state.hpp"

#include <lightbox/ipc/command_server.hpp>
#include <lightbox/ipc/endpoint.hpp>
#include "service/library_listener.hpp"

#include <lightbox/ipc/event_publisher.hpp>

#include <zmq.hpp>

#include <atomic>
#include <functional>
#include <memory>

namespace lbx::engine::service {

class EngineService {
public:
    // Checks the runtime directory, takes the endpoint, writes the token (TCP) and binds both sockets.
    // Nothing runs yet. A refusal (endpoint in use, unsafe directory, bad endpoint) is an error value.
    static ipc::Expected<std::unique_ptr<EngineService>> create(zmq::context_t& context, ServiceOptions options);
    ~EngineService();

    const ipc::EndpointPair& endpoints() const { return endpoints_; }  // as bound
    const std::filesystem::path& token_path() const { return token_path_; }  // empty unless TCP

    // Serves until a Shutdown request or `stop`. `on_ready` runs once, when the plugins are loaded and
    // the endpoints file is written.
    void run(const std::atomic<bool>& stop, const std::function<void(const ServiceState&)>& on_ready);

    EngineService(ServiceOptions options, std::filesystem::path runtime_dir);

private:
    void load_plugins();
    void became_ready(const std::function<void(const ServiceState&)>& on_ready);
    void publish_inbox();
    void publish_heartbeat();
    // The library's changes by other engines (a PostgreSQL library): listened to while the library served
    // is one, and announced to clients at most every kOtherEngineAnnounce.
    void follow_other_engines(bool readable);

    ServiceState state_;
    std::filesystem::path runtime_dir_;
    std::filesystem::path token_path_;
    ipc::EndpointPair endpoints_;
    std::unique_ptr<EndpointLock> lock_;
    bool owns_files_ = false;  // both sockets bound: the endpoints and token files are this engine's
    std::unique_ptr<ipc::CommandServer> commands_;
    std::unique_ptr<ipc::EventPublisher> events_;
    std::chrono::steady_clock::time_point started_;
    uint64_t heartbeat_sequence_ = 0;
    std::jthread loader_;
    std::unique_ptr<LibraryListener> listener_;  // while the library served is a PostgreSQL one
    bool other_engine_news_ = false;             // a change heard and not yet announced
    std::chrono::steady_clock::time_point next_announce_{};
};

}  // namespace lbx::engine::service
