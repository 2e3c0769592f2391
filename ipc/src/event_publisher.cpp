#include "lightbox/ipc/event_publisher.hpp"

#include "lightbox/ipc/codec.hpp"
#include "lightbox/ipc/topics.hpp"

namespace lbx::ipc {
namespace {

// Per subscriber. Progress is throttled to ~10 events per second per job, so this is many seconds of
// events for a subscriber that stalls; photo events of a fast scan are what fills it.
constexpr int kSendHighWaterMark = 20000;

bool is_final_progress(const Event& event) {
    const auto* progress = std::get_if<JobProgressEvent>(&event);
    return progress != nullptr && is_final(progress->progress.state);
}

}  // namespace

EventPublisher::EventPublisher(zmq::socket_t socket, std::string endpoint)
    : socket_(std::move(socket)), endpoint_(std::move(endpoint)) {}

Expected<std::unique_ptr<EventPublisher>> EventPublisher::bind(zmq::context_t& context, const std::string& endpoint) {
    try {
        zmq::socket_t socket(context, zmq::socket_type::xpub);
        socket.set(zmq::sockopt::linger, 0);
        socket.set(zmq::sockopt::sndhwm, kSendHighWaterMark);
        socket.set(zmq::sockopt::xpub_nodrop, true);
        socket.set(zmq::sockopt::maxmsgsize, int64_t{4096});  // subscriptions are short topic prefixes
        socket.bind(endpoint);
        std::string bound = socket.get(zmq::sockopt::last_endpoint);
        return std::make_unique<EventPublisher>(std::move(socket), bound.empty() ? endpoint : bound);
    } catch (const zmq::error_t& e) {
        return unexpected(make_error(Status::internal, "io", "bind_failed",
                                     "cannot publish events on '" + endpoint + "': " + e.what()));
    }
}

bool EventPublisher::try_send(const Frame& frame) {
    try {
        if (!socket_.send(zmq::buffer(frame.topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) return false;
        socket_.send(zmq::buffer(frame.bytes), zmq::send_flags::none);  // the second part always follows the first
        ++published_;
        return true;
    } catch (const zmq::error_t&) {
        return false;
    }
}

void EventPublisher::publish(const Event& event) {
    EventEnvelope envelope;
    envelope.body = event;
    Frame frame{topic_of(event), encode(envelope), std::chrono::steady_clock::now()};
    // Keep order for a job's final event: behind others still waiting.
    if (!pending_.empty() && is_final_progress(event)) {
        pending_.push_back(std::move(frame));
        return;
    }
    if (try_send(frame)) return;
    if (is_final_progress(event)) pending_.push_back(std::move(frame));
    else ++dropped_;
}

void EventPublisher::send_pending(std::chrono::milliseconds keep_for) {
    const auto now = std::chrono::steady_clock::now();
    while (!pending_.empty()) {
        if (try_send(pending_.front())) {
            pending_.pop_front();
        } else if (now - pending_.front().since > keep_for) {
            pending_.pop_front();
            ++dropped_;
        } else {
            return;
        }
    }
}

void EventPublisher::read_subscriptions() {
    try {
        zmq::message_t message;
        while (socket_.recv(message, zmq::recv_flags::dontwait)) {
        }
    } catch (const zmq::error_t&) {
    }
}

}  // namespace lbx::ipc
