// The shell's effects: one thread that owns the engine connection (the ipc::Client and the
// EventSubscriber: ZeroMQ sockets belong to one thread) and, in process mode, the engine process it
// started. The UI thread hands it commands and the list of wanted thumbnails and never waits; replies,
// events, thumbnails and connection changes come back as Actions through `deliver`, called on the
// session's thread (the app posts them to the UI thread).
//
// Engine lifecycle (docs/ARCHITECTURE.md): start or attach, Hello until ready, subscribe; no heartbeat
// for `heartbeat_timeout` (or no reply to a command, or the child exited) -> EngineStatusChanged
// not_responding, then restart (kill what it started, start again or attach), re-subscribe and
// EngineConnected, on which the reducer re-reads jobs, library and the query.
#pragma once

#include "model/actions.hpp"
#include "model/command.hpp"
#include "model/thumb_key.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

namespace lbx::shell {

enum class EngineMode { process, inproc };

struct SessionOptions {
    EngineMode mode = EngineMode::process;
    std::filesystem::path engine_exe;      // process mode
    std::filesystem::path inproc_library;  // inproc mode
    std::filesystem::path runtime_dir;     // process mode: --runtime-dir (created 0700)
    std::filesystem::path thumbnail_dir;   // inproc mode; empty: the engine's default
    std::string catalog;                   // empty: the engine's default library
    std::chrono::milliseconds heartbeat_timeout{3000};
    std::chrono::milliseconds request_timeout{800};  // per attempt; one retry for safe requests
    ThumbnailDecoder decode;
    std::function<void(Action)> deliver;
};

class EngineSession {
public:
    explicit EngineSession(SessionOptions options);
    ~EngineSession();  // stops the thread; an engine it started is stopped too
    EngineSession(const EngineSession&) = delete;
    EngineSession& operator=(const EngineSession&) = delete;

    // Both return at once (any thread).
    void send(Command command);
    void want_thumbnails(std::vector<ThumbKey> latest_first);

private:
    struct Connection;
    void run();
    std::unique_ptr<Connection> connect(zmq::context_t& context, int attempt);
    bool serve(Connection& connection);  // false: the engine was lost
    // Asks for the next wanted thumbnail; false when the engine did not answer in time.
    bool serve_thumbnail(Connection& connection, class ThumbnailQueue& queue);
    // Delivers the events that have arrived (waiting up to `wait` for the first); heartbeats move
    // `last_heartbeat`, thumb/ready events go to `queue`.
    void read_events(Connection& connection, class ThumbnailQueue& queue, std::chrono::steady_clock::time_point& last_heartbeat,
                     std::chrono::milliseconds wait);
    // The child exited, or no heartbeat for heartbeat_timeout (after reading what has arrived).
    bool engine_lost(Connection& connection, class ThumbnailQueue& queue, std::chrono::steady_clock::time_point& last_heartbeat);
    void pause(std::chrono::milliseconds duration);

    SessionOptions options_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Command> commands_;
    std::optional<std::vector<ThumbKey>> wanted_;  // a new list, not yet taken by the session's queue
    // The last list the UI gave, taken or not. A new engine's queue starts from it: the views say their
    // list again only when it changes, and the cells still grey after a restart wait on the new engine.
    std::vector<ThumbKey> latest_wanted_;
    std::optional<Command> background_;  // the latest Facets
    std::atomic<bool> stop_{false};
    std::thread thread_;  // last: started after everything it uses exists
};

}  // namespace lbx::shell
