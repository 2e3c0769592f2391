// The hand-over of the engine session's actions to the UI thread: one wake-up per burst, order kept,
// and actions left over from a batch go back before newer ones.
#include "model/action_inbox.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace lbx::shell;

namespace {

uint64_t page_of(const Action& a) { return std::get<PageNeeded>(a).page; }

}  // namespace

TEST_CASE("a burst of actions wakes the UI thread once, and they come out in order", "[shell]") {
    ActionInbox inbox;
    CHECK(inbox.push(PageNeeded{1}));        // wake it
    CHECK_FALSE(inbox.push(PageNeeded{2}));  // already woken
    CHECK_FALSE(inbox.push(PageNeeded{3}));
    auto taken = inbox.take();
    REQUIRE(taken.size() == 3);
    CHECK(page_of(taken[0]) == 1);
    CHECK(page_of(taken[2]) == 3);
    CHECK(inbox.take().empty());
    CHECK(inbox.push(PageNeeded{4}));  // after a take, the next push wakes it again
}

TEST_CASE("what a batch did not dispatch goes back before what arrived meanwhile", "[shell]") {
    ActionInbox inbox;
    inbox.push(PageNeeded{1});
    inbox.push(PageNeeded{2});
    auto taken = inbox.take();
    CHECK(inbox.push(PageNeeded{3}));  // arrived while the batch ran: a wake-up is scheduled
    taken.erase(taken.begin());        // the batch dispatched 1, not 2
    CHECK_FALSE(inbox.put_back(std::move(taken)));  // the wake-up for 3 will see 2 too
    auto next = inbox.take();
    REQUIRE(next.size() == 2);
    CHECK(page_of(next[0]) == 2);
    CHECK(page_of(next[1]) == 3);
    CHECK_FALSE(inbox.put_back({}));
    inbox.push(PageNeeded{5});
    inbox.take();
    CHECK(inbox.put_back({PageNeeded{6}}));  // nothing scheduled: put_back asks for a wake-up
}

TEST_CASE("actions pushed from another thread all arrive, in each thread's order", "[shell]") {
    ActionInbox inbox;
    std::thread session([&] {
        for (uint64_t i = 0; i < 1000; ++i) inbox.push(PageNeeded{i});
    });
    std::vector<uint64_t> seen;
    // Bounded: an action lost would otherwise leave the loop waiting for ever.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (seen.size() < 1000 && std::chrono::steady_clock::now() < deadline) {
        for (const Action& a : inbox.take()) seen.push_back(page_of(a));
        std::this_thread::yield();
    }
    session.join();
    REQUIRE(seen.size() == 1000);
    for (uint64_t i = 0; i < 1000; ++i) CHECK(seen[i] == i);
}
