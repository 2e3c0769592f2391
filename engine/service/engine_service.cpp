#include "service/engine_service.hpp"

#include "catalog/catalog_query.hpp"
#include "service/analysis_scheduler.hpp"
#include "service/pipeline_defaults.hpp"
#include "workers/plugin_probe.hpp"

#include <lightbox/ipc/token.hpp>

#include <cstdlib>
#include <thread>

namespace lbx::engine::service {
namespace {

// How long the command thread sleeps at most between looks at its stop flag and its jobs.
constexpr auto kLoopTick = std::chrono::milliseconds(50);
// After the last job ended on shutdown: time for the final events and the Shutdown reply to leave.
constexpr auto kShutdownGrace = std::chrono::milliseconds(150);

}  // namespace

EngineService::EngineService(ServiceOptions options, std::filesystem::path runtime_dir)
    : state_(std::move(options)), runtime_dir_(std::move(runtime_dir)), started_(std::chrono::steady_clock::now()) {}

EngineService::~EngineService() {
    // Jobs first (they post to the inbox), then the sockets, then the files and the lock.
    state_.jobs.clear();
    commands_.reset();
    events_.reset();
    if (owns_files_) {
        std::error_code ec;
        std::filesystem::remove(ipc::endpoints_file(runtime_dir_), ec);
        if (!token_path_.empty()) std::filesystem::remove(token_path_, ec);
    }
    lock_.reset();
}

ipc::Expected<std::unique_ptr<EngineService>> EngineService::create(zmq::context_t& context, ServiceOptions options) {
    std::filesystem::path runtime_dir = options.runtime_dir.empty() ? ipc::default_runtime_dir() : options.runtime_dir;
    if (auto ok = ipc::ensure_runtime_dir(runtime_dir); !ok) return ipc::unexpected(ok.error());
    const std::string command = options.endpoint.empty() ? ipc::command_endpoint(runtime_dir) : options.endpoint;
    auto endpoints = ipc::endpoints_for(command);
    if (!endpoints) return ipc::unexpected(endpoints.error());

    // The library first: a catalog that cannot be opened (not a catalog, too new) refuses to serve.
    std::filesystem::path catalog_file = options.catalog_file.empty() ? catalog::default_catalog_file() : options.catalog_file;
    if (!catalog::is_postgres_location(catalog_file.string())) {  // a URI is not a path: kept as it is
        catalog_file = std::filesystem::absolute(catalog_file).lexically_normal();
        std::error_code ec;
        std::filesystem::create_directories(catalog_file.parent_path(), ec);
    }
    auto library = catalog::Catalog::open_location(catalog_file.string());
    if (!library) {
        return ipc::unexpected(ipc::make_error(ipc::Status::bad_request, "catalog", library.error().code,
                                               library.error().message));
    }

    (void)catalog::warm_up(**library);  // a failure here shows again, as an error value, on the first Query

    auto service = std::make_unique<EngineService>(std::move(options), runtime_dir);
    service->state_.catalog_file = catalog_file;
    service->state_.catalog = std::move(*library);
    service->state_.jobs.add_interrupted(*service->state_.catalog);
    service->state_.thumbnails = std::make_unique<catalog::ThumbnailCache>(*service->state_.catalog,
                                                                            service->state_.thumbnail_budget_bytes);
    service->state_.settings.workers = service->state_.options.workers ? service->state_.options.workers
                                                                       : std::max(1u, std::thread::hardware_concurrency());
    if (auto command_socket = ipc::ipc_path(endpoints->commands)) {
        auto lock = EndpointLock::acquire(*command_socket, {*command_socket, *ipc::ipc_path(endpoints->events)});
        if (!lock) return ipc::unexpected(lock.error());
        service->lock_ = std::move(*lock);
    }
    std::string token;
    if (ipc::is_tcp(endpoints->commands)) {
        auto generated = ipc::generate_token();
        if (!generated) return ipc::unexpected(generated.error());
        token = *generated;
    }
    auto commands = ipc::CommandServer::bind(context, endpoints->commands, token);
    if (!commands) return ipc::unexpected(commands.error());
    auto events = ipc::EventPublisher::bind(context, endpoints->events);
    if (!events) return ipc::unexpected(events.error());
    // Only now is the endpoint ours: the files of another engine must not be touched before this.
    service->owns_files_ = true;
    if (!token.empty()) {
        service->token_path_ = ipc::token_file(runtime_dir);
        if (auto ok = ipc::write_token_file(service->token_path_, token); !ok) return ipc::unexpected(ok.error());
    }
    service->commands_ = std::move(*commands);
    service->events_ = std::move(*events);
    service->endpoints_ = {service->commands_->endpoint(), service->events_->endpoint()};
    service->state_.event_endpoint = service->endpoints_.events;
    return service;
}

void EngineService::load_plugins() {
    if (state_.options.plugin_load_delay.count() > 0) std::this_thread::sleep_for(state_.options.plugin_load_delay);
    // A probe worker loads them first: a library that crashes or hangs while loading is named and skipped.
    load_plugins_supervised(state_.registry, state_.options.plugin_dirs, &state_.quarantine, state_.options.isolation,
                            [this](const std::string& message) { state_.inbox.post(ipc::Log{ipc::LogLevel::warning, "engine", message}); });
    state_.capabilities = capabilities_of(state_.registry);
    state_.plugin_list = plugin_list_of(state_.registry);
    state_.ready.store(true, std::memory_order_release);
    // Also wakes the command thread, which then announces the endpoints.
    state_.inbox.post(ipc::Log{ipc::LogLevel::info, "engine",
                               std::to_string(state_.registry.plugins().size()) + " plugins loaded, " +
                                   std::to_string(state_.registry.rejected().size()) + " skipped"});
}

void EngineService::became_ready(const std::function<void(const ServiceState&)>& on_ready) {
    if (auto ok = refresh_defaults(state_); !ok) {
        events_->publish(ipc::Log{ipc::LogLevel::error, "engine", "default pipeline: " + ok.error().message});
    }
    for (const RejectedPlugin& r : state_.registry.rejected()) {
        events_->publish(ipc::Log{ipc::LogLevel::warning, "engine", "skipped plugin " + r.file.string() + ": " + r.reason});
    }
    if (auto ok = ipc::write_endpoints_file(ipc::endpoints_file(runtime_dir_), endpoints_); !ok) {
        events_->publish(ipc::Log{ipc::LogLevel::error, "engine", ok.error().message});
    }
    if (on_ready) on_ready(state_);
}

void EngineService::publish_inbox() {
    for (ipc::Event& event : state_.inbox.take()) events_->publish(event);
    events_->send_pending();
}

void EngineService::publish_heartbeat() {
    ipc::Heartbeat beat;
    beat.uptime_ms = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count());
    double load[1] = {0.0};
    if (::getloadavg(load, 1) == 1) beat.load = load[0];
    beat.running_jobs = state_.jobs.running();
    beat.sequence = ++heartbeat_sequence_;
    events_->publish(beat);
}

