#include "model/engine_session.hpp"

#include "model/engine_process.hpp"
#include "model/inproc_engine.hpp"
#include "model/thumbnail_queue.hpp"

#include <lightbox/ipc/client.hpp>
#include <lightbox/ipc/endpoint.hpp>
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
        auto launched = launch_or_attach(LaunchOptions{options_.engine_exe, options_.runtime_dir, options_.catalog});
        if (!launched) return failed(launched.error().message);
        endpoints = launched->endpoints;
        connection->process = std::move(launched->process);
        connection->description = connection->process ? "engine pid " + std::to_string(connection->process->pid())
                                                       : "attached to the engine at " + endpoints.commands;
    }

    connection->client.emplace(context, ipc::ClientOptions{endpoints.commands, "", options_.request_timeout, 1});
    connection->slow_client.emplace(context, ipc::ClientOptions{endpoints.commands, "", 10 * options_.request_timeout, 0});
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
    for (auto topic : {ipc::kTopicHeartbeat, ipc::kTopicJobs, ipc::kTopicThumbnailReady, ipc::kTopicPhotoFailed}) {
        connection->events->subscribe(topic);
    }
    const int pid = connection->process ? static_cast<int>(connection->process->pid()) : 0;
    options_.deliver(EngineConnected{hello->engine_version, pid});
    return connection;
}

void EngineSession::serve_thumbnail(Connection& connection, ThumbnailQueue& queue, bool& lost) {
    auto key = queue.next();
    if (!key) return;
    auto reply = connection.client->call(ipc::GetThumbnail{key->photo_id, key->size});
    if (reply) {
        auto image = options_.decode ? options_.decode(reply->mime_type, reply->bytes) : nullptr;
        options_.deliver(ThumbnailArrived{*key, std::move(image)});
        return;
    }
    const ipc::Error& error = reply.error();
    (void)lost;  // as for commands: a timeout alone is not a lost engine
    if (error.status == ipc::Status::unavailable) {
        return;
    } else if (error.status == ipc::Status::not_ready && error.code == "thumbnail_pending") {
        queue.mark_pending(*key);  // thumb/ready follows
    } else if (error.status == ipc::Status::not_found) {
        options_.deliver(ThumbnailArrived{*key, nullptr});
    }
    // Other errors (not_ready while plugins load): the grid asks again when it next paints.
}

bool EngineSession::serve(Connection& connection) {
    ThumbnailQueue thumbnails;
    auto last_heartbeat = Clock::now();  // connecting counts as one
    while (!stop_) {
        // Events first: a heartbeat read late would look like a dead engine.
        bool busy;
        {
            std::lock_guard lock(mutex_);
            busy = !commands_.empty() || thumbnails.queued() > 0 || wanted_ || background_;
        }
        for (auto wait = busy ? 0ms : 10ms;; wait = 0ms) {
            auto received = connection.events->next(wait);
            if (!received) continue;  // a frame that did not decode: skipped
            if (!*received) break;
            const ipc::Event& event = (*received)->event;
            if (std::holds_alternative<ipc::Heartbeat>(event)) {
                last_heartbeat = Clock::now();
            } else if (const auto* ready = std::get_if<ipc::ThumbnailReady>(&event)) {
                const ThumbKey key{ready->photo_id, ready->size};
                if (ready->ok) thumbnails.on_ready(key);
                else options_.deliver(ThumbnailArrived{key, nullptr});
            } else {
                options_.deliver(EventArrived{event});
            }
        }

        // Heartbeats queued while a long request blocked this thread were just read: only now is the
        // watch fair.
        bool lost = Clock::now() - last_heartbeat > options_.heartbeat_timeout;

        // One command per round, then a few thumbnails: a slow command (facets over a large library)
        // does not hold back the first screen of thumbnails, nor the events.
        std::deque<Command> commands;
        {
            std::lock_guard lock(mutex_);
            if (!commands_.empty()) {
                commands.push_back(std::move(commands_.front()));
                commands_.pop_front();
            }
            if (wanted_) thumbnails.set_wanted(std::move(*std::exchange(wanted_, std::nullopt)));
            if (commands.empty() && thumbnails.queued() == 0 && background_) {
                commands.push_back(std::move(*std::exchange(background_, std::nullopt)));
            }
        }
        while (!commands.empty() && !lost) {
            Command command = std::move(commands.front());
            commands.pop_front();
            // A slow answer times out as `unavailable` too: that alone does not make the engine lost;
            // the heartbeat watch and the child's exit decide.
            ipc::Client& client = std::holds_alternative<ipc::Facets>(command.request) ? *connection.slow_client : *connection.client;
            auto reply = client.request(command.request);
            options_.deliver(ReplyArrived{std::move(command.request), command.tag, std::move(reply)});
        }
        for (int i = 0; i < kThumbnailsPerRound && !lost; ++i) serve_thumbnail(connection, thumbnails, lost);

        if (connection.process) {
            connection.process->drain_stdout();
            if (!connection.process->running()) lost = true;  // exited: no need to wait for the watch
        }
        if (lost) {
            // Whatever was not sent yet goes to the next engine.
            std::lock_guard lock(mutex_);
            for (auto it = commands.rbegin(); it != commands.rend(); ++it) commands_.push_front(std::move(*it));
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
