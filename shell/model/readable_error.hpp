// What the status bar shows of an error: one readable line. Messages come from the engine, plugins and
// libraries (Exiv2 quotes the bytes it could not read); the status bar has one line and no room for a
// dump of them.
#pragma once

#include <cstddef>
#include <string>

namespace lbx::shell {

// The longest line kept; the rest is cut at a character boundary and marked with an ellipsis.
inline constexpr std::size_t kReadableErrorLength = 240;

// `message` as one line: line breaks and tabs become spaces; other control bytes and invalid UTF-8 are
// dropped; runs of more than 6 hex bytes ("ff d8 ff e0 00 10 4a 46", "0x00 0x01 ...") and single words of
// more than 32 ("ffd8ffe000104a46...", longer than any photo id) become "[N bytes]"; repeated spaces collapse; at most kReadableErrorLength bytes.
std::string readable_error(const std::string& message);

}  // namespace lbx::shell
