// The thumbnail LRU and the queue of thumbnails to ask for.
#include "model/lru_cache.hpp"
#include "model/thumbnail_queue.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace lbx::shell;

TEST_CASE("the LRU keeps the most recently used entries within its capacity", "[shell]") {
    LruCache<std::string, int> cache(3);
    cache.put("a", 1);
    cache.put("b", 2);
    cache.put("c", 3);
    REQUIRE(cache.get("a"));  // a is now the most recent
    cache.put("d", 4);        // evicts b, the least recent
    CHECK(cache.size() == 3);
    CHECK_FALSE(cache.contains("b"));
    CHECK(*cache.get("a") == 1);
    cache.put("c", 30);  // replace: no growth, becomes most recent
    CHECK(cache.size() == 3);
    cache.put("e", 5);   // evicts d
    CHECK_FALSE(cache.contains("d"));
    CHECK(*cache.get("c") == 30);
    CHECK(cache.get("zz") == nullptr);
    LruCache<ThumbKey, int, ThumbKeyHash> by_key(2);
    by_key.put({"p", 256}, 1);
    by_key.put({"p", 1024}, 2);
    CHECK(*by_key.get({"p", 256}) == 1);  // sizes are different entries
}

TEST_CASE("only wanted thumbnails are asked for, latest list first, scrolled-away ones are dropped", "[shell]") {
    ThumbnailQueue q;
    q.set_wanted({{"a", 256}, {"b", 256}, {"c", 256}});
    CHECK(q.next()->photo_id == "a");
    q.set_wanted({{"x", 256}, {"b", 256}, {"x", 256}});  // scrolled: c is dropped, duplicates once
    CHECK(q.queued() == 2);
    CHECK(q.next()->photo_id == "x");
    CHECK(q.next()->photo_id == "b");
    CHECK_FALSE(q.next());
}

TEST_CASE("a pending thumbnail waits for thumb/ready, then goes first if still wanted", "[shell]") {
    ThumbnailQueue q;
    q.set_wanted({{"a", 256}, {"b", 256}, {"c", 256}});
    auto a = *q.next();
    q.mark_pending(a);
    CHECK(q.pending() == 1);
    q.set_wanted({{"b", 256}, {"c", 256}, {"a", 256}});  // a still wanted: stays pending, not asked again
    CHECK(q.queued() == 2);
    q.on_ready(a);
    CHECK(q.next()->photo_id == "a");
    auto b = *q.next();
    q.mark_pending(b);
    q.set_wanted({{"z", 256}});  // b scrolled away
    CHECK(q.pending() == 0);
    q.on_ready(b);  // ignored
    CHECK(q.next()->photo_id == "z");
    CHECK_FALSE(q.next());
    q.set_wanted({{"k", 256}});
    q.mark_pending(*q.next());
    q.requeue_pending();  // a new engine will not send the old one's events
    CHECK(q.next()->photo_id == "k");
}

TEST_CASE("a thumbnail asked for and not answered in time is asked again first, if still wanted", "[shell]") {
    ThumbnailQueue q;
    q.set_wanted({{"a", 256}, {"b", 256}});
    auto a = *q.next();
    q.retry(a);  // the engine did not answer
    CHECK(q.next()->photo_id == "a");
    CHECK(q.next()->photo_id == "b");
    q.set_wanted({{"c", 256}});
    q.retry(a);  // scrolled away meanwhile: not asked again
    CHECK(q.next()->photo_id == "c");
    CHECK_FALSE(q.next());
}
