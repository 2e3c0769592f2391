// What the service's parts share: options, the plugins (read-only once `ready`), jobs, photos and the
// event inbox. Everything but `registry` loading, the inbox and the photo index is touched by the
// command thread only.
#pragma once

#include "plugins/plugin_registry.hpp"
#include "service/event_inbox.hpp"
#include "service/job_table.hpp"
#include "service/photo_index.hpp"
#include "service/service_options.hpp"

#include <lightbox/ipc/replies.hpp>

#include <atomic>
#include <string>

namespace lbx::engine::service {

struct ServiceState {
    explicit ServiceState(ServiceOptions o) : options(std::move(o)), jobs(options.max_jobs) {}

    ServiceOptions options;
    std::string event_endpoint;

    // Loaded on a thread of its own at start; read by others only after `ready` is set.
    PluginRegistry registry;
    ipc::Capabilities capabilities;
    ipc::PluginList plugin_list;
    std::atomic<bool> ready{false};

    bool shutdown_requested = false;  // a Shutdown request was answered
    bool stopping = false;            // jobs are being cancelled; new requests get `cancelled`

    EventInbox inbox;
    PhotoIndex photos;
    JobTable jobs;  // last: destroyed first, since jobs use the members above
};

}  // namespace lbx::engine::service
