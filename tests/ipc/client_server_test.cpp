// The command socket end to end over inproc://: CommandServer (one reply per request, whatever arrives)
// and the lazy-pirate Client (timeouts, retries on fresh sockets, only for requests safe to repeat, and
// replies matched by request id). The server runs on its own thread; so does the raw ROUTER that plays
// a lossy or late engine. Each socket stays on the thread that created it.
#include "ipc/zmq_test_support.hpp"

#include "support/test_files.hpp"

#include "lightbox/ipc/client.hpp"
#include "lightbox/ipc/codec.hpp"
#include "lightbox/ipc/command_server.hpp"

#include <catch2/catch.hpp>
#include <zmq.hpp>

#include <atomic>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using namespace lbx;
using namespace std::chrono_literals;
using test::ServerThread;
using test::RawRouter;

namespace {

ipc::HelloReply hello_reply_for(const ipc::Hello& hello) {
    ipc::HelloReply reply;
    reply.protocol_version = ipc::kProtocolVersion;
    reply.engine_version = "echo " + hello.client_name;
    reply.ready = true;
    reply.capabilities.formats = {"jpeg", "png"};
    reply.event_endpoint = "inproc://events";
    return reply;
}

// Answers Hello by echoing the client's name and everything else with a fixed, recognisable reply.
ipc::Reply echo_handler(const ipc::RequestEnvelope& request) {
    if (const auto* hello = std::get_if<ipc::Hello>(&request.body)) return hello_reply_for(*hello);
    if (std::holds_alternative<ipc::ListJobs>(request.body)) return ipc::JobList{};
    return ipc::ShutdownReply{};
}

ipc::Client make_client(zmq::context_t& context, const std::string& endpoint, std::chrono::milliseconds timeout = 2s,
                        int retries = 0, std::string token = {}) {
    ipc::ClientOptions options;
    options.endpoint = endpoint;
    options.timeout = timeout;
    options.retries = retries;
    options.token = std::move(token);
    return ipc::Client(context, std::move(options));
}

ipc::JobList job_list_marked(uint64_t job_id) {
    ipc::JobSnapshot snapshot;
    snapshot.progress.job_id = job_id;
    return ipc::JobList{{snapshot}};
}

}  // namespace

TEST_CASE("a Hello goes to the command server and its typed reply comes back", "[ipc]") {
    zmq::context_t context;
    std::mutex mutex;
    std::vector<ipc::RequestEnvelope> seen;
    ServerThread server(context, "inproc://hello", [&](const ipc::RequestEnvelope& request) -> ipc::Reply {
        {
            std::lock_guard lock(mutex);
            seen.push_back(request);
        }
        return echo_handler(request);
    });
    REQUIRE(server.bind_error().empty());
    ipc::Client client = make_client(context, "inproc://hello");

    auto reply = client.call(ipc::Hello{ipc::kProtocolVersion, "test-client 1.0"});
    REQUIRE(reply);
    CHECK(reply->protocol_version == ipc::kProtocolVersion);
    CHECK(reply->engine_version == "echo test-client 1.0");
    CHECK(reply->ready);
    CHECK(reply->capabilities.formats == std::vector<std::string>{"jpeg", "png"});
    CHECK(reply->event_endpoint == "inproc://events");

    // A second call on the same client works too, with a new request id.
    auto again = client.call(ipc::Hello{ipc::kProtocolVersion, "second"});
    REQUIRE(again);
    CHECK(again->engine_version == "echo second");

    std::lock_guard lock(mutex);
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].protocol_version == ipc::kProtocolVersion);
    CHECK(seen[0].token.empty());
    CHECK(std::get<ipc::Hello>(seen[0].body) == ipc::Hello{ipc::kProtocolVersion, "test-client 1.0"});
    CHECK(seen[1].request_id != seen[0].request_id);
}

TEST_CASE("a typed call answered with another reply type is an internal error", "[ipc]") {
    zmq::context_t context;
    ServerThread server(context, "inproc://wrong-type", [](const ipc::RequestEnvelope&) -> ipc::Reply {
        return ipc::ScanStarted{7};
    });
    REQUIRE(server.bind_error().empty());
    ipc::Client client = make_client(context, "inproc://wrong-type");
    auto reply = client.call(ipc::Hello{ipc::kProtocolVersion, "x"});
    REQUIRE_FALSE(reply);
    CHECK(reply.error().status == ipc::Status::internal);
    CHECK(reply.error().code == "unexpected_reply");
    CHECK(reply.error().message == "the engine answered Hello with ScanStarted");
}

