// Where the engine finds its own files. The build tree mirrors the install tree, so the same relative
// paths work in both: <prefix>/bin/lightbox-engine, <prefix>/lib/lightbox/plugins,
// <prefix>/share/lightbox/config/default.toml.
#pragma once

#include <filesystem>

namespace lbx::engine::cli {

std::filesystem::path executable_dir();
std::filesystem::path default_config_file();

}  // namespace lbx::engine::cli
