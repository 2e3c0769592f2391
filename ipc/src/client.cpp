#include "lightbox/ipc/client.hpp"

#include "lightbox/ipc/codec.hpp"
#include "lightbox/ipc/endpoint.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace lbx::ipc {

bool is_safe_to_repeat(const Request& request) {
    // Everything else is a read or idempotent (SetUserTags, RemovePhotos, OpenLibrary, SetSettings,
    // RenamePerson, RejectTags: its second answer counts no tag removed; SetRotation: absolute). A
    // MergePersons, RemoveFace or RemoveFolder done once answers `not_found` the second time: the client
    // would report a failure for a change that was made.
    return !std::holds_alternative<StartScan>(request) && !std::holds_alternative<Rescan>(request) &&
           !std::holds_alternative<Shutdown>(request) && !std::holds_alternative<MergePersons>(request) &&
           !std::holds_alternative<RemoveFace>(request) && !std::holds_alternative<RemoveFolder>(request);
}

Client::Client(zmq::context_t& context, ClientOptions options) : context_(context), options_(std::move(options)) {}

void Client::open_socket() {
    socket_.reset();  // linger 0: an unanswered request is discarded with its socket
    zmq::socket_t socket(context_, zmq::socket_type::dealer);
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(kMaxFrameSize) + 4096);
    socket.connect(options_.endpoint);
    socket_.emplace(std::move(socket));
}

std::optional<Reply> Client::await_reply(uint64_t request_id, std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        zmq::pollitem_t item{static_cast<void*>(*socket_), 0, ZMQ_POLLIN, 0};
        if (zmq::poll(&item, 1, left) == 0) return std::nullopt;
        // A DEALER gets the reply frame alone; any further parts belong to no protocol of ours.
        zmq::message_t frame;
        if (!socket_->recv(frame, zmq::recv_flags::dontwait)) continue;
        while (frame.more()) {
            zmq::message_t extra;
            if (!socket_->recv(extra, zmq::recv_flags::dontwait) || !extra.more()) break;
        }
        auto reply = decode_reply(std::span<const uint8_t>(frame.data<uint8_t>(), frame.size()));
        if (!reply) {
            if (reply.error().request_id == request_id || reply.error().request_id == 0) {
                return Reply{ErrorReply{reply.error().error}};
            }
            continue;
        }
        if (reply->request_id != request_id) continue;  // a late answer to an attempt we gave up on
        return std::move(reply->body);
    }
}

namespace {

// Why the socket file of an ipc:// endpoint cannot be connected to, when it cannot (empty otherwise, and
// for tcp://): it does not exist (no engine serves there), or this user may not open it. ZeroMQ connects
// in the background and says neither; it would only let every attempt time out.
std::string unreachable_reason(const std::string& endpoint) {
    const auto path = ipc_path(endpoint);
    if (!path || ::access(path->c_str(), W_OK) == 0) return {};
    return errno == ENOENT ? ": no engine is listening there (" + path->string() + " does not exist)"
                           : ": " + path->string() + ": " + std::strerror(errno);
}

}  // namespace

Error Client::not_responding(int attempts) const {
    const auto ms = std::to_string(options_.timeout.count());
    return make_error(Status::unavailable, "client", "not_responding",
                      "engine not responding at " + options_.endpoint + unreachable_reason(options_.endpoint),
                      "no reply within " + ms + " ms, " + std::to_string(attempts) + " attempt(s)");
}

Expected<Reply> Client::request(const Request& request) {
    // A socket that is missing or that this user may not open does not heal while we wait: no attempt is
    // made, so the caller hears at once instead of after every retry's timeout. Whoever waits for an engine
    // that is starting (the shell) asks again on its own schedule.
    if (std::string why = unreachable_reason(options_.endpoint); !why.empty()) {
        return unexpected(make_error(Status::unavailable, "client", "not_responding",
                                     "engine not responding at " + options_.endpoint + why,
                                     "not sent: the socket cannot be opened, and waiting would not change that"));
    }
    const int attempts = is_safe_to_repeat(request) ? 1 + std::max(0, options_.retries) : 1;
    RequestEnvelope envelope;
    envelope.token = options_.token;
    envelope.body = request;
    try {
        for (int attempt = 1; attempt <= attempts; ++attempt) {
            if (!socket_) open_socket();
            envelope.request_id = next_request_id_++;
            const std::vector<uint8_t> frame = encode(envelope);
            if (!socket_->send(zmq::buffer(frame), zmq::send_flags::dontwait)) {
                socket_.reset();
                continue;
            }
            if (auto reply = await_reply(envelope.request_id, std::chrono::steady_clock::now() + options_.timeout)) {
                if (const auto* error = std::get_if<ErrorReply>(&*reply)) return unexpected(error->error);
                return std::move(*reply);
            }
            socket_.reset();  // lazy pirate: a fresh socket for the next attempt
        }
    } catch (const zmq::error_t& e) {
        socket_.reset();
        return unexpected(make_error(Status::unavailable, "client", "socket_error",
                                     "cannot talk to the engine at " + options_.endpoint + ": " + e.what()));
    }
    return unexpected(not_responding(attempts));
}

}  // namespace lbx::ipc
