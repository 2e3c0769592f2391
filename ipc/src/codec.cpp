// Envelope codec: cereal portable binary (little-endian) out, BoundedInputArchive in. Layout and rules:
// sdk_docs/protocol.md, "The frame".
#include "lightbox/ipc/codec.hpp"

#include "lightbox/ipc/bounded_input_archive.hpp"

#include <cereal/archives/portable_binary.hpp>

#include <exception>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <variant>

namespace lbx::ipc {
namespace {

constexpr std::string_view kind_name(uint8_t kind) {
    switch (kind) {
        case static_cast<uint8_t>(FrameKind::request): return "request";
        case static_cast<uint8_t>(FrameKind::reply): return "reply";
        case static_cast<uint8_t>(FrameKind::event): return "event";
        default: return "unknown";
    }
}

template <class Body>
std::vector<uint8_t> encode_envelope(const Envelope<Body>& envelope) {
    std::ostringstream out(std::ios::binary);
    {
        cereal::PortableBinaryOutputArchive ar(out, cereal::PortableBinaryOutputArchive::Options::LittleEndian());
        const auto kind = static_cast<uint8_t>(frame_kind_of<Body>());
        const auto type = static_cast<uint16_t>(envelope.body.index());
        ar(envelope.protocol_version, kind, envelope.request_id, envelope.token, type);
        std::visit([&ar](const auto& message) { ar(message); }, envelope.body);
    }
    const std::string bytes = std::move(out).str();
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

// Emplaces the alternative `index` of Body and loads its fields.
template <class Body, std::size_t... I>
void load_body(detail::BoundedInputArchive& ar, std::size_t index, Body& body, std::index_sequence<I...>) {
    (void)((index == I ? (ar(body.template emplace<I>()), true) : false) || ...);
}

// Reads `frame` into `envelope`; the failure, if any, with the request id once it was read.
template <class Body>
std::optional<FrameError> decode_into(std::span<const uint8_t> frame, Envelope<Body>& envelope) {
    constexpr auto expected_kind = static_cast<uint8_t>(frame_kind_of<Body>());
    constexpr std::size_t type_count = std::variant_size_v<Body>;
    auto fail = [&envelope](Status status, std::string code, std::string message, std::string detail = {}) {
        return FrameError{make_error(status, "protocol", std::move(code), std::move(message), std::move(detail)),
                          envelope.request_id};
    };

    if (frame.empty()) return fail(Status::bad_request, "empty", "empty frame");
    if (frame.size() > kMaxFrameSize) {
        return fail(Status::bad_request, "oversize",
                    "frame of " + std::to_string(frame.size()) + " bytes exceeds the maximum of " +
                        std::to_string(kMaxFrameSize) + " bytes");
    }
    try {
        detail::BoundedInputArchive ar(frame);
        ar(envelope.protocol_version);
        if (envelope.protocol_version != kProtocolVersion) {
            return fail(Status::version_mismatch, "version",
                        "protocol version " + std::to_string(envelope.protocol_version) + " is not supported",
                        "frame has protocol version " + std::to_string(envelope.protocol_version) +
                            ", this side speaks version " + std::to_string(kProtocolVersion));
        }
        uint8_t kind = 0;
        ar(kind, envelope.request_id);
        if (kind != expected_kind) {
            return fail(Status::bad_request, "wrong_kind",
                        "expected a " + std::string(kind_name(expected_kind)) + " frame, got a " +
                            std::string(kind_name(kind)) + " frame (kind " + std::to_string(kind) + ")");
        }
        ar(envelope.token);
        uint16_t type = 0;
        ar(type);
        if (type >= type_count) {
            return fail(Status::bad_request, "unknown_type",
                        "unknown " + std::string(kind_name(expected_kind)) + " type " + std::to_string(type) +
                            " (known: 0.." + std::to_string(type_count - 1) + ")");
        }
        load_body(ar, type, envelope.body, std::make_index_sequence<type_count>{});
        if (ar.remaining() != 0) {
            const std::string_view name =
                std::visit([](const auto& m) -> std::string_view { return m.name; }, envelope.body);
            return fail(Status::bad_request, "trailing_bytes",
                        std::to_string(ar.remaining()) + " trailing bytes after a " + std::string(name) +
                            " message ending at byte " + std::to_string(ar.position()));
        }
        return std::nullopt;
    } catch (const detail::TruncatedFrame& e) {
        return fail(Status::bad_request, "truncated", "truncated frame of " + std::to_string(frame.size()) + " bytes",
                    e.what());
    } catch (const std::exception& e) {
        return fail(Status::bad_request, "malformed", "malformed frame of " + std::to_string(frame.size()) + " bytes",
                    e.what());
    } catch (...) {
        return fail(Status::bad_request, "malformed", "malformed frame of " + std::to_string(frame.size()) + " bytes",
                    "unknown exception");
    }
}

template <class Body>
Expected<Envelope<Body>, FrameError> decode_envelope(std::span<const uint8_t> frame) {
    try {
        Expected<Envelope<Body>, FrameError> result{Envelope<Body>{}};
        if (auto failure = decode_into(frame, *result)) return unexpected(std::move(*failure));
        return result;
    } catch (...) {  // out of memory while building the error itself
        return unexpected(FrameError{make_error(Status::internal, "protocol", "no_memory", "out of memory"), 0});
    }
}

}  // namespace

std::vector<uint8_t> encode(const RequestEnvelope& envelope) { return encode_envelope(envelope); }
std::vector<uint8_t> encode(const ReplyEnvelope& envelope) { return encode_envelope(envelope); }
std::vector<uint8_t> encode(const EventEnvelope& envelope) { return encode_envelope(envelope); }

Expected<RequestEnvelope, FrameError> decode_request(std::span<const uint8_t> frame) {
    return decode_envelope<Request>(frame);
}
Expected<ReplyEnvelope, FrameError> decode_reply(std::span<const uint8_t> frame) {
    return decode_envelope<Reply>(frame);
}
Expected<EventEnvelope, FrameError> decode_event(std::span<const uint8_t> frame) {
    return decode_envelope<Event>(frame);
}

ReplyEnvelope error_reply_for(const FrameError& failure) {
    ReplyEnvelope reply;
    reply.request_id = failure.request_id;
    reply.body = ErrorReply{failure.error};
    return reply;
}

}  // namespace lbx::ipc