void EngineService::follow_other_engines(bool readable) {
    constexpr auto kOtherEngineAnnounce = std::chrono::milliseconds(500);
    const std::string location = state_.catalog_file.string();
    if (!catalog::is_postgres_location(location)) {
        listener_.reset();
        return;
    }
    if (!listener_ || listener_->location() != location) listener_ = std::make_unique<LibraryListener>(location);
    const auto now = std::chrono::steady_clock::now();
    if (listener_->maintain(now)) other_engine_news_ = true;  // back after a loss: changes may have been missed
    if (readable && listener_->other_engine_changed()) other_engine_news_ = true;
    if (other_engine_news_ && now >= next_announce_) {
        other_engine_news_ = false;
        next_announce_ = now + kOtherEngineAnnounce;
        events_->publish(ipc::LibraryChanged{ipc::changes::kOtherEngine, {}, {}});
    }
}

void EngineService::run(const std::atomic<bool>& stop, const std::function<void(const ServiceState&)>& on_ready) {
    loader_ = std::jthread([this] { load_plugins(); });
    RequestHandlers handlers(state_);
    const ipc::CommandServer::Handler handle = [&handlers](const ipc::RequestEnvelope& r) { return handlers.handle(r); };

    bool announced = false;
    auto next_heartbeat = std::chrono::steady_clock::now();
    std::optional<std::chrono::steady_clock::time_point> close_at;
    for (;;) {
        const auto now = std::chrono::steady_clock::now();
        auto wait = std::min<std::chrono::steady_clock::duration>(kLoopTick, next_heartbeat - now);
        if (wait < std::chrono::steady_clock::duration::zero()) wait = {};
        const int listener_fd = listener_ ? listener_->fd() : -1;
        zmq::pollitem_t items[] = {
            {static_cast<void*>(commands_->socket()), 0, ZMQ_POLLIN, 0},
            {static_cast<void*>(events_->socket()), 0, ZMQ_POLLIN, 0},
            {nullptr, state_.inbox.fd(), ZMQ_POLLIN, 0},
            {nullptr, listener_fd, ZMQ_POLLIN, 0},
        };
        try {
            zmq::poll(items, listener_fd >= 0 ? 4 : 3, std::chrono::duration_cast<std::chrono::milliseconds>(wait));
        } catch (const zmq::error_t& e) {
            if (e.num() != EINTR) break;  // the context was terminated under us
        }

        if (!announced && state_.ready.load(std::memory_order_acquire)) {
            loader_.join();
            announced = true;
            became_ready(on_ready);
        }
        // A bounded batch, so a flood of requests cannot starve events and heartbeats.
        for (int i = 0; i < 256 && commands_->serve_one(handle); ++i) {
        }
        if (items[1].revents & ZMQ_POLLIN) events_->read_subscriptions();
        // The inbox only when its eventfd says something waits: a request alone costs no extra syscalls.
        if (items[2].revents & ZMQ_POLLIN) publish_inbox();
        else events_->send_pending();
        follow_other_engines(listener_fd >= 0 && (items[3].revents & ZMQ_POLLIN) != 0);
        if (std::chrono::steady_clock::now() >= next_heartbeat) {
            publish_heartbeat();
            next_heartbeat = std::chrono::steady_clock::now() + state_.options.heartbeat;
        }

        if (!state_.stopping && (stop.load() || state_.shutdown_requested)) {
            state_.stopping = true;
            state_.jobs.cancel_all();
            events_->publish(ipc::Log{ipc::LogLevel::info, "engine", "shutting down"});
        }
        if (state_.stopping && state_.jobs.running() == 0) {
            if (!close_at) close_at = std::chrono::steady_clock::now() + kShutdownGrace;
            if (std::chrono::steady_clock::now() >= *close_at && events_->pending() == 0) break;
            if (std::chrono::steady_clock::now() >= *close_at + std::chrono::seconds(2)) break;
        }
        state_.jobs.prune();
        schedule_analysis(state_);
    }
    if (loader_.joinable()) loader_.join();
    publish_inbox();  // the last events of the cancelled jobs
    state_.jobs.clear();
}

}  // namespace lbx::engine::service
