// The envelope around every message (sdk_docs/protocol.md, "The frame"): protocol version, request id,
// token and one message of a closed set. The message type on the wire is the variant index.
#pragma once

#include "lightbox/ipc/events.hpp"
#include "lightbox/ipc/replies.hpp"
#include "lightbox/ipc/requests.hpp"
#include "lightbox/ipc/version.hpp"

#include <cstdint>
#include <string>

namespace lbx::ipc {

// Which socket direction a frame belongs to; written in every frame so a reply or an event sent to the
// command socket is rejected instead of being misread as a request. Wire values: append only.
enum class FrameKind : uint8_t { request, reply, event };

template <class Body>
struct Envelope {
    uint32_t protocol_version = kProtocolVersion;
    uint64_t request_id = 0;  // chosen by the client, echoed in the reply; 0 on events
    std::string token;        // only on TCP endpoints
    Body body;

    friend bool operator==(const Envelope&, const Envelope&) = default;
};

using RequestEnvelope = Envelope<Request>;
using ReplyEnvelope = Envelope<Reply>;
using EventEnvelope = Envelope<Event>;

template <class Body> constexpr FrameKind frame_kind_of();
template <> constexpr FrameKind frame_kind_of<Request>() { return FrameKind::request; }
template <> constexpr FrameKind frame_kind_of<Reply>() { return FrameKind::reply; }
template <> constexpr FrameKind frame_kind_of<Event>() { return FrameKind::event; }

}  // namespace lbx::ipc
