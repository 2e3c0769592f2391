// What the shell's model tests start from: a connected State, a query answered with N made-up photos,
// and the commands of one kind that reduce() decided to send. Header only: each *_test.cpp is its own
// executable.
#pragma once

#include "model/reducer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace lbx::shell::test_fixtures {

inline State connected_state() {
    State s;
    s = reduce(std::move(s), EngineConnected{"0.1.0", 123});
    s.outbox.clear();
    return s;
}

inline ipc::PhotoSummary photo(uint64_t i) {
    return ipc::PhotoSummary{"id" + std::to_string(i), "/p/" + std::to_string(i) + ".jpg", "jpeg", 8, 6, "", "", "ok", "", 0};
}

// The reply to a Query command from the outbox, with `total` matches.
inline ReplyArrived query_reply(const Command& command, uint64_t total) {
    const auto& q = std::get<ipc::Query>(command.request);
    ipc::QueryReply r;
    r.total = total;
    r.offset = q.offset;
    for (uint64_t i = q.offset; i < std::min<uint64_t>(total, q.offset + q.limit); ++i) r.photos.push_back(photo(i));
    return ReplyArrived{command.request, command.tag, ipc::Reply{r}};
}

template <class Req>
std::vector<Command> commands_of(const State& s) {
    std::vector<Command> found;
    for (const auto& c : s.outbox)
        if (std::holds_alternative<Req>(c.request)) found.push_back(c);
    return found;
}

// Connected, the empty query sent and answered: `total` matches, the first page loaded, outbox empty.
inline State with_results(uint64_t total) {
    State s = connected_state();
    s = reduce(std::move(s), QueryEdited{""});
    auto queries = commands_of<ipc::Query>(s);
    s.outbox.clear();
    REQUIRE(queries.size() == 1);
    return reduce(std::move(s), query_reply(queries[0], total));
}

}  // namespace lbx::shell::test_fixtures
