// Starting lightbox-engine-sample (engine/sample_main.cpp), the program that writes generated photos: the
// sample set for `lightbox-engine sample` and the hostile inputs for `lightbox-engine plugins check`. It
// lives beside lightbox-engine, which so does not link the image encoders it would load on every start.
#pragma once

#include <string>
#include <vector>

namespace lbx::engine::cli {

// Runs it with `arguments` (after its name), sharing our standard streams, and waits. Returns its exit
// status; 128 + the signal when a signal ended it; 127, with a message on stderr, when it cannot be started.
int run_sample_program(const std::vector<std::string>& arguments);

}  // namespace lbx::engine::cli
