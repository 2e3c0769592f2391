// The one Catch2 main shared by every test executable. Every engine a test starts records plugin faults
// (the quarantine, sdk_docs/workers.md) under $XDG_STATE_HOME: each test executable gets a state folder
// of its own, so no test quarantines a plugin in the state of the user running the suite, nor for the
// test executables that run after it.
//
// The analysis phase (neural networks, about a quarter of a second per photo) is off by default in the
// engines tests start (LIGHTBOX_ANALYSIS=off, unless the caller set it): only the tests about analysis
// pay for it, and they ask for it with `--analysis on`.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

int main(int argc, char* argv[]) {
    std::string dir = (std::filesystem::temp_directory_path() / "lightbox-test-state-XXXXXX").string();
    const bool made = ::mkdtemp(dir.data()) != nullptr;
    if (made) ::setenv("XDG_STATE_HOME", dir.c_str(), 1);
    ::setenv("LIGHTBOX_ANALYSIS", "off", 0);
    const int result = Catch::Session().run(argc, argv);
    std::error_code ec;
    if (made) std::filesystem::remove_all(dir, ec);
    return result;
}
