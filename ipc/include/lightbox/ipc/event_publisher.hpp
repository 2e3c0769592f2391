// The engine's side of the event socket. An XPUB socket with ZMQ_XPUB_NODROP, so that a full subscriber
// queue is reported instead of silently dropping: ordinary events (they are hints) are then dropped and
// counted, while the final progress event of a job is kept and sent again until it goes out
// (sdk_docs/protocol.md, "Events"). The socket belongs to the thread that calls its methods.
#pragma once

#include "lightbox/ipc/envelope.hpp"
#include "lightbox/ipc/expected.hpp"

#include <zmq.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace lbx::ipc {

class EventPublisher {
public:
    static Expected<std::unique_ptr<EventPublisher>> bind(zmq::context_t& context, const std::string& endpoint);

    const std::string& endpoint() const { return endpoint_; }
    zmq::socket_t& socket() { return socket_; }

    void publish(const Event& event);
    // Reads the subscription messages XPUB queues for its owner (they would pile up otherwise).
    void read_subscriptions();
    // Sends kept final events whose turn has come; gives up on one after `keep_for` (a subscriber that
    // never reads must not make the engine hold events for ever).
    void send_pending(std::chrono::milliseconds keep_for = std::chrono::seconds(10));

    uint64_t published() const { return published_; }
    uint64_t dropped() const { return dropped_; }
    std::size_t pending() const { return pending_.size(); }

    EventPublisher(zmq::socket_t socket, std::string endpoint);

private:
    struct Frame {
        std::string topic;
        std::vector<uint8_t> bytes;
        std::chrono::steady_clock::time_point since;
    };
    bool try_send(const Frame& frame);

    zmq::socket_t socket_;
    std::string endpoint_;
    std::deque<Frame> pending_;
    uint64_t published_ = 0;
    uint64_t dropped_ = 0;
};

}  // namespace lbx::ipc