TEST_CASE("a handler that throws gets one internal error reply and the server keeps serving", "[ipc]") {
    zmq::context_t context;
    std::atomic<int> calls{0};
    ServerThread server(context, "inproc://throws", [&](const ipc::RequestEnvelope& request) -> ipc::Reply {
        ++calls;
        if (std::holds_alternative<ipc::JobStatus>(request.body)) throw std::runtime_error("job table is broken");
        if (std::holds_alternative<ipc::CancelJob>(request.body)) throw 42;  // not even a std::exception
        return echo_handler(request);
    });
    REQUIRE(server.bind_error().empty());
    // Retries would hide a second reply behind the first: none here.
    ipc::Client client = make_client(context, "inproc://throws");

    auto status = client.call(ipc::JobStatus{1});
    REQUIRE_FALSE(status);
    CHECK(status.error().status == ipc::Status::internal);
    CHECK(status.error().domain == "engine");
    CHECK(status.error().code == "handler_exception");
    CHECK(status.error().message == "the engine failed on a JobStatus request");
    CHECK(status.error().detail == "job table is broken");

    auto cancel = client.call(ipc::CancelJob{1});
    REQUIRE_FALSE(cancel);
    CHECK(cancel.error().status == ipc::Status::internal);
    CHECK(cancel.error().code == "handler_exception");
    CHECK(cancel.error().message == "the engine failed on a CancelJob request");

    auto hello = client.call(ipc::Hello{ipc::kProtocolVersion, "after"});
    REQUIRE(hello);
    CHECK(hello->engine_version == "echo after");
    CHECK(calls == 3);
    // Exactly one reply per request: three requests, three replies.
    CHECK(test::wait_until([&] { return server.replies_sent() == 3; }));
}

TEST_CASE("a reply larger than the frame limit becomes an internal reply_too_large error", "[ipc]") {
    zmq::context_t context;
    ServerThread server(context, "inproc://too-large", [](const ipc::RequestEnvelope& request) -> ipc::Reply {
        if (const auto* get = std::get_if<ipc::GetThumbnail>(&request.body)) {
            const std::size_t size = get->size == 1 ? 17u * 1024u * 1024u : ipc::kMaxFrameSize - 200;
            return ipc::ThumbnailReply{get->photo_id, 4096, 4096, "image/jpeg", std::vector<uint8_t>(size, 0xAB)};
        }
        return echo_handler(request);
    });
    REQUIRE(server.bind_error().empty());
    ipc::Client client = make_client(context, "inproc://too-large", 10s);

    auto big = client.call(ipc::GetThumbnail{"abc", 1});
    REQUIRE_FALSE(big);
    CHECK(big.error().status == ipc::Status::internal);
    CHECK(big.error().domain == "engine");
    CHECK(big.error().code == "reply_too_large");
    CHECK_THAT(big.error().message, Catch::Contains("exceeds the frame limit of " + std::to_string(ipc::kMaxFrameSize)));

    // Just under the limit is delivered whole (the client accepts frames up to the limit).
    auto fits = client.call(ipc::GetThumbnail{"abc", 2});
    REQUIRE(fits);
    CHECK(fits->bytes.size() == ipc::kMaxFrameSize - 200);
    CHECK(fits->bytes.back() == 0xAB);

    auto hello = client.call(ipc::Hello{ipc::kProtocolVersion, "still here"});
    REQUIRE(hello);
    CHECK(hello->engine_version == "echo still here");
}

