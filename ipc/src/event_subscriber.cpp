#include "lightbox/ipc/event_subscriber.hpp"

#include "lightbox/ipc/codec.hpp"

namespace lbx::ipc {

EventSubscriber::EventSubscriber(zmq::context_t& context, const std::string& endpoint)
    : socket_(context, zmq::socket_type::sub) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::rcvhwm, 100000);
    socket_.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(kMaxFrameSize) + 4096);
    socket_.connect(endpoint);
}

void EventSubscriber::subscribe(std::string_view topic_prefix) { socket_.set(zmq::sockopt::subscribe, topic_prefix); }
void EventSubscriber::unsubscribe(std::string_view topic_prefix) { socket_.set(zmq::sockopt::unsubscribe, topic_prefix); }

Expected<std::optional<ReceivedEvent>> EventSubscriber::next(std::chrono::milliseconds timeout) {
    try {
        zmq::pollitem_t item{static_cast<void*>(socket_), 0, ZMQ_POLLIN, 0};
        if (zmq::poll(&item, 1, timeout) == 0) return std::optional<ReceivedEvent>{};
        zmq::message_t topic;
        if (!socket_.recv(topic, zmq::recv_flags::dontwait)) return std::optional<ReceivedEvent>{};
        if (!topic.more()) {
            return unexpected(make_error(Status::bad_request, "protocol", "malformed", "event without a body on topic '" + topic.to_string() + "'"));
        }
        zmq::message_t frame;
        (void)socket_.recv(frame, zmq::recv_flags::none);
        while (frame.more()) {  // nothing of ours has a third part: drop it
            zmq::message_t extra;
            (void)socket_.recv(extra, zmq::recv_flags::none);
            if (!extra.more()) break;
        }
        auto envelope = decode_event(std::span<const uint8_t>(frame.data<uint8_t>(), frame.size()));
        if (!envelope) return unexpected(envelope.error().error);
        return std::optional<ReceivedEvent>{ReceivedEvent{topic.to_string(), std::move(envelope->body)}};
    } catch (const zmq::error_t& e) {
        return unexpected(make_error(Status::unavailable, "client", "socket_error", std::string("event socket: ") + e.what()));
    }
}

}  // namespace lbx::ipc
