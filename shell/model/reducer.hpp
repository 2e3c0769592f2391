// The pure reducer: the next State from the current one and an action. It never talks to the engine;
// commands it decides on are appended to State::outbox for the store to send.
#pragma once

#include "model/actions.hpp"
#include "model/state.hpp"

#include <optional>
#include <string>

namespace lbx::shell {

State reduce(State state, const Action& action);

// A facet's term: `tag:beach`, `camera:"EOS R6"`, `year:2019`, `date:2019-05`, `place:paris`,
// `group:animals`, `label:"sports ball"`, `person:"Chloé Martin"` (values quoted when they hold a blank).
std::string facet_term(FacetKind kind, const std::string& value);
// The query text with a facet term added, unless the query already has it.
std::string with_facet(const std::string& query, FacetKind kind, const std::string& value);
// Whether the query has the facet's term (as a whole term), and the query without it.
bool has_facet(const std::string& query, FacetKind kind, const std::string& value);
std::string without_facet(const std::string& query, FacetKind kind, const std::string& value);
// The query that shows a person's photos: `person:Anna`; nothing for an unnamed person, or a name the
// query language cannot hold (it has no escape for a double quote).
std::optional<std::string> person_query(const ipc::Person& person);
// A camera as the filter panel shows it: the engine's value is "make model", and many models already
// start with their make ("Canon" + "Canon EOS 7D"): the make is then said once. The value itself, which
// the camera: term matches, is left as it is.
std::string camera_label(const std::string& make_model);

}  // namespace lbx::shell