TEST_CASE("a server with a token refuses requests without it or with a wrong one", "[ipc]") {
    zmq::context_t context;
    const std::string token(64, 'a');
    std::atomic<int> calls{0};
    ServerThread server(
        context, "inproc://token",
        [&](const ipc::RequestEnvelope& request) -> ipc::Reply {
            ++calls;
            return echo_handler(request);
        },
        token);
    REQUIRE(server.bind_error().empty());

    SECTION("no token") {
        ipc::Client client = make_client(context, "inproc://token");
        auto reply = client.call(ipc::Hello{ipc::kProtocolVersion, "anonymous"});
        REQUIRE_FALSE(reply);
        CHECK(reply.error().status == ipc::Status::unauthorized);
        CHECK(reply.error().domain == "auth");
        CHECK(reply.error().code == "missing_token");
        CHECK(calls == 0);
    }
    SECTION("a wrong token of the same length") {
        std::string wrong = token;
        wrong.back() = 'b';
        ipc::Client client = make_client(context, "inproc://token", 2s, 0, wrong);
        auto reply = client.call(ipc::Hello{ipc::kProtocolVersion, "guesser"});
        REQUIRE_FALSE(reply);
        CHECK(reply.error().status == ipc::Status::unauthorized);
        CHECK(reply.error().code == "bad_token");
        CHECK(calls == 0);
    }
    SECTION("a prefix of the token") {
        ipc::Client client = make_client(context, "inproc://token", 2s, 0, token.substr(0, 10));
        auto reply = client.call(ipc::ListJobs{});
        REQUIRE_FALSE(reply);
        CHECK(reply.error().status == ipc::Status::unauthorized);
        CHECK(reply.error().code == "bad_token");
        CHECK(calls == 0);
    }
    SECTION("the right token") {
        ipc::Client client = make_client(context, "inproc://token", 2s, 0, token);
        auto reply = client.call(ipc::Hello{ipc::kProtocolVersion, "owner"});
        REQUIRE(reply);
        CHECK(reply->engine_version == "echo owner");
        CHECK(calls == 1);
    }
}

TEST_CASE("lazy pirate: a lost reply is retried on a fresh socket", "[ipc]") {
    zmq::context_t context;
    // Ignores the first request, answers the second.
    RawRouter router(context, "inproc://pirate", [](zmq::socket_t& socket, const std::vector<RawRouter::Received>& seen) {
        if (seen.size() == 2) RawRouter::send_reply(socket, seen[1].identity, seen[1].envelope.request_id, job_list_marked(5));
    });
    ipc::Client client = make_client(context, "inproc://pirate", 200ms, 2);

    auto reply = client.call(ipc::ListJobs{});
    REQUIRE(reply);
    REQUIRE(reply->jobs.size() == 1);
    CHECK(reply->jobs[0].progress.job_id == 5);

    const auto seen = router.received();
    REQUIRE(seen.size() == 2);
    CHECK(std::holds_alternative<ipc::ListJobs>(seen[0].envelope.body));
    CHECK(std::holds_alternative<ipc::ListJobs>(seen[1].envelope.body));
    CHECK(seen[0].envelope.request_id != seen[1].envelope.request_id);
    CHECK(seen[0].identity != seen[1].identity);  // the retry came on a new socket
}

TEST_CASE("lazy pirate: a request that is not safe to repeat is sent once", "[ipc][timing]") {
    CHECK_FALSE(ipc::is_safe_to_repeat(ipc::StartScan{}));
    CHECK_FALSE(ipc::is_safe_to_repeat(ipc::Shutdown{}));
    CHECK_FALSE(ipc::is_safe_to_repeat(ipc::MergePersons{1, 2}));  // done once, a second one is not_found
    CHECK_FALSE(ipc::is_safe_to_repeat(ipc::RemoveFace{}));
    CHECK_FALSE(ipc::is_safe_to_repeat(ipc::RemoveFolder{"/photos"}));  // done once, a second one is not_found
    CHECK(ipc::is_safe_to_repeat(ipc::ListFolders{}));
    CHECK(ipc::is_safe_to_repeat(ipc::RenamePerson{1, "Anna"}));
    CHECK(ipc::is_safe_to_repeat(ipc::ListJobs{}));
    CHECK(ipc::is_safe_to_repeat(ipc::JobStatus{1}));
    CHECK(ipc::is_safe_to_repeat(ipc::Hello{}));

    zmq::context_t context;
    RawRouter router(context, "inproc://once", nullptr);  // never answers
    const auto timeout = 400ms;
    ipc::Client client = make_client(context, "inproc://once", timeout, 2);

    const auto start = std::chrono::steady_clock::now();
    auto reply = client.call(ipc::StartScan{{"/photos"}, "", {}, ""});
    const auto elapsed = test::elapsed_since(start);
    REQUIRE_FALSE(reply);
    CHECK(reply.error().status == ipc::Status::unavailable);
    CHECK(reply.error().code == "not_responding");
    CHECK_THAT(reply.error().message, Catch::StartsWith("engine not responding at inproc://once"));
    CHECK_THAT(reply.error().detail, Catch::Contains("1 attempt(s)"));
    // One attempt: it waited for the timeout, and not for the other two (3 x 400 ms). The bound leaves
    // a loaded machine 800 ms; the router's count below is the exact check.
    CHECK(elapsed >= timeout - 50ms);
    CHECK(elapsed < timeout * 3);

    REQUIRE(test::wait_until([&] { return !router.received().empty(); }));
    const auto seen = router.received();
    REQUIRE(seen.size() == 1);
    CHECK(std::holds_alternative<ipc::StartScan>(seen[0].envelope.body));
}

