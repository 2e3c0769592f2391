// How the query language compares text, defined once for the WHERE clause (catalog_query.cpp) and for
// saying where a plain word matched (word_matches.cpp): both must agree on what matches.
#pragma once

#include <string>

namespace lbx::engine::catalog {

// A photo's camera as one text, over `photos p`: "Canon Canon EOS R6", so `camera:canon` finds the make
// and `camera:"eos r6"` the model.
inline constexpr const char* kCameraText = "(coalesce(p.make, '') || ' ' || coalesce(p.model, ''))";

// The auto tag categories that hold places (the autotag stage's gazetteer).
inline constexpr const char* kPlaceCategories = "('place', 'country')";

// A LIKE pattern (with ESCAPE '\') that finds `text` anywhere: "%50\%%" for "50%".
inline std::string contains_pattern(const std::string& text) {
    std::string out = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out + "%";
}

}  // namespace lbx::engine::catalog
