#include "model/readable_error.hpp"

#include <cctype>
#include <sstream>
#include <vector>

namespace lbx::shell {
namespace {

// Hex bytes shown one by one before a run is counted instead.
constexpr std::size_t kBytesKept = 6;
// One word of hex digits is a dump beyond this many bytes; shorter ones are ids (a photo's content hash).
constexpr std::size_t kLongestId = 32;

bool is_hex(const std::string& s) {
    if (s.empty()) return false;
    for (const char c : s) if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

// How many bytes a word of a dump holds: "ff" or "0xff" one, "ffd8ffe0" four (an even run of 8 or more
// hex digits); 0 for a word that is not a dump's.
std::size_t bytes_in(const std::string& word) {
    std::string digits = word;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) digits = digits.substr(2);
    if (!is_hex(digits)) return 0;
    if (digits.size() == 2) return 1;
    if (digits.size() >= 8 && digits.size() % 2 == 0) return digits.size() / 2;
    return 0;
}

// Length of the valid UTF-8 sequence starting at s[i], 0 if it is not one.
std::size_t utf8_length(const std::string& s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) if ((byte(i + k) & 0xc0) != 0x80) return 0;
    return n;
}

}  // namespace

std::string readable_error(const std::string& message) {
    // Printable text only, on one line.
    std::string clean;
    for (std::size_t i = 0; i < message.size();) {
        const std::size_t n = utf8_length(message, i);
        if (n == 0) { ++i; continue; }
        const unsigned char c = static_cast<unsigned char>(message[i]);
        if (n == 1 && (c < 0x20 || c == 0x7f)) clean += (c == '\n' || c == '\r' || c == '\t') ? ' ' : '\0';
        else clean.append(message, i, n);
        i += n;
    }
    std::erase(clean, '\0');

    // Words, with runs of dumped bytes counted.
    std::istringstream words(clean);
    std::vector<std::string> kept;
    std::vector<std::string> run;
    std::size_t run_bytes = 0;
    const auto end_run = [&] {
        if (run.size() > kBytesKept || (run.size() == 1 && run_bytes > kLongestId)) kept.push_back("[" + std::to_string(run_bytes) + " bytes]");
        else kept.insert(kept.end(), run.begin(), run.end());
        run.clear();
        run_bytes = 0;
    };
    for (std::string word; words >> word;) {
        if (const std::size_t bytes = bytes_in(word)) {
            run.push_back(word);
            run_bytes += bytes;
            continue;
        }
        end_run();
        kept.push_back(word);
    }
    end_run();

    std::string line;
    for (const std::string& word : kept) line += (line.empty() ? "" : " ") + word;
    if (line.size() > kReadableErrorLength) {
        std::size_t cut = kReadableErrorLength;
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xc0) == 0x80) --cut;  // not inside a character
        line = line.substr(0, cut) + "\u2026";
    }
    return line;
}

}  // namespace lbx::shell
