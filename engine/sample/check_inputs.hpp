// The inputs `lightbox-engine plugins check` feeds a plugin's stages: hostile files for a decoder or metadata
// reader of one format (empty, signature only, random bytes after the signature, truncated, wrong
// signature, huge claimed dimensions) and odd images for tag and thumbnail stages (1x1, 3x2000, flat grey,
// 12 MP). Deterministic; failures throw std::runtime_error, like the rest of the sample writers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lbx::sample {

struct CheckInput {
    std::string name;  // what a plugin author reads in the verdict, e.g. "truncated at half"
    std::vector<uint8_t> bytes;
};

// A format as a decode or metadata stage declares it (lbx_format_desc): its name and signature.
struct FormatSignature {
    std::string name;
    std::size_t magic_offset = 0;
    std::vector<uint8_t> magic;
};

// For a decode or metadata stage of `format`. A valid file and its damaged copies are included for the
// formats the sample encoders write (jpeg, png, tiff, webp, heif).
std::vector<CheckInput> inputs_for_format(const FormatSignature& format);

// For tag and thumbnail stages: decodable JPEGs of odd shapes and sizes.
std::vector<CheckInput> image_inputs();

}  // namespace lbx::sample
