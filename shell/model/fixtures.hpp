// Fixture states for the gallery (`lightbox --gallery VIEW`, our Storybook) and for tests: a library of
// made-up photos, a running scan, failures and plugins, with no engine.
#pragma once

#include "model/state.hpp"

#include <cstdint>
#include <string>

namespace lbx::shell {

// `photos` results in pages, a focused cell, facets (groups, labels and people too), a scan at 40 % and
// an analysis job behind it, failures, plugins, settings, an open photo with faces and objects, and
// seven persons (three named) for the People page.
State fixture_state(uint64_t photos = 60);

// The fixture's photo ids are "fixture-N"; the gallery draws their thumbnails itself (seeded colours).
bool is_fixture_photo(const std::string& photo_id);
// The photo whose face is the fixture person's cover.
std::string fixture_face_photo_id(uint64_t person_id);

// A command in one line ("RenamePerson 7 \"Dora\"", "Query \"person:Anna\""): the gallery prints what
// the views would send, since no engine is there to receive it.
std::string describe(const ipc::Request& request);

}  // namespace lbx::shell
