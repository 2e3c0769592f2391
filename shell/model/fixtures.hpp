// Fixture states for the gallery (`lightbox --gallery VIEW`, our Storybook) and for tests: a library of
// made-up photos, a running scan, failures and plugins, with no engine.
#pragma once

#include "model/state.hpp"

#include <cstdint>

namespace lbx::shell {

// `photos` results in pages, a focused cell, facets, a job at 40 %, failures, plugins and settings.
State fixture_state(uint64_t photos = 60);

// The fixture's photo ids are "fixture-N"; the gallery draws their thumbnails itself (seeded colours).
bool is_fixture_photo(const std::string& photo_id);

}  // namespace lbx::shell
