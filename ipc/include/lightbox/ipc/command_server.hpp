// The engine's side of the command socket: a ROUTER that takes one request at a time and sends exactly
// one reply for it, from one send site (sdk_docs/protocol.md, "Status codes and errors"). Frames that do
// not decode, wrong versions, oversize frames and missing tokens are answered here, before a handler sees
// anything. The socket belongs to the thread that calls serve_one().
#pragma once

#include "lightbox/ipc/envelope.hpp"
#include "lightbox/ipc/expected.hpp"

#include <zmq.hpp>

#include <cstdint>
#include <functional>
#include <span>
#include <memory>
#include <string>

namespace lbx::ipc {

// Frames up to this size are received and answered (`oversize` above kMaxFrameSize); a peer that sends a
// larger one is disconnected by ZeroMQ before the bytes are held in memory.
inline constexpr int64_t kHardFrameLimit = 256ll * 1024 * 1024;

class CommandServer {
public:
    // Returns the reply for a decoded, authorised request. Exceptions become an `internal` error reply.
    using Handler = std::function<Reply(const RequestEnvelope&)>;

    // Binds a ROUTER socket. A non-empty `token` is required in every request (TCP endpoints).
    static Expected<std::unique_ptr<CommandServer>> bind(zmq::context_t& context, const std::string& endpoint,
                                                         std::string token);

    const std::string& endpoint() const { return endpoint_; }  // as bound: a tcp `*` port is resolved
    zmq::socket_t& socket() { return socket_; }

    // Takes one waiting request, if any, and sends its one reply. Returns false when none was waiting.
    bool serve_one(const Handler& handler);

    uint64_t replies_sent() const { return replies_sent_; }

    CommandServer(zmq::socket_t socket, std::string endpoint, std::string token);

private:
    ReplyEnvelope reply_for(std::span<const uint8_t> frame, const Handler& handler) const;

    zmq::socket_t socket_;
    std::string endpoint_;
    std::string token_;
    uint64_t replies_sent_ = 0;
};

}  // namespace lbx::ipc
