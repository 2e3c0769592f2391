// Hostile and broken frames: each gives exactly one error value with the right status and code, and the
// decoder never throws, crashes or allocates more than the frame justifies (run these under ASan/UBSan).
#include "ipc/message_samples.hpp"

#include "lightbox/ipc/codec.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <random>

using namespace lbx;

namespace {

// Decodes a frame as a request and returns the error; fails the test if the decoder throws or accepts it.
ipc::FrameError request_error(std::span<const uint8_t> frame) {
    std::optional<ipc::FrameError> error;
    REQUIRE_NOTHROW([&] {
        auto decoded = ipc::decode_request(frame);
        REQUIRE_FALSE(decoded);
        error = decoded.error();
    }());
    return *error;
}

void check_one_error_reply(const ipc::FrameError& failure, ipc::Status status) {
    const ipc::ReplyEnvelope reply = ipc::error_reply_for(failure);
    REQUIRE(std::holds_alternative<ipc::ErrorReply>(reply.body));
    CHECK(ipc::status_of(reply.body) == status);
    CHECK(reply.request_id == failure.request_id);
    CHECK(reply.protocol_version == ipc::kProtocolVersion);
    // The error reply itself is a valid frame.
    const auto frame = ipc::encode(reply);
    auto decoded = ipc::decode_reply(frame);
    REQUIRE(decoded);
    CHECK(std::get<ipc::ErrorReply>(decoded->body).error == failure.error);
}

std::vector<uint8_t> valid_frame(ipc::Request request = ipc::StartScan{{"/a", "/b"}, "p", {{"k", "v"}}, "c"}) {
    return ipc::encode(test::envelope_of(std::move(request), 1234, "tok"));
}

void put_u16(std::vector<uint8_t>& frame, std::size_t offset, uint16_t value) {
    frame[offset] = static_cast<uint8_t>(value & 0xFF);
    frame[offset + 1] = static_cast<uint8_t>(value >> 8);
}

}  // namespace

TEST_CASE("an empty frame is a bad request", "[ipc]") {
    const auto failure = request_error({});
    CHECK(failure.error.status == ipc::Status::bad_request);
    CHECK(failure.error.domain == "protocol");
    CHECK(failure.error.code == "empty");
    CHECK(failure.request_id == 0);
    check_one_error_reply(failure, ipc::Status::bad_request);
}

TEST_CASE("an oversize frame is rejected by its size before parsing", "[ipc]") {
    // 100 MB of zeros: zeros would fail parsing too (endianness flag 0), so the code proves the size check
    // came first.
    const std::vector<uint8_t> zeros(100u * 1000u * 1000u, 0);
    const auto failure = request_error(zeros);
    CHECK(failure.error.status == ipc::Status::bad_request);
    CHECK(failure.error.code == "oversize");
    CHECK(failure.error.message == "frame of 100000000 bytes exceeds the maximum of 16777216 bytes");
    check_one_error_reply(failure, ipc::Status::bad_request);

    // A valid frame padded to one byte over the limit: also rejected by size.
    auto big = valid_frame();
    big.resize(ipc::kMaxFrameSize + 1, 0);
    CHECK(request_error(big).error.code == "oversize");
    // Exactly at the limit it is parsed (and fails on the trailing bytes).
    big.resize(ipc::kMaxFrameSize);
    CHECK(request_error(big).error.code == "trailing_bytes");
}

TEST_CASE("every truncation of a valid envelope is a bad request", "[ipc]") {
    for (const ipc::Request& request : test::sample_requests()) {
        const auto frame = valid_frame(request);
        for (std::size_t length = 0; length < frame.size(); ++length) {
            INFO(ipc::name_of(request) << " truncated to " << length << " of " << frame.size() << " bytes");
            const auto failure = request_error(std::span(frame).first(length));
            CHECK(failure.error.status == ipc::Status::bad_request);
            CHECK((failure.error.code == "truncated" || failure.error.code == "empty" ||
                   failure.error.code == "malformed"));
            // The request id is known once its 8 bytes are in.
            if (length >= 14) CHECK(failure.request_id == 1234);
        }
    }
    for (const ipc::Reply& reply : test::sample_replies()) {
        const auto frame = ipc::encode(test::envelope_of(reply, 9));
        for (std::size_t length = 0; length < frame.size(); ++length) {
            REQUIRE_NOTHROW(ipc::decode_reply(std::span(frame).first(length)));
            REQUIRE_FALSE(ipc::decode_reply(std::span(frame).first(length)));
        }
    }
    for (const ipc::Event& event : test::sample_events()) {
        const auto frame = ipc::encode(test::envelope_of(event, 0));
        for (std::size_t length = 0; length < frame.size(); ++length) {
            REQUIRE_FALSE(ipc::decode_event(std::span(frame).first(length)));
        }
    }
}

