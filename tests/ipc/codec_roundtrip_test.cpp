// Every request, reply and event, and every value of every enum, survives encode -> decode unchanged
// (KiCad's enum round-trip idea): a field missing from a `serialize` or a reordered variant shows here.
#include "ipc/message_samples.hpp"

#include "lightbox/ipc/codec.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace lbx;

namespace {

template <class Body>
ipc::Envelope<Body> round_trip(const ipc::Envelope<Body>& envelope) {
    const std::vector<uint8_t> frame = ipc::encode(envelope);
    REQUIRE(frame.size() <= ipc::kMaxFrameSize);
    if constexpr (std::is_same_v<Body, ipc::Request>) {
        auto decoded = ipc::decode_request(frame);
        INFO((decoded ? "" : decoded.error().error.message + ": " + decoded.error().error.detail));
        REQUIRE(decoded);
        return *decoded;
    } else if constexpr (std::is_same_v<Body, ipc::Reply>) {
        auto decoded = ipc::decode_reply(frame);
        INFO((decoded ? "" : decoded.error().error.message + ": " + decoded.error().error.detail));
        REQUIRE(decoded);
        return *decoded;
    } else {
        auto decoded = ipc::decode_event(frame);
        INFO((decoded ? "" : decoded.error().error.message + ": " + decoded.error().error.detail));
        REQUIRE(decoded);
        return *decoded;
    }
}

// Each sample list has exactly one message of every type, so a new message type without a sample fails.
template <class Body>
void check_all_types(const std::vector<Body>& samples) {
    std::set<std::size_t> seen;
    for (const Body& body : samples) seen.insert(body.index());
    CHECK(samples.size() == std::variant_size_v<Body>);
    CHECK(seen.size() == std::variant_size_v<Body>);
}

}  // namespace

TEST_CASE("every request round-trips with its header", "[ipc]") {
    const auto samples = test::sample_requests();
    check_all_types(samples);
    for (const ipc::Request& request : samples) {
        INFO("request " << ipc::name_of(request));
        const auto envelope = test::envelope_of(request, 0xDEADBEEF00000000ull + request.index(), "s3cr3t-token");
        const auto decoded = round_trip(envelope);
        CHECK(decoded.protocol_version == ipc::kProtocolVersion);
        CHECK(decoded.request_id == 0xDEADBEEF00000000ull + request.index());
        CHECK(decoded.token == "s3cr3t-token");
        CHECK(decoded.body.index() == request.index());
        CHECK(decoded == envelope);
        // Default-constructed messages (empty strings and lists) too.
        std::visit([](const auto& r) {
            using T = std::decay_t<decltype(r)>;
            const auto empty = test::envelope_of(ipc::Request{T{}}, 0);
            CHECK(round_trip(empty) == empty);
        }, request);
    }
}

TEST_CASE("every reply round-trips", "[ipc]") {
    const auto samples = test::sample_replies();
    check_all_types(samples);
    for (const ipc::Reply& reply : samples) {
        INFO("reply " << ipc::name_of(reply));
        const auto envelope = test::envelope_of(reply, 77);
        const auto decoded = round_trip(envelope);
        CHECK(decoded == envelope);
        CHECK(ipc::status_of(decoded.body) == ipc::status_of(reply));
    }
    const auto thumbnail = std::get<ipc::ThumbnailReply>(samples[8]);
    const auto decoded = std::get<ipc::ThumbnailReply>(round_trip(test::envelope_of(ipc::Reply{thumbnail})).body);
    REQUIRE(decoded.bytes.size() == 3000);
    CHECK(decoded.bytes[1000] == static_cast<uint8_t>(7000 % 256));
    CHECK(ipc::status_of(samples[0]) == ipc::Status::not_found);
    CHECK(ipc::status_of(samples[1]) == ipc::Status::ok);
}

TEST_CASE("every event round-trips", "[ipc]") {
    const auto samples = test::sample_events();
    check_all_types(samples);
    for (const ipc::Event& event : samples) {
        INFO("event " << ipc::name_of(event));
        const auto envelope = test::envelope_of(event, 0);
        CHECK(round_trip(envelope) == envelope);
    }
    const auto progress = std::get<ipc::JobProgressEvent>(round_trip(test::envelope_of(samples[0])).body).progress;
    CHECK(progress.job_id == 42);
    CHECK(progress.current_path == "/photos/2023/IMG_0042.jpg");
    CHECK(progress.eta_seconds == 8.25);
    CHECK(progress.sequence == 99);
}

