// The content hash that identifies a photo: XXH3 128-bit over the whole file (fast, non-cryptographic),
// written as 32 lower-case hex digits. A moved or renamed photo keeps its hash.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace lbx::engine {

std::string content_hash(std::span<const uint8_t> bytes);

}  // namespace lbx::engine