TEST_CASE("a wrong protocol version is a version mismatch", "[ipc]") {
    auto envelope = test::envelope_of(ipc::Request{ipc::Hello{2, "future client"}}, 55);
    envelope.protocol_version = ipc::kProtocolVersion + 1;
    const auto failure = request_error(ipc::encode(envelope));
    CHECK(failure.error.status == ipc::Status::version_mismatch);
    CHECK(failure.error.code == "version");
    CHECK(failure.error.message == "protocol version " + std::to_string(ipc::kProtocolVersion + 1) + " is not supported");
    CHECK(failure.error.detail == "frame has protocol version " + std::to_string(ipc::kProtocolVersion + 1) +
                                  ", this side speaks version " + std::to_string(ipc::kProtocolVersion));
    check_one_error_reply(failure, ipc::Status::version_mismatch);

    // Version 0, and a version whose remaining bytes are garbage: the version is checked first.
    std::vector<uint8_t> garbage{1, 0, 0, 0, 0, 0xFF, 0xFF};
    CHECK(request_error(garbage).error.status == ipc::Status::version_mismatch);
}

TEST_CASE("an unknown message type is a bad request with the request id", "[ipc]") {
    auto frame = valid_frame(ipc::ListJobs{});  // header (14) + token "tok" (8 + 3) + type (2), no payload
    const std::size_t type_offset = 14 + 8 + 3;
    REQUIRE(frame.size() == type_offset + 2);
    constexpr auto known = std::variant_size_v<ipc::Request>;
    for (uint16_t type : {uint16_t{known}, uint16_t{100}, uint16_t{0xFFFF}}) {
        put_u16(frame, type_offset, type);
        const auto failure = request_error(frame);
        CHECK(failure.error.status == ipc::Status::bad_request);
        CHECK(failure.error.code == "unknown_type");
        CHECK(failure.error.message == "unknown request type " + std::to_string(type) + " (known: 0.." + std::to_string(known - 1) + ")");
        CHECK(failure.request_id == 1234);
        check_one_error_reply(failure, ipc::Status::bad_request);
    }
}

TEST_CASE("frames of the wrong kind, trailing bytes and bad field values are bad requests", "[ipc]") {
    SECTION("a reply or an event sent as a request") {
        const auto reply = ipc::encode(test::envelope_of(ipc::Reply{ipc::ShutdownReply{}}, 8));
        const auto failure = request_error(reply);
        CHECK(failure.error.code == "wrong_kind");
        CHECK(failure.error.message == "expected a request frame, got a reply frame (kind 1)");
        CHECK(failure.request_id == 8);
        const auto event = ipc::encode(test::envelope_of(ipc::Event{ipc::Heartbeat{}}, 0));
        CHECK(request_error(event).error.code == "wrong_kind");
        CHECK_FALSE(ipc::decode_reply(event));
        CHECK(ipc::decode_event(event));
    }
    SECTION("trailing bytes") {
        auto frame = valid_frame();
        frame.push_back(0);
        const auto failure = request_error(frame);
        CHECK(failure.error.code == "trailing_bytes");
        CHECK(failure.request_id == 1234);
    }
    SECTION("an out-of-range enum value") {
        auto frame = ipc::encode(test::envelope_of(ipc::Reply{ipc::JobCancelled{3, ipc::JobState::failed}}, 1));
        frame.back() = 7;  // JobState has 7 values: 0..6
        auto decoded = ipc::decode_reply(frame);
        REQUIRE_FALSE(decoded);
        CHECK(decoded.error().error.code == "malformed");
        CHECK(decoded.error().error.detail == "enum value 7 out of range 0..6");
    }
    SECTION("a bool that is neither 0 nor 1") {
        auto frame = ipc::encode(test::envelope_of(ipc::Reply{ipc::HelloReply{1, "", true, {}}}, 1));
        // header 14 + token 8 + type 2 + version 4 + engine_version 8 -> the ready flag.
        REQUIRE(frame[36] == 1);
        frame[36] = 2;
        auto decoded = ipc::decode_reply(frame);
        REQUIRE_FALSE(decoded);
        CHECK(decoded.error().error.code == "malformed");
    }
    SECTION("an endianness flag other than little-endian") {
        auto frame = valid_frame();
        frame[0] = 0;
        CHECK(request_error(frame).error.code == "malformed");
    }
}