TEST_CASE("every status value round-trips in an error reply", "[ipc]") {
    CHECK(ipc::kAllStatuses.size() == 10);  // the last, unavailable, is client side only
    for (std::size_t i = 0; i < ipc::kAllStatuses.size(); ++i) {
        const ipc::Status status = ipc::kAllStatuses[i];
        INFO("status " << ipc::to_string(status));
        CHECK(static_cast<std::size_t>(status) == i);  // wire values are the positions
        CHECK(ipc::status_from_string(ipc::to_string(status)) == status);
        const auto envelope = test::envelope_of(ipc::Reply{ipc::ErrorReply{test::sample_error(status)}});
        const auto decoded = round_trip(envelope);
        CHECK(ipc::status_of(decoded.body) == status);
    }
    CHECK(ipc::to_string(ipc::Status::version_mismatch) == "version_mismatch");
    CHECK_FALSE(ipc::status_from_string("no_such_status"));
}

TEST_CASE("every job state round-trips in progress, snapshots and cancel replies", "[ipc]") {
    for (std::size_t i = 0; i < ipc::kAllJobStates.size(); ++i) {
        const ipc::JobState state = ipc::kAllJobStates[i];
        INFO("state " << ipc::to_string(state));
        CHECK(static_cast<std::size_t>(state) == i);
        const auto event = test::envelope_of(ipc::Event{ipc::JobProgressEvent{test::sample_progress(state)}});
        CHECK(std::get<ipc::JobProgressEvent>(round_trip(event).body).progress.state == state);
        const auto cancel = test::envelope_of(ipc::Reply{ipc::JobCancelled{3, state}});
        CHECK(std::get<ipc::JobCancelled>(round_trip(cancel).body).state == state);
        const auto status = test::envelope_of(ipc::Reply{ipc::JobStatusReply{{test::sample_progress(state), "p", "c", {}}}});
        CHECK(std::get<ipc::JobStatusReply>(round_trip(status).body).job.progress.state == state);
    }
    CHECK(ipc::is_final(ipc::JobState::completed));
    CHECK(ipc::is_final(ipc::JobState::cancelled));
    CHECK(ipc::is_final(ipc::JobState::failed));
    CHECK(ipc::is_final(ipc::JobState::paused));
    CHECK_FALSE(ipc::is_final(ipc::JobState::started));
    CHECK_FALSE(ipc::is_final(ipc::JobState::running));
}

TEST_CASE("every log level round-trips", "[ipc]") {
    for (std::size_t i = 0; i < ipc::kAllLogLevels.size(); ++i) {
        const ipc::LogLevel level = ipc::kAllLogLevels[i];
        INFO("level " << ipc::to_string(level));
        CHECK(static_cast<std::size_t>(level) == i);
        const auto envelope = test::envelope_of(ipc::Event{ipc::Log{level, "engine", "message"}});
        CHECK(std::get<ipc::Log>(round_trip(envelope).body).level == level);
    }
}

TEST_CASE("the frame header sits at fixed offsets", "[ipc]") {
    const auto frame = ipc::encode(test::envelope_of(ipc::Request{ipc::CancelJob{5}}, 0x1122334455667788ull));
    REQUIRE(frame.size() >= 14);
    CHECK(frame[0] == 1);  // cereal's little-endian flag
    CHECK(frame[1] == ipc::kProtocolVersion);
    CHECK(frame[2] == 0);
    CHECK(frame[3] == 0);
    CHECK(frame[4] == 0);
    CHECK(frame[5] == static_cast<uint8_t>(ipc::FrameKind::request));
    CHECK(frame[6] == 0x88);
    CHECK(frame[13] == 0x11);
    // 8-byte token length (0), 2-byte type (3 = CancelJob), 8-byte job id.
    CHECK(frame.size() == 14 + 8 + 2 + 8);
    CHECK(frame[22] == 3);
    CHECK(frame[24] == 5);
}

TEST_CASE("each request has its typed reply", "[ipc]") {
    STATIC_REQUIRE(std::is_same_v<ipc::ReplyOf<ipc::Hello>, ipc::HelloReply>);
    STATIC_REQUIRE(std::is_same_v<ipc::ReplyOf<ipc::StartScan>, ipc::ScanStarted>);
    STATIC_REQUIRE(std::is_same_v<ipc::ReplyOf<ipc::JobStatus>, ipc::JobStatusReply>);
    STATIC_REQUIRE(std::is_same_v<ipc::ReplyOf<ipc::Shutdown>, ipc::ShutdownReply>);
    // Names as in protocol.md.
    CHECK(ipc::name_of(ipc::Request{ipc::StartScan{}}) == "StartScan");
    CHECK(ipc::name_of(ipc::Reply{ipc::ErrorReply{}}) == "ErrorReply");
    CHECK(ipc::name_of(ipc::Event{ipc::Heartbeat{}}) == "Heartbeat");
}
