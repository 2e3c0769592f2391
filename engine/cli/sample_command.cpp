// `lightbox-engine sample DIR`: writes the built-in sample photo set (engine/sample/sample_set.hpp) with
// lightbox-engine-sample, which prints each file written and says what went wrong.
#include "cli/commands.hpp"
#include "cli/sample_program.hpp"

namespace lbx::engine::cli {

int sample_command(const std::string& directory) {
    return run_sample_program({"set", directory}) == kExitOk ? kExitOk : kExitSomeFailed;
}

}  // namespace lbx::engine::cli
