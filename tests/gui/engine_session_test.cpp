// The shell's EngineSession against a real `lightbox-engine serve` it starts itself: connect, scan
// generated photos (progress actions up to completed), Query them, then SIGKILL the engine and see
// "not responding" within 3 s, a restart and a new connection; and attaching to an engine already
// serving the runtime directory.
#include "model/engine_session.hpp"

#include "support/served_engine.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <mutex>
#include <thread>

using namespace lbx;
using namespace lbx::shell;
using namespace std::chrono_literals;

namespace {

// Collects the session's actions (delivered on its thread).
class Inbox {
public:
    void push(Action a) {
        std::lock_guard lock(mutex_);
        actions_.push_back(std::move(a));
    }
    // Waits until `pred` holds for some action delivered after `from`; returns its index.
    template <class Pred>
    std::optional<std::size_t> wait_for(Pred pred, std::chrono::milliseconds timeout, std::size_t from = 0) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            {
                std::lock_guard lock(mutex_);
                for (std::size_t i = from; i < actions_.size(); ++i) if (pred(actions_[i])) return i;
            }
            std::this_thread::sleep_for(10ms);
        }
        return std::nullopt;
    }
    std::size_t size() {
        std::lock_guard lock(mutex_);
        return actions_.size();
    }
    Action at(std::size_t i) {
        std::lock_guard lock(mutex_);
        return actions_.at(i);
    }

private:
    std::mutex mutex_;
    std::vector<Action> actions_;
};

// A session on the real engine executable, in `dir`'s own runtime directory, caches and library,
// delivering its actions to `inbox`.
SessionOptions process_session(const test::TempDir& dir, Inbox& inbox) {
    setenv("XDG_CACHE_HOME", (dir.path() / "cache").c_str(), 1);
    setenv("XDG_DATA_HOME", (dir.path() / "data").c_str(), 1);
    SessionOptions options;
    options.engine_exe = LIGHTBOX_TEST_ENGINE_EXE;
    options.runtime_dir = dir.path() / "runtime";
    options.catalog = (dir.path() / "library.lbx").string();
    options.deliver = [&inbox](Action a) { inbox.push(std::move(a)); };
    return options;
}

bool is_connected(const Action& a) { return std::holds_alternative<EngineConnected>(a); }
bool is_scan_completed(const Action& a) {
    const auto* e = std::get_if<EventArrived>(&a);
    const auto* p = e ? std::get_if<ipc::JobProgressEvent>(&e->event) : nullptr;
    return p && p->progress.state == ipc::JobState::completed;
}
bool is_not_responding(const Action& a) {
    const auto* s = std::get_if<EngineStatusChanged>(&a);
    return s && s->status == EngineStatus::not_responding;
}

}  // namespace

TEST_CASE("the session starts an engine, scans, queries, and restarts it after SIGKILL", "[shell][integration][timing]") {
    test::TempDir dir;
    test::write_photo_set(dir / "photos", 12, 320, 240);

    Inbox inbox;
    SessionOptions options = process_session(dir, inbox);
    options.decode = [](const std::string&, const std::vector<uint8_t>& bytes) {
        auto d = std::make_shared<DecodedThumbnail>();
        d->width = static_cast<uint32_t>(bytes.size());  // not decoded: the test only checks bytes came
        return std::shared_ptr<const DecodedThumbnail>(d);
    };
    EngineSession session(options);

    auto connected = inbox.wait_for(is_connected, 30s);
    REQUIRE(connected);
    const int first_pid = std::get<EngineConnected>(inbox.at(*connected)).pid;
    CHECK(first_pid > 0);

    session.send(Command{ipc::StartScan{{(dir.path() / "photos").string()}, "", {}, ""}, 0});
    auto started = inbox.wait_for([](const Action& a) {
        const auto* r = std::get_if<ReplyArrived>(&a);
        return r && std::holds_alternative<ipc::StartScan>(r->request);
    }, 10s);
    REQUIRE(started);
    const Action started_action = inbox.at(*started);
    const auto& scan_reply = std::get<ReplyArrived>(started_action).reply;
    INFO((scan_reply ? std::string("ok") : scan_reply.error().message));
    REQUIRE(scan_reply);
    auto completed = inbox.wait_for(is_scan_completed, 60s);
    REQUIRE(completed);
    const auto progress = std::get<ipc::JobProgressEvent>(std::get<EventArrived>(inbox.at(*completed)).event).progress;
    CHECK(progress.done == 12);

    session.send(Command{ipc::Query{"", ipc::QuerySort::path, false, 0, 100}, 77});
    auto queried = inbox.wait_for([](const Action& a) {
        const auto* r = std::get_if<ReplyArrived>(&a);
        return r && r->tag == 77;
    }, 10s);
    REQUIRE(queried);
    const Action queried_action = inbox.at(*queried);
    const auto& query_reply = std::get<ReplyArrived>(queried_action).reply;
    REQUIRE(query_reply);
    const auto& photos = std::get<ipc::QueryReply>(*query_reply);
    CHECK(photos.total == 4);  // write_photo_set copies 4 pictures: photos are keyed by content
    REQUIRE_FALSE(photos.photos.empty());

    // A visible cell's thumbnail comes back (made by the scan, or on demand after thumb/ready).
    session.want_thumbnails({{photos.photos[0].id, 256}});
    auto thumb = inbox.wait_for([&](const Action& a) {
        const auto* t = std::get_if<ThumbnailArrived>(&a);
        return t && t->key.photo_id == photos.photos[0].id;
    }, 10s);
    REQUIRE(thumb);
    const Action thumb_action = inbox.at(*thumb);
    const auto& arrived = std::get<ThumbnailArrived>(thumb_action);
    REQUIRE(arrived.image);
    CHECK(arrived.image->width > 100);  // JPEG bytes

    // SIGKILL: the session says so within 3 s (the child's exit or the missing heartbeat), then restarts.
    const std::size_t before_kill = inbox.size();
    const auto killed_at = std::chrono::steady_clock::now();
    REQUIRE(::kill(first_pid, SIGKILL) == 0);
    auto down = inbox.wait_for(is_not_responding, 5s, before_kill);
    REQUIRE(down);
    CHECK(std::chrono::steady_clock::now() - killed_at < 3500ms);
    auto again = inbox.wait_for(is_connected, 30s, *down);
    REQUIRE(again);
    const int second_pid = std::get<EngineConnected>(inbox.at(*again)).pid;
    CHECK(second_pid > 0);
    CHECK(second_pid != first_pid);

    // The new engine serves the same library.
    session.send(Command{ipc::LibraryInfo{}, 78});
    auto info = inbox.wait_for([](const Action& a) {
        const auto* r = std::get_if<ReplyArrived>(&a);
        return r && r->tag == 78;
    }, 10s, *again);
    REQUIRE(info);
    const Action info_action = inbox.at(*info);
    const auto& info_reply = std::get<ReplyArrived>(info_action).reply;
    REQUIRE(info_reply);
    CHECK(std::get<ipc::LibraryInfoReply>(*info_reply).photos == 4);
}

