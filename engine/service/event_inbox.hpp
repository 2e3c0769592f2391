// Events from job threads to the command thread, which alone owns the event socket. A mutex-guarded
// queue plus an eventfd, so the command thread's zmq::poll wakes up as soon as an event is posted.
#pragma once

#include <lightbox/ipc/events.hpp>

#include <mutex>
#include <vector>

namespace lbx::engine::service {

class EventInbox {
public:
    EventInbox();
    ~EventInbox();
    EventInbox(const EventInbox&) = delete;
    EventInbox& operator=(const EventInbox&) = delete;

    void post(ipc::Event event);      // any thread
    std::vector<ipc::Event> take();   // the command thread; clears the wake-up
    int fd() const { return fd_; }    // readable while events wait

private:
    int fd_;
    std::mutex mutex_;
    std::vector<ipc::Event> events_;
};

}  // namespace lbx::engine::service
