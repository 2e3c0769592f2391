// lightbox-engine: the engine's command line. Subcommands live in cli/; this file only dispatches.
#include "cli/commands.hpp"

int main(int argc, char** argv) { return lbx::engine::cli::run_main(argc, argv); }
