// ROUTER side of the command socket. Every received message, whatever it holds, leads to exactly one
// reply, written at the one send site at the end of serve_one().
#include "lightbox/ipc/command_server.hpp"

#include "lightbox/ipc/codec.hpp"
#include "lightbox/ipc/token.hpp"

#include <exception>
#include <vector>

namespace lbx::ipc {
namespace {

// A ROUTER message is routing parts (the peer's identity, and the empty delimiter of REQ peers), then
// the payload. Peers that send more parts than this get an answer all the same, to the first part.
constexpr std::size_t kMaxParts = 8;

Error internal_error(std::string code, std::string message, std::string detail = {}) {
    return make_error(Status::internal, "engine", std::move(code), std::move(message), std::move(detail));
}

}  // namespace

CommandServer::CommandServer(zmq::socket_t socket, std::string endpoint, std::string token)
    : socket_(std::move(socket)), endpoint_(std::move(endpoint)), token_(std::move(token)) {}

Expected<std::unique_ptr<CommandServer>> CommandServer::bind(zmq::context_t& context, const std::string& endpoint,
                                                             std::string token) {
    try {
        zmq::socket_t socket(context, zmq::socket_type::router);
        socket.set(zmq::sockopt::linger, 0);
        socket.set(zmq::sockopt::maxmsgsize, kHardFrameLimit);
        socket.bind(endpoint);
        std::string bound = socket.get(zmq::sockopt::last_endpoint);
        return std::make_unique<CommandServer>(std::move(socket), bound.empty() ? endpoint : bound, std::move(token));
    } catch (const zmq::error_t& e) {
        return unexpected(make_error(Status::internal, "io", "bind_failed",
                                     "cannot listen on '" + endpoint + "': " + e.what()));
    }
}

ReplyEnvelope CommandServer::reply_for(std::span<const uint8_t> frame, const Handler& handler) const {
    auto request = decode_request(frame);
    if (!request) return error_reply_for(request.error());
    ReplyEnvelope reply;
    reply.request_id = request->request_id;
    if (!token_.empty() && !tokens_equal(request->token, token_)) {
        const bool missing = request->token.empty();
        reply.body = ErrorReply{make_error(Status::unauthorized, "auth", missing ? "missing_token" : "bad_token",
                                           missing ? "this endpoint needs the engine's token"
                                                   : "the token does not match this engine's")};
        return reply;
    }
    try {
        reply.body = handler(*request);
    } catch (const std::exception& e) {
        reply.body = ErrorReply{internal_error("handler_exception",
                                               "the engine failed on a " + std::string(name_of(request->body)) + " request",
                                               e.what())};
    } catch (...) {
        reply.body = ErrorReply{internal_error("handler_exception",
                                               "the engine failed on a " + std::string(name_of(request->body)) + " request")};
    }
    return reply;
}

bool CommandServer::serve_one(const Handler& handler) {
    std::vector<zmq::message_t> parts;
    try {
        zmq::message_t part;
        if (!socket_.recv(part, zmq::recv_flags::dontwait)) return false;
        bool more = part.more();
        parts.push_back(std::move(part));
        while (more) {
            zmq::message_t next;
            if (!socket_.recv(next, zmq::recv_flags::none)) break;  // the rest of a message is always there
            more = next.more();
            if (parts.size() < kMaxParts) parts.push_back(std::move(next));
        }
    } catch (const zmq::error_t&) {
        return false;  // the context is closing
    }

    if (parts.size() < 2) return true;  // a ROUTER always gives identity + payload; nothing to answer to
    const zmq::message_t& payload = parts.back();
    ReplyEnvelope reply = reply_for(std::span<const uint8_t>(payload.data<uint8_t>(), payload.size()), handler);
    std::vector<uint8_t> bytes = encode(reply);
    if (bytes.size() > kMaxFrameSize) {
        reply.body = ErrorReply{internal_error("reply_too_large",
                                               "the reply of " + std::to_string(bytes.size()) +
                                                   " bytes exceeds the frame limit of " + std::to_string(kMaxFrameSize) +
                                                   " bytes")};
        bytes = encode(reply);
    }

    // The one send site: routing parts as received (all but the payload), then the reply frame.
    try {
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
            socket_.send(zmq::buffer(parts[i].data(), parts[i].size()), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
        }
        if (socket_.send(zmq::buffer(bytes), zmq::send_flags::dontwait)) ++replies_sent_;
    } catch (const zmq::error_t&) {
        // The peer is gone or its queue is full: ROUTER drops the reply, and the client's retry covers it.
    }
    return true;
}

}  // namespace lbx::ipc
