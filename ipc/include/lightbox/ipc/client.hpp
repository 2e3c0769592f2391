// The client library of the command socket, shared by lightbox-ctl and the desktop shell. "Lazy pirate"
// (zguide ch. 4): every request waits at most `timeout`; a request that is safe to repeat is sent again
// on a fresh socket up to `retries` times; then the call returns an `unavailable` error ("engine not
// responding") instead of hanging. What waiting cannot change is not retried: an ipc:// socket file that
// does not exist or that this user may not open fails at once, before any attempt. A Client and its
// socket belong to one thread.
#pragma once

#include "lightbox/ipc/envelope.hpp"
#include "lightbox/ipc/expected.hpp"

#include <zmq.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace lbx::ipc {

struct ClientOptions {
    std::string endpoint;                         // the engine's command endpoint
    std::string token;                            // TCP endpoints only
    std::chrono::milliseconds timeout{1500};      // per attempt
    int retries = 2;                              // further attempts for requests that are safe to repeat
};

// Reads and idempotent changes: sending one twice does no harm. StartScan, Rescan, Shutdown, MergePersons,
// RemoveFace and RemoveFolder are sent once: a second StartScan would start a second job, a second merge
// or folder removal fail.
bool is_safe_to_repeat(const Request& request);

class Client {
public:
    Client(zmq::context_t& context, ClientOptions options);

    // The reply, or the error: an ErrorReply's error, or `unavailable` when the engine did not answer.
    Expected<Reply> request(const Request& request);

    // Typed: the success reply of `Req`, anything else as an error.
    template <class Req>
    Expected<ReplyOf<Req>> call(const Req& request);

    const ClientOptions& options() const { return options_; }

private:
    void open_socket();
    std::optional<Reply> await_reply(uint64_t request_id, std::chrono::steady_clock::time_point deadline);
    Error not_responding(int attempts) const;

    zmq::context_t& context_;
    ClientOptions options_;
    std::optional<zmq::socket_t> socket_;
    uint64_t next_request_id_ = 1;
};

template <class Req>
Expected<ReplyOf<Req>> Client::call(const Req& req) {
    auto reply = request(Request{req});
    if (!reply) return unexpected(reply.error());
    if (auto* typed = std::get_if<ReplyOf<Req>>(&*reply)) return std::move(*typed);
    return unexpected(make_error(Status::internal, "protocol", "unexpected_reply",
                                 "the engine answered " + std::string(Req::name) + " with " +
                                     std::string(name_of(*reply))));
}

}  // namespace lbx::ipc
