// Helpers for the ipc module's socket tests: a CommandServer served from its own thread, a scripted raw
// ROUTER that stands in for a misbehaving engine, and receives with deadlines. Every socket is created,
// used and closed by one thread; the tests share one zmq::context_t per case and talk over inproc://.
#pragma once

#include "lightbox/ipc/codec.hpp"
#include "lightbox/ipc/command_server.hpp"

#include <catch2/catch.hpp>
#include <zmq.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace lbx::test {

using namespace std::chrono_literals;

// Checks `condition` every millisecond until it holds or `limit` has passed; returns whether it held.
template <class Condition>
bool wait_until(Condition condition, std::chrono::milliseconds limit = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

inline std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

// All parts of the next message, or nothing when none arrives within `timeout`.
inline std::optional<std::vector<zmq::message_t>> recv_within(zmq::socket_t& socket, std::chrono::milliseconds timeout) {
    zmq::pollitem_t item{static_cast<void*>(socket), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, timeout) == 0) return std::nullopt;
    std::vector<zmq::message_t> parts;
    do {
        zmq::message_t part;
        if (!socket.recv(part, zmq::recv_flags::dontwait)) break;
        parts.push_back(std::move(part));
    } while (parts.back().more());
    if (parts.empty()) return std::nullopt;
    return parts;
}

inline std::span<const uint8_t> bytes_of(const zmq::message_t& message) {
    return {message.data<uint8_t>(), message.size()};
}

inline std::vector<uint8_t> encode_request(ipc::Request request, uint64_t request_id, std::string token = {}) {
    ipc::RequestEnvelope envelope;
    envelope.request_id = request_id;
    envelope.token = std::move(token);
    envelope.body = std::move(request);
    return ipc::encode(envelope);
}

inline std::vector<uint8_t> encode_reply(ipc::Reply reply, uint64_t request_id) {
    ipc::ReplyEnvelope envelope;
    envelope.request_id = request_id;
    envelope.body = std::move(reply);
    return ipc::encode(envelope);
}

// A CommandServer bound and served by its own thread: poll, serve_one until nothing waits, until stopped.
class ServerThread {
public:
    ServerThread(zmq::context_t& context, std::string endpoint, ipc::CommandServer::Handler handler,
                 std::string token = {}) {
        std::promise<std::string> bound;
        std::future<std::string> ready = bound.get_future();
        thread_ = std::jthread([this, &context, endpoint = std::move(endpoint), token = std::move(token),
                                handler = std::move(handler), bound = std::move(bound)](std::stop_token stop) mutable {
            auto server = ipc::CommandServer::bind(context, endpoint, token);
            if (!server) {
                bound.set_value(server.error().message);
                return;
            }
            bound.set_value({});
            ipc::CommandServer& commands = **server;
            while (!stop.stop_requested()) {
                zmq::pollitem_t item{static_cast<void*>(commands.socket()), 0, ZMQ_POLLIN, 0};
                zmq::poll(&item, 1, std::chrono::milliseconds(10));
                while (commands.serve_one(handler)) ++served_;
                replies_sent_ = commands.replies_sent();
            }
        });
        bind_error_ = ready.get();
    }
    ~ServerThread() { stop(); }
    ServerThread(const ServerThread&) = delete;
    ServerThread& operator=(const ServerThread&) = delete;

    // Empty when the server is listening.
    const std::string& bind_error() const { return bind_error_; }
    void stop() {
        if (thread_.joinable()) {
            thread_.request_stop();
            thread_.join();
        }
    }
    // Messages taken by serve_one(), and replies it sent (updated after each round of serving).
    uint64_t served() const { return served_; }
    uint64_t replies_sent() const { return replies_sent_; }

private:
    std::string bind_error_;
    std::atomic<uint64_t> served_{0};
    std::atomic<uint64_t> replies_sent_{0};
    std::jthread thread_;  // last: stopped and joined before the counters go
};

// A ROUTER written by hand, standing in for an engine that loses, delays or garbles replies. It records
// every request it receives and, after each one, runs `script` on its own thread, which may answer any
// of the requests seen so far (to any peer) with send_reply().
class RawRouter {
public:
    struct Received {
        std::string identity;  // the peer's routing id: a fresh socket gets a fresh one
        ipc::RequestEnvelope envelope;
    };
    using Script = std::function<void(zmq::socket_t& router, const std::vector<Received>& received)>;

    RawRouter(zmq::context_t& context, std::string endpoint, Script script) {
        std::promise<void> bound;
        std::future<void> ready = bound.get_future();
        thread_ = std::jthread([this, &context, endpoint = std::move(endpoint), script = std::move(script),
                                bound = std::move(bound)](std::stop_token stop) mutable {
            zmq::socket_t router(context, zmq::socket_type::router);
            router.set(zmq::sockopt::linger, 0);
            router.bind(endpoint);
            bound.set_value();
            std::vector<Received> seen;
            while (!stop.stop_requested()) {
                auto parts = recv_within(router, std::chrono::milliseconds(10));
                if (!parts || parts->size() < 2) continue;
                auto request = ipc::decode_request(bytes_of(parts->back()));
                if (!request) {
                    ++undecodable_;
                    continue;
                }
                seen.push_back(Received{(*parts)[0].to_string(), std::move(*request)});
                {
                    std::lock_guard lock(mutex_);
                    received_ = seen;
                }
                if (script) script(router, seen);
            }
        });
        ready.get();
    }
    ~RawRouter() { stop(); }
    RawRouter(const RawRouter&) = delete;
    RawRouter& operator=(const RawRouter&) = delete;

    void stop() {
        if (thread_.joinable()) {
            thread_.request_stop();
            thread_.join();
        }
    }
    std::vector<Received> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }
    uint64_t undecodable() const { return undecodable_; }

    static void send_reply(zmq::socket_t& router, const std::string& identity, uint64_t request_id, ipc::Reply reply) {
        const std::vector<uint8_t> bytes = encode_reply(std::move(reply), request_id);
        router.send(zmq::buffer(identity), zmq::send_flags::sndmore);
        router.send(zmq::buffer(bytes), zmq::send_flags::none);
    }

private:
    mutable std::mutex mutex_;
    std::vector<Received> received_;
    std::atomic<uint64_t> undecodable_{0};
    std::jthread thread_;  // last: stopped and joined before the members it uses go
};

}  // namespace lbx::test
