// The client's side of the event socket: a SUB socket with topic-prefix subscriptions. Events are hints
// (sdk_docs/protocol.md, "Events"): follow a job with follow_job(), which takes snapshots, rather than
// trusting every event to arrive. The subscriber belongs to one thread.
#pragma once

#include "lightbox/ipc/envelope.hpp"
#include "lightbox/ipc/expected.hpp"

#include <zmq.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace lbx::ipc {

struct ReceivedEvent {
    std::string topic;
    Event event;
};

class EventSubscriber {
public:
    EventSubscriber(zmq::context_t& context, const std::string& endpoint);

    void subscribe(std::string_view topic_prefix);  // "" is every topic
    void unsubscribe(std::string_view topic_prefix);

    // The next event, nothing when `timeout` passes first, or an error for a frame that does not decode
    // (it is skipped; the caller may go on).
    Expected<std::optional<ReceivedEvent>> next(std::chrono::milliseconds timeout);

    zmq::socket_t& socket() { return socket_; }

private:
    zmq::socket_t socket_;
};

}  // namespace lbx::ipc
