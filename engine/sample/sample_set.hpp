// The built-in sample photo set: a dozen small generated photos that exercise every built-in stage
// (JPEGs in all 8 EXIF orientations from several cameras, dates and places, a HEIC whose container
// rotation and EXIF orientation agree, a PNG, a TIFF, a WebP, a panorama, a night shot and a black and
// white one). Used by the README's quick start and by the integration tests.
#pragma once

#include <filesystem>
#include <vector>

namespace lbx::sample {

// Writes the set into `directory` (created if needed) and returns the files written. Throws
// std::runtime_error when a file cannot be encoded or written.
std::vector<std::filesystem::path> write_sample_set(const std::filesystem::path& directory);

}  // namespace lbx::sample
