#include "model/engine_session.hpp"

#include "model/engine_process.hpp"
#include "model/inproc_engine.hpp"
#include "model/thumbnail_queue.hpp"

#include <lightbox/ipc/client.hpp>
#include <lightbox/ipc/endpoint.hpp>
#include <lightbox/ipc/error_codes.hpp>
#include <lightbox/ipc/event_subscriber.hpp>
#include <lightbox/ipc/topics.hpp>
#include <lightbox/ipc/version.hpp>

#include <unistd.h>

namespace lbx::shell {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Thumbnails asked per round of the loop: enough to fill a screen quickly, few enough that a command
// typed meanwhile (a query) does not wait behind a whole screen of them.
constexpr int kThumbnailsPerRound = 6;

}  // namespace

// Member order is destruction order reversed: the sockets go before the engine they talk to.
struct EngineSession::Connection {
    std::unique_ptr<EngineProcess> process;
    std::unique_ptr<InprocEngine> inproc;
    std::optional<ipc::Client> client;
    std::optional<ipc::Client> slow_client;  // Facets: seconds over a large library; sent once, waited for longer
    std::optional<ipc::EventSubscriber> events;
    std::string description;
};

EngineSession::EngineSession(SessionOptions options) : options_(std::move(options)) {
    thread_ = std::thread([this] { run(); });
}

EngineSession::~EngineSession() {
    stop_ = true;
    wake_.notify_all();
    thread_.join();
}

void EngineSession::send(Command command) {
    {
        std::lock_guard lock(mutex_);
        // Facets wait until the screen's thumbnails are fetched, and only the latest one counts.
        if (std::holds_alternative<ipc::Facets>(command.request)) background_ = std::move(command);
        else commands_.push_back(std::move(command));
    }
    wake_.notify_all();
}

void EngineSession::want_thumbnails(std::vector<ThumbKey> latest_first) {
    {
        std::lock_guard lock(mutex_);
        latest_wanted_ = latest_first;
        wanted_ = std::move(latest_first);
    }
    wake_.notify_all();
}

void EngineSession::pause(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, duration, [this] { return stop_.load(); });
}

std::unique_ptr<EngineSession::Connection> EngineSession::connect(zmq::context_t& context, int attempt) {
    auto connection = std::make_unique<Connection>();
    ipc::EndpointPair endpoints;
    const auto failed = [&](const std::string& why) {
        options_.deliver(EngineStatusChanged{EngineStatus::failed, why});
        return nullptr;
    };
    if (options_.mode == EngineMode::inproc) {
        // A new name per attempt: the old engine's inproc endpoints may linger until its sockets close.
        const std::string endpoint = "inproc://lightbox-engine-" + std::to_string(attempt);
        auto started = InprocEngine::start(options_.inproc_library, context, endpoint, options_.catalog,
                                           options_.thumbnail_dir);
        if (!started) return failed(started.error().message);
        connection->inproc = std::move(*started);
        auto pair = ipc::endpoints_for(endpoint);
        if (!pair) return failed(pair.error().message);
        endpoints = *pair;
        connection->description = "in-process engine";
    } else {
        auto dir = ipc::ensure_runtime_dir(options_.runtime_dir);
        if (!dir) return failed(dir.error().message);
        LaunchOptions launch{options_.engine_exe, options_.runtime_dir, options_.catalog};
        launch.cancelled = [this] { return stop_.load(); };  // closing the app does not wait for a slow start
        auto launched = launch_or_attach(launch);
        if (!launched) return failed(launched.error().message);
        endpoints = launched->endpoints;
        connection->process = std::move(launched->process);
        connection->description = connection->process ? "engine pid " + std::to_string(connection->process->pid())
                                                       : "attached to the engine at " + endpoints.commands;
    }

    connection->client.emplace(context, ipc::ClientOptions{endpoints.commands, "", options_.request_timeout, 1});
    // Facets over a large library during a scan (the facet index rebuilds) may take a second or two.
    connection->slow_client.emplace(context, ipc::ClientOptions{endpoints.commands, "", 3 * options_.request_timeout, 0});
    // Hello until the engine says ready (plugins load on a thread of the engine).
    const auto deadline = Clock::now() + 30s;
    std::optional<ipc::HelloReply> hello;
    while (!stop_ && Clock::now() < deadline) {
        auto reply = connection->client->call(ipc::Hello{ipc::kProtocolVersion, "lightbox-shell"});
        if (!reply) {
            if (reply.error().status == ipc::Status::version_mismatch) return failed(reply.error().message);
            if (connection->process && !connection->process->running()) return failed("the engine exited while starting");
            pause(100ms);
            continue;
        }
        if (reply->ready) {
            hello = *reply;
            break;
        }
        pause(100ms);
    }
    if (!hello) return failed("the engine did not get ready at " + endpoints.commands);

    const std::string event_endpoint = hello->event_endpoint.empty() ? endpoints.events : hello->event_endpoint;
    connection->events.emplace(context, event_endpoint);
    for (auto topic : {ipc::kTopicHeartbeat, ipc::kTopicJobs, ipc::kTopicThumbnailReady, ipc::kTopicPhotoFailed,
                       ipc::kTopicLibraryChanged}) {
        connection->events->subscribe(topic);
    }
    const int pid = connection->process ? static_cast<int>(connection->process->pid()) : 0;
    options_.deliver(EngineConnected{hello->engine_version, pid});
    return connection;
}