TEST_CASE("a string length larger than the frame is rejected before allocating", "[ipc]") {
    auto frame = valid_frame(ipc::GetPhoto{"abc"});
    const std::size_t token_length_offset = 14;
    for (uint64_t length : {uint64_t{1} << 40, uint64_t{1} << 33, uint64_t{0xFFFFFFFFFFFFFFFF}, uint64_t{1000}}) {
        auto bad = frame;
        std::memcpy(bad.data() + token_length_offset, &length, sizeof length);  // little-endian host
        const auto failure = request_error(bad);
        CHECK(failure.error.status == ipc::Status::bad_request);
        CHECK(failure.error.code == "malformed");
        CHECK_THAT(failure.error.detail, Catch::Contains("exceeds the"));
        CHECK(failure.request_id == 1234);
    }
}

TEST_CASE("random bytes never throw and give one bad request or version mismatch", "[ipc]") {
    std::mt19937_64 rng(20261124);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<std::size_t> size(1, 256);
    int version_mismatches = 0;
    for (int i = 0; i < 3000; ++i) {
        std::vector<uint8_t> frame(size(rng));
        for (auto& b : frame) b = static_cast<uint8_t>(byte(rng));
        const auto failure = request_error(frame);
        CHECK((failure.error.status == ipc::Status::bad_request ||
               failure.error.status == ipc::Status::version_mismatch));
        if (failure.error.status == ipc::Status::version_mismatch) ++version_mismatches;
        CHECK_FALSE(failure.error.message.empty());
    }
    CHECK(version_mismatches > 0);

    // A valid header followed by random bytes reaches the payload parser.
    const auto header = valid_frame(ipc::ListPlugins{});
    int parsed_payloads = 0;
    for (int i = 0; i < 3000; ++i) {
        std::vector<uint8_t> frame(header.begin(), header.end() - 2);  // up to the type
        const std::size_t extra = std::max<std::size_t>(2, size(rng));
        for (std::size_t k = 0; k < extra; ++k) frame.push_back(static_cast<uint8_t>(byte(rng)));
        frame[frame.size() - extra + 1] = 0;  // type < 256
        frame[frame.size() - extra] %= 9;     // a known type: the payload is random
        REQUIRE_NOTHROW([&] {
            auto decoded = ipc::decode_request(frame);
            if (decoded) ++parsed_payloads;
            else CHECK(decoded.error().error.status == ipc::Status::bad_request);
        }());
    }
    INFO("random payloads that happened to parse: " << parsed_payloads);
    SUCCEED();
}

TEST_CASE("mutated valid frames never throw", "[ipc]") {
    std::mt19937_64 rng(7);
    std::vector<std::vector<uint8_t>> frames;
    for (const auto& r : test::sample_requests()) frames.push_back(ipc::encode(test::envelope_of(r, 3)));
    for (const auto& r : test::sample_replies()) frames.push_back(ipc::encode(test::envelope_of(r, 3)));
    for (const auto& e : test::sample_events()) frames.push_back(ipc::encode(test::envelope_of(e, 0)));
    for (int i = 0; i < 4000; ++i) {
        auto frame = frames[rng() % frames.size()];
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int f = 0; f < flips; ++f) {
            // Leave the version alone half the time so the payload parsers are reached.
            const std::size_t lo = (i % 2 == 0) ? 5 : 0;
            frame[lo + rng() % (frame.size() - lo)] = static_cast<uint8_t>(rng());
        }
        REQUIRE_NOTHROW(ipc::decode_request(frame));
        REQUIRE_NOTHROW(ipc::decode_reply(frame));
        REQUIRE_NOTHROW(ipc::decode_event(frame));
        // Whatever decodes re-encodes to a frame that decodes again to the same bytes (bytes, not values:
        // a flipped double may be a NaN).
        if (auto decoded = ipc::decode_reply(frame)) {
            const auto encoded = ipc::encode(*decoded);
            auto again = ipc::decode_reply(encoded);
            REQUIRE(again);
            CHECK(ipc::encode(*again) == encoded);
        }
    }
}