TEST_CASE("the session reports a missing engine executable and keeps trying without crashing", "[shell][integration]") {
    test::TempDir dir;
    Inbox inbox;
    SessionOptions options;
    options.engine_exe = dir.path() / "no-such-engine";
    options.runtime_dir = dir.path() / "runtime";
    options.deliver = [&](Action a) { inbox.push(std::move(a)); };
    EngineSession session(options);
    auto failed = inbox.wait_for([](const Action& a) {
        const auto* s = std::get_if<EngineStatusChanged>(&a);
        return s && s->status == EngineStatus::failed && s->detail.find("not found") != std::string::npos;
    }, 5s);
    CHECK(failed);
    session.send(Command{ipc::ListJobs{}, 1});  // queued, never answered: no crash, no hang at destruction
}

TEST_CASE("the inproc engine (--engine=inproc): the session runs the engine library on a thread over inproc:// and scans with it",
          "[shell][integration]") {
    test::TempDir dir;
    test::write_photo_set(dir / "photos", 8, 320, 240);
    setenv("XDG_CACHE_HOME", (dir.path() / "cache").c_str(), 1);
    setenv("XDG_DATA_HOME", (dir.path() / "data").c_str(), 1);

    Inbox inbox;
    SessionOptions options;
    options.mode = EngineMode::inproc;
    options.inproc_library = LIGHTBOX_TEST_INPROC_LIB;
    options.catalog = (dir.path() / "library.lbx").string();
    options.thumbnail_dir = dir.path() / "thumbs";
    options.decode = [](const std::string&, const std::vector<uint8_t>& bytes) {
        auto d = std::make_shared<DecodedThumbnail>();
        d->width = static_cast<uint32_t>(bytes.size());
        return std::shared_ptr<const DecodedThumbnail>(d);
    };
    options.deliver = [&](Action a) { inbox.push(std::move(a)); };
    {
        EngineSession session(options);
        auto connected = inbox.wait_for(is_connected, 30s);
        REQUIRE(connected);

        session.send(Command{ipc::StartScan{{(dir.path() / "photos").string()}, "", {}, ""}, 0});
        auto completed = inbox.wait_for(is_scan_completed, 60s);
        REQUIRE(completed);

        session.send(Command{ipc::Query{"", ipc::QuerySort::path, false, 0, 100}, 91});
        auto queried = inbox.wait_for([](const Action& a) {
            const auto* r = std::get_if<ReplyArrived>(&a);
            return r && r->tag == 91;
        }, 10s);
        REQUIRE(queried);
        const Action queried_action = inbox.at(*queried);
        const auto& reply = std::get<ReplyArrived>(queried_action).reply;
        REQUIRE(reply);
        CHECK(std::get<ipc::QueryReply>(*reply).total == 4);
        CHECK_FALSE(inbox.wait_for(is_not_responding, 1500ms));  // heartbeats arrive in-process too
    }  // the session stops the engine thread and unloads the library
    CHECK(std::filesystem::exists(dir.path() / "library.lbx"));
}

