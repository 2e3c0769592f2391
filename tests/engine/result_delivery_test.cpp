// ResultDelivery (engine/pipeline/result_delivery.hpp): results added from many threads at once all reach
// the callback exactly once, the callback never runs on two threads at a time, a slow callback makes the
// producers wait instead of piling results up, and tick() delivers what is pending.
#include "pipeline/result_delivery.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

using lbx::engine::PhotoResult;
using lbx::engine::ResultDelivery;

namespace {

PhotoResult result_named(const std::string& path) {
    PhotoResult r;
    r.path = path;
    return r;
}

}  // namespace

TEST_CASE("results from many threads are each delivered once, never two callbacks at a time", "[batch]") {
    constexpr int kThreads = 8, kEach = 2000;
    std::atomic<int> inside{0};
    std::atomic<bool> overlapped{false};
    std::multiset<std::string> delivered;  // touched only by the callback: its calls never overlap
    int ticks = 0;
    ResultDelivery delivery(
        [&](PhotoResult& r) {
            if (inside.fetch_add(1) != 0) overlapped = true;
            delivered.insert(r.path);
            inside.fetch_sub(1);
        },
        [&] {
            if (inside.fetch_add(1) != 0) overlapped = true;
            ++ticks;
            inside.fetch_sub(1);
        },
        16);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&delivery, t] {
            for (int i = 0; i < kEach; ++i) delivery.add(result_named(std::to_string(t) + "/" + std::to_string(i)));
        });
    }
    for (auto& t : threads) t.join();
    delivery.tick();  // nothing may be left behind: every add() delivers or leaves it to the delivering thread
    CHECK_FALSE(overlapped);
    REQUIRE(delivered.size() == std::size_t(kThreads) * kEach);
    CHECK(std::set<std::string>(delivered.begin(), delivered.end()).size() == delivered.size());
    CHECK(ticks >= 1);
}

TEST_CASE("every result is delivered by the time add() returns when one thread adds", "[batch]") {
    std::vector<std::string> delivered;
    ResultDelivery delivery([&](PhotoResult& r) { delivered.push_back(r.path); }, nullptr, 4);
    for (int i = 0; i < 10; ++i) {
        delivery.add(result_named(std::to_string(i)));
        CHECK(delivered.size() == std::size_t(i) + 1);
    }
}

TEST_CASE("a slow callback holds the producers back instead of letting results pile up", "[batch]") {
    constexpr std::size_t kBacklog = 4;
    std::atomic<bool> entered{false}, release{false};
    std::atomic<int> delivered{0};
    ResultDelivery delivery(
        [&](PhotoResult&) {
            entered = true;
            while (!release.load()) std::this_thread::yield();  // the first delivery blocks until released
            delivered.fetch_add(1);
        },
        nullptr, kBacklog);
    std::thread slow([&] { delivery.add(result_named("first")); });  // delivers, and blocks inside
    while (!entered.load()) std::this_thread::yield();
    std::atomic<int> added{0};
    std::thread producer([&] {
        for (int i = 0; i < 20; ++i) {
            delivery.add(result_named(std::to_string(i)));
            added.fetch_add(1);
        }
    });
    // The producer gets `kBacklog` results in, then waits on the delivering thread: it cannot have added
    // all 20 while the callback is held.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (added.load() < static_cast<int>(kBacklog) && std::chrono::steady_clock::now() < until) std::this_thread::yield();
    CHECK(added.load() == static_cast<int>(kBacklog));
    release = true;
    slow.join();
    producer.join();
    delivery.tick();
    CHECK(delivered.load() == 21);
    CHECK(added.load() == 20);
}