bool EngineSession::serve_thumbnail(Connection& connection, ThumbnailQueue& queue) {
    auto key = queue.next();
    if (!key) return true;
    auto reply = connection.client->call(ipc::GetThumbnail{key->photo_id, key->size});
    if (reply) {
        auto image = options_.decode ? options_.decode(reply->mime_type, reply->bytes) : nullptr;
        options_.deliver(ThumbnailArrived{*key, std::move(image)});
        return true;
    }
    const ipc::Error& error = reply.error();
    if (error.status == ipc::Status::unavailable) {
        // No answer in time: asked again next round, or of the next engine if this one is lost.
        queue.retry(*key);
        return false;
    } else if (error.status == ipc::Status::not_ready && error.code == ipc::codes::kThumbnailPending) {
        queue.mark_pending(*key);  // thumb/ready follows
    } else if (error.status == ipc::Status::not_found || key->size == ipc::kFullResolution) {
        // The full-resolution image is asked for once, by the photo view: any failure is its answer.
        options_.deliver(ThumbnailArrived{*key, nullptr, error.message});
    }
    // Other errors (not_ready while plugins load): the grid asks again when it next paints.
    return true;
}

void EngineSession::read_events(Connection& connection, ThumbnailQueue& queue, Clock::time_point& last_heartbeat,
                                std::chrono::milliseconds wait) {
    for (;; wait = 0ms) {
        auto received = connection.events->next(wait);
        if (!received) continue;  // a frame that did not decode: skipped
        if (!*received) return;
        const ipc::Event& event = (*received)->event;
        if (std::holds_alternative<ipc::Heartbeat>(event)) {
            last_heartbeat = Clock::now();
        } else if (const auto* ready = std::get_if<ipc::ThumbnailReady>(&event)) {
            const ThumbKey key{ready->photo_id, ready->size};
            if (ready->ok) queue.on_ready(key);
            else options_.deliver(ThumbnailArrived{key, nullptr, ready->error.message});
        } else {
            options_.deliver(EventArrived{event});
        }
    }
}

bool EngineSession::engine_lost(Connection& connection, ThumbnailQueue& queue, Clock::time_point& last_heartbeat) {
    if (connection.process) {
        connection.process->drain_stdout();
        if (!connection.process->running()) return true;  // exited: no need to wait for the watch
    }
    // Heartbeats queued while a request blocked this thread are read first: only then is the watch fair.
    read_events(connection, queue, last_heartbeat, 0ms);
    return Clock::now() - last_heartbeat > options_.heartbeat_timeout;
}

bool EngineSession::serve(Connection& connection) {
    ThumbnailQueue thumbnails;
    {
        // A new engine knows nothing of what the last one was asked or promised (thumb/ready): the visible
        // cells are asked again. Their views would not say so themselves: their list has not changed.
        std::lock_guard lock(mutex_);
        wanted_ = latest_wanted_;
    }
    auto last_heartbeat = Clock::now();  // connecting counts as one
    while (!stop_) {
        bool busy;
        {
            std::lock_guard lock(mutex_);
            busy = !commands_.empty() || thumbnails.queued() > 0 || wanted_ || background_;
        }
        read_events(connection, thumbnails, last_heartbeat, busy ? 0ms : 10ms);
        bool lost = engine_lost(connection, thumbnails, last_heartbeat);

        // One command per round, then a few thumbnails: a slow command (facets over a large library)
        // does not hold back the first screen of thumbnails, nor the events.
        std::optional<Command> command;
        {
            std::lock_guard lock(mutex_);
            if (!commands_.empty()) {
                command = std::move(commands_.front());
                commands_.pop_front();
            }
            if (wanted_) thumbnails.set_wanted(std::move(*std::exchange(wanted_, std::nullopt)));
            if (!command && thumbnails.queued() == 0 && background_) command = std::move(*std::exchange(background_, std::nullopt));
        }
        if (command && !lost) {
            // A slow answer times out as `unavailable` too: that alone does not make the engine lost;
            // the heartbeat watch and the child's exit decide, checked at once after a timeout so that a
            // hung engine is reported within the watch's time even while requests are waiting.
            ipc::Client& client = std::holds_alternative<ipc::Facets>(command->request) ? *connection.slow_client : *connection.client;
            auto reply = client.request(command->request);
            const bool timed_out = !reply && reply.error().status == ipc::Status::unavailable;
            options_.deliver(ReplyArrived{std::move(command->request), command->tag, std::move(reply)});
            command.reset();
            if (timed_out) lost = engine_lost(connection, thumbnails, last_heartbeat);
        }
        for (int i = 0; i < kThumbnailsPerRound && !lost; ++i) {
            if (!serve_thumbnail(connection, thumbnails)) {
                lost = engine_lost(connection, thumbnails, last_heartbeat);
                break;  // no more waiting on an engine that did not answer this round
            }
        }
        if (!lost) lost = engine_lost(connection, thumbnails, last_heartbeat);
        if (lost) {
            // A command not sent yet goes to the next engine.
            if (command) {
                std::lock_guard lock(mutex_);
                commands_.push_front(std::move(*command));
            }
            return false;
        }
    }
    return true;
}

void EngineSession::run() {
    // The context outlives every socket (and the in-process engine, which shares it).
    zmq::context_t context;
    for (int attempt = 0; !stop_; ++attempt) {
        options_.deliver(EngineStatusChanged{attempt == 0 ? EngineStatus::starting : EngineStatus::restarting, ""});
        auto connection = connect(context, attempt);
        if (!connection) {
            pause(2s);  // failed was delivered; try again, slowly
            continue;
        }
        if (serve(*connection)) break;  // stopped
        options_.deliver(EngineStatusChanged{EngineStatus::not_responding,
                                             "no heartbeat from the " + connection->description + " for " +
                                                 std::to_string(options_.heartbeat_timeout.count() / 1000.0).substr(0, 3) + " s"});
        // A hung engine we started is killed; its lock goes with it, so the next one can start.
        if (connection->process) connection->process->kill_now();
    }
}

}  // namespace lbx::shell
