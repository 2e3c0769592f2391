// `lightbox-engine sample DIR`: writes the built-in sample photo set (engine/sample/sample_set.hpp).
#include "cli/commands.hpp"
#include "sample/sample_set.hpp"

#include <cstdio>
#include <exception>

namespace lbx::engine::cli {

int sample_command(const std::string& directory) {
    try {
        auto files = sample::write_sample_set(directory);
        for (const auto& f : files) std::printf("%s\n", f.c_str());
        std::fprintf(stderr, "wrote %zu sample photos to %s\n", files.size(), directory.c_str());
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lightbox-engine: cannot write the sample set to '%s': %s\n", directory.c_str(), e.what());
        return kExitSomeFailed;
    }
}

}  // namespace lbx::engine::cli