TEST_CASE("lazy pirate: with no server the client gives up after its retries", "[ipc][timing]") {
    zmq::context_t context;
    const auto timeout = 100ms;
    const int retries = 2;

    SECTION("inproc endpoint nobody bound") {
        ipc::Client client = make_client(context, "inproc://nobody-here", timeout, retries);
        const auto start = std::chrono::steady_clock::now();
        auto reply = client.call(ipc::ListJobs{});
        const auto elapsed = test::elapsed_since(start);
        REQUIRE_FALSE(reply);
        CHECK(reply.error().status == ipc::Status::unavailable);
        CHECK(reply.error().domain == "client");
        CHECK(reply.error().code == "not_responding");
        CHECK(reply.error().detail == "no reply within 100 ms, 3 attempt(s)");
        CHECK(elapsed >= (retries + 1) * timeout - 50ms);  // it did wait for every attempt
        CHECK(elapsed < (retries + 1) * timeout + 1000ms);
    }
    SECTION("ipc socket file that does not exist") {
        test::TempDir tmp;
        const std::string path = (tmp / "engine.cmd").string();
        ipc::Client client = make_client(context, "ipc://" + path, timeout, retries);
        const auto start = std::chrono::steady_clock::now();
        auto reply = client.call(ipc::Hello{ipc::kProtocolVersion, "x"});
        const auto elapsed = test::elapsed_since(start);
        REQUIRE_FALSE(reply);
        CHECK(reply.error().status == ipc::Status::unavailable);
        CHECK(reply.error().code == "not_responding");
        CHECK(reply.error().message == "engine not responding at ipc://" + path + ": no engine is listening there (" +
                                           path + " does not exist)");
        CHECK(elapsed < (retries + 1) * timeout + 1000ms);
    }
}

TEST_CASE("lazy pirate: a late reply to an earlier attempt is ignored", "[ipc]") {
    zmq::context_t context;
    // The first attempt goes unanswered until the client has retried; then the router answers it (to the
    // old socket, and to the new one, with the old request id) before answering the retry.
    RawRouter router(context, "inproc://late", [](zmq::socket_t& socket, const std::vector<RawRouter::Received>& seen) {
        if (seen.size() != 2) return;
        const uint64_t old_id = seen[0].envelope.request_id;
        RawRouter::send_reply(socket, seen[0].identity, old_id, job_list_marked(111));
        RawRouter::send_reply(socket, seen[1].identity, old_id, job_list_marked(111));
        RawRouter::send_reply(socket, seen[1].identity, old_id, ipc::ErrorReply{ipc::make_error(ipc::Status::busy, "job", "busy", "stale")});
        RawRouter::send_reply(socket, seen[1].identity, seen[1].envelope.request_id, job_list_marked(222));
    });
    ipc::Client client = make_client(context, "inproc://late", 200ms, 2);

    auto reply = client.call(ipc::ListJobs{});
    REQUIRE(reply);
    REQUIRE(reply->jobs.size() == 1);
    CHECK(reply->jobs[0].progress.job_id == 222);
    const auto seen = router.received();
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].envelope.request_id != seen[1].envelope.request_id);
}

TEST_CASE("a reply written in another protocol version is reported as version_mismatch", "[ipc]") {
    zmq::context_t context;
    RawRouter router(context, "inproc://future-engine", [](zmq::socket_t& socket, const std::vector<RawRouter::Received>& seen) {
        std::vector<uint8_t> frame = test::encode_reply(ipc::ErrorReply{}, seen.back().envelope.request_id);
        frame[1] = static_cast<uint8_t>(ipc::kProtocolVersion + 1);  // an engine of the next protocol version
        socket.send(zmq::buffer(seen.back().identity), zmq::send_flags::sndmore);
        socket.send(zmq::buffer(frame), zmq::send_flags::none);
    });
    ipc::Client client = make_client(context, "inproc://future-engine", 2s, 2);
    auto reply = client.call(ipc::Hello{ipc::kProtocolVersion, "old client"});
    REQUIRE_FALSE(reply);
    CHECK(reply.error().status == ipc::Status::version_mismatch);
    CHECK(reply.error().code == "version");
    CHECK(router.received().size() == 1);  // an answer, even an unreadable one, is not retried
}

