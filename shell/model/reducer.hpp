// The pure reducer: the next State from the current one and an action. It never talks to the engine;
// commands it decides on are appended to State::outbox for the store to send.
#pragma once

#include "model/actions.hpp"
#include "model/state.hpp"

namespace lbx::shell {

State reduce(State state, const Action& action);

// The query text with a facet term added (`tag:beach`, `camera:"EOS R6"`, `year:2019`, `place:paris`),
// unless the query already has it.
std::string with_facet(const std::string& query, FacetKind kind, const std::string& value);

}  // namespace lbx::shell
