// Envelopes to bytes and back. decode() never throws: every failure (oversize, truncated, malformed,
// wrong version, unknown type, wrong frame kind, trailing bytes) is one FrameError, from which the engine
// builds its single error reply.
#pragma once

#include "lightbox/ipc/envelope.hpp"
#include "lightbox/ipc/expected.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace lbx::ipc {

struct FrameError {
    Error error;              // status bad_request or version_mismatch; domain "protocol"
    uint64_t request_id = 0;  // when the header could be read, else 0
};

std::vector<uint8_t> encode(const RequestEnvelope& envelope);
std::vector<uint8_t> encode(const ReplyEnvelope& envelope);
std::vector<uint8_t> encode(const EventEnvelope& envelope);

Expected<RequestEnvelope, FrameError> decode_request(std::span<const uint8_t> frame);
Expected<ReplyEnvelope, FrameError> decode_reply(std::span<const uint8_t> frame);
Expected<EventEnvelope, FrameError> decode_event(std::span<const uint8_t> frame);

// The one reply the engine sends for a frame it could not decode.
ReplyEnvelope error_reply_for(const FrameError& failure);

}  // namespace lbx::ipc