TEST_CASE("a hung engine is reported within the heartbeat watch even while commands and thumbnails wait, and the new engine is asked for them", "[shell][integration][timing]") {
    test::TempDir dir;
    test::write_photo_set(dir / "photos", 8, 320, 240);

    Inbox inbox;
    SessionOptions options = process_session(dir, inbox);
    EngineSession session(options);
    auto connected = inbox.wait_for(is_connected, 30s);
    REQUIRE(connected);
    const int pid = std::get<EngineConnected>(inbox.at(*connected)).pid;
    REQUIRE(pid > 0);

    // SIGSTOP: the process lives on but answers nothing and publishes no heartbeat.
    const std::size_t before = inbox.size();
    REQUIRE(::kill(pid, SIGSTOP) == 0);
    const auto stopped_at = std::chrono::steady_clock::now();
    for (int i = 0; i < 8; ++i) session.send(Command{ipc::Facets{"", 10}, 100 + static_cast<uint64_t>(i)});
    session.want_thumbnails({{"a", 256}, {"b", 256}, {"c", 256}, {"d", 256}, {"e", 256}, {"f", 256}});
    auto down = inbox.wait_for(is_not_responding, 10s, before);
    const auto took = std::chrono::steady_clock::now() - stopped_at;
    ::kill(pid, SIGKILL);  // the session kills a hung engine it started; make sure of it
    REQUIRE(down);
    CHECK(took < 4500ms);  // the 3 s watch, plus at most one request's timeout in flight
    auto again = inbox.wait_for(is_connected, 30s, *down);
    REQUIRE(again);
    CHECK(std::get<EngineConnected>(inbox.at(*again)).pid != pid);

    // The thumbnails still wanted are asked of the new engine without being wanted again (the grid says
    // its list only when it changes): each gets its answer, here that no such photo exists.
    for (const char* id : {"a", "b", "c", "d", "e", "f"}) {
        INFO("thumbnail " << id);
        CHECK(inbox.wait_for([id](const Action& a) {
            const auto* t = std::get_if<ThumbnailArrived>(&a);
            return t && t->key.photo_id == id && !t->image;
        }, 10s, *again));
    }
}

TEST_CASE("closing the session while its engine is still starting does not wait for the start", "[shell][integration]") {
    test::TempDir dir;
    // The engine prints its endpoints only once its plugins are loaded: 20 s from now.
    setenv("LIGHTBOX_TEST_PLUGIN_LOAD_DELAY_MS", "20000", 1);
    Inbox inbox;
    SessionOptions options = process_session(dir, inbox);
    auto session = std::make_unique<EngineSession>(options);
    std::this_thread::sleep_for(500ms);  // the engine is being started
    const auto closing = std::chrono::steady_clock::now();
    session.reset();
    unsetenv("LIGHTBOX_TEST_PLUGIN_LOAD_DELAY_MS");
    CHECK(std::chrono::steady_clock::now() - closing < 5s);  // not the 20 s of the start, nor its 30 s timeout
    CHECK_FALSE(inbox.wait_for(is_connected, 0ms));
}

TEST_CASE("the session attaches to the engine already serving this user, leaves it running when closed, and starts its own when it dies",
          "[shell][integration][timing]") {
    test::ServedEngine running;  // started by someone else: a script, or another window's shell
    test::write_photo_set(running.home() / "photos", 4, 320, 240);
    test::TempDir dir;
    Inbox inbox;
    SessionOptions options = process_session(dir, inbox);
    options.runtime_dir = running.runtime_dir();

    {
        EngineSession session(options);
        auto connected = inbox.wait_for(is_connected, 30s);
        REQUIRE(connected);
        CHECK(std::get<EngineConnected>(inbox.at(*connected)).pid == 0);  // not a child of the session

        session.send(Command{ipc::StartScan{{(running.home() / "photos").string()}, "", {}, ""}, 0});
        auto completed = inbox.wait_for(is_scan_completed, 60s);
        REQUIRE(completed);
    }

    // Closing the session did not stop the engine it attached to: it still answers, with the scan's photos.
    zmq::context_t context;
    ipc::Client client(context, running.client_options());
    auto info = client.call(ipc::LibraryInfo{});
    REQUIRE(info);
    CHECK(info->photos == 4);

    // Attached again, then that engine dies: the heartbeat watch says so, and the session starts its own.
    const std::size_t before = inbox.size();
    EngineSession session(options);
    auto attached = inbox.wait_for(is_connected, 30s, before);
    REQUIRE(attached);
    CHECK(std::get<EngineConnected>(inbox.at(*attached)).pid == 0);
    const auto killed_at = std::chrono::steady_clock::now();
    running.process().send_signal(SIGKILL);
    auto down = inbox.wait_for(is_not_responding, 5s, *attached);
    REQUIRE(down);
    CHECK(std::chrono::steady_clock::now() - killed_at < 3500ms);
    auto own = inbox.wait_for(is_connected, 30s, *down);
    REQUIRE(own);
    CHECK(std::get<EngineConnected>(inbox.at(*own)).pid > 0);
}
