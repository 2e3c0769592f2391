// How the query language compares text, defined once for the WHERE clause (catalog_query.cpp) and for
// saying where a plain word matched (word_matches.cpp): both must agree on what matches.
#pragma once

#include <string>

namespace lbx::engine::catalog {

// A photo's camera as one text, over `photos p`: "Canon Canon EOS R6", so `camera:canon` finds the make
// and `camera:"eos r6"` the model.
inline constexpr const char* kCameraText = "(coalesce(p.make, '') || ' ' || coalesce(p.model, ''))";

// A photo's camera as people name it, over `photos p` (results, facets, what a word matched): the model
// alone when it starts with the make's first word, as most do ("Canon" + "Canon EOS 7D" is "Canon EOS 7D",
// "NIKON CORPORATION" + "NIKON D90" is "NIKON D90"), else make and model. The shell's camera_text()
// (shell/model/photo_metadata.cpp) follows the same rule for the metadata panel.
#define LBX_CAMERA_MAKE_WORD "substr(p.make, 1, instr(p.make || ' ', ' ') - 1)"
inline constexpr const char* kCameraName =
    "(CASE WHEN coalesce(p.model, '') = '' THEN coalesce(p.make, '') "
    "WHEN coalesce(p.make, '') = '' THEN p.model "
    "WHEN lower(substr(p.model, 1, length(" LBX_CAMERA_MAKE_WORD "))) = lower(" LBX_CAMERA_MAKE_WORD ") THEN p.model "
    "ELSE p.make || ' ' || p.model END)";
#undef LBX_CAMERA_MAKE_WORD

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