TEST_CASE("an endpoint ZeroMQ cannot use is an unavailable socket_error, not an exception", "[ipc]") {
    zmq::context_t context;
    ipc::Client client = make_client(context, "bogus://nowhere", 100ms, 2);
    ipc::Expected<ipc::Reply> reply = ipc::unexpected(ipc::Error{});
    REQUIRE_NOTHROW(reply = client.request(ipc::ListJobs{}));
    REQUIRE_FALSE(reply);
    CHECK(reply.error().status == ipc::Status::unavailable);
    CHECK(reply.error().code == "socket_error");
    CHECK_THAT(reply.error().message, Catch::StartsWith("cannot talk to the engine at bogus://nowhere"));
}

TEST_CASE("every malformed frame gets exactly one error reply from the command server", "[ipc]") {
    zmq::context_t context;
    std::atomic<int> calls{0};
    ServerThread server(context, "inproc://malformed", [&](const ipc::RequestEnvelope& request) -> ipc::Reply {
        ++calls;
        return echo_handler(request);
    });
    REQUIRE(server.bind_error().empty());

    zmq::socket_t dealer(context, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.connect("inproc://malformed");

    const std::vector<uint8_t> valid = test::encode_request(ipc::ListJobs{}, 77);
    constexpr std::size_t type_offset = 1 + 4 + 1 + 8 + 8;  // flag, version, kind, request id, empty token length

    struct Case {
        const char* what;
        std::vector<uint8_t> frame;
        ipc::Status status;
        const char* code;
        uint64_t request_id;
    };
    std::vector<Case> cases;
    {
        std::mt19937 random(20240607);
        std::vector<uint8_t> noise(300);
        for (auto& b : noise) b = static_cast<uint8_t>(random());
        noise[0] = 0x7F;  // not cereal's little-endian flag
        cases.push_back({"random bytes", noise, ipc::Status::bad_request, "malformed", 0});
    }
    cases.push_back({"an empty frame", {}, ipc::Status::bad_request, "empty", 0});
    cases.push_back({"a truncated header", std::vector<uint8_t>(valid.begin(), valid.begin() + 10),
                     ipc::Status::bad_request, "truncated", 0});
    {
        auto frame = test::encode_request(ipc::StartScan{{"/a"}, "p", {}, "c"}, 78);
        frame.resize(frame.size() - 3);
        cases.push_back({"a truncated payload", frame, ipc::Status::bad_request, "truncated", 78});
    }
    {
        auto frame = valid;
        REQUIRE(frame.size() == type_offset + 2);  // ListJobs has no fields
        frame[type_offset] = 99;
        frame[type_offset + 1] = 0;
        cases.push_back({"an unknown type index", frame, ipc::Status::bad_request, "unknown_type", 77});
    }
    {
        auto frame = valid;
        frame[1] = static_cast<uint8_t>(ipc::kProtocolVersion + 1);  // the next protocol version, little-endian at bytes 1-4
        cases.push_back({"another protocol version", frame, ipc::Status::version_mismatch, "version", 0});
    }
    cases.push_back({"a reply frame", test::encode_reply(ipc::JobList{}, 79), ipc::Status::bad_request, "wrong_kind", 79});
    {
        auto frame = valid;
        frame.push_back(0);
        cases.push_back({"trailing bytes", frame, ipc::Status::bad_request, "trailing_bytes", 77});
    }
    cases.push_back({"a frame over the size limit", std::vector<uint8_t>(ipc::kMaxFrameSize + 1, 0x01),
                     ipc::Status::bad_request, "oversize", 0});

    for (const Case& c : cases) {
        INFO(c.what);
        dealer.send(zmq::buffer(c.frame), zmq::send_flags::none);
        auto reply = test::recv_within(dealer, 5s);
        REQUIRE(reply);
        REQUIRE(reply->size() == 1);
        auto decoded = ipc::decode_reply(test::bytes_of(reply->front()));
        REQUIRE(decoded);
        CHECK(decoded->protocol_version == ipc::kProtocolVersion);
        CHECK(decoded->request_id == c.request_id);
        const auto* error = std::get_if<ipc::ErrorReply>(&decoded->body);
        REQUIRE(error);
        CHECK(error->error.status == c.status);
        CHECK(error->error.domain == "protocol");
        CHECK(error->error.code == c.code);
        // The one reply that is the codec's own verdict on the frame.
        auto local = ipc::decode_request(c.frame);
        REQUIRE_FALSE(local);
        CHECK(error->error == local.error().error);
        // And nothing more.
        CHECK_FALSE(test::recv_within(dealer, 150ms));
    }
    CHECK(calls == 0);  // no handler saw any of them

    // A batch of random frames: one reply each, and the server is still there afterwards.
    std::mt19937 random(7);
    constexpr int kRandomFrames = 50;
    for (int i = 0; i < kRandomFrames; ++i) {
        std::vector<uint8_t> frame(1 + random() % 64);
        for (auto& b : frame) b = static_cast<uint8_t>(random());
        if (i % 2 == 0) frame[0] = 1;  // get past the endianness flag sometimes
        dealer.send(zmq::buffer(frame), zmq::send_flags::none);
    }
    for (int i = 0; i < kRandomFrames; ++i) {
        auto reply = test::recv_within(dealer, 5s);
        REQUIRE(reply);
        auto decoded = ipc::decode_reply(test::bytes_of(reply->back()));
        REQUIRE(decoded);
        CHECK(std::holds_alternative<ipc::ErrorReply>(decoded->body));
    }
    CHECK_FALSE(test::recv_within(dealer, 150ms));

    dealer.send(zmq::buffer(test::encode_request(ipc::Hello{ipc::kProtocolVersion, "raw"}, 80)), zmq::send_flags::none);
    auto hello = test::recv_within(dealer, 5s);
    REQUIRE(hello);
    auto decoded = ipc::decode_reply(test::bytes_of(hello->back()));
    REQUIRE(decoded);
    CHECK(decoded->request_id == 80);
    REQUIRE(std::holds_alternative<ipc::HelloReply>(decoded->body));
    CHECK(std::get<ipc::HelloReply>(decoded->body).engine_version == "echo raw");
    CHECK(calls == 1);
    // The server's own count: one message taken and one reply sent for each frame.
    const uint64_t frames = cases.size() + kRandomFrames + 1;
    CHECK(test::wait_until([&] { return server.replies_sent() == frames; }));
    CHECK(server.served() == frames);
}

TEST_CASE("a REQ socket, which adds an empty delimiter part, gets its replies", "[ipc]") {
    zmq::context_t context;
    ServerThread server(context, "inproc://req", echo_handler);
    REQUIRE(server.bind_error().empty());

    zmq::socket_t req(context, zmq::socket_type::req);
    req.set(zmq::sockopt::linger, 0);
    req.connect("inproc://req");

    // A malformed frame first: REQ must get an answer before it may send again.
    const std::vector<uint8_t> garbage{1, 2, 3};
    req.send(zmq::buffer(garbage), zmq::send_flags::none);
    auto error = test::recv_within(req, 5s);
    REQUIRE(error);
    REQUIRE(error->size() == 1);  // REQ strips the delimiter
    auto decoded_error = ipc::decode_reply(test::bytes_of(error->front()));
    REQUIRE(decoded_error);
    REQUIRE(std::holds_alternative<ipc::ErrorReply>(decoded_error->body));
    CHECK(std::get<ipc::ErrorReply>(decoded_error->body).error.code == "truncated");

    req.send(zmq::buffer(test::encode_request(ipc::Hello{ipc::kProtocolVersion, "req client"}, 5)), zmq::send_flags::none);
    auto reply = test::recv_within(req, 5s);
    REQUIRE(reply);
    REQUIRE(reply->size() == 1);
    auto decoded = ipc::decode_reply(test::bytes_of(reply->front()));
    REQUIRE(decoded);
    CHECK(decoded->request_id == 5);
    REQUIRE(std::holds_alternative<ipc::HelloReply>(decoded->body));
    CHECK(std::get<ipc::HelloReply>(decoded->body).engine_version == "echo req client");
}
